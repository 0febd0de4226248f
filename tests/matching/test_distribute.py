"""One run spread over parts (issue 17, solving across machines): the parts share no eligible pair,
and solving them apart gives the same values and bounds as one solve, and a proposal the same
validator accepts. The queue test runs a real worker process."""

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

from benchmarks.generate import generate
from jobs.solve_parts import make_solve_huey, register, solve_distributed, solve_part
from matching.distribute import combine, split
from matching.eligibility import eligible_pairs
from matching.validate import validate_assignment
from tests.matching.helpers import cand, problem, solve_valid, vac

BERGEN = (60.39, 5.32)
TROMSO = (69.65, 18.96)
AUTUMN = date(2027, 7, 1)


def three_regions():
    people = [cand("oslo1", desired_fte=100), cand("oslo2", desired_fte=50),
              cand("berg1", at=BERGEN, desired_fte=100), cand("berg2", at=BERGEN, desired_fte=75),
              cand("trom1", at=TROMSO, desired_fte=100)]
    jobs = [vac("o-held", fte=50, held_by="oslo1"), vac("o50", fte=50), vac("o25", fte=25), vac("o100"),
            vac("b50", at=BERGEN, fte=50), vac("b25a", at=BERGEN, fte=25), vac("b25b", at=BERGEN, fte=25, start=AUTUMN),
            vac("b100", at=BERGEN), vac("t50", at=TROMSO, fte=50), vac("t50b", at=TROMSO, fte=50, start=AUTUMN)]
    return problem(people, jobs, pins=[("berg2", "b25a")], vetoes=[("trom1", "t50")])


def in_process(p, n_parts):
    return combine([solve_part(part, 5, 0) for part in split(p, n_parts)])


def test_parts_share_no_candidate_vacancy_or_eligible_pair():
    p = three_regions()
    parts = split(p, 3)
    assert len(parts) == 3
    seen_c = [set(part.candidates.tolist()) for part in parts]
    seen_v = [set(part.vacancies.tolist()) for part in parts]
    assert sum(map(len, seen_c)) == len(p.candidates) and set().union(*seen_c) == set(range(len(p.candidates)))
    assert sum(map(len, seen_v)) == len(p.vacancies)
    pairs = eligible_pairs(p)
    part_of_c = {c: k for k, s in enumerate(seen_c) for c in s}
    part_of_v = {v: k for k, s in enumerate(seen_v) for v in s}
    assert all(part_of_c[c] == part_of_v[v] for c, v in zip(pairs.cand.tolist(), pairs.vac.tolist()))
    # The held job, the pin and the veto travel with their candidate.
    ids = [[p.vacancies.ids[v] for v in part.vacancies] for part in parts]
    assert any("o-held" in names and "o50" in names for names in ids)


def test_solving_the_parts_apart_gives_the_values_bounds_and_rules_of_one_solve():
    p = three_regions()
    whole = solve_valid(p)
    for n_parts in (1, 2, 3, 5):
        combined = in_process(p, n_parts)
        assert validate_assignment(p, combined.assignment) == []
        assert (combined.coverage_objective, combined.quality_objective) == (whole.coverage_objective,
                                                                            whole.quality_objective)
        assert (combined.coverage_bound, combined.quality_bound) == (whole.coverage_bound, whole.quality_bound)
        assert combined.status == whole.status == "optimal"
    proposals = {(p.candidates.ids[c], p.vacancies.ids[v]) for c, v in in_process(p, 3).assignment}
    assert ("oslo1", "o-held") in proposals and ("berg2", "b25a") in proposals and ("trom1", "t50") not in proposals


def test_a_generated_instance_split_in_four_keeps_both_levels():
    p = generate(240, 120, seed=3)
    whole = solve_valid(p, time_limit=20)
    combined = in_process(p, 4)
    assert validate_assignment(p, combined.assignment) == []
    assert whole.status == combined.status == "optimal"
    assert (combined.coverage_objective, combined.quality_objective) == (whole.coverage_objective,
                                                                        whole.quality_objective)


def test_parts_go_through_the_queue_to_a_worker_process(tmp_path):
    p = three_regions()
    queue = str(tmp_path / "solve.queue")
    env = dict(os.environ, BROBYGGER_SOLVE_QUEUE=queue, PYTHONPATH=str(Path(__file__).resolve().parents[2]))
    consumer = Path(sys.executable).with_name("huey_consumer")
    worker = subprocess.Popen([str(consumer), "benchmarks.bench_distributed.huey", "-w", "1", "-q"], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        combined = solve_distributed(register(make_solve_huey(queue)), p, 3, 5.0, timeout=120)
    finally:
        worker.kill()
        worker.wait()
    assert validate_assignment(p, combined.assignment) == []
    assert combined.assignment == in_process(p, 3).assignment
    assert len(combined.part_seconds) == 3
