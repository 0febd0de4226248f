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
