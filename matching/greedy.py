"""Greedy: a complete feasible solution, used as the CP-SAT hint and as the benchmark reference.

Pins first (a pin that does not fit is reported, not forced), then pairs by weight, best
first, each taken when its vacancy has room and the candidate's days stay within their wanted
share and the maximum number of concurrent jobs.
"""

from __future__ import annotations

import numpy as np

from matching.eligibility import Pairs
from matching.problem import MatchingProblem


class CandidateDays:
    """The jobs one candidate holds, to test whether another fits."""

    __slots__ = ("jobs",)

    def __init__(self):
        self.jobs: list[tuple[int, int, int]] = []  # (start, end, fte)

    def fits(self, start: int, end: int, fte: int, desired: int, max_jobs: int) -> bool:
        jobs = self.jobs + [(start, end, fte)]
        # The load only rises where a job starts; check those days inside the new job.
        for day in {s for s, _, _ in jobs if start <= s <= end}:
            active = [f for s, e, f in jobs if s <= day <= e]
            if sum(active) > desired or len(active) > max_jobs:
                return False
        return True

    def add(self, start: int, end: int, fte: int) -> None:
        self.jobs.append((start, end, fte))


def greedy_assign(problem: MatchingProblem, pairs: Pairs, weights: np.ndarray, subset: np.ndarray,
                  pinned: list[int] = ()) -> tuple[np.ndarray, list[int]]:
    """Returns (chosen: bool per pair, pins that did not fit). Only pairs in `subset` are used."""
    chosen = np.zeros(len(pairs), dtype=bool)
    room = problem.vacancies.headcount.astype(np.int64).copy()
    desired = problem.candidates.desired_fte
    fte = problem.vacancies.fte
    max_jobs = problem.params.max_concurrent_jobs
    days: dict[int, CandidateDays] = {}
    cand, vac, start, end = pairs.cand, pairs.vac, pairs.start, pairs.end

    def try_take(p: int) -> bool:
        c, v = int(cand[p]), int(vac[p])
        if room[v] <= 0 or chosen[p]:
            return False
        held = days.setdefault(c, CandidateDays())
        s, e, f = int(start[p]), int(end[p]), int(fte[v])
        if not held.fits(s, e, f, int(desired[c]), max_jobs):
            return False
        held.add(s, e, f)
        room[v] -= 1
        chosen[p] = True
        return True

    failed_pins = [p for p in pinned if not try_take(int(p))]
    order = subset[np.argsort(-weights[subset], kind="stable")]
    for p in order.tolist():
        try_take(p)
    return chosen, failed_pins
