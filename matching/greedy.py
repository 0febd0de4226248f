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


CHUNK = 50_000  # pairs per loop chunk: at the wide national scale most pairs meet a full vacancy


def greedy_assign(problem: MatchingProblem, pairs: Pairs, weights: np.ndarray, subset: np.ndarray,
                  pinned: list[int] = ()) -> tuple[np.ndarray, list[int]]:
    """Returns (chosen: bool per pair, pins that did not fit). Only pairs in `subset` are used.

    A plain loop over pairs, best first (each choice depends on the ones before it), so its
    inner step is kept lean: values come from Python lists, not numpy scalars, and a pair
    whose vacancy is full is skipped before anything else (measured: most pairs at national
    scale, 5 M of them, are)."""
    chosen = np.zeros(len(pairs), dtype=bool)
    room = problem.vacancies.headcount.astype(np.int64).tolist()
    desired = problem.candidates.desired_fte.tolist()
    fte = problem.vacancies.fte.tolist()
    max_jobs = problem.params.max_concurrent_jobs
    days: dict[int, CandidateDays] = {}
    taken: set[int] = set()

    def try_take(p: int, c: int, v: int, s: int, e: int) -> bool:
        if room[v] <= 0 or p in taken:
            return False
        held = days.get(c)
        if held is None:
            held = days[c] = CandidateDays()
        f = fte[v]
        if not held.fits(s, e, f, desired[c], max_jobs):
            return False
        held.add(s, e, f)
        room[v] -= 1
        taken.add(p)
        return True

    def take_all(order: np.ndarray, report: bool) -> list[int]:
        """Tries each pair in `order`; returns the ones not taken if `report`."""
        failed = []
        for lo in range(0, len(order), CHUNK):  # lists per chunk: 5 M Python ints would take GBs
            chunk = order[lo:lo + CHUNK]
            if not report:  # pairs whose vacancy is already full, left out at once (rooms only fall)
                chunk = chunk[np.asarray(room, dtype=np.int64)[pairs.vac[chunk]] > 0]
            for p, c, v, s, e in zip(chunk.tolist(), pairs.cand[chunk].tolist(), pairs.vac[chunk].tolist(),
                                     pairs.start[chunk].tolist(), pairs.end[chunk].tolist()):
                if not try_take(p, c, v, s, e) and report:
                    failed.append(p)
        return failed

    failed_pins = take_all(np.array([int(p) for p in pinned], dtype=np.int64), report=True)
    # Pairs whose vacancy the pins filled can never be taken: left out before the loop (a re-run
    # repairs its previous solution with it held as pins, which fills most places). The same
    # order as sorting them all: a stable sort keeps `subset`'s order among equal weights.
    open_ = subset[np.asarray(room, dtype=np.int64)[pairs.vac[subset]] > 0]
    take_all(open_[np.argsort(-weights[open_], kind="stable")], report=False)
    chosen[list(taken)] = True
    return chosen, failed_pins
