"""Same input, same seed, same time budget: the same proposals, whatever the clock says.
Consultants compare runs; a change must come from the data or their decisions."""

import numpy as np

import matching.budget as budget
import matching.relax as relax
import matching.solve as solve_module
from benchmarks.generate import generate, generate_tight

from .helpers import solve_valid


def _twice(problem, **kw):
    first = solve_valid(problem, **kw)
    second = solve_valid(problem, **kw)
    return first, second


def test_parallel_cpsat_stopped_by_its_budget_gives_the_same_proposals(monkeypatch):
    # Too little budget to prove this tight instance: CP-SAT (two interleaved workers) is
    # stopped by its deterministic work limit in the middle of its search, both times. (The
    # vertex step would solve it before CP-SAT starts.)
    monkeypatch.setattr(solve_module, "vertex_polish", lambda *args: (None, False, None))
    p = generate_tight(30, 60, seed=1)
    first, second = _twice(p, time_limit=2, num_workers=2, seed=7)
    assert first.stats["cpsat_blocks"] == 1 and first.status == "feasible"
    assert first.reproducible and second.reproducible
    assert np.array_equal(first.chosen, second.chosen)
    assert (first.coverage_bound, first.quality_bound) == (second.coverage_bound, second.quality_bound)


def test_the_vertex_step_gives_the_same_proposals():
    # HiGHS' MIP stops at a node limit, not on the clock.
    p = generate_tight(30, 60, seed=1)
    first, second = _twice(p, time_limit=2, num_workers=2, seed=7)
    assert first.stats["vertex_blocks"] == 1
    assert first.reproducible and second.reproducible
    assert np.array_equal(first.chosen, second.chosen)


def test_first_order_lp_stopped_by_its_budget_gives_the_same_proposals(monkeypatch):
    # Force every block onto PDLP with column generation, with a work allowance that stops it
    # long before it converges (a few hundred passes over the matrix).
    monkeypatch.setattr(relax, "SIMPLEX_MAX_COLUMNS", 0)
    monkeypatch.setattr(relax, "RESTRICT_MIN_COLUMNS", 0)
    monkeypatch.setattr(budget, "PDLP_WORK_PER_SECOND", 2e5)
    monkeypatch.setattr(solve_module, "CPSAT_MAX_VARIABLES", 0)
    p = generate(300, 150, seed=2, commute_km=(20, 40))
    first, second = _twice(p, time_limit=5, num_workers=2)
    assert first.status == "feasible"  # stopped early: nothing proven
    assert first.reproducible and second.reproducible
    assert np.array_equal(first.chosen, second.chosen)
    assert (first.coverage_bound, first.quality_bound) == (second.coverage_bound, second.quality_bound)
