"""One match run's solve spread over several worker processes, through huey (the job queue's
library): the run is cut into parts with no eligible pair between them (`matching.distribute`),
each part is a message any worker may take, and the parts' results are put back together and
checked as one. The bounds and the validator are those of a single-process run.

This is the working demonstration behind benchmarks/bench_distributed.py; match-run jobs still
solve in one worker (docs/decisions/0001-job-queue.md, "Solving across machines")."""

from __future__ import annotations

import time

from huey import Huey, SqliteHuey

from matching.distribute import Combined, Part, PartResult, combine, part_result, split
from matching.problem import MatchingProblem
from matching.solve import solve

# A small part still gets a few seconds: its deterministic work limits come from its budget, and
# the safety stop at 3 x the budget must not cut a part that is only slow because the machine is busy.
MIN_PART_SECONDS = 3.0


def make_solve_huey(filename: str) -> Huey:
    """A queue whose workers send results back (the job queue proper keeps none)."""
    return SqliteHuey("brobygger-solve", filename=filename, results=True)


def solve_part(part: Part, time_limit: float, seed: int) -> PartResult:
    started = time.perf_counter()
    result = solve(part.problem, time_limit=time_limit, seed=seed)
    return part_result(part, result, time.perf_counter() - started)


def register(huey: Huey):
    return huey.task(name="solve_part")(solve_part)


def solve_distributed(task, problem: MatchingProblem, n_parts: int, time_limit: float, seed: int = 0,
                      timeout: float = 3600.0) -> Combined:
    """Send the parts, wait for all of them. Each part gets the run's budget in proportion to its
    eligible pairs, so the whole run does the same work however many workers share it."""
    parts = split(problem, n_parts)
    total = max(sum(p.pairs for p in parts), 1)
    pending = [task(p, max(MIN_PART_SECONDS, time_limit * p.pairs / total), seed) for p in parts]
    return combine([r.get(blocking=True, timeout=timeout) for r in pending])
