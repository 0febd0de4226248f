"""A big block's solution improved from a vertex of its score LP: the fractional part solved exactly.

Why (measured on the 20,000 x 10,000 benchmark's biggest block, 392,383 pairs): PDLP's solution
of the score LP is spread thin (4,144 values between 0.1 and 0.5), so its rounding and the
hand-out reached 808,719 score where the LP allows 864,574 (HiGHS' interior point with crossover,
489 s). A vertex is nearly whole (3,288 fractional values) and whole values of a vertex are
mostly right: with them fixed, HiGHS' MIP solved the rest to 864,141 score at more coverage.
Getting the vertex cheaply: the dual simplex over the columns that matter (the proposal, and
every pair either LP gave more than VERTEX_SUPPORT) took 8.6 s for 82,541 columns, value 864,034,
1,891 fractional; the MIP over the candidates and vacancies those touch (16,158 pairs) then took
1.5 s for coverage and 6.6 s for score: 863,724 score, coverage 4,850 percent-days above the
proposal's. Coverage stays first: the MIP first maximises coverage, then score with that held,
and the caller keeps the result only where it is lexicographically better.

Where those columns are too many for one simplex (the wide national benchmark's 9.8 M-pair block),
the step runs by region: candidates ordered by place, cut into pieces of about 100,000 columns, each
solved with everyone else's jobs held. Measured there: 4 pieces, 8-10 s each, +127,000 score at
the same coverage, score gap 2.77 % -> 0.95 %; with a fifth piece 0.41 %.

A re-run does the same around its changes (`polish_around`): all the pairs of the candidates near
them, everyone else's jobs held.

Reproducible: the simplex runs to the end and the MIP stops at a node limit; the wall clock is
only a safety stop (which the budget records).
"""

from __future__ import annotations

import dataclasses

import numpy as np

from matching.budget import Budget
from matching.eligibility import Pairs
from matching.model import DayGroup
from matching.problem import MatchingProblem

VERTEX_SUPPORT = 0.01  # an LP value above this puts the pair among the vertex LP's columns
VERTEX_MAX_COLUMNS = 150_000  # above, the dual simplex would take too long (8.6 s at 82,541)
# Bigger blocks are done by region (`_by_region`): pieces of about this many columns (whole
# candidates), each with everyone else's jobs held, the pieces where the LP and the solution differ
# most first, while the block's allowance of columns (per second of budget) lasts.
VERTEX_PIECE_COLUMNS = 100_000
# Measured on the wide national case (240 s budget): 2,000 gave 4 pieces and score gap 0.978 %,
# 2,500 one piece more (7 s) and 0.407 %.
VERTEX_COLUMNS_PER_SECOND = 2_500
# The exact score LP (`_exact_score_lp`) on blocks above this many pairs: those whose LP was
# PDLP's (`relax.SIMPLEX_MAX_COLUMNS`); below, the simplex already gave exact duals. At most
# EXACT_LP_ROUNDS simplex solves (on the 20,000 x 10,000 benchmark it needed 4, the last adding nothing).
EXACT_LP_MIN_COLUMNS = 60_000
# Blocks take it, biggest first, while their pairs fit in this many per second of budget and in all
# (counts, so runs stay reproducible): at 20,000 x 10,000 (60 s) the biggest block's 392,537 pairs
# fit. Measured at national scale (240 s budget, 242 s without it that day): all its PDLP blocks took
# 125 s more (score gap 0.114 % -> 0.045 %), 1.68 M pairs of them 61 s (0.082 %).
EXACT_LP_PAIRS_PER_SECOND = 7_000
EXACT_LP_MAX_PAIRS = 400_000
EXACT_LP_ROUNDS = 6
REDUCED_COST_TOLERANCE = 1e-7
PRICED_SLACK = 2.0  # score points: see `_exact_score_lp`
MIP_NODES = 2_000  # per level; HiGHS needed a few hundred on the benchmark's block
# The MIP's relative gaps: coverage to within a few percent-days (it comes first), score to 1e-4
# (86 points on the benchmark's block; at 1e-6 both levels took 22 s there, at these 8 s, same score).
COVERAGE_GAP, SCORE_GAP = 1e-6, 1e-4
# `coverage_first`: the score LP's coverage floor, relative to the coverage LP's optimum.
COVERAGE_FLOOR_SLACK = 1e-7


def vertex_polish(problem: MatchingProblem, pairs: Pairs, coverage: np.ndarray, quality: np.ndarray,
                  cols: np.ndarray, chosen: np.ndarray, support: np.ndarray, groups: list[DayGroup],
                  component: np.ndarray, pinned: np.ndarray, budget: Budget, lp_duals: VertexDuals | None = None,
                  exact: bool = True) -> tuple[np.ndarray | None, bool, VertexDuals | None]:
    """(A solution for the block's pairs `cols` with at least the coverage of `chosen` (bool per
    column) and, where the MIP finds it, more score, or None when the step does not apply (no
    time) or finds nothing; whether the step was tried on the whole block, whatever it found;
    for a block above EXACT_LP_MIN_COLUMNS solved in one piece, with `exact`, the exact score LP's
    duals (`_exact_score_lp`, which starts from the pairs that `lp_duals`, the block's score LP's,
    price near or above 0), else None). `support` (bool per column): pairs an LP gave weight."""
    keep = chosen | support | np.isin(cols, pinned)
    if _out_of_time(budget):
        return None, False, None
    kept = cols[keep]
    duals = None
    if len(kept) > VERTEX_MAX_COLUMNS:
        best, whole = _by_region(problem, pairs, coverage, quality, kept, chosen[keep], support[keep], groups,
                                 component, pinned, budget)
        best = None if best is None else np.flatnonzero(keep)[best]
    elif exact and len(cols) > EXACT_LP_MIN_COLUMNS:
        best, duals = _exact_score_lp(problem, pairs, coverage, quality, cols, keep, chosen, groups, component,
                                      pinned, budget, lp_duals)
        whole = True
    else:
        best = _polish(problem, pairs, coverage, quality, kept, chosen[keep], _restricted(groups, kept), component,
                       pinned, budget, problem.vacancies.headcount)
        best = None if best is None else np.flatnonzero(keep)[best]
        whole = True
    if best is None:
        return None, whole, duals
    out = np.zeros(len(cols), dtype=bool)
    out[best] = True
    return out, whole, duals


def polish_around(problem: MatchingProblem, pairs: Pairs, coverage: np.ndarray, quality: np.ndarray,
                  piece: np.ndarray, chosen: np.ndarray, groups: list[DayGroup], component: np.ndarray,
                  pinned: np.ndarray, budget: Budget) -> np.ndarray | None:
    """The vertex step on all the pairs `piece` (a re-run's pairs near its changes) with every
    other pair of `chosen` (bool per pair of the problem) held: bool per pair of `piece` with at
    least the coverage `chosen` has there, or None (no time, or nothing found). The coverage LP
    comes first (`_polish`'s `coverage_first`): a repaired solution is often well short of the
    coverage the piece allows."""
    if _out_of_time(budget):
        return None
    n_vac = len(problem.vacancies)
    held = (np.bincount(pairs.vac[chosen], minlength=n_vac)
            - np.bincount(pairs.vac[piece[chosen[piece]]], minlength=n_vac))
    return _polish(problem, pairs, coverage, quality, piece, chosen[piece], _restricted(groups, piece), component,
                   pinned, budget, problem.vacancies.headcount - held, coverage_first=True)


def _out_of_time(budget: Budget) -> bool:
    """The wall-clock safety stop; in deterministic mode, stopping there makes the run not reproducible."""
    if budget.wall_left() > 1.0:
        return False
    budget.cut_by_clock |= budget.deterministic
    return True


def _by_region(problem, pairs, coverage, quality, kept, start, support, groups, component, pinned,
               budget: Budget) -> tuple[np.ndarray | None, bool]:
    """`_polish` piece by piece: candidates ordered by place and cut into pieces of about
    VERTEX_PIECE_COLUMNS kept pairs; each piece solved with every other candidate's jobs held (their
    places taken out of the headcount), so a piece's better solution is the block's too. The pieces
    where the LP gave most score to pairs the solution lacks go first, while the block's column
    allowance lasts. (Bool per kept pair, or None if no piece improved; whether every piece was tried.)"""
    lat, lon = problem.candidates.lat, problem.candidates.lon
    cand, vac = pairs.cand[kept], pairs.vac[kept]
    cands, per_cand = np.unique(cand, return_counts=True)
    order = np.lexsort((cands, lon[cands].round(2), lat[cands].round(1)))
    cands, per_cand = cands[order], per_cand[order]
    cuts = np.flatnonzero(np.diff(np.cumsum(per_cand) // VERTEX_PIECE_COLUMNS)) + 1
    piece_of_cand = np.full(len(problem.candidates), -1, dtype=np.int64)
    for i, part in enumerate(np.split(cands, cuts)):
        piece_of_cand[part] = i
    piece = piece_of_cand[cand]
    n_pieces = len(cuts) + 1
    missed = np.bincount(piece, weights=quality[kept] * (support & ~start), minlength=n_pieces)
    group_piece = piece_of_cand[np.fromiter((g.candidate for g in groups), dtype=np.int64, count=len(groups))]
    by_piece = np.argsort(group_piece, kind="stable")
    group_cuts = np.searchsorted(group_piece[by_piece], np.arange(n_pieces + 1))
    n_vac = len(problem.vacancies)
    current = start.copy()
    taken = np.bincount(vac[current], minlength=n_vac)
    columns_left = VERTEX_COLUMNS_PER_SECOND * budget.seconds
    improved, whole = False, True
    for i in np.argsort(-missed, kind="stable").tolist():
        mine = np.flatnonzero(piece == i)
        if _out_of_time(budget):
            whole = False
            break
        if len(mine) > columns_left:
            whole = False
            continue
        columns_left -= len(mine)
        sub, old = kept[mine], current[mine]
        room = problem.vacancies.headcount - taken + np.bincount(vac[mine[old]], minlength=n_vac)
        piece_groups = _restricted([groups[g] for g in by_piece[group_cuts[i]:group_cuts[i + 1]].tolist()], sub)
        new = _polish(problem, pairs, coverage, quality, sub, old, piece_groups, component, pinned, budget, room)
        if new is None:
            continue
        levels_new = (coverage[sub[new]].sum(), quality[sub[new]].sum())
        if levels_new > (coverage[sub[old]].sum(), quality[sub[old]].sum()):
            taken += np.bincount(vac[mine[new]], minlength=n_vac) - np.bincount(vac[mine[old]], minlength=n_vac)
            current[mine] = new
            improved = True
    return (current if improved else None), whole


def _polish(problem, pairs, coverage, quality, sub, start, groups, component, pinned, budget: Budget,
            headcount, coverage_first: bool = False) -> np.ndarray | None:
    """The vertex step on the pairs `sub` (with `groups` cut to them): bool per pair of `sub`
    with at least the coverage of `start`, or None. `coverage_first`: the score LP holds the
    coverage LP's optimum, not only the coverage of `start` (for a start that may be well short
    of it, as a re-run's repaired solution is)."""
    from scipy.optimize import linprog
    from scipy.sparse import csr_matrix, vstack

    from matching.relax import build_rows

    n = len(sub)
    # Rows over the kept pairs only (the others are 0): on the wide national case, rows over
    # the whole block took the run past 8 GiB.
    rows = build_rows(problem, pairs, sub, groups, component, headcount)
    A = csr_matrix((rows.val, (rows.row, rows.col)), shape=(len(rows.ub), rows.n_cols))
    cov = np.zeros(A.shape[1])
    cov[:n] = coverage[sub]
    score = np.zeros(A.shape[1])
    score[:n] = quality[sub]
    floor = start_floor = float(coverage[sub[start]].sum())
    lo, hi = np.zeros(A.shape[1]), np.ones(A.shape[1])
    lo[:n][np.isin(sub, pinned)] = 1.0
    if coverage_first:
        # The score LP's vertex, taken among the coverage LP's optima (its floor a hair below, for
        # rounding in the solver), so that the whole values it fixes leave room for the most coverage.
        most = linprog(-cov, A_ub=A, b_ub=rows.ub, bounds=np.stack([lo, hi], axis=1), method="highs-ds",
                       options={"time_limit": max(budget.wall_left(), 0.1), "presolve": True})
        if most.status != 0 or most.x is None:
            budget.cut_by_clock |= most.status == 1
            return None
        floor = max(floor, -most.fun * (1 - COVERAGE_FLOOR_SLACK))

    lp = linprog(-score, A_ub=vstack([A, csr_matrix(-cov[None, :])], format="csr"), b_ub=np.append(rows.ub, -floor),
                 bounds=np.stack([lo, hi], axis=1), method="highs-ds",
                 options={"time_limit": max(budget.wall_left(), 0.1), "presolve": True})
    if lp.status != 0 or lp.x is None:
        budget.cut_by_clock |= lp.status == 1
        return None
    return _solve_fractional(A, rows.ub, lo, hi, lp.x[:n], sub, cov, score, pairs, pinned, start_floor, budget)


@dataclasses.dataclass
class VertexDuals:
    """The exact score LP's duals of a block (`_exact_score_lp`), for its certificate."""

    keys: np.ndarray  # sorted row keys (`relax.row_keys`) ...
    y: np.ndarray  # ... their duals, >= 0
    mu: float  # the coverage row's dual


def _exact_score_lp(problem, pairs, coverage, quality, cols, keep, chosen, groups, component, pinned,
                    budget: Budget, lp_duals: VertexDuals | None) -> tuple[np.ndarray | None, VertexDuals | None]:
    """The vertex step on a PDLP block (all its pairs `cols`, `keep` the vertex step's columns,
    `chosen` the solution; bool per pair of `cols`), its score LP solved exactly: the simplex
    (highspy) on the kept columns with the rows of the whole block, then column generation, the
    block's pairs with a positive reduced cost added and the LP solved again from its basis,
    until none is left or EXACT_LP_ROUNDS. (Positions in `cols` of the MIP's solution or None;
    the last LP's duals or None.)

    Why: PDLP's duals certify a bound well above the LP's optimum, and the kept columns alone
    miss pairs the optimum uses. Measured on the 20,000 x 10,000 benchmark's biggest block
    (392,537 pairs, 82,265 kept): the kept LP 862,897; its duals certify 866,946 over the whole
    block (PDLP's certificate 864,960); the rounds add 7,078, 308, 23 and 2 pairs: LP 863,757,
    certificate 863,639 (the Lagrangian, `relax.warm_certificates`, is below the LP). Starting
    also from the 25,449 pairs PDLP's duals price above -PRICED_SLACK took 14 s, not 26."""
    import highspy
    from scipy.sparse import csc_matrix

    from matching.relax import build_rows

    rows = build_rows(problem, pairs, cols, groups, component)
    m, n_cols, n = len(rows.ub), rows.n_cols, len(cols)
    cov, score = np.zeros(n_cols), np.zeros(n_cols)
    cov[:n], score[:n] = coverage[cols], quality[cols]
    start_floor = float(coverage[cols[chosen]].sum())
    # The coverage row (-coverage.x <= -C) last: its dual is the certificate's mu.
    A = csc_matrix((np.append(rows.val, -cov[:n]), (np.append(rows.row, np.full(n, m)),
                                                    np.append(rows.col, np.arange(n)))), shape=(m + 1, n_cols))
    ub = np.append(rows.ub, -start_floor)
    lo, hi = np.zeros(n_cols), np.ones(n_cols)
    lo[:n][np.isin(cols, pinned)] = 1.0
    h = _quiet_highs()
    h.setOptionValue("random_seed", 0)
    h.addRows(m + 1, np.full(m + 1, -highspy.kHighsInf), ub, 0, np.zeros(m + 1, np.int32), np.zeros(0, np.int32),
              np.zeros(0))
    in_model = np.zeros(n_cols, dtype=bool)

    def add(new: np.ndarray) -> None:
        part = A[:, new]
        h.addCols(len(new), -score[new], lo[new], hi[new], part.nnz, part.indptr[:-1].astype(np.int32),
                  part.indices.astype(np.int32), part.data)
        in_model[new] = True

    start = keep.copy()
    if lp_duals is not None:
        from matching.relax import match_duals

        y_lp, _ = match_duals(lp_duals.keys, lp_duals.y, rows.row_key)
        start |= (score[:n] + lp_duals.mu * cov[:n] - (A[:m].T @ y_lp)[:n]) > -PRICED_SLACK
    add(np.concatenate([np.flatnonzero(start), np.arange(n, n_cols)]))  # helper columns always
    y = first = None
    for _ in range(EXACT_LP_ROUNDS):
        if _out_of_time(budget):
            break
        h.setOptionValue("time_limit", max(budget.wall_left(), 0.1))
        h.run()
        if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            budget.cut_by_clock |= h.getModelStatus() == highspy.HighsModelStatus.kTimeLimit
            break
        solution = h.getSolution()
        y = np.maximum(-np.asarray(solution.row_dual), 0.0)
        if first is None:  # the kept columns' vertex, for the MIP below
            first = (np.flatnonzero(start), np.asarray(solution.col_value)[:int(start.sum())])
        new = np.flatnonzero((score - A.T @ y > REDUCED_COST_TOLERANCE) & ~in_model)
        if not len(new):
            break
        add(new)
        # Added columns start at 0, so the basis stays primal feasible: the primal simplex goes
        # on from it (measured: 6,363 iterations, where the dual simplex took 22,059).
        h.setOptionValue("simplex_strategy", 4)
    if y is None:
        return None, None
    sorted_keys = np.argsort(rows.row_key, kind="stable")
    duals = VertexDuals(rows.row_key[sorted_keys], y[:m][sorted_keys], float(y[m]))
    # The solution from the kept columns' vertex, as before the rounds: the MIP over the last
    # vertex's fractional part found 699 more score on the block above but took 21 s, not 5.
    pair_cols, x = first
    mip_cols = np.concatenate([pair_cols, np.arange(n, n_cols)])
    found = _solve_fractional(A[:m, mip_cols].tocsr(), rows.ub, lo[mip_cols], hi[mip_cols], x, cols[pair_cols],
                              cov[mip_cols], score[mip_cols], pairs, pinned, start_floor, budget)
    return (None if found is None else pair_cols[found]), duals


def _quiet_highs():
    """A HiGHS instance that prints nothing: `highspy.Highs()` prints its banner to standard output
    once per process before any option can be set (it would end up in the CLI's output)."""
    import highspy

    make = getattr(getattr(highspy, "_core", None), "_Highs", highspy.Highs)
    h = make()
    h.setOptionValue("output_flag", False)
    return h


def _solve_fractional(A, ub, lo, hi, x, sub, cov, score, pairs: Pairs, pinned, start_floor: float,
                      budget: Budget) -> np.ndarray | None:
    """The MIP over the LP vertex's fractional part: max coverage, then score with it held. `A`
    (rows `ub`) has the pairs `sub` as its first columns (LP values `x`) and helper columns after;
    `cov`, `score`, `lo`, `hi` per column. Pairs whose candidate and vacancy have no fractional
    value keep their whole LP value. Bool per pair of `sub` with at least `start_floor` coverage,
    or None."""
    from scipy.optimize import Bounds, LinearConstraint, milp
    from scipy.sparse import csr_matrix, vstack

    n = len(sub)
    fractional = (x > 1e-6) & (x < 1 - 1e-6)
    cand, vac = pairs.cand[sub], pairs.vac[sub]
    free = np.isin(cand, cand[fractional]) | np.isin(vac, vac[fractional])
    lo, hi = lo.copy(), hi.copy()
    lo[:n][~free] = hi[:n][~free] = np.round(x[~free])
    lo[:n][np.isin(sub, pinned)] = 1.0
    integer = np.zeros(A.shape[1])
    integer[:n] = 1

    def mip(objective, gap, floor=None):
        matrix, lower, upper = A, np.full(len(ub), -np.inf), ub
        if floor is not None:  # coverage held
            matrix = vstack([A, csr_matrix(cov[None, :])], format="csr")
            lower, upper = np.append(lower, floor), np.append(upper, np.inf)
        res = milp(-objective, constraints=LinearConstraint(matrix, lower, upper), bounds=Bounds(lo, hi),
                   integrality=integer, options={"time_limit": max(budget.wall_left(), 0.1),
                                                 "node_limit": MIP_NODES, "mip_rel_gap": gap})
        budget.cut_by_clock |= res.status == 1 and "time" in str(res.message).lower()
        return None if res.x is None else np.round(res.x).astype(bool)

    first = mip(cov, COVERAGE_GAP)
    if first is None or cov @ first < start_floor:
        return None
    second = mip(score, SCORE_GAP, float(cov @ first))
    return (second if second is not None else first)[:n]


def _restricted(groups: list[DayGroup], sub: np.ndarray) -> list[DayGroup]:
    """The critical-day groups with their pairs cut to `sub`; groups left with one pair go."""
    if not groups:
        return []
    sizes = np.array([len(g.pairs) for g in groups], dtype=np.int64)
    members = np.concatenate([g.pairs for g in groups])
    inside = np.isin(members, sub)
    owner = np.repeat(np.arange(len(groups)), sizes)[inside]
    parts = np.split(members[inside], np.cumsum(np.bincount(owner, minlength=len(groups)))[:-1])
    return [dataclasses.replace(g, pairs=p) for g, p in zip(groups, parts) if len(p) >= 2]
