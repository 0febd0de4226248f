"""The year-bundle problem as a plain MIP for HiGHS (scipy `milp`): what a user with an OR
background would write first. Used by `bench_highs` as the reference.

One binary per eligible pair; per vacancy at most its headcount; per candidate and per day on
which one of their jobs starts, the active jobs' shares add up to at most the wanted share and
their number to at most `max_concurrent_jobs`. Lexicographic in two solves: first the maximum
coverage (percent-days), then the maximum total score with coverage held at that value.

HiGHS was seen to ignore its own time limit on big models (TECH-NOTES), so each solve runs in a
child process that is killed at the limit."""

from __future__ import annotations

import multiprocessing as mp
import time
from dataclasses import dataclass

import numpy as np


@dataclass
class MipData:
    n: int
    rows: list  # (indices, coefficients, upper bound)
    coverage: np.ndarray  # int64 per pair
    quality: np.ndarray  # int64 per pair


def mip_data(problem, pairs, scores) -> MipData:
    fte = problem.vacancies.fte[pairs.vac].astype(np.int64)
    rows = []
    order = np.argsort(pairs.vac, kind="stable")
    vac_sorted = pairs.vac[order]
    for v in np.unique(vac_sorted):
        members = order[np.searchsorted(vac_sorted, v):np.searchsorted(vac_sorted, v, side="right")]
        if len(members) > problem.vacancies.headcount[v]:
            rows.append((members, np.ones(len(members)), float(problem.vacancies.headcount[v])))
    bounds = np.searchsorted(pairs.cand, np.arange(len(problem.candidates) + 1))
    for c in range(len(problem.candidates)):
        mine = np.arange(bounds[c], bounds[c + 1])
        for day in np.unique(pairs.start[mine]):
            active = mine[(pairs.start[mine] <= day) & (pairs.end[mine] >= day)]
            if fte[active].sum() > problem.candidates.desired_fte[c]:
                rows.append((active, fte[active].astype(float), float(problem.candidates.desired_fte[c])))
            if len(active) > problem.params.max_concurrent_jobs:
                rows.append((active, np.ones(len(active)), float(problem.params.max_concurrent_jobs)))
    coverage = fte * pairs.days.astype(np.int64)
    return MipData(len(pairs), rows, coverage, np.asarray(scores, dtype=np.int64))


def _matrix(data: MipData, extra=None):
    from scipy.sparse import csr_matrix

    rows, cols, vals, ub = [], [], [], []
    for r, (idx, coef, bound) in enumerate(data.rows):
        rows.append(np.full(len(idx), r))
        cols.append(idx)
        vals.append(coef)
        ub.append(bound)
    lb = [-np.inf] * len(ub)
    if extra is not None:  # coverage >= value
        r = len(ub)
        rows.append(np.full(data.n, r))
        cols.append(np.arange(data.n))
        vals.append(data.coverage.astype(float))
        ub.append(np.inf)
        lb.append(float(extra))
    A = csr_matrix((np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape=(len(ub), data.n))
    return A, np.array(lb), np.array(ub)


def _solve_child(data: MipData, objective: np.ndarray, min_coverage, time_limit: float, conn) -> None:
    from scipy.optimize import Bounds, LinearConstraint, milp

    A, lb, ub = _matrix(data, min_coverage)
    res = milp(-objective.astype(float), constraints=LinearConstraint(A, lb, ub), integrality=np.ones(data.n),
               bounds=Bounds(0, 1), options={"time_limit": time_limit, "mip_rel_gap": 0.0})
    x = None if res.x is None else np.round(res.x).astype(np.int8)
    bound = getattr(res, "mip_dual_bound", None)
    conn.send((res.status, x, None if bound is None else -float(bound)))
    conn.close()


@dataclass
class MipPhase:
    status: str  # "optimal", "feasible", "killed" (no answer by the limit), "none"
    x: np.ndarray | None
    bound: float | None
    seconds: float


def solve_phase(data: MipData, objective: np.ndarray, min_coverage, time_limit: float) -> MipPhase:
    ctx = mp.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    t = time.perf_counter()
    proc = ctx.Process(target=_solve_child, args=(data, objective, min_coverage, time_limit, child))
    proc.start()
    child.close()
    got = None
    if parent.poll(time_limit + 2.0):  # a grace of 2 s over HiGHS' own limit, then it is killed
        try:
            got = parent.recv()
        except EOFError:
            got = None
    if proc.is_alive():
        proc.kill()
    proc.join()
    seconds = time.perf_counter() - t
    if got is None:
        return MipPhase("killed", None, None, seconds)
    status, x, bound = got
    name = {0: "optimal", 1: "feasible"}.get(status, "none")
    if x is None:
        name = "none"
    return MipPhase(name, x, bound, seconds)


@dataclass
class MipResult:
    coverage: int | None
    quality: int | None
    coverage_bound: float | None
    quality_bound: float | None
    proven: bool  # both levels proven optimal
    seconds: float


def solve_lexicographic(data: MipData, time_limit: float) -> MipResult:
    """Phase 1 max coverage, phase 2 max score with coverage fixed; both within `time_limit`."""
    t = time.perf_counter()
    first = solve_phase(data, data.coverage, None, time_limit)
    if first.x is None:
        return MipResult(None, None, first.bound, None, False, time.perf_counter() - t)
    coverage = int(data.coverage @ first.x)
    left = time_limit - (time.perf_counter() - t)
    second = solve_phase(data, data.quality, coverage, left) if left > 0.5 else MipPhase("none", None, None, 0)
    x = second.x if second.x is not None else first.x
    proven = first.status == "optimal" and second.status == "optimal"
    return MipResult(int(data.coverage @ x), int(data.quality @ x), first.bound, second.bound, proven,
                     time.perf_counter() - t)
