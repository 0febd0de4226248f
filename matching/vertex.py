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
MIP_NODES = 2_000  # per level; HiGHS needed a few hundred on the benchmark's block
# The MIP's relative gaps: coverage to within a few percent-days (it comes first), score to 1e-4
# (86 points on the benchmark's block; at 1e-6 both levels took 22 s there, at these 8 s, same score).
COVERAGE_GAP, SCORE_GAP = 1e-6, 1e-4


def vertex_polish(problem: MatchingProblem, pairs: Pairs, coverage: np.ndarray, quality: np.ndarray,
                  cols: np.ndarray, chosen: np.ndarray, support: np.ndarray, groups: list[DayGroup],
                  component: np.ndarray, pinned: np.ndarray, budget: Budget) -> np.ndarray | None:
    """A solution for the block's pairs `cols` (bool per column) with at least the coverage of
    `chosen` (bool per column) and, where the MIP finds it, more score; None when the step does
    not apply (too many columns, no time) or finds nothing. `support` (bool per column): pairs
    an LP gave weight."""
    from scipy.optimize import Bounds, LinearConstraint, linprog, milp
    from scipy.sparse import csr_matrix, vstack

    from matching.relax import build_rows

    keep = chosen | support | np.isin(cols, pinned)
    if keep.sum() > VERTEX_MAX_COLUMNS or budget.wall_left() <= 1.0:
        return None
    sub = cols[keep]
    n = len(sub)
    # Rows over the kept pairs only (the others are 0): on the wide national case, rows over
    # the whole block took the run past 8 GiB.
    rows = build_rows(problem, pairs, sub, _restricted(groups, sub), component)
    A = csr_matrix((rows.val, (rows.row, rows.col)), shape=(len(rows.ub), rows.n_cols))
    cov = np.zeros(A.shape[1])
    cov[:n] = coverage[sub]
    score = np.zeros(A.shape[1])
    score[:n] = quality[sub]
    floor = float(coverage[cols[chosen]].sum())
    lo, hi = np.zeros(A.shape[1]), np.ones(A.shape[1])
    lo[:n][np.isin(sub, pinned)] = 1.0

    lp = linprog(-score, A_ub=vstack([A, csr_matrix(-cov[None, :])], format="csr"), b_ub=np.append(rows.ub, -floor),
                 bounds=np.stack([lo, hi], axis=1), method="highs-ds",
                 options={"time_limit": max(budget.wall_left(), 0.1), "presolve": True})
    if lp.status != 0 or lp.x is None:
        budget.cut_by_clock |= lp.status == 1
        return None
    x = lp.x[:n]
    fractional = (x > 1e-6) & (x < 1 - 1e-6)
    cand, vac = pairs.cand[sub], pairs.vac[sub]
    free = np.isin(cand, cand[fractional]) | np.isin(vac, vac[fractional])
    lo[:n][~free] = hi[:n][~free] = np.round(x[~free])
    lo[:n][np.isin(sub, pinned)] = 1.0
    integer = np.zeros(A.shape[1])
    integer[:n] = 1

    def mip(objective, gap, extra_row=None, extra_lo=None):
        matrix, lower, upper = A, np.full(len(rows.ub), -np.inf), rows.ub
        if extra_row is not None:
            matrix = vstack([A, csr_matrix(extra_row[None, :])], format="csr")
            lower, upper = np.append(lower, extra_lo), np.append(upper, np.inf)
        res = milp(-objective, constraints=LinearConstraint(matrix, lower, upper), bounds=Bounds(lo, hi),
                   integrality=integer, options={"time_limit": max(budget.wall_left(), 0.1),
                                                 "node_limit": MIP_NODES, "mip_rel_gap": gap})
        budget.cut_by_clock |= res.status == 1 and "time" in str(res.message).lower()
        return None if res.x is None else np.round(res.x[:n]).astype(bool)

    first = mip(cov, COVERAGE_GAP)
    if first is None or coverage[sub[first]].sum() < floor:
        return None
    second = mip(score, SCORE_GAP, cov, float(coverage[sub[first]].sum()))
    best = second if second is not None else first
    out = np.zeros(len(cols), dtype=bool)
    out[np.flatnonzero(keep)[best]] = True
    return out


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
