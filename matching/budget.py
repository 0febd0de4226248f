"""A run's time budget, as deterministic work limits (reproducible) or as wall-clock deadlines.

Consultants compare runs, so the same input, seed and time budget must give the same proposals,
whatever else the machine is doing. Wall-clock limits cannot give that: how far a solver gets in
10 s depends on the load. So by default (`deterministic=True`) the budget in seconds is turned
into work limits that do not depend on the clock:
- CP-SAT: `max_deterministic_time` (its own work measure) with `interleave_search`, the mode in
  which several workers share the work in a fixed order (plain parallel CP-SAT is not
  reproducible even with a deterministic limit, TECH-NOTES);
- PDLP (the first-order LP for big blocks): a limit on passes over the constraint matrix;
- HiGHS' dual simplex (blocks up to 60,000 columns) and everything else run to completion.
The rates below turn seconds into those units; they were measured on the 2-core benchmark
machine so that a run on it ends within about its budget. A wall-clock stop at
`WALL_SAFETY` x the budget still guards against a far slower machine; if it ever cuts a phase,
the result says so (`reproducible` False) instead of pretending.

`deterministic=False` keeps the older behaviour: every phase stops at the wall-clock deadline.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

# CP-SAT deterministic-time units per second of budget. Measured on the benchmarks here (2 busy
# cores, one worker, presolve off, linearization level 2): one unit took 3-20 s of wall time on
# the year-bundle models (the unit under-counts LP work), about 10 s on the 20,000 x 10,000 one.
CPSAT_DTIME_PER_SECOND = 0.1
# PDLP work per second of budget, in matrix nonzeros x passes over the matrix. Measured: about
# 1.2e8 here on the 20,000 x 10,000 benchmark's largest block (two threads, load ~2).
PDLP_WORK_PER_SECOND = 1.0e8
# Exact bundle searches per second of budget, in pairs x price steps of the score bound
# (`matching.lagrange._price_steps`). Measured: 3.2-3.5e6 on the 20,000 x 10,000 and national
# benchmarks.
PRICE_STEP_PAIRS_PER_SECOND = 3.0e6
WALL_SAFETY = 3.0  # deterministic runs still stop at 3 x the budget on the wall clock


@dataclass
class Budget:
    seconds: float
    deterministic: bool = True
    started: float = field(default_factory=time.perf_counter)
    cut_by_clock: bool = False  # a wall-clock stop cut some phase short: not reproducible
    # Asked between and during CP-SAT searches (a cancelled job): True ends the search at once.
    stop: Callable[[], bool] | None = None
    stop_at: float | None = None  # the wall-clock stop, when not the budget's own (`part`)

    def part(self, share: float) -> Budget:
        """A share of this budget's work for one part of the run, under the same wall-clock stop.
        Whoever uses it reports `cut_by_clock` back (see `solve`)."""
        return Budget(self.seconds * share, self.deterministic, self.started, stop=self.stop, stop_at=self.deadline)

    def stopped(self) -> bool:
        return self.stop is not None and self.stop()

    @property
    def deadline(self) -> float:
        """The wall-clock stop (perf_counter time): the budget itself, or the safety stop."""
        if self.stop_at is not None:
            return self.stop_at
        return self.started + self.seconds * (WALL_SAFETY if self.deterministic else 1.0)

    def wall_left(self) -> float:
        return self.deadline - time.perf_counter()

    def cpsat_dtime(self, share: float, floor: float = 0.05) -> float:
        return max(floor, CPSAT_DTIME_PER_SECOND * self.seconds * share)

    def pdlp_work(self, share: float) -> float:
        return PDLP_WORK_PER_SECOND * self.seconds * share

    def price_steps(self, share: float, pairs: int, most: int) -> int:
        """How many price steps over `pairs` pairs fit in `share` of the budget (at most `most`);
        from the budget's seconds, not the clock, so the same in every run."""
        return min(most, int(PRICE_STEP_PAIRS_PER_SECOND * self.seconds * share / max(pairs, 1)))
