"""LP relaxation of the year-bundle model: an honest upper bound and a near-optimal hint.

Why: on the 2,000 x 1,000 benchmark CP-SAT's own bound stayed 6 % above its best solution in
10 s, and its solutions stayed 3 % below the optimum. HiGHS showed where the gap came from:
the LP relaxation with the share rows alone is 0.5 % above the optimum, but with the clash sets
of `share_conflict_cliques` added it is within 0.02 % of it and nearly integral (44 fractional
values out of 33,000). So the LP gives both the bound and, rounded greedily, a hint that is
already within the target gap; CP-SAT then only works on the parts where a gap is left.

The LP has one column per pair (0..1; pinned pairs 1..1) and the rows of `matching.model`:
headcount, daily share, concurrent jobs, and the clash sets. A clash set "big jobs above
`desired - f` plus one small job of share f" is written with one helper column z per day and
threshold (z >= sum of those big jobs, small job + z <= 1): the same LP, far fewer nonzeros
than one row per small job listing every big job.

The bound is certified from the dual values, whatever the solver's tolerances: for any
y >= 0, b.y + sum over columns of max over the column's range of (c - A'y) x is an upper bound
on the LP, hence on the integer optimum. It is solved per block of independent components,
with the rows built per block (the whole instance's matrix never exists at once).

National scale (5.2 M pairs, one component of 1.36 M): PDLP on whole blocks did not converge in
the time there was, and an unconverged dual certifies almost nothing (gap 60 %). So a big block's
LP starts from a few columns per candidate and vacancy (`first_columns`) and adds left-out
columns whose reduced cost is positive (column generation); the certificate still runs over
every column, so the bound stays valid whichever columns the LP had. Tried first and dropped:
splitting a block by region with prices on the shared vacancies (Lagrangian decomposition):
in the big metro components nearly every vacancy is shared, each region LP with the full
headcount of shared vacancies gave a bound 43 % above greedy, and the 41 region LPs of the
largest component took ~200 s.
"""

from __future__ import annotations

import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field

import numpy as np

from matching.arrays import unique_labels
from matching.budget import Budget
from matching.eligibility import Pairs
from matching.lagrange import pair_search, tightened_constants
from matching.model import DayGroup
from matching.problem import PLANNING_DAYS, MatchingProblem

BLOCK_MIN_COLUMNS = 5_000  # small components are solved together, in blocks of about this size
# Above this many columns HiGHS' dual simplex is too slow (43 s for the 334,000-pair component
# of the 20,000 x 10,000 benchmark); PDLP, a first-order method, gets within 0.5 % of the LP
# value in 8 s there, and its duals still certify a valid bound.
SIMPLEX_MAX_COLUMNS = 60_000
FIRST_COLUMNS_PER_CANDIDATE = 8  # see `first_columns`
# Above this many pair columns the LP starts from `first_columns` (column generation). Below,
# the dual simplex on all columns is fast enough (on 10,000-60,000-column blocks the restricted
# start saved about 15 %, within the noise of this busy machine, and the column-generation
# rounds cost more than that on the 2,000 x 1,000 benchmark).
RESTRICT_MIN_COLUMNS = SIMPLEX_MAX_COLUMNS
# The coverage LP of a PDLP block optimises coverage + TIEBREAK_WEIGHT x score. Coverage alone
# leaves PDLP's solution anywhere on the optimal face, blind to score, and the score LP cannot
# repair that there: solved approximately, its rounding placed 1 % less coverage on the
# 20,000 x 10,000 benchmark's big block. With the tie-break the rounding is score-aware. The
# coverage bound is still certified for coverage alone, from the same duals: it is looser by
# at most TIEBREAK_WEIGHT x the block's LP score (0.1 x ~900,000 = 90,000 percent-days there,
# 0.06 % of its coverage), and valid. Simplex blocks solve both LPs exactly and need no tie-break.
TIEBREAK_WEIGHT = 0.1
# Sweeps of `polish_duals` in a re-run's certificate of a block of at most PRICE_STEP_MIN_COLUMNS
# pairs (simplex duals: exact before the decisions, not near them). Its setup is the cost, a
# sweep is cheap. Measured on the national re-run: the score bound 6,869,997 with one sweep,
# 6,869,700 with three (gap 0.125 % -> 0.121 %, the first run's 0.123 %); at 20,000 x 10,000,
# 62 points lower. Bigger blocks are not polished: the Lagrangian from the previous run's
# stepped prices gives their bound. Measured on 3 national re-runs (session 20), polishing them
# took 2-4 s (5.6 s of 36.6 s in a profile) for 23-40 score points of 6.87 M (gap +0.0005 %);
# on 6 at 20,000 x 10,000 it changed one bound, by 7 points.
POLISH_SWEEPS = 3
# Subgradient steps on the headcount prices of the score level's Lagrangian bound
# (`matching.lagrange._price_steps`) in a first run's LP certificates: at most LP_PRICE_STEPS,
# and only as many as PRICE_STEP_SHARE of the budget allows (`Budget.price_steps`: a count fixed
# by the budget and the pairs, so runs stay reproducible). Measured (`bench_price_steps`): at
# 20,000 x 10,000, 20 steps took the score gap from 0.452 % to 0.207 % in +2.1 s; at national
# scale 20 steps took 0.123 % -> 0.093 % in +35 s, hence the share (5 steps there).
# The prices are kept for the next run (`ROW_PRICE`). A re-run's certificate starts from them
# and takes at most WARM_PRICE_STEPS more, each aiming WARM_PRICE_STEP_TARGET below (near the
# prices' best already: steps aiming 0.5 % below gained 2 points at 20,000 x 10,000). Measured,
# the re-run's score gap: 20,000 x 10,000 0.333 % -> 0.324 % with 3 steps (0.305 % with 10);
# national 0.115 % -> 0.105 % with 3, +2.2 s.
# Only blocks solved by PDLP take them: there the LP's duals are approximate. The simplex's are
# exact, and steps gained 2 points of 9,238 on a 400 x 200 instance, while on the tight 30 x 90
# instances of `bench_highs` (83 pairs a candidate) the bundle searches made a run 2.5 s -> 12.3 s.
PRICE_STEP_MIN_COLUMNS = SIMPLEX_MAX_COLUMNS
LP_PRICE_STEPS = 20
PRICE_STEP_SHARE = 0.05
WARM_PRICE_STEPS = 3
WARM_PRICE_STEP_TARGET = 0.001


@dataclass
class LinearRows:
    """Sparse rows sum(vals * x[cols]) <= ub, in coordinate form; columns past the pairs are helpers."""

    row: np.ndarray
    col: np.ndarray
    val: np.ndarray
    ub: np.ndarray
    n_cols: int
    col_pair: np.ndarray  # pair index per column; -1 for helper columns
    col_component: np.ndarray  # component per column
    row_key: np.ndarray  # int64 per row: what the row says, the same in the next run (`row_keys`)


# A row's key packs (kind, candidate or vacancy, day in the plan, share f, vacancy) into one
# int64, so that a later run can find "the same row" and start from its dual value (a re-run's
# warm start). A collision could only give a row a worse starting dual, never an invalid bound:
# the certificate holds for any duals >= 0.
ROW_HEADCOUNT, ROW_SHARE, ROW_COUNT, ROW_BIG, ROW_HELPER, ROW_SMALL = range(6)
# Not a row: a headcount row's price in the score level's Lagrangian after price steps
# (`matching.lagrange`), kept with the duals (as the score level's value, coverage 0) so that a
# re-run's steps start where the last run's ended. Its key is the headcount row's, this kind.
ROW_PRICE = 6
POLISH_KINDS = (ROW_SHARE, ROW_COUNT, ROW_BIG)  # besides the headcount rows (see `polish_duals`)


def row_keys(kind: int, a, day=0, f=0, b=0) -> np.ndarray:
    """kind (3 bits) | a (21) | day offset in the plan (10) | f (8) | b (21)."""
    a = np.asarray(a, dtype=np.int64)
    return ((np.int64(kind) << 60) | ((a & 0x1FFFFF) << 39) | ((np.asarray(day, np.int64) & 0x3FF) << 29)
            | ((np.asarray(f, np.int64) & 0xFF) << 21) | (np.asarray(b, np.int64) & 0x1FFFFF))


def price_keys(row_key: np.ndarray) -> np.ndarray:
    """The ROW_PRICE key of each (headcount) row key."""
    return (row_key & ~(np.int64(7) << 60)) | (np.int64(ROW_PRICE) << 60)


def key_entities(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(kind, a, b) of packed keys: a is a vacancy for headcount rows, else a candidate; b a vacancy."""
    return keys >> 60, (keys >> 39) & 0x1FFFFF, keys & 0x1FFFFF


def rekey(keys: np.ndarray, cand_map: np.ndarray, vac_map: np.ndarray) -> np.ndarray:
    """The keys with their candidate and vacancy numbers mapped to another run's (-1: gone;
    those keys come back as -1)."""
    kind, a, b = key_entities(keys)
    is_vac = (kind == ROW_HEADCOUNT) | (kind == ROW_PRICE)
    new_a = np.where(is_vac, vac_map[np.where(is_vac, a, 0)], cand_map[np.where(is_vac, 0, a)])
    has_b = kind == ROW_SMALL
    new_b = np.where(has_b, vac_map[b], 0)
    ok = (new_a >= 0) & (new_b >= 0)
    out = (keys & ~np.int64((0x1FFFFF << 39) | 0x1FFFFF)) | ((new_a & 0x1FFFFF) << 39) | (new_b & 0x1FFFFF)
    return np.where(ok, out, -1)


@dataclass
class Relaxation:
    """One LP per block. Its certified bound is affine in the coverage floor C of the second
    level's LP: bound(C) = bound_const - bound_mu * C (bound_mu = 0 for the coverage LP)."""

    values: np.ndarray  # LP value per pair in `subset` order (0 where a block was not solved)
    block_of_pair: np.ndarray  # block number per pair in `subset` order
    bound_const: np.ndarray  # float per block; nan if the block got no LP
    bound_mu: np.ndarray  # float per block
    build_seconds: float  # building the rows
    seconds: float  # in all
    # The same certificate split by component (rows and columns of one component only), for
    # the blocks that got an LP: bound of component i = comp_const[i] - comp_mu[i] x its coverage
    # floor. A re-run reuses them for components that did not change.
    comp_ids: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    comp_const: np.ndarray = field(default_factory=lambda: np.zeros(0))
    comp_mu: np.ndarray = field(default_factory=lambda: np.zeros(0))
    # The rows' dual values that are not zero, by row key (`row_keys`): a re-run's starting duals.
    dual_key: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    dual_y: np.ndarray = field(default_factory=lambda: np.zeros(0))
    dual_component: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    price_steps: int = 0  # the score level's price steps per block (see LP_PRICE_STEPS)

    def bound_at(self, floor_coverage: np.ndarray | None = None) -> np.ndarray:
        """Certified integer bound per block (-1 where there is none). Objective values are
        integers: round down, after a margin for float rounding in the certificate."""
        c = np.zeros(len(self.bound_const)) if floor_coverage is None else np.asarray(floor_coverage, float)
        value = self.bound_const - self.bound_mu * c
        margin = 1e-9 * (np.abs(self.bound_const) + self.bound_mu * np.abs(c)) + 1e-6
        out = np.full(len(value), -1, dtype=np.int64)
        ok = np.isfinite(value)
        out[ok] = np.floor(value[ok] + margin[ok]).astype(np.int64)
        return out


def _rows_from_groups(groups: list[DayGroup], desired: np.ndarray):
    """(group id, pair) members of all groups, plus per-group flags, as flat arrays."""
    sizes = np.array([len(g.pairs) for g in groups], dtype=np.int64)
    member_group = np.repeat(np.arange(len(groups)), sizes)
    member_pair = np.concatenate([g.pairs for g in groups]) if groups else np.zeros(0, np.int64)
    share = np.array([g.check_share for g in groups], dtype=bool)
    count = np.array([g.check_count for g in groups], dtype=bool)
    group_desired = np.array([desired[g.candidate] for g in groups], dtype=np.int64)
    return member_group, member_pair, share, count, group_desired


def build_rows(problem: MatchingProblem, pairs: Pairs, subset: np.ndarray, groups: list[DayGroup],
               component: np.ndarray, headcount: np.ndarray | None = None) -> LinearRows:
    """The LP rows for the pairs `subset`, built with array operations (no loop per row).
    `headcount` (per vacancy) replaces the vacancies' own, e.g. with places others hold taken out."""
    if headcount is None:
        headcount = problem.vacancies.headcount
    n = len(subset)
    parts_r, parts_c, parts_v, ubs, keys = [], [], [], [], []
    n_rows = 0

    def add(row, col, val, ub, key):
        nonlocal n_rows
        parts_r.append((row + n_rows).astype(np.int32))
        parts_c.append(col.astype(np.int32))
        parts_v.append(val.astype(np.float64, copy=False))
        ubs.append(ub.astype(np.float64))
        keys.append(np.broadcast_to(key, len(ub)).astype(np.int64))
        n_rows += len(ub)

    # Headcount: one row per vacancy that has more pairs than places.
    vac = pairs.vac[subset]
    uniq, inverse, counts = unique_labels(vac, return_inverse=True, return_counts=True)
    binding = counts > headcount[uniq]
    row_of_vac = np.cumsum(binding) - 1
    sel = binding[inverse]
    add(row_of_vac[inverse[sel]], np.flatnonzero(sel), np.ones(sel.sum()),
        headcount[uniq[binding]], row_keys(ROW_HEADCOUNT, uniq[binding]))

    member_group, member_pair, share, count, group_desired = _rows_from_groups(groups, problem.candidates.desired_fte)
    # Columns and shares of the groups' pairs only: arrays over all pairs, made for each of a
    # re-run's blocks, cost 3.5 s of the national re-run's row building.
    if n and np.all(subset[1:] > subset[:-1]):  # sorted, as blocks are: no sort (1.8 s on the wide case's block)
        at = np.minimum(np.searchsorted(subset, member_pair), n - 1)
        member_col = np.where(subset[at] == member_pair, at, -1)
    else:
        order = np.argsort(subset, kind="stable")
        at = np.minimum(np.searchsorted(subset, member_pair, sorter=order), max(n - 1, 0))
        member_col = np.where(subset[order[at]] == member_pair, order[at], -1) if n else np.full(len(member_pair), -1)
    member_fte = problem.vacancies.fte[pairs.vac[member_pair]].astype(np.int64)
    g_cand = np.array([g.candidate for g in groups], dtype=np.int64)
    g_day = np.array([g.day for g in groups], dtype=np.int64) - problem.plan_start

    # Daily share and concurrent jobs: one row per critical day that can bind.
    for flags, val, ub, kind in ((share, member_fte, group_desired, ROW_SHARE),
                                 (count, np.ones(len(member_pair)),
                                  np.full(len(groups), problem.params.max_concurrent_jobs), ROW_COUNT)):
        row_of_group = np.cumsum(flags) - 1
        sel = flags[member_group]
        add(row_of_group[member_group[sel]], member_col[sel], val[sel], ub[flags],
            row_keys(kind, g_cand[flags], g_day[flags]))

    # Clash sets, share rule only: at most one big job per day, and per small job share f,
    # small job + helper z(group, f) <= 1 with z(group, f) >= the big jobs above desired - f.
    desired_m = group_desired[member_group]
    in_share = share[member_group]
    big = in_share & (2 * member_fte > desired_m)
    n_big = np.bincount(member_group[big], minlength=len(groups))
    sel = big & (n_big[member_group] >= 2)
    row_of_group = np.cumsum(n_big >= 2) - 1
    two = n_big >= 2
    add(row_of_group[member_group[sel]], member_col[sel], np.ones(sel.sum()), np.ones(two.sum()),
        row_keys(ROW_BIG, g_cand[two], g_day[two]))

    # Only members of share groups with a big job can need a helper: the loop below works on them
    # alone (on the wide national case most members are such, so this saves little there).
    near = np.flatnonzero(in_share & (n_big[member_group] >= 1))
    g_near, f_near, d_near, big_near = member_group[near], member_fte[near], desired_m[near], big[near]
    col_near, pair_near = member_col[near], member_pair[near]
    small = ~big_near
    n_helpers = 0
    helper_component = []
    for f in np.unique(f_near[small]):
        this = small & (f_near == f)
        # Big jobs of these groups that leave no room for a small job of share f.
        has = np.zeros(len(groups), dtype=bool)
        has[g_near[this]] = True
        clash = big_near & has[g_near] & (f_near > d_near - f)
        with_clash = np.unique(g_near[clash])
        if len(with_clash) == 0:
            continue
        helper_of_group = np.full(len(groups), -1, dtype=np.int64)
        helper_of_group[with_clash] = n + n_helpers + np.arange(len(with_clash))
        n_helpers += len(with_clash)
        helper_component.append(component[member_pair[np.searchsorted(member_group, with_clash)]])
        # z >= sum of clashing big jobs:  sum(big) - z <= 0
        k = len(with_clash)
        rows_big = np.searchsorted(with_clash, g_near[clash])
        add(np.concatenate([rows_big, np.arange(k)]),
            np.concatenate([col_near[clash], helper_of_group[with_clash]]),
            np.concatenate([np.ones(clash.sum()), -np.ones(k)]), np.zeros(k),
            row_keys(ROW_HELPER, g_cand[with_clash], g_day[with_clash], f))
        # small job + z <= 1
        this &= helper_of_group[g_near] >= 0
        m = int(this.sum())
        add(np.concatenate([np.arange(m), np.arange(m)]),
            np.concatenate([col_near[this], helper_of_group[g_near[this]]]),
            np.ones(2 * m), np.ones(m),
            row_keys(ROW_SMALL, g_cand[g_near[this]], g_day[g_near[this]], f, pairs.vac[pair_near[this]]))

    col_pair = np.concatenate([subset, np.full(n_helpers, -1, dtype=np.int64)])
    col_component = np.concatenate([component[subset]] + helper_component).astype(np.int64)
    return LinearRows(np.concatenate(parts_r), np.concatenate(parts_c), np.concatenate(parts_v), np.concatenate(ubs),
                      n + n_helpers, col_pair, col_component, np.concatenate(keys))


def with_row(A, coef: np.ndarray):
    """`A` (csr or csc) with the dense row `coef` below its rows, in the same format. Why not
    `scipy.sparse.vstack`: it goes through coordinates (on the wide national case's 92 M-entry
    block about 1.5 GB and, with the `tocsc` after it, 4.6 s); here each column's new entry is
    inserted at its end."""
    from scipy.sparse import csc_matrix, csr_matrix

    at = np.flatnonzero(coef)
    m, n_cols = A.shape
    if A.format == "csr":
        return csr_matrix((np.concatenate([A.data, coef[at]]), np.concatenate([A.indices, at.astype(A.indices.dtype)]),
                           np.append(A.indptr, A.indptr[-1] + len(at))), shape=(m + 1, n_cols))
    ends = A.indptr[at + 1]  # each such column's new entry goes after its last one
    before = np.zeros(n_cols + 1, dtype=np.int64)
    before[at + 1] = 1
    return csc_matrix((np.insert(A.data, ends, coef[at]), np.insert(A.indices, ends, np.array(m, A.indices.dtype)),
                       A.indptr + np.cumsum(before)), shape=(m + 1, n_cols))


def block_numbers(pair_component: np.ndarray) -> np.ndarray:
    """Block number per pair: whole components, small ones merged up to BLOCK_MIN_COLUMNS pairs."""
    comps, inverse, sizes = unique_labels(pair_component, return_inverse=True, return_counts=True)
    block_of_comp = np.zeros(len(comps), dtype=np.int64)
    block, filled = 0, 0
    for k, size in enumerate(sizes.tolist()):
        if filled >= BLOCK_MIN_COLUMNS:
            block, filled = block + 1, 0
        block_of_comp[k] = block
        filled += size
    return block_of_comp[inverse]


def certified_bound(c: np.ndarray, A, b: np.ndarray, lower: np.ndarray, upper: np.ndarray,
                    y: np.ndarray) -> float:
    """max c.x over Ax <= b, lower <= x <= upper is at most b.y + sum max(red * lower, red * upper)
    with red = c - A'y, for every y >= 0 (weak duality). Valid whatever y the solver returned."""
    y = np.maximum(y, 0.0)
    red = c - A.T @ y
    return float(b @ y + np.maximum(red * lower, red * upper).sum())


@dataclass
class LpLimits:
    """What one block's LP may spend: a wall-clock deadline, and in deterministic mode a PDLP
    work allowance (matrix nonzeros x passes) instead of the clock."""

    deadline: float
    pdlp_work: float | None  # None: stop on the wall clock only
    budget: Budget


def solve_relaxation(problem: MatchingProblem, pairs: Pairs, objective: np.ndarray, subset: np.ndarray,
                     groups: list[DayGroup], component: np.ndarray, pinned: np.ndarray, budget: Budget,
                     share: float, work_share: float, prefer: np.ndarray | None = None, coverage: np.ndarray | None = None,
                     min_coverage: np.ndarray | None = None, tiebreak: np.ndarray | None = None,
                     start: LpStart | None = None, rows: dict | None = None) -> Relaxation:
    """max objective.x, per block of components, largest block first. `share` of the budget:
    in deterministic mode the PDLP work allowance (split between the blocks big enough for PDLP
    by size; `work_share` of the budget's seconds in PDLP work units); otherwise `share` of the
    wall-clock time left, split between those blocks by size (each its part from when it starts);
    the simplex blocks run to the end. Blocks left when the budget's wall clock runs out get no LP
    (bound nan). Rows are built per block, so the whole
    instance's matrix never exists at once. `prefer` (bool per pair, e.g. the greedy solution)
    marks pairs that are always among the columns of a block's first LP (see `_solve_lp`).

    With `coverage` (per pair) and `min_coverage` (per block), each block also has the row
    coverage.x >= min_coverage[block]: the second level of the objective, best quality among
    the solutions that keep the coverage found.

    `tiebreak` (per pair) is added, times TIEBREAK_WEIGHT, to the objective that blocks solved by
    PDLP optimise, never to the one their bound certifies (see TIEBREAK_WEIGHT).

    `start`: a point to start PDLP from (a re-run's previous solution and duals). The score
    level's certificates of PDLP blocks take the price steps the budget allows (see LP_PRICE_STEPS).

    `rows`: a dict shared by the two levels' calls of one run. The coverage level leaves each PDLP
    block's matrix there once its LP is done, and the score level takes it out again instead of
    building the same rows (measured on the wide national case's 9.8 M-column block: 15 s each
    build). The caller empties it after the score level, so no matrix outlives its use."""
    t0 = time.perf_counter()
    block = block_numbers(component[subset])
    n_blocks = int(block.max()) + 1 if len(block) else 0
    steps = 0
    if min_coverage is not None and np.bincount(block).max(initial=0) > PRICE_STEP_MIN_COLUMNS:
        steps = budget.price_steps(PRICE_STEP_SHARE, len(subset), LP_PRICE_STEPS)
    const = np.full(n_blocks, np.nan)
    mu = np.zeros(n_blocks)
    values = np.zeros(len(subset))
    members_of = split_by(block, n_blocks)
    groups_of = groups_by_block(problem, pairs, subset, block, groups, n_blocks)
    prefer = np.zeros(len(pairs), dtype=bool) if prefer is None else prefer.copy()
    prefer[pinned] = True
    build = [0.0]
    cert: list[_LpResult] = []
    # Only PDLP blocks draw on the share (work in deterministic mode, the clock otherwise), by
    # size; the simplex blocks run to the end in either mode. On the clock, each PDLP block gets
    # its part of the window from when it starts: a block that overruns its part (certifying,
    # column generation) delays the others but leaves them their time. Before, the window was
    # split as a deadline over all blocks: at a 15 s wall-clock budget the 20,000 x 10,000
    # benchmark's biggest block overran it, the score LP's 9 other blocks got none, and their
    # solver-free bounds made the score gap 75 % (88 % on the wide national case at 240 s).
    window = share * max(0.0, budget.wall_left())
    big = {k for k in range(n_blocks) if len(members_of[k]) > SIMPLEX_MAX_COLUMNS}
    work_left = budget.pdlp_work(work_share)
    size_left = big_size = sum(len(members_of[k]) for k in big)
    # Largest blocks first, so that a short deadline is spent where the bound matters most.
    for k in sorted(range(n_blocks), key=lambda k: -len(members_of[k])):
        members = members_of[k]
        size = len(members) if k in big else 0
        part, size_left = size / max(size_left, 1), size_left - size
        now = time.perf_counter()
        if budget.wall_left() <= 0.05:
            budget.cut_by_clock |= budget.deterministic
            break
        if budget.deterministic:
            limits = LpLimits(budget.deadline, work_left * part, budget)
        elif k in big:
            limits = LpLimits(min(now + window * size / big_size, budget.deadline), None, budget)
        else:
            limits = LpLimits(budget.deadline, None, budget)
        cols = subset[members]
        block_groups = [groups[i] for i in groups_of[k].tolist()]
        extra = None
        if min_coverage is not None:
            extra = (coverage[cols].astype(np.float64), float(min_coverage[k]))
        guide = None
        if tiebreak is not None and len(cols) > SIMPLEX_MAX_COLUMNS:
            guide = TIEBREAK_WEIGHT * tiebreak[cols].astype(np.float64)
        lp = _solve_lp(problem, pairs, objective[cols].astype(np.float64), cols, block_groups, component,
                       pinned, prefer[cols], limits, build, extra, guide, start, steps, rows)
        if lp is None:
            continue  # no LP for this block: the caller falls back to the solver-free bound
        work_left -= lp.work
        values[members] = lp.x
        const[k], mu[k] = lp.bound_const, lp.bound_mu
        cert.append(lp)
    return Relaxation(values, block, const, mu, build[0], time.perf_counter() - t0,
                      _concat([lp.comp_ids for lp in cert], np.int64), _concat([lp.comp_const for lp in cert]),
                      _concat([np.full(len(lp.comp_ids), lp.bound_mu) for lp in cert]),
                      _concat([lp.dual_key for lp in cert], np.int64), _concat([lp.dual_y for lp in cert]),
                      _concat([lp.dual_component for lp in cert], np.int64), steps)


def _concat(parts: list[np.ndarray], dtype=np.float64) -> np.ndarray:
    return np.concatenate(parts).astype(dtype) if parts else np.zeros(0, dtype)


def split_by(label: np.ndarray, n: int) -> list[np.ndarray]:
    """Positions of each label 0..n-1, in increasing order, with one sort instead of n scans."""
    order = np.argsort(label, kind="stable")
    return np.split(order, np.cumsum(np.bincount(label, minlength=n))[:-1])


def groups_by_block(problem, pairs, subset, block, groups, n_blocks) -> list[np.ndarray]:
    """Indices of the critical-day groups of each block (a candidate lies in one block)."""
    block_of_cand = np.full(len(problem.candidates), -1, dtype=np.int64)
    block_of_cand[pairs.cand[subset]] = block
    group_cand = np.fromiter((g.candidate for g in groups), dtype=np.int64, count=len(groups))
    group_block = block_of_cand[group_cand]
    keep = np.flatnonzero(group_block >= 0)
    return [keep[s] for s in split_by(group_block[keep], n_blocks)]


@dataclass
class _LpResult:
    x: np.ndarray  # value per pair column (0 for pairs left out of the LP)
    bound_const: float  # certified upper bound over all the block's columns: const - mu * C
    bound_mu: float
    work: float  # PDLP work used (nonzeros x passes); 0 for the simplex
    comp_ids: np.ndarray  # the block's components ...
    comp_const: np.ndarray  # ... and the certificate's constant split over them (see Relaxation)
    dual_key: np.ndarray  # keys of the rows with a dual value above zero ...
    dual_y: np.ndarray  # ... and those values ...
    dual_component: np.ndarray  # ... and their rows' components


def by_key_then_score(key: np.ndarray, score: np.ndarray) -> np.ndarray:
    """Positions ordered by `key` (integers >= 0), within a key by `score`, highest first: what
    np.lexsort((-score, key)) gives, but as one sort of the key plus a fraction in [0, 1) made
    from the score (on 10 M elements 0.6 s against lexsort's 2.7 s). Scores closer than about
    1e-10 of their range may come in either order; -inf comes last."""
    if not len(key) or key.max() >= 2**24:  # the fraction needs the float's lower bits
        return np.lexsort((-score, key))
    finite = np.isfinite(score)
    if not finite.any():
        return np.argsort(key, kind="stable")
    lo, hi = score[finite].min(), score[finite].max()
    fraction = np.where(finite, 0.998 * (hi - score) / (hi - lo if hi > lo else 1.0), 0.999)
    return np.argsort(key + fraction, kind="stable")


def _top_per_key(key: np.ndarray, score: np.ndarray, limit: np.ndarray) -> np.ndarray:
    """bool per element: among the `limit[i]` highest scores of its key."""
    order = by_key_then_score(key, score)
    sorted_key = key[order]
    rank = np.arange(len(order)) - np.searchsorted(sorted_key, sorted_key)
    top = np.zeros(len(order), dtype=bool)
    top[order[rank < limit[order]]] = True
    return top


def first_columns(pairs: Pairs, cols: np.ndarray, w: np.ndarray, headcount: np.ndarray,
                  prefer: np.ndarray) -> np.ndarray:
    """bool per pair of `cols`: the columns of a big block's first LP. Each candidate's
    FIRST_COLUMNS_PER_CANDIDATE heaviest pairs, each vacancy's 2 x headcount + 2 heaviest and the
    preferred pairs (`w`, `prefer`: per pair of `cols`). Measured on the 1.36 M-pair component of
    the national benchmark: the LP over these 11 % of the columns is within 0.02 % of the LP
    over all of them."""
    cand_top = _top_per_key(pairs.cand[cols], w, np.full(len(cols), FIRST_COLUMNS_PER_CANDIDATE))
    vac = pairs.vac[cols]
    vac_top = _top_per_key(vac, w, 2 * headcount[vac].astype(np.int64) + 2)
    return cand_top | vac_top | prefer


def _solve_lp(problem, pairs, objective, cols, groups, component, pinned, prefer, limits: LpLimits,
              build, extra=None, guide=None, start: LpStart | None = None, steps: int = 0,
              cache: dict | None = None) -> _LpResult | None:
    """max objective.x over the rows of `build_rows` for the pairs `cols`; None if no LP in time.
    `build` accumulates the seconds spent building rows. `extra` = (coverage per column, C) adds
    the row coverage.x >= C, written -coverage.x <= -C; its dual mu makes the bound affine in C.
    `guide` (per pair column) is added to the objective the LP optimises; the bound is still
    certified for `objective` alone (valid for any duals). `steps`: price steps on the
    Lagrangian bound of the score level (`matching.lagrange.tightened_constants`). `cache`: the
    rows' matrix of a PDLP block, left by one level for the other (see `solve_relaxation`).

    Up to RESTRICT_MIN_COLUMNS pair columns the LP has all of them. Above, it first only has a
    subset (`first_columns`; the others are held at 0), solved by `_lp_solve`: PDLP on all
    1.36 M columns of the national benchmark's largest component did not converge in 125 s, on
    its 154,000 first columns it did in about 20 s. The bound is still certified
    over all columns: `certified_bound` with every column free counts each left-out column
    whose reduced cost is positive, so leaving columns out can loosen it but never make it
    invalid. While the limits allow, those columns are added (column generation) and the LP is
    solved again; the smallest bound is kept."""
    from scipy.sparse import csr_matrix

    t = time.perf_counter()
    n = len(cols)
    key = (n, int(cols[0]), int(cols[-1])) if n > RESTRICT_MIN_COLUMNS and cache is not None else None
    built = cache.pop(key, None) if key is not None else None
    if built is None:
        rows = build_rows(problem, pairs, cols, groups, component)
        built = (csr_matrix((rows.val, (rows.row, rows.col)), shape=(len(rows.ub), rows.n_cols)), rows.ub,
                 _Split(rows))
        del rows
    A, b, split = built
    del built
    if extra is not None:
        coef = np.zeros(A.shape[1])
        coef[:n] = -extra[0]
        # A PDLP block's matrix is sliced by column below: csc at once (the cached one already is).
        A = with_row(A if n <= RESTRICT_MIN_COLUMNS else A.tocsc(), coef)
        b = np.append(b, -extra[1])
    c = np.zeros(A.shape[1])
    c[:n] = objective
    c_solve = c.copy()
    if guide is not None:
        c_solve[:n] += guide
    lo, hi = np.zeros(A.shape[1]), np.ones(A.shape[1])
    lo[:n][np.isin(cols, pinned)] = 1.0

    def tighten(A, b, y, mu, split, comps, comp_const):
        """Both levels' constants, each the smaller of the LP's and the Lagrangian's
        (`matching.lagrange`; the coverage level has no coverage row, mu = 0)."""
        return tightened_constants(problem, pairs, cols, groups, A, b, y, split.head(len(b)), objective,
                                   objective if extra is None else extra[0], mu, lo[:n] > 0, split.col_component,
                                   split.row_component, comps, comp_const,
                                   steps=steps if extra is not None and n > PRICE_STEP_MIN_COLUMNS else 0)
    initial = None
    if start is not None:
        initial = start.point(cols, split.row_key, A.shape[1], extra is not None)
    build[0] += time.perf_counter() - t

    if n <= RESTRICT_MIN_COLUMNS:
        solved = _lp_solve(c_solve, A, b, lo, hi, limits, None, initial)
        if solved is None:
            return None
        x, y, work = solved
        y = best_headcount_duals(A, b, lo, c, y, split.head(len(b)))
        return _result(np.clip(x[:n], lo[:n], hi[:n]), c, A, b, lo, hi, y, extra, work, split, tighten)

    A = A.tocsc()  # column slicing
    headcount_duals = HeadcountDuals(A, b, lo, split.head(len(b)))
    priced = np.ones(A.shape[1], dtype=bool)  # helper columns always
    priced[:n] = first_columns(pairs, cols, np.asarray(objective), problem.vacancies.headcount, prefer)
    cand = pairs.cand[cols]
    x_all, best = np.zeros(n), np.inf
    work_used = 0.0
    # Another round only while the left-out columns add more than this share to the bound
    # (0.05 %: well inside the 1 % target).
    min_gain = 5e-4
    while True:
        keep = np.flatnonzero(priced)
        started = time.perf_counter()
        left = None if limits.pdlp_work is None else limits.pdlp_work - work_used
        solved = _lp_solve(c_solve[keep], A[:, keep].tocsr(), b, lo[keep], hi[keep], limits, left,
                           None if initial is None else (initial[0][keep], initial[1]))
        if solved is None:
            break
        x, y, work = solved
        # The next round starts where this one ended (new columns at 0). Measured: at 20,000 x
        # 10,000 the second round took 64 passes, not 202; on the wide national case, where it took
        # 133 passes (32 s), the start already met PDLP's tolerance (0 passes), and the run's score
        # gap fell from 0.327 % to 0.283 %.
        initial = (np.zeros(A.shape[1]), y)
        initial[0][keep] = x
        y = headcount_duals(c, y)
        work_used += work
        const, mu = _affine(c, A, b, lo, hi, y, extra)
        bound = const - mu * (-b[-1] if extra is not None else 0.0)
        improved = best - bound > min_gain * abs(bound)
        if bound < best:
            best, best_y = bound, y
            x_all = np.zeros(n)
            x_all[keep[keep < n]] = x[keep < n]
        # Column generation: each candidate's best left-out pairs with a positive reduced cost.
        reduced = c_solve[:n] - A[:, :n].T @ y
        attractive = (reduced > 0) & ~priced[:n]
        left_out = reduced[attractive].sum()  # what the left-out columns add to this bound
        # Another round only if it can gain and finish: the rest goes to the next blocks.
        if limits.pdlp_work is not None:
            room = limits.pdlp_work - work_used >= 1.5 * work
        else:
            room = limits.deadline - time.perf_counter() >= 1.5 * (time.perf_counter() - started)
        if left_out <= min_gain * abs(bound) or not improved or not room:
            break
        priced[:n] |= attractive & _top_per_key(cand, np.where(attractive, reduced, -np.inf),
                                                np.full(n, 3))
    if not np.isfinite(best):
        return None
    if key is not None and extra is None:
        cache[key] = (A, b, split)  # for the other level, once this LP is done with its memory
    return _result(np.clip(x_all, lo[:n], hi[:n]), c, A, b, lo, hi, best_y, extra, work_used, split, tighten)


def _result(x, c, A, b, lo, hi, y, extra, work, split: _Split, tighten) -> _LpResult:
    """The LP's result with its certificate, per component the smaller of the LP's and
    `tighten`'s (the Lagrangian constants, `matching.lagrange`)."""
    const, mu = _affine(c, A, b, lo, hi, y, extra)
    comps, comp_const, keys, ys, dual_comp = split.certificate(c, A, b, lo, hi, y)
    tighter, prices = tighten(A, b, y, mu, split, comps, comp_const)
    const -= float((comp_const - tighter).sum())
    if prices is not None:
        keys, ys, dual_comp = split.with_prices(keys, ys, dual_comp, prices)
    return _LpResult(x, const, mu, work, comps, tighter, keys, ys, dual_comp)


class _Split:
    """Splits a block's certificate by component and keeps its nonzero duals by row key."""

    def __init__(self, rows: LinearRows):
        self.row_component = np.zeros(len(rows.ub), dtype=np.int64)
        self.row_component[rows.row] = rows.col_component[rows.col]  # a row lies in one component
        self.col_component = rows.col_component
        self.row_key = rows.row_key

    def head(self, n_rows: int) -> np.ndarray:
        """bool per row of the LP (`n_rows`, the coverage row included): a headcount row."""
        out = np.zeros(n_rows, dtype=bool)
        out[:len(self.row_key)] = (self.row_key >> 60) == ROW_HEADCOUNT
        return out

    def certificate(self, c, A, b, lo, hi, y) -> tuple[np.ndarray, ...]:
        """(components, constant per component, keys of rows with a dual above 0, those duals,
        their rows' components).
        Per component: its rows' b.y plus its columns' max(red x lo, red x hi): weak duality on
        that component alone. The coverage row of the score LP (the last, past the keyed rows)
        is left out of the constant: it is the -mu x C term."""
        y = np.maximum(y, 0.0)
        red = c - A.T @ y
        col_term = np.maximum(red * lo, red * hi)
        n_rows = len(self.row_key)
        comps, col_index = np.unique(self.col_component, return_inverse=True)
        const = (np.bincount(col_index, weights=col_term, minlength=len(comps))
                 + np.bincount(np.searchsorted(comps, self.row_component), weights=b[:n_rows] * y[:n_rows],
                               minlength=len(comps)))
        nonzero = np.flatnonzero(y[:n_rows] > 1e-9)
        return comps, const, self.row_key[nonzero], y[nonzero], self.row_component[nonzero]

    def with_prices(self, keys, values, comps, prices: np.ndarray):
        """The duals (`keys`, `values`, their rows' `comps`) and the Lagrangian's `prices` per
        keyed row above zero, as ROW_PRICE keys (see there)."""
        at = np.flatnonzero(prices > 1e-9)
        return (np.concatenate([keys, price_keys(self.row_key[at])]), np.concatenate([values, prices[at]]),
                np.concatenate([comps, self.row_component[at]]))


def _affine(c, A, b, lo, hi, y, extra) -> tuple[float, float]:
    """The certified bound as const - mu * C, C the right-hand side of the coverage row (the
    last row when `extra` is given): the same duals certify a bound for any C."""
    y = np.maximum(y, 0.0)
    bound = certified_bound(c, A, b, lo, hi, y)
    if extra is None:
        return bound, 0.0
    mu = float(y[-1])
    # b[-1] = -C contributes -mu * C to the bound; take it out of the constant.
    return bound + mu * extra[1], mu


def _lp_solve(c, A, b, lo, hi, limits: LpLimits, pdlp_work: float | None, initial=None):
    """max c.x, Ax <= b, lo <= x <= hi: HiGHS' dual simplex up to SIMPLEX_MAX_COLUMNS columns,
    PDLP above. Returns (x, y >= 0, PDLP work used), or None without a result in time.
    The simplex runs to the end (only the wall-clock stop cuts it); PDLP stops at its work
    allowance (deterministic mode, `pdlp_work` or the block's share) or at the deadline.
    `initial` = (x, y) starts PDLP there (the simplex takes no start)."""
    from scipy.optimize import linprog

    left = limits.deadline - time.perf_counter()
    if left <= 0.05:
        limits.budget.cut_by_clock |= limits.pdlp_work is not None
        return None
    if A.shape[1] <= SIMPLEX_MAX_COLUMNS:
        res = linprog(-c, A_ub=A, b_ub=b, bounds=np.stack([lo, hi], axis=1), method="highs-ds",
                      options={"time_limit": left, "presolve": True})
        if res.status != 0 or res.x is None:
            if res.status == 1:  # stopped by the time limit
                limits.budget.cut_by_clock |= limits.pdlp_work is not None
            return None
        return res.x, np.maximum(-res.ineqlin.marginals, 0.0), 0.0
    work = limits.pdlp_work if pdlp_work is None else pdlp_work
    passes = None if work is None else max(1.0, work / max(A.nnz, 1))
    x, y, used, clock_stop = _pdlp(c, A, b, lo, hi, left, passes, initial)
    if clock_stop:
        limits.budget.cut_by_clock |= limits.pdlp_work is not None
    return x, np.maximum(y, 0.0), used * A.nnz


def solver_free_bounds(problem: MatchingProblem, pairs: Pairs, coverage: np.ndarray, quality: np.ndarray,
                       subset: np.ndarray) -> tuple[int, int]:
    """Valid (coverage, quality) upper bounds without a solver: per candidate, the smaller of all
    their pairs' coverage and a full wanted share all year; and all their pairs' scores."""
    n = len(problem.candidates)
    cov = np.zeros(n, np.int64)
    np.add.at(cov, pairs.cand[subset], coverage[subset])
    cap = PLANNING_DAYS * problem.candidates.desired_fte.astype(np.int64)
    return int(np.minimum(cov, cap).sum()), int(quality[subset].sum())


def _pdlp(c, A, b, lower, upper, time_limit: float, passes: float | None, initial=None):
    """max c.x, Ax <= b, lower <= x <= upper by PDLP (OR-Tools). Returns (x, y >= 0 approximate,
    matrix passes used, whether the wall clock stopped it). `passes` (a limit on passes over the
    matrix) makes the result independent of the clock."""
    from ortools.pdlp import solve_log_pb2, solvers_pb2
    from ortools.pdlp.python import pdlp

    qp = pdlp.QuadraticProgram()
    qp.objective_vector = -c
    qp.constraint_matrix = A.tocsc()
    qp.constraint_lower_bounds = np.full(len(b), -np.inf)
    qp.constraint_upper_bounds = b
    qp.variable_lower_bounds = lower
    qp.variable_upper_bounds = upper
    params = solvers_pb2.PrimalDualHybridGradientParams()
    params.num_threads = _core_count()
    optimality = params.termination_criteria.simple_optimality_criteria
    optimality.eps_optimal_relative = optimality.eps_optimal_absolute = 1e-4
    params.termination_criteria.time_sec_limit = float(time_limit)
    if passes is not None:
        params.termination_criteria.kkt_matrix_pass_limit = float(passes)
    start = None
    if initial is not None:
        start = pdlp.PrimalAndDualSolution()
        start.primal_solution = np.clip(initial[0], lower, upper)
        start.dual_solution = -np.maximum(initial[1], 0.0)  # PDLP's sign (it minimises -c.x)
    with heap_only():
        result = pdlp.primal_dual_hybrid_gradient(qp, params, start)
    stats = result.solve_log.solution_stats
    clock = result.solve_log.termination_reason == solve_log_pb2.TERMINATION_REASON_TIME_LIMIT
    # PDLP minimises -c.x; the dual of a <= row is then <= 0.
    return (np.asarray(result.primal_solution), -np.asarray(result.dual_solution),
            float(stats.cumulative_kkt_matrix_passes), clock)


def _core_count() -> int:
    import os

    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


# glibc's mallopt parameters (malloc.h) and their defaults.
_M_TRIM_THRESHOLD, _M_MMAP_MAX = -1, -4
_DEFAULT_TRIM_THRESHOLD, _DEFAULT_MMAP_MAX = 128 * 1024, 65536


_heap_lock = threading.Lock()
_heap_depth = 0  # open `heap_only` contexts: the settings go back when the last one closes


@contextmanager
def heap_only():
    """Within it, glibc's malloc keeps big blocks on its heap instead of mapping each one afresh.
    Why: glibc serves blocks above 32 MiB with a new mapping, so every big array touches fresh
    pages, and a page fault is dear on these machines. Used
    - while PDLP runs, which allocates its vectors afresh in every iteration. Measured on the wide
      national case (`bench_bundle national_wide`, 11.5 M pairs): 32 M page faults, 85 % of them
      in PDLP's iterations, 125 s of system time in a 366 s run; with the heap only while PDLP
      runs 4.9 M faults, 72 s, 308 s, peak memory 7.55 GiB instead of 7.64, the same solution (for
      the whole first run: 280 s, but 7.79 GiB, too near its 8 GiB);
    - for all of a re-run (`matching.solve.solve` with a usable state), whose memory is far below
      its first run's: measured on national re-runs (session 20), 77,000-149,000 page faults
      instead of 376,000-477,000, system time 2.0-2.7 s instead of 4.1-5.7 s, 22.0-23.8 s instead
      of 24.2-27.1 s.
    Afterwards the heap's free top goes back to the system. Nested or from several threads, the
    settings hold until the last one closes. Elsewhere than glibc this does nothing."""
    global _heap_depth
    libc = _glibc()
    if libc is None:
        yield
        return
    with _heap_lock:
        _heap_depth += 1
        if _heap_depth == 1:
            libc.mallopt(_M_MMAP_MAX, 0)
            libc.mallopt(_M_TRIM_THRESHOLD, 1 << 30)
    try:
        yield
    finally:
        with _heap_lock:
            _heap_depth -= 1
            if _heap_depth == 0:
                libc.mallopt(_M_MMAP_MAX, _DEFAULT_MMAP_MAX)
                libc.mallopt(_M_TRIM_THRESHOLD, _DEFAULT_TRIM_THRESHOLD)
                libc.malloc_trim(0)


def _glibc():
    """The C library if it is glibc (it has mallopt and malloc_trim), else None."""
    import ctypes
    import ctypes.util

    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        return libc if hasattr(libc, "mallopt") and hasattr(libc, "malloc_trim") else None
    except OSError:
        return None


def lp_rounding_order(key: np.ndarray, subset: np.ndarray, lp_values: np.ndarray) -> np.ndarray:
    """Priority per pair for the greedy that rounds the LP: LP value times the pair's own
    lexicographic key (coverage first, score second), then the key.

    Measured on the 20,000 x 10,000 benchmark with PDLP's approximate values: ordering by the
    value first and the weight second lost 0.6 % of the bound, value times weight 0.17 %
    (on 2,000 x 1,000 with exact simplex values both reach the optimum)."""
    out = np.zeros(len(key), dtype=np.float64)
    out[subset] = (lp_values + 1e-6) * key[subset]
    return out


def match_duals(keys: np.ndarray, values: np.ndarray, row_key: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(value per row, found per row) for rows named by `row_key`, from sorted `keys`; 0 if not found."""
    if not len(keys):
        return np.zeros(len(row_key)), np.zeros(len(row_key), dtype=bool)
    pos = np.clip(np.searchsorted(keys, row_key), 0, len(keys) - 1)
    found = keys[pos] == row_key
    return np.where(found, values[pos], 0.0), found


@dataclass
class LpStart:
    """Where a re-run's LP starts: the previous solution, and the previous duals by row key."""

    x: np.ndarray  # value per pair of the problem
    keys: np.ndarray  # sorted row keys ...
    y: np.ndarray  # ... their duals ...
    mu: np.ndarray  # ... and the coverage-row dual of their component (score LP)

    def point(self, cols: np.ndarray, row_key: np.ndarray, n_cols: int, coverage_row: bool):
        """(x per column, y per row) for a block's LP (helper columns start at 0)."""
        x = np.zeros(n_cols)
        x[:len(cols)] = self.x[cols]
        y, found = match_duals(self.keys, self.y, row_key)
        if coverage_row:
            mu, _ = match_duals(self.keys, self.mu, row_key)
            y = np.append(y, float(np.median(mu[found])) if found.any() else 0.0)
        return x, y


def best_headcount_duals(A, b: np.ndarray, lo: np.ndarray, c: np.ndarray, y: np.ndarray,
                         head: np.ndarray) -> np.ndarray:
    """`y` with the headcount rows' duals replaced by the best ones given all the others (see
    `HeadcountDuals`)."""
    return HeadcountDuals(A, b, lo, head)(c, y)


class HeadcountDuals:
    """The headcount rows' best duals given all the others: the certificate is then as small as
    these rows allow (exact, since a column lies in at most one headcount row). Why: a re-run's new
    vacancies have no previous dual, and with 0 each of their pairs would add its whole coverage
    to the bound. For a row with h places, p of them pinned, the certificate is
    h.y + sum over free columns of max(red_j - y, 0) - p.y + ...; its minimum is at the
    (h - p + 1)-th largest red_j (0 if there are fewer columns).
    The rows' entries are read from the matrix once: a column generation's rounds reuse them
    (measured on the wide national case, reading them again each round took 8.9 s of 343)."""

    def __init__(self, A, b: np.ndarray, lo: np.ndarray, head: np.ndarray):
        self.A, self.head = A, head
        coo = A.tocoo()
        in_head = head[coo.row]
        r, j = coo.row[in_head], coo.col[in_head]
        del coo, in_head
        pinned = lo[j] > 0
        # Per row (few): the places left after the pins; per entry (many) only row and column.
        self.places = b - np.bincount(r[pinned], minlength=len(b))
        order = np.argsort(r[~pinned], kind="stable")
        self.r, self.j = r[~pinned][order], j[~pinned][order]
        self.row_start = np.searchsorted(self.r, np.arange(len(b)))

    def __call__(self, c: np.ndarray, y: np.ndarray) -> np.ndarray:
        y = np.maximum(y, 0.0).copy()
        y[self.head] = 0.0
        red = (c - self.A.T @ y)[self.j]
        # Within each row (entries are by row), by reduced cost, largest first.
        order = by_key_then_score(self.r, red)
        rank = np.arange(len(order)) - self.row_start[self.r]
        places = self.places[self.r]
        at = order[(rank == places) & (places >= 0)]
        y[self.r[at]] = np.maximum(red[at], 0.0)
        return y


def polish_duals(A, b: np.ndarray, lo: np.ndarray, c: np.ndarray, y: np.ndarray, row_key: np.ndarray,
                 sweeps: int) -> np.ndarray:
    """`y` improved by exact coordinate descent on the certificate (`certified_bound` with the
    columns in [lo, 1]): each keyed row in turn gets the dual that makes the certificate smallest
    given all the others, so the bound never rises. Rows that share no column are done at once:
    the headcount rows (a column lies in one), then each candidate's rows by their rank among
    that candidate's (a column belongs to one candidate). Rows past `row_key` (the score LP's
    coverage row) keep their dual.
    Why: a re-run certifies its bound with the previous run's duals, and after a veto or a pin
    those are no longer the best near the change; the LP again costs seconds, a few sweeps a
    fraction of that. Along one row r the certificate is t.b_r + sum over its free columns of
    max(red_j - a_j t, 0) (pinned ones: red_j - a_j t), convex and piecewise linear in t, so its
    minimum is at t = 0 or at the breakpoint red_j / a_j where the slope turns >= 0."""
    n_keyed = len(row_key)
    y = np.maximum(y, 0.0).copy()
    kind, owner, _ = key_entities(row_key)
    color = np.zeros(n_keyed, dtype=np.int64)
    cand_rows = np.flatnonzero(np.isin(kind, POLISH_KINDS))
    order = np.argsort(owner[cand_rows], kind="stable")
    sorted_owner = owner[cand_rows][order]
    color[cand_rows[order]] = 1 + np.arange(len(order)) - np.searchsorted(sorted_owner, sorted_owner)
    n_active = int(color.max()) + 1 if n_keyed else 0
    # The clash rows keep their duals: one per small job and day, they would make hundreds of rounds.
    color[(kind != ROW_HEADCOUNT) & ~np.isin(kind, POLISH_KINDS)] = n_active
    n_colors = int(color.max()) + 1 if n_keyed else 0
    row_order = np.argsort(color, kind="stable")
    row_at = np.searchsorted(color[row_order], np.arange(n_colors + 1))
    # The entries by colour: the rows gathered in that order (measured at national scale, sorting
    # the entries themselves took 2 s of a 14.8 M-entry block's 2.3 s).
    by_color = A.tocsr()[row_order]
    pos = np.repeat(np.arange(n_keyed), np.diff(by_color.indptr))  # each entry's row in row_order
    r, j, a = row_order[pos], by_color.indices.astype(np.int64), by_color.data
    pinned = lo[j] > 0
    free_b = b[:n_keyed] - np.bincount(r[pinned], weights=a[pinned], minlength=n_keyed)
    pos, j, a = pos[~pinned], j[~pinned], a[~pinned]
    entry_at = np.searchsorted(pos, row_at)
    local_of = pos - row_at[color[row_order[pos]]]  # each entry's row among its colour's rows
    red = c - A.T @ y
    for _ in range(sweeps):
        for k in range(n_active):
            rows = row_order[row_at[k]:row_at[k + 1]]
            e = slice(entry_at[k], entry_at[k + 1])
            li, jj, aa = local_of[e], j[e], a[e]
            m = len(rows)
            t = (red[jj] + aa * y[rows][li]) / aa  # where column j's term turns on or off along its row
            # The slope just right of 0: b, less the columns still on there (a > 0), plus those
            # already on (a < 0, helpers).
            slope0 = (free_b[rows] - np.bincount(li, weights=aa * ((aa > 0) & (t > 0)), minlength=m)
                      - np.bincount(li, weights=aa * ((aa < 0) & (t <= 0)), minlength=m))
            # Past each positive breakpoint the slope rises by |a|: the first where it is >= 0.
            ahead = t > 0
            pl, pt, pa = li[ahead], t[ahead], np.abs(aa[ahead])
            o = by_key_then_score(pl, -pt)
            pl, pt, pa = pl[o], pt[o], pa[o]
            start = np.searchsorted(pl, np.arange(m))
            cum = np.cumsum(pa)
            before = np.concatenate([[0.0], cum])[start]
            reached = slope0[pl] + cum - before[pl] >= -1e-12
            n_short = np.bincount(pl[~reached], minlength=m)
            n_here = np.bincount(pl, minlength=m)
            new = np.where(slope0 >= -1e-12, 0.0, np.nan)
            found = np.isnan(new) & (n_short < n_here)
            new[found] = pt[start[found] + n_short[found]]
            old = y[rows]
            new = np.where(np.isnan(new), old, new)  # no minimum: the pins overfill the row
            y[rows] = new
            red[jj] -= aa * (new - old)[li]  # a column appears once among the rows of one colour
    return y


@dataclass
class WarmCertificate:
    """Bounds for blocks certified with another run's duals (a re-run's warm start)."""

    comp_ids: np.ndarray
    coverage_const: np.ndarray  # coverage bound per component
    quality_const: np.ndarray  # score bound per component at coverage floor C: const - mu x C
    quality_mu: np.ndarray
    dual_key: np.ndarray  # the duals used that are above zero, for the next run
    dual_coverage: np.ndarray
    dual_quality: np.ndarray
    dual_component: np.ndarray
    build_seconds: float
    # Per pair of the subset, when a solution was given: its share of each level's gap (`gap_shares`).
    coverage_share: np.ndarray | None = None
    quality_share: np.ndarray | None = None


def gap_shares(c, A, b, lo, hi, y, x) -> np.ndarray:
    """Per column: its share of the gap between the certificate with duals `y` and the solution
    `x` (per column, helper columns at 0). The gap is the sum over the columns of
    max(red lo, red hi) - red x (a column the certificate prices in and the solution lacks, or the
    other way round) plus over the rows of y (b - A x) (a priced row with room left), each row's
    part spread evenly over its columns. Where the shares are large, a local search can gain."""
    y = np.maximum(y, 0.0)
    red = c - A.T @ y
    share = np.maximum(red * lo, red * hi) - red * x
    n_rows = len(b)
    room = np.maximum(b - A @ x, 0.0) * y[:n_rows]
    # Each row's part to its columns: the transpose of A's pattern (ones) times the part per
    # entry. Measured on a national re-run, per-entry arrays instead took 0.7 s of 1.1 s.
    from scipy.sparse import csr_matrix

    A = A.tocsr()
    per_row = np.maximum(np.diff(A.indptr), 1)
    pattern = csr_matrix((np.ones(A.nnz), A.indices, A.indptr), shape=A.shape)
    share += pattern.T @ (room / per_row)
    return share


def warm_certificates(problem: MatchingProblem, pairs: Pairs, coverage: np.ndarray, quality: np.ndarray,
                      subset: np.ndarray, groups: list[DayGroup], component: np.ndarray, pinned: np.ndarray,
                      keys: np.ndarray, y_coverage: np.ndarray, y_quality: np.ndarray,
                      mu_of_key: np.ndarray, chosen: np.ndarray | None = None,
                      budget: Budget | None = None, score: bool = True) -> WarmCertificate:
    """Both levels' certificates for the pairs `subset`, per component, from given duals: `keys`
    (sorted row keys, in this problem's numbering) with their duals in the coverage and the score
    LP, and `mu_of_key` (the score LP's coverage-row dual of the component each row came from).
    With a solution `chosen` (bool per pair), also each pair's share of the gaps (`gap_shares`).
    No LP is solved: rows are built and matched to the keys, a row not found gets dual 0. Weak
    duality holds for any duals >= 0, so the bounds are valid whatever changed since. The score
    level also starts from the previous run's Lagrangian prices, and with a `budget` (the share
    of a first run's for these pairs) takes the price steps it allows (see WARM_PRICE_STEPS).
    With `score` False, the coverage level alone (the score bound infinite)."""
    steps = 0 if budget is None else budget.price_steps(PRICE_STEP_SHARE, len(subset), WARM_PRICE_STEPS)
    from scipy.sparse import csr_matrix

    block = block_numbers(component[subset])
    n_blocks = int(block.max()) + 1 if len(block) else 0
    members_of = split_by(block, n_blocks)
    groups_of = groups_by_block(problem, pairs, subset, block, groups, n_blocks)
    out: dict[str, list] = {k: [] for k in ("comp", "cov", "q", "mu", "key", "yc", "yq", "dc")}
    shares = None if chosen is None else (np.zeros(len(subset)), np.zeros(len(subset)))
    t = 0.0
    for k in range(n_blocks):
        started = time.perf_counter()
        cols = subset[members_of[k]]
        block_groups = [groups[i] for i in groups_of[k].tolist()]
        rows = build_rows(problem, pairs, cols, block_groups, component)
        A = csr_matrix((rows.val, (rows.row, rows.col)), shape=(len(rows.ub), rows.n_cols))
        b = rows.ub
        split = _Split(rows)
        t += time.perf_counter() - started
        n = len(cols)
        yc, found = match_duals(keys, y_coverage, rows.row_key)
        yq, _ = match_duals(keys, y_quality, rows.row_key)
        # One coverage row per block in the score LP: the dual most of its rows' components had.
        mus, _ = match_duals(keys, mu_of_key, rows.row_key)
        mu = float(np.median(mus[found])) if found.any() else 0.0
        lo, hi = np.zeros(A.shape[1]), np.ones(A.shape[1])
        lo[:n][np.isin(cols, pinned)] = 1.0
        head = (rows.row_key >> 60) == ROW_HEADCOUNT
        c = np.zeros(A.shape[1])
        c[:n] = coverage[cols]
        headcount_duals = HeadcountDuals(A, b, lo, head)  # both levels'
        yc = headcount_duals(c, yc)
        comps, cov_const, _, _, _ = split.certificate(c, A, b, lo, hi, yc)
        # Measured on the 20,000 x 10,000 re-run: the Lagrangian took 35,602 percent-days off the
        # biggest component's coverage bound (the run's coverage gap 0.148 % -> 0.129 %; after the
        # vertex step 0.036 % -> 0.017 %, so its coverage LP was no longer needed).
        search = pair_search(problem, pairs, cols, block_groups, lo[:n] > 0)  # both levels'
        cov_const, _ = tightened_constants(problem, pairs, cols, block_groups, A, b, yc, head, c[:n], c[:n], 0.0,
                                           lo[:n] > 0, split.col_component, split.row_component, comps, cov_const,
                                           search=search)
        if shares is not None:
            x = np.zeros(A.shape[1])
            x[:n] = chosen[cols]
            shares[0][members_of[k]] = gap_shares(c, A, b, lo, hi, yc, x)[:n]
        if not score:
            keep = np.flatnonzero(yc > 1e-9)
            out["comp"].append(comps)
            out["cov"].append(cov_const)
            out["q"].append(np.full(len(comps), np.inf))
            out["mu"].append(np.zeros(len(comps)))
            out["key"].append(rows.row_key[keep])
            out["yc"].append(yc[keep])
            out["yq"].append(np.zeros(len(keep)))
            out["dc"].append(split.row_component[keep])
            continue
        # Score: the coverage row -coverage.x <= -C has dual mu, so each column's objective gains
        # mu x coverage and the constant leaves out -mu x C (see Relaxation).
        c[:n] = quality[cols] + mu * coverage[cols]
        # Only the score level's duals are polished: where coverage falls short, its LP runs
        # again anyway (`matching.solve._warm_big`). Not on a block past PRICE_STEP_MIN_COLUMNS:
        # there the Lagrangian from the kept prices gives the bound, and the headcount rows'
        # best duals are enough for a new vacancy's price (see POLISH_SWEEPS).
        if n > PRICE_STEP_MIN_COLUMNS:
            yq = headcount_duals(c, yq)
        else:
            yq = polish_duals(A, b, lo, c, yq, rows.row_key, POLISH_SWEEPS)
        _, q_const, _, _, _ = split.certificate(c, A, b, lo, hi, yq)
        if shares is not None:
            shares[1][members_of[k]] = gap_shares(c, A, b, lo, hi, yq, x)[:n]
        # The last run's Lagrangian prices where it stepped them (`ROW_PRICE`), these duals
        # elsewhere: a new vacancy's row has no price, and at 0 every candidate near it would
        # take it (measured at 20,000 x 10,000: the stepped prices alone, 9,425 points looser).
        kept, stepped = match_duals(keys, y_quality, price_keys(rows.row_key))
        q_const, prices = tightened_constants(
            problem, pairs, cols, block_groups, A, b, yq, head, quality[cols].astype(np.float64),
            coverage[cols].astype(np.float64), mu, lo[:n] > 0, split.col_component, split.row_component, comps,
            q_const, steps=steps if n > PRICE_STEP_MIN_COLUMNS else 0,
            start=np.where(stepped, kept, yq) if (stepped & head).any() else None, target=WARM_PRICE_STEP_TARGET,
            search=search)
        out["comp"].append(comps)
        out["cov"].append(cov_const)
        out["q"].append(q_const)
        out["mu"].append(np.full(len(comps), mu))
        keep = np.flatnonzero((yc > 1e-9) | (yq > 1e-9))
        used = (rows.row_key[keep], yq[keep], split.row_component[keep])
        if prices is not None:
            used = split.with_prices(*used, prices)
        out["key"].append(used[0])
        out["yc"].append(np.concatenate([yc[keep], np.zeros(len(used[0]) - len(keep))]))
        out["yq"].append(used[1])
        out["dc"].append(used[2])
    return WarmCertificate(
        _concat(out["comp"], np.int64), _concat(out["cov"]), _concat(out["q"]), _concat(out["mu"]),
        _concat(out["key"], np.int64), _concat(out["yc"]), _concat(out["yq"]), _concat(out["dc"], np.int64), t,
        *(shares or (None, None)))
