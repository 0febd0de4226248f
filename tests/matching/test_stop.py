"""A cancelled match run must not wait for a long CP-SAT search to end (issue 17): `solve(stop=...)`
ends the search within a poll once stop answers True, and what it returns still keeps every rule."""

import threading

from benchmarks.generate import generate_tight
from matching.solve import solve
from matching.validate import result_assignment, validate_assignment


def test_stop_ends_a_long_cpsat_search_at_once_and_the_result_keeps_the_rules():
    # 100 x 200 near-identical part-time jobs: CP-SAT searches for over a minute on this machine
    # with a 60 s budget (solve phase 79 s, measured).
    problem = generate_tight(100, 200, seed=1)
    asked = threading.Event()

    def progress(event):
        if event["phase"] == "solving":  # CP-SAT's first solution: the search is under way
            asked.set()

    result = solve(problem, time_limit=60, progress=progress, stop=asked.is_set)
    assert asked.is_set()
    assert result.timings["solve"] < 10, result.timings
    assert validate_assignment(problem, result_assignment(result)) == []
    assert result.coverage_objective <= result.coverage_bound


def test_a_cancelled_rerun_skips_its_improving_steps_and_what_it_returns_still_holds(monkeypatch):
    # A re-run's big components take several steps after their certificates (at national scale
    # 8-10 s more); a cancelled re-run stops after the certificates, with valid bounds.
    import numpy as np

    from benchmarks.bench_rerun import decisions, with_new_vacancies
    from benchmarks.generate import generate
    from matching import solve as solve_module

    from .helpers import solve_valid

    monkeypatch.setattr(solve_module, "SIMPLEX_MAX_COLUMNS", 1_000)  # its components take the big path
    problem = generate(1500, 750, seed=5, commute_km=(10, 40), zipf=0.3, city_boost=1.0)
    first = solve_valid(problem)
    rng = np.random.default_rng(2)
    changed = decisions(with_new_vacancies(problem, 3, rng), first, 20, rng)
    going = solve_valid(changed, warm=first.warm)
    cancelled = solve_valid(changed, warm=first.warm, stop=lambda: True)
    assert going.stats["warm_changed_components"] > 0 and going.stats["warm_local_pairs"] > 0
    assert cancelled.stats["warm_local_pairs"] == 0  # no vertex step near the changes
    assert cancelled.stats["warm_certified_gaps"] == going.stats["warm_certified_gaps"]
    # Its proposals keep the rules (`solve_valid`), and its bounds still bound what the full re-run found.
    assert going.coverage_objective <= cancelled.coverage_bound
    assert cancelled.coverage_objective <= going.coverage_bound
