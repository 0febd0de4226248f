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
# A re-run's exact LP (`exact_again`) adds rows as they are violated, and columns (`_ScoreLp`), in
# at most this many solves (it stops earlier once nothing is violated or priced in). Measured on 6
# sets of 50 decisions at 20,000 x 10,000 (session 18): with at most 3 solves the score gaps were
# 0.076-0.127 % (2 sets above the first run's 0.094 %: their LP stopped with rows still violated,
# and its certificate was up to 574 points above its value); with 8, 0.071-0.082 % (all 6 below),
# in about 1 s more (0-1.7 s); with 4 or 5 the gaps moved both ways (0.078-0.117 %).
EXACT_AGAIN_SOLVES = 8
# ... and stops once a solve lowered the LP's certificate (`_ScoreLp.certificate`) by less than this
# share of it: the rows still added then hardly move the bound. Measured on those 6 sets (session 19):
# the certificate fell by about 100,000, 27,000, 32 and 4 points in solves 2-5, then by 0-1 point in
# up to 3 more solves; stopping there took 0.3-0.8 s off each re-run (6-12 %), and 0-25 score points.
EXACT_AGAIN_CERT_STEP = 2e-6
# ... with coverage priced at this many times the previous run's coverage-row dual: coverage comes
# first, and a higher price keeps the LP's solution near the most coverage the changes allow.
# Measured on 4 sets of 50 decisions at 20,000 x 10,000: at 1x coverage gaps 0.016-0.025 % and
# score gaps 0.079-0.109 %; at 4x 0.011-0.016 % and 0.077-0.103 % (the first run: 0.025 % / 0.084 %).
COVERAGE_PRICE_FACTOR = 4.0
ROW_TOLERANCE = 1e-7
PRICED_SLACK = 2.0  # score points: see `_exact_score_lp`
MIP_NODES = 2_000  # per level; HiGHS needed a few hundred on the benchmark's block
# The MIP's relative gaps: coverage to within a few percent-days (it comes first), score to 1e-4
# (86 points on the benchmark's block; at 1e-6 both levels took 22 s there, at these 8 s, same score).
COVERAGE_GAP, SCORE_GAP = 1e-6, 1e-4
# `coverage_first`: the score LP's coverage floor, relative to the coverage LP's optimum.
COVERAGE_FLOOR_SLACK = 1e-7
LOWER, BASIC, UPPER = 0, 1, 2  # HiGHS' basis status codes (`highspy.HighsBasisStatus`)


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
    return _polish(problem, pairs, coverage, quality, piece, chosen[piece], _restricted(groups, piece), component,
                   pinned, budget, problem.vacancies.headcount - _held(problem, pairs, chosen, piece),
                   coverage_first=True)


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

    n = len(sub)
    rows, A, cov, score, lo, hi = _pair_rows(problem, pairs, coverage, quality, sub, groups, component, pinned,
                                             headcount)
    floor = start_floor = float(coverage[sub[start]].sum())
    if coverage_first:
        # The score LP's vertex, taken among the coverage LP's optima (its floor a hair below, for
        # rounding in the solver), so that the whole values it fixes leave room for the most coverage.
        most = _most_coverage(A, rows.ub, cov, lo, hi, budget)
        if most is None:
            return None
        floor = max(floor, most * (1 - COVERAGE_FLOOR_SLACK))

    lp = linprog(-score, A_ub=vstack([A, csr_matrix(-cov[None, :])], format="csr"), b_ub=np.append(rows.ub, -floor),
                 bounds=np.stack([lo, hi], axis=1), method="highs-ds",
                 options={"time_limit": max(budget.wall_left(), 0.1), "presolve": True})
    if lp.status != 0 or lp.x is None:
        budget.cut_by_clock |= lp.status == 1
        return None
    return _solve_fractional(A, rows.ub, lo, hi, lp.x[:n], sub, cov, score, pairs, pinned, start_floor, budget)


def _most_coverage(A, ub, cov, lo, hi, budget: Budget) -> float | None:
    """The coverage LP's optimum over `A` x <= `ub` (the dual simplex), or None (no time)."""
    from scipy.optimize import linprog

    most = linprog(-cov, A_ub=A, b_ub=ub, bounds=np.stack([lo, hi], axis=1), method="highs-ds",
                   options={"time_limit": max(budget.wall_left(), 0.1), "presolve": True})
    if most.status != 0 or most.x is None:
        budget.cut_by_clock |= most.status == 1
        return None
    return float(-most.fun)


def _held(problem, pairs, chosen: np.ndarray, piece: np.ndarray) -> np.ndarray:
    """Per vacancy, the places `chosen` (bool per pair) takes outside the pairs `piece`."""
    n_vac = len(problem.vacancies)
    return (np.bincount(pairs.vac[chosen], minlength=n_vac)
            - np.bincount(pairs.vac[piece[chosen[piece]]], minlength=n_vac))


def _pair_rows(problem, pairs, coverage, quality, sub, groups, component, pinned, headcount):
    """The rows over the pairs `sub` (with the places `headcount`) as a csr matrix, and per column
    coverage, score and bounds (pins at 1; helper columns after the pairs). Rows over these pairs
    only (the others are 0): on the wide national case, rows over the whole block took the run
    past 8 GiB."""
    from scipy.sparse import csr_matrix

    from matching.relax import build_rows

    n = len(sub)
    rows = build_rows(problem, pairs, sub, groups, component, headcount)
    A = csr_matrix((rows.val, (rows.row, rows.col)), shape=(len(rows.ub), rows.n_cols))
    cov, score = np.zeros(A.shape[1]), np.zeros(A.shape[1])
    cov[:n], score[:n] = coverage[sub], quality[sub]
    lo, hi = np.zeros(A.shape[1]), np.ones(A.shape[1])
    lo[:n][np.isin(sub, pinned)] = 1.0
    return rows, A, cov, score, lo, hi


def _solve_whole(problem, pairs, coverage, quality, sub, start, groups, component, pinned, budget: Budget,
                 headcount) -> np.ndarray | None:
    """The MIP over all the pairs `sub` (`groups` cut to them, the places `headcount`), coverage
    first: bool per pair of `sub` with at least the coverage of `start`, or None."""
    rows, A, cov, score, lo, hi = _pair_rows(problem, pairs, coverage, quality, sub, groups, component, pinned,
                                             headcount)
    return _solve_fractional(A, rows.ub, lo, hi, None, sub, cov, score, pairs, pinned,
                             float(coverage[sub[start]].sum()), budget)


@dataclasses.dataclass
class LpBasis:
    """The exact score LP's last basis (`_ScoreLp`), by key, so that a re-run's LP can start from
    it (`exact_again`): HiGHS' status codes of its pair columns (by candidate and vacancy), of its
    helper columns (by the key of their helper row) and of its rows that are not basic (by
    `relax.row_keys`). Columns the basis does not name start at their lower bound, rows basic."""

    cand: np.ndarray  # int64 per pair column in the model
    vac: np.ndarray
    pair_status: np.ndarray  # int8
    helper_key: np.ndarray  # int64 per helper column in the model
    helper_status: np.ndarray
    row_key: np.ndarray  # int64 per row that is not basic
    row_status: np.ndarray

    @classmethod
    def empty(cls) -> LpBasis:
        i, s = np.zeros(0, np.int64), np.zeros(0, np.int8)
        return cls(i, i, s, i, s, i, s)

    @classmethod
    def concat(cls, parts: list[LpBasis]) -> LpBasis:
        if not parts:
            return cls.empty()
        return cls(*(np.concatenate([getattr(b, f.name) for b in parts]) for f in dataclasses.fields(cls)))

    def without(self, cands: np.ndarray, vacs: np.ndarray) -> LpBasis:
        """Without the columns and rows of the candidates `cands` and vacancies `vacs` (a block
        whose LP was solved again): a block's pairs are of its candidates, its rows of its
        candidates or (headcount rows) of its vacancies."""
        from matching.relax import ROW_HEADCOUNT, key_entities

        def kept(keys: np.ndarray) -> np.ndarray:
            kind, a, _ = key_entities(keys)
            return ~np.where(kind == ROW_HEADCOUNT, np.isin(a, vacs), np.isin(a, cands))

        pair, helper, row = ~np.isin(self.cand, cands), kept(self.helper_key), kept(self.row_key)
        return LpBasis(self.cand[pair], self.vac[pair], self.pair_status[pair], self.helper_key[helper],
                       self.helper_status[helper], self.row_key[row], self.row_status[row])

    def mapped(self, cand_map: np.ndarray, vac_map: np.ndarray) -> LpBasis:
        """In another run's numbering (`matching.warm`): what is gone there drops out."""
        from matching.relax import rekey

        cand, vac = cand_map[self.cand], vac_map[self.vac]
        ok = (cand >= 0) & (vac >= 0)
        helper, row = rekey(self.helper_key, cand_map, vac_map), rekey(self.row_key, cand_map, vac_map)
        return LpBasis(cand[ok], vac[ok], self.pair_status[ok], helper[helper >= 0], self.helper_status[helper >= 0],
                       row[row >= 0], self.row_status[row >= 0])


@dataclasses.dataclass
class VertexDuals:
    """The exact score LP's duals of a block (`_exact_score_lp`), for its certificate."""

    keys: np.ndarray  # sorted row keys (`relax.row_keys`) ...
    y: np.ndarray  # ... their duals, >= 0
    mu: float  # the coverage row's dual
    basis: LpBasis | None = None  # the LP's last basis, for a re-run
    # The certificate over all the block's columns: score <= const - mu x C at coverage C or more.
    const: float = float("inf")


class _ScoreLp:
    """The score LP of a block (its pairs `cols`, the block's rows) with the coverage row
    -coverage.x <= -floor, in HiGHS, its pair columns added as needed: the block's pairs with a
    positive reduced cost are added and the LP solved again from its basis, until none is left
    or EXACT_LP_ROUNDS (column generation; helper columns are always in). With `all_rows` False
    (a re-run's, `start_from`), its rows too: it starts from the rows the previous basis names,
    adds the rows its solution violates and, with new columns, the rows they touch that are
    tight, until none is violated (measured on the 20,000 x 10,000 re-run's changed block:
    3.7 s, where all 415,445 rows from the start took 5.4 s; the same optimum)."""

    def __init__(self, problem, pairs, coverage, quality, cols, groups, component, pinned, floor: float,
                 all_rows: bool = True):
        from scipy.sparse import csc_matrix

        from matching.relax import build_rows

        self.rows = rows = build_rows(problem, pairs, cols, groups, component)
        self.cols, self.pairs = cols, pairs
        m, n_cols, n = len(rows.ub), rows.n_cols, len(cols)
        self.m, self.n = m, n
        self.cov, self.score = np.zeros(n_cols), np.zeros(n_cols)
        self.cov[:n], self.score[:n] = coverage[cols], quality[cols]
        self.mu = 0.0
        self.obj = self.score
        # The coverage row last: its dual is the certificate's mu.
        self.A = csc_matrix((np.append(rows.val, -self.cov[:n]), (np.append(rows.row, np.full(n, m)),
                                                                  np.append(rows.col, np.arange(n)))),
                            shape=(m + 1, n_cols))
        self.A_rows = None if all_rows else self.A.tocsr()
        self.ub = np.append(rows.ub, -floor)
        self.lo, self.hi = np.zeros(n_cols), np.ones(n_cols)
        self.lo[:n][np.isin(cols, pinned)] = 1.0
        self.h = _quiet_highs()
        self.h.setOptionValue("random_seed", 0)
        self.in_model = np.zeros(n_cols, dtype=bool)
        self.order = np.zeros(0, dtype=np.int64)  # block columns in the model's column order
        self.row_in = np.zeros(m + 1, dtype=bool)
        self.row_order = np.zeros(0, dtype=np.int64)  # and rows
        self.y: np.ndarray | None = None  # the last optimal LP's duals (>= 0, 0 for rows not in) ...
        self.x: np.ndarray | None = None  # ... and solution, per block column
        self.first: np.ndarray | None = None  # the first optimal LP's solution
        if all_rows:
            self.add_rows(np.arange(m + 1))

    def price_coverage(self, mu: float) -> None:
        """Coverage priced at `mu` in the objective instead of the floor (the coverage row's
        Lagrangian): the score bound at coverage C is then the certificate - mu x C. Before any
        column is added."""
        self.mu, self.obj = mu, self.score + mu * self.cov
        self.ub[self.m] = np.inf

    def add(self, new: np.ndarray) -> None:
        part = self.A[:, new] if self.A_rows is None else self.A_rows[self.row_order][:, new].tocsc()
        self.h.addCols(len(new), -self.obj[new], self.lo[new], self.hi[new], part.nnz,
                       part.indptr[:-1].astype(np.int32), part.indices.astype(np.int32), part.data)
        self.in_model[new] = True
        self.order = np.concatenate([self.order, new])

    def add_rows(self, new: np.ndarray) -> None:
        import highspy

        if len(self.order):
            part = (self.A_rows[new][:, self.order] if self.A_rows is not None
                    else self.A[new][:, self.order].tocsr())
            self.h.addRows(len(new), np.full(len(new), -highspy.kHighsInf), self.ub[new], part.nnz,
                           part.indptr[:-1].astype(np.int32), part.indices.astype(np.int32), part.data)
        else:  # no columns yet: empty rows
            self.h.addRows(len(new), np.full(len(new), -highspy.kHighsInf), self.ub[new], 0,
                           np.zeros(len(new), np.int32), np.zeros(0, np.int32), np.zeros(0))
        self.row_in[new] = True
        self.row_order = np.concatenate([self.row_order, new])

    def helpers(self) -> np.ndarray:
        return np.arange(self.n, self.A.shape[1])

    def helper_keys(self) -> np.ndarray:
        """Per helper column, the key of its helper row (its only -1 above the coverage row)."""
        part = self.A[:self.m, self.n:].tocoo()
        out = np.full(self.A.shape[1] - self.n, -1, dtype=np.int64)
        at = part.data < 0
        out[part.col[at]] = self.rows.row_key[part.row[at]]
        return out

    def solve(self, budget: Budget) -> bool:
        """The rounds; False if no LP was solved to its optimum."""
        import highspy

        h = self.h
        best = np.inf
        for _ in range(EXACT_LP_ROUNDS if self.A_rows is None else EXACT_AGAIN_SOLVES):
            if _out_of_time(budget):
                break
            h.setOptionValue("time_limit", max(budget.wall_left(), 0.1))
            h.run()
            if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
                budget.cut_by_clock |= h.getModelStatus() == highspy.HighsModelStatus.kTimeLimit
                break
            solution = h.getSolution()
            self.y = np.zeros(self.m + 1)
            self.y[self.row_order] = np.maximum(-np.asarray(solution.row_dual), 0.0)
            self.x = np.zeros(self.A.shape[1])
            self.x[self.order] = solution.col_value
            if self.first is None:
                self.first = self.x.copy()
            new = np.flatnonzero((self.obj - self.A.T @ self.y > REDUCED_COST_TOLERANCE) & ~self.in_model)
            violated = np.zeros(0, dtype=np.int64)
            if self.A_rows is not None:
                certificate = self.certificate()
                if 0 <= best - certificate < EXACT_AGAIN_CERT_STEP * abs(certificate):
                    break  # lowered, but by little (a rise, with rows just added, goes on)
                best = min(best, certificate)
                slack = self.ub - self.A_rows @ self.x
                violated = np.flatnonzero((slack < -ROW_TOLERANCE) & ~self.row_in)
                # With the new columns, the rows they touch that the solution holds tight: without
                # them, the new columns would run far past them (measured: the LP's value up 0.8 %
                # in the next round, and 1.6 s more in all).
                touched = np.unique(self.A[:, new].indices)
                self.add_rows(np.union1d(violated, touched[(slack[touched] <= ROW_TOLERANCE) & ~self.row_in[touched]]))
            if not len(new) and not len(violated):
                break
            if len(new):
                self.add(new)
            # Added columns start at 0, so the basis stays primal feasible: the primal simplex goes
            # on from it (measured: 6,363 iterations, where the dual simplex took 22,059). Violated
            # rows leave it dual feasible: the dual simplex goes on.
            h.setOptionValue("simplex_strategy", 1 if len(violated) else 4)
        return self.y is not None

    def duals(self) -> VertexDuals:
        """The last LP's duals by key, and its basis (its rows: those that are not basic, so that
        a re-run can start from them alone)."""
        m = self.m
        sorted_keys = np.argsort(self.rows.row_key, kind="stable")
        basis = self.h.getBasis()
        col_status = np.fromiter((int(v) for v in basis.col_status), dtype=np.int8, count=len(self.order))
        row_status = np.full(m + 1, BASIC, dtype=np.int8)
        row_status[self.row_order] = np.fromiter((int(v) for v in basis.row_status), dtype=np.int8,
                                                 count=len(self.row_order))
        pair = self.order < self.n
        pair_cols = self.cols[self.order[pair]]
        # Not the tight basic rows too: at 20,000 x 10,000, 257,721 of the biggest block's 415,445.
        kept = np.flatnonzero(self.row_in[:m] & (row_status[:m] != BASIC))
        lp_basis = LpBasis(self.pairs.cand[pair_cols].astype(np.int64), self.pairs.vac[pair_cols].astype(np.int64),
                           col_status[pair], self.helper_keys()[self.order[~pair] - self.n], col_status[~pair],
                           self.rows.row_key[kept], row_status[kept])
        return VertexDuals(self.rows.row_key[sorted_keys], self.y[:m][sorted_keys], self.mu + float(self.y[m]),
                           lp_basis, self.certificate())

    def certificate(self) -> float:
        """The last LP's duals' bound over all the block's columns and rows (weak duality), the
        coverage row's right-hand side (-C) left out: the bound at floor C is this - mu x C."""
        from matching.relax import certified_bound

        return certified_bound(self.obj, self.A, np.append(self.rows.ub, 0.0), self.lo, self.hi, self.y)

    def start_from(self, basis: LpBasis, chosen: np.ndarray) -> None:
        """The model: the columns `basis` (in this run's numbering) names, the solution's
        (`chosen`, bool per pair of the block), the pins' and the helpers; the rows it names and
        the coverage row; with its statuses as an alien basis (HiGHS completes it)."""
        import highspy

        n_vac = int(self.pairs.vac.max()) + 1 if len(self.cols) else 1
        block_key = self.pairs.cand[self.cols].astype(np.int64) * n_vac + self.pairs.vac[self.cols]
        want = basis.cand * n_vac + basis.vac
        at = np.clip(np.searchsorted(block_key, want), 0, max(self.n - 1, 0))
        found = (block_key[at] == want) if self.n else np.zeros(len(want), dtype=bool)
        status = np.full(self.A.shape[1], LOWER, dtype=np.int8)
        status[at[found]] = basis.pair_status[found]
        start = chosen | (self.lo[:self.n] > 0)
        start[at[found]] = True
        status[self.n:] = _by_key(basis.helper_key, basis.helper_status, self.helper_keys(), LOWER)
        self.add(np.concatenate([np.flatnonzero(start), self.helpers()]))
        # The coverage row: at its floor, or free (basic) when coverage is priced instead.
        cover = BASIC if np.isinf(self.ub[self.m]) else UPPER
        row_status = np.append(_by_key(basis.row_key, basis.row_status, self.rows.row_key, -1), cover)
        self.add_rows(np.flatnonzero((row_status >= 0) & ~self.row_in))
        lut = sorted(highspy.HighsBasisStatus.__members__.values(), key=int)
        hb = highspy.HighsBasis()
        hb.alien = True
        hb.col_status = [lut[v] for v in status[self.order].tolist()]
        hb.row_status = [lut[v] for v in row_status[self.row_order].tolist()]
        self.h.setBasis(hb)


def _by_key(keys: np.ndarray, values: np.ndarray, wanted: np.ndarray, default: int) -> np.ndarray:
    """Per key of `wanted`: its value in (`keys`, `values`), else `default`."""
    from matching.relax import match_duals

    order = np.argsort(keys, kind="stable")
    value, found = match_duals(keys[order], values[order].astype(np.float64), wanted)
    return np.where(found, value, default).astype(np.int8)


def _exact_score_lp(problem, pairs, coverage, quality, cols, keep, chosen, groups, component, pinned,
                    budget: Budget, lp_duals: VertexDuals | None) -> tuple[np.ndarray | None, VertexDuals | None]:
    """The vertex step on a PDLP block (all its pairs `cols`, `keep` the vertex step's columns,
    `chosen` the solution; bool per pair of `cols`), its score LP solved exactly: the simplex
    (highspy) on the kept columns with the rows of the whole block, then column generation
    (`_ScoreLp`). (Positions in `cols` of the MIP's solution or None; the last LP's duals and
    basis or None.)

    Why: PDLP's duals certify a bound well above the LP's optimum, and the kept columns alone
    miss pairs the optimum uses. Measured on the 20,000 x 10,000 benchmark's biggest block
    (392,537 pairs, 82,265 kept): the kept LP 862,897; its duals certify 866,946 over the whole
    block (PDLP's certificate 864,960); the rounds add 7,078, 308, 23 and 2 pairs: LP 863,757,
    certificate 863,639 (the Lagrangian, `relax.warm_certificates`, is below the LP). Starting
    also from the 25,449 pairs PDLP's duals price above -PRICED_SLACK took 14 s, not 26."""
    start_floor = float(coverage[cols[chosen]].sum())
    lp = _ScoreLp(problem, pairs, coverage, quality, cols, groups, component, pinned, start_floor)
    n, m = lp.n, lp.m
    start = keep.copy()
    if lp_duals is not None:
        from matching.relax import match_duals

        y_lp, _ = match_duals(lp_duals.keys, lp_duals.y, lp.rows.row_key)
        start |= (lp.score[:n] + lp_duals.mu * lp.cov[:n] - (lp.A[:m].T @ y_lp)[:n]) > -PRICED_SLACK
    pair_cols = np.flatnonzero(start)
    lp.add(np.concatenate([pair_cols, lp.helpers()]))
    if not lp.solve(budget):
        return None, None
    # The solution from the kept columns' vertex, as before the rounds: the MIP over the last
    # vertex's fractional part found 699 more score on the block above but took 21 s, not 5.
    mip_cols = np.concatenate([pair_cols, lp.helpers()])
    found = _solve_fractional(lp.A[:m, mip_cols].tocsr(), lp.rows.ub, lp.lo[mip_cols], lp.hi[mip_cols],
                              lp.first[pair_cols], cols[pair_cols], lp.cov[mip_cols], lp.score[mip_cols], pairs,
                              pinned, start_floor, budget)
    return (None if found is None else pair_cols[found]), lp.duals()


def exact_again(problem: MatchingProblem, pairs: Pairs, coverage: np.ndarray, quality: np.ndarray,
                cols: np.ndarray, chosen: np.ndarray, groups: list[DayGroup], component: np.ndarray,
                pinned: np.ndarray, budget: Budget, basis: LpBasis, previous_mu: tuple[np.ndarray, np.ndarray]
                ) -> tuple[np.ndarray | None, VertexDuals | None]:
    """A re-run's exact score LP on a changed big component (all its pairs `cols`, `chosen` the
    solution so far, bool per pair of `cols`), from the previous run's basis (`basis`, in this
    run's numbering), coverage priced at the previous run's coverage-row dual (`previous_mu`:
    sorted row keys and the dual of the block each came from; their median over this block's
    rows) instead of held at a floor; then the MIP, coverage first, over the candidates whose
    pairs the LP's solution and `chosen` differ on: their pairs with an LP value or in `chosen`,
    everyone else's jobs held. (bool per pair of `cols` with at least the coverage of `chosen`,
    or None; the LP's duals and basis, or None.)

    Why: the changes move the LP's optimum along chains of moves far from them, which a
    neighbourhood around the changes does not reach. Measured on the 20,000 x 10,000 re-run's
    changed 392,533-pair component: the LP and the solution differ on about 1,900 candidates,
    whose 4,600 pairs with a value took 2.3 s in the MIP; the re-run's gaps 0.018 % / 0.150 % ->
    0.011 % / 0.077 % in about the same time as the vertex step around the changes that it
    replaces (over 4 sets of decisions 0.98-1.26x). Why priced, not held: at the previous run's price its basis stays
    optimal where nothing changed, and the LP lands near the coverage the changes allow; held at
    the repaired solution's coverage, the LP's optimum sat at that floor and coverage fell short
    (the LP again over the whole component, 5 s more); held at a neighbourhood LP's coverage, the
    LP took 2 s longer."""
    from matching.relax import match_duals

    groups = _restricted(groups, cols)
    lp = _ScoreLp(problem, pairs, coverage, quality, cols, groups, component, pinned, 0.0, all_rows=False)
    mus, known = match_duals(*previous_mu, lp.rows.row_key)
    lp.price_coverage(COVERAGE_PRICE_FACTOR * (float(np.median(mus[known])) if known.any() else 0.0))
    lp.start_from(basis, chosen)
    if not lp.solve(budget):
        return None, None
    x = lp.x[:lp.n]
    differ = np.abs(x - chosen) > 1e-6
    region = np.isin(pairs.cand[cols], pairs.cand[cols[differ]])
    local = np.flatnonzero(region & ((x > 1e-6) | chosen))
    if not len(local):
        return None, lp.duals()
    everyone = np.zeros(len(pairs), dtype=bool)
    everyone[cols[chosen]] = True
    found = _solve_whole(problem, pairs, coverage, quality, cols[local], chosen[local], _restricted(groups, cols[local]),
                         component, pinned, budget,
                         problem.vacancies.headcount - _held(problem, pairs, everyone, cols[local]))
    if found is None:
        return None, lp.duals()
    out = chosen.copy()
    out[local] = found
    return out, lp.duals()


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
    value keep their whole LP value (with `x` None, every pair is free). Bool per pair of `sub`
    with at least `start_floor` coverage, or None."""
    from scipy.optimize import Bounds, LinearConstraint, milp
    from scipy.sparse import csr_matrix, vstack

    n = len(sub)
    lo, hi = lo.copy(), hi.copy()
    if x is not None:
        fractional = (x > 1e-6) & (x < 1 - 1e-6)
        cand, vac = pairs.cand[sub], pairs.vac[sub]
        free = np.isin(cand, cand[fractional]) | np.isin(vac, vac[fractional])
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
    mask = np.zeros(max(int(members.max(initial=0)), int(sub.max(initial=0))) + 1, dtype=bool)
    mask[sub] = True
    inside = mask[members]
    owner = np.repeat(np.arange(len(groups)), sizes)[inside]
    parts = np.split(members[inside], np.cumsum(np.bincount(owner, minlength=len(groups)))[:-1])
    return [dataclasses.replace(g, pairs=p) for g, p in zip(groups, parts) if len(p) >= 2]
