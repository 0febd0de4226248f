from datetime import date

import numpy as np
import pytest

from matching.eligibility import eligible_pairs, pair_failures
from matching.problem import CandidateRecord, VacancyRecord, build_problem
from matching.solve import year_coverage

from .helpers import YEAR, brute_force_best, brute_force_best_with, cand, levels, problem, proposed, solve_valid, vac


def test_full_time_candidate_gets_two_half_time_jobs():
    p = problem([cand("k1", desired_fte=100)], [vac("v1", fte=50), vac("v2", fte=50)])
    r = solve_valid(p)
    assert proposed(p, r) == [("k1", "v1"), ("k1", "v2")]
    assert year_coverage(p, r.pairs, r.chosen)[0] == pytest.approx(100.0)
    assert r.status == "optimal"


def test_summer_and_winter_seasons_fill_a_year():
    summer = vac("summer", start=date(2027, 4, 1), end=date(2027, 9, 30))
    winter = vac("winter", start=date(2027, 10, 1), end=date(2028, 3, 31))
    p = problem([cand("k1")], [summer, winter])
    r = solve_valid(p)
    assert proposed(p, r) == [("k1", "summer"), ("k1", "winter")]


def test_half_time_candidate_never_gets_full_time_job():
    p = problem([cand("k1", desired_fte=50)], [vac("full", fte=100)])
    r = solve_valid(p)
    assert proposed(p, r) == []
    assert pair_failures(p, 0, 0) == ["fte"]


def test_daily_share_is_respected():
    # 60% + 50% would exceed 100% on the overlapping days; 60% + 40% fits.
    p = problem([cand("k1")], [vac("a", fte=60), vac("b", fte=50), vac("c", fte=40)])
    r = solve_valid(p)
    assert proposed(p, r) == [("k1", "a"), ("k1", "c")]


def test_max_concurrent_jobs_default_two_and_configurable():
    vacs = [vac(f"v{i}", fte=30) for i in range(3)]
    r = solve_valid(p := problem([cand("k1")], vacs))
    assert len(proposed(p, r)) == 2
    r = solve_valid(p := problem([cand("k1")], vacs, max_concurrent_jobs=3))
    assert len(proposed(p, r)) == 3


def test_headcount():
    p = problem([cand(f"k{i}") for i in range(3)], [vac("v1", headcount=2)])
    r = solve_valid(p)
    assert len(proposed(p, r)) == 2


def test_coverage_comes_before_quality():
    # k1 fits v_good best, but giving v_good to k2 (who has nothing else) covers more of the year.
    good = vac("good", title="renholder", occupation="renhold")
    other = vac("other", title="lager", occupation="lager", fte=100)
    k1 = cand("k1", wishes=("renhold",))
    k2 = cand("k2", wishes=("butikk",), certificates={})
    p = problem([k1, k2], [good, other], vetoes=[("k2", "other")])
    r = solve_valid(p)
    assert proposed(p, r) == [("k1", "other"), ("k2", "good")]


def test_quality_breaks_ties():
    p = problem([cand("k1", wishes=("renhold",))],
                [vac("shop", title="butikkmedarbeider", occupation="butikk"),
                 vac("clean", title="renholder", occupation="renhold")])
    r = solve_valid(p)
    assert proposed(p, r) == [("k1", "clean")]


def test_pin_is_forced():
    p = problem([cand("k1", wishes=("renhold",))],
                [vac("shop", title="butikk", occupation="butikk"), vac("clean", title="renhold", occupation="renhold")],
                pins=[("k1", "shop")])
    r = solve_valid(p)
    assert proposed(p, r) == [("k1", "shop")]
    assert r.infeasible_pins == []


def test_infeasible_pin_is_reported_by_name_not_a_crash():
    p = problem([cand("k1", norwegian_level=1)], [vac("v1", min_norwegian_level=3), vac("v2")],
                pins=[("k1", "v1")])
    r = solve_valid(p)
    assert [(x.candidate_id, x.vacancy_id) for x in r.infeasible_pins] == [("k1", "v1")]
    assert "norsk" in r.infeasible_pins[0].reason
    assert proposed(p, r) == [("k1", "v2")]


def test_pin_among_single_job_candidates_stays_on_the_flow_and_is_optimal():
    # Everyone here can hold one full-time job only, so the flow solves it, pin included: k1 is
    # pinned to b, which leaves a to the better of k2 and k3.
    p = problem([cand("k1", wishes=("renhold",)), cand("k2", wishes=("renhold",)), cand("k3")],
                [vac("a", title="renholder", occupation="renhold"), vac("b", headcount=2)], pins=[("k1", "b")])
    r = solve_valid(p)
    assert (r.stats["flow_components"], r.stats["bundle_components"]) == (1, 0)
    assert ("k1", "b") in proposed(p, r) and ("k1", "a") not in proposed(p, r)
    assert r.infeasible_pins == []
    assert levels(r) == brute_force_best_with(p, r, [("k1", "b")])
    assert r.status == "optimal" and (r.coverage_bound, r.quality_bound) == levels(r)


def test_clashing_pins_on_the_flow_are_reported():
    p = problem([cand("k1"), cand("k2")], [vac("v1"), vac("v2")], pins=[("k1", "v1"), ("k1", "v2")])
    r = solve_valid(p)
    assert r.stats["bundle_components"] == 0
    assert ("k1", "v1") in proposed(p, r)
    assert [(x.candidate_id, x.vacancy_id) for x in r.infeasible_pins] == [("k1", "v2")]


def test_conflicting_pins_are_reported():
    p = problem([cand("k1"), cand("k2")], [vac("v1")], pins=[("k1", "v1"), ("k2", "v1")])
    r = solve_valid(p)
    assert proposed(p, r) == [("k1", "v1")]
    assert [(x.candidate_id, x.vacancy_id) for x in r.infeasible_pins] == [("k2", "v1")]


def test_veto_is_respected():
    p = problem([cand("k1")], [vac("v1")], vetoes=[("k1", "v1")])
    r = solve_valid(p)
    assert proposed(p, r) == []
    assert pair_failures(p, 0, 0) == ["vetoed"]


@pytest.mark.parametrize("candidate_kw,vacancy_kw,rule", [
    ({"ready": False}, {}, "ready"),
    ({"consent": False}, {}, "consent"),
    ({"norwegian_level": 2}, {"min_norwegian_level": 3}, "norwegian"),
    ({}, {"required_certificates": ("truck_licence",)}, "certificates"),
    # An expired police certificate blocks only where the employer wants it before the interview.
    ({"certificates": {"police_certificate": date(2026, 12, 31)}},
     {"required_certificates": ("police_certificate",), "documents_before_interview": True}, "certificates"),
    ({"hours": ("day",)}, {"hours": ("day", "night")}, "hours"),
    ({"available_from": date(2027, 2, 1)}, {}, "available"),
    ({"available_to": date(2026, 12, 1)}, {}, "available"),
    ({"max_commute_km": 10}, {"at": (60.39, 5.32)}, "commute"),  # Bergen
    ({"desired_fte": 40}, {"fte": 50}, "fte"),
    ({}, {"start": date(2028, 3, 1)}, "in_plan"),
    ({}, {"start": date(2025, 1, 1), "end": date(2026, 6, 30)}, "in_plan"),
])
def test_each_hard_rule_blocks_the_pair(candidate_kw, vacancy_kw, rule):
    p = problem([cand("k1", **candidate_kw)], [vac("v1", **vacancy_kw)])
    assert pair_failures(p, 0, 0) == [rule]
    assert len(eligible_pairs(p)) == 0
    assert proposed(p, solve_valid(p)) == []


def test_certificate_valid_on_start_date_is_enough():
    p = problem([cand("k1", certificates={"police_certificate": date(2027, 1, 1)})],
                [vac("v1", required_certificates=("police_certificate",), documents_before_interview=True)])
    assert pair_failures(p, 0, 0) == []


def test_running_job_counts_from_plan_start():
    p = problem([cand("k1")], [vac("v1", start=date(2026, 6, 1))])
    r = solve_valid(p)
    assert proposed(p, r) == [("k1", "v1")]
    assert year_coverage(p, r.pairs, r.chosen)[0] == pytest.approx(100.0)


def random_problem(seed, n_c=6, n_v=5, **params):
    rng = np.random.default_rng(seed)
    places = [(59.91, 10.75), (59.95, 10.9), (60.1, 10.3), (59.2, 10.9)]
    cands, vacs = [], []
    for i in range(n_c):
        cands.append(CandidateRecord(
            id=f"k{i}", lat=places[rng.integers(4)][0], lon=places[rng.integers(4)][1],
            desired_fte=int(rng.choice([50, 80, 100])), max_commute_km=float(rng.choice([10, 30, 80])),
            norwegian_level=int(rng.integers(0, 5)), hours=("day", "evening") if rng.random() < .7 else ("day",),
            certificates={"driving_licence_B": None} if rng.random() < .5 else {},
            available_from=date(2027, 1, 1) if rng.random() < .8 else date(2027, 6, 1),
            wishes=(str(rng.choice(["renhold", "lager", "butikk"])),)))
    for j in range(n_v):
        start = date(2027, int(rng.choice([1, 4, 7, 10])), 1)
        end = None if rng.random() < .4 else date(start.year + (start.month > 6), (start.month + 5) % 12 + 1, 28)
        vacs.append(VacancyRecord(
            id=f"v{j}", lat=places[rng.integers(4)][0], lon=places[rng.integers(4)][1], start=start, end=end,
            fte=int(rng.choice([30, 50, 100])), headcount=int(rng.choice([1, 1, 2])),
            hours=("day",) if rng.random() < .7 else ("day", "evening"),
            required_certificates=("driving_licence_B",) if rng.random() < .3 else (),
            min_norwegian_level=int(rng.integers(0, 4)), title=str(rng.choice(["renholder", "lager", "butikk"])),
            occupation=""))
    return build_problem(cands, vacs, YEAR, **params)


@pytest.mark.parametrize("seed", range(6))
def test_vectorised_eligibility_matches_per_pair_rules(seed):
    p = random_problem(seed, n_c=25, n_v=20)
    pairs = eligible_pairs(p)
    found = set(zip(pairs.cand.tolist(), pairs.vac.tolist()))
    expected = {(c, v) for c in range(25) for v in range(20) if not pair_failures(p, c, v)}
    assert found == expected


@pytest.mark.parametrize("seed", range(12))
def test_random_tiny_instances_reach_the_brute_force_optimum(seed):
    p = random_problem(seed)
    r = solve_valid(p)
    if len(r.pairs) > 14:
        pytest.skip("too many pairs to enumerate")
    assert levels(r) == brute_force_best(p, r)
    assert levels(r) >= (r.greedy_coverage, r.greedy_quality)


def test_flow_path_is_used_for_single_job_candidates_and_is_exact():
    # Everyone wants 100% and all jobs are full-time and permanent: plain 1:1, no CP-SAT.
    p = problem([cand(f"k{i}", wishes=("renhold",) if i % 2 else ("lager",)) for i in range(4)],
                [vac(f"v{j}", title="renholder" if j % 2 else "lager") for j in range(3)])
    r = solve_valid(p)
    assert r.stats["bundle_pairs"] == 0 and r.stats["flow_pairs"] == 12
    assert levels(r) == brute_force_best(p, r)
    assert (r.coverage_bound, r.quality_bound) == levels(r)


def test_independent_regions_are_solved_together():
    bergen = (60.39, 5.32)
    p = problem([cand("oslo"), cand("bergen", at=bergen)], [vac("v_oslo"), vac("v_bergen", at=bergen, fte=50)])
    r = solve_valid(p)
    assert r.stats["components"] == 2
    assert proposed(p, r) == [("bergen", "v_bergen"), ("oslo", "v_oslo")]


def test_progress_is_reported():
    events = []
    p = problem([cand("k1")], [vac("v1", fte=50), vac("v2", fte=50)])
    solve_valid(p, progress=events.append)
    assert {"eligibility", "scoring", "solve"} <= {e["phase"] for e in events}
