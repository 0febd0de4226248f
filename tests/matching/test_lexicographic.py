"""Employment coverage strictly first, then match quality: tiny instances with a known
lexicographic optimum, and a property test against an exact MIP written here with scipy's
`milp` (HiGHS), independent of the project's model."""

from datetime import date

import numpy as np
import pytest
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import csr_matrix

import matching.solve as solve_module
from matching.eligibility import pair_failures
from matching.problem import CandidateRecord, VacancyRecord, build_problem
from matching.solve import year_coverage

from .helpers import YEAR, cand, levels, problem, proposed, solve_valid, vac

CLEANER = {"wishes": ("renholder",), "experience": ("renholder",)}
OTHER = {"wishes": ("sjåfør",), "experience": ("bussjåfør",)}


def score_of(r, p, c, v):
    i = np.flatnonzero((r.pairs.cand == p.candidate_index()[c]) & (r.pairs.vac == p.vacancy_index()[v]))[0]
    return int(r.scores.total[i])


def test_a_better_scoring_job_a_day_later_does_not_cost_coverage():
    # Wants 100 %, at most 2 jobs at once, three 25 % jobs: two from 1 January, a better-fitting
    # one from 2 January. Both January-1 jobs cover 25 percent-days more than any pair with the
    # later one, however much better it scores.
    p = problem([cand("k1", **CLEANER)],
                [vac("a", fte=25, title="lagermedarbeider"), vac("b", fte=25, title="lagermedarbeider"),
                 vac("late", fte=25, start=date(2027, 1, 2), title="renholder")])
    r = solve_valid(p)
    assert score_of(r, p, "k1", "late") - score_of(r, p, "k1", "a") > 25  # the old objective traded here
    assert proposed(p, r) == [("k1", "a"), ("k1", "b")]
    assert r.coverage_objective == 2 * 25 * 365
    assert r.status == "optimal" and r.coverage_bound == r.coverage_objective


def test_the_job_goes_to_the_candidate_it_covers_longer():
    # One 40 % job; the better-matching candidate is available one day less (40 percent-days).
    p = problem([cand("match", desired_fte=40, available_to=date(2027, 12, 30), **CLEANER),
                 cand("longer", desired_fte=40, **OTHER)],
                [vac("v", fte=40, title="renholder")])
    r = solve_valid(p)
    assert r.stats["flow_components"] == 1  # the 1:1 flow path
    assert score_of(r, p, "match", "v") - score_of(r, p, "longer", "v") > 40
    assert proposed(p, r) == [("longer", "v")]
    assert year_coverage(p, r.pairs, r.chosen).tolist() == [0.0, 100.0]


def test_the_same_trade_in_a_bundle_region():
    # As above, but both can also hold a second job, so the region goes to LP and CP-SAT.
    p = problem([cand("match", available_to=date(2027, 12, 30), **CLEANER), cand("longer", **OTHER)],
                [vac("v", fte=50, title="renholder"), vac("w1", fte=50, title="vekter"),
                 vac("w2", fte=50, title="vekter")], vetoes=[("match", "w2"), ("longer", "w1")])
    r = solve_valid(p)
    assert r.stats["bundle_components"] == 1
    assert ("longer", "v") in proposed(p, r) and ("match", "v") not in proposed(p, r)
    assert r.status == "optimal"


def test_quality_decides_only_between_equal_coverage():
    p = problem([cand("k1", **CLEANER)], [vac("shop", title="lagermedarbeider"), vac("clean", title="renholder")])
    r = solve_valid(p)
    assert proposed(p, r) == [("k1", "clean")]
    assert (r.quality_bound, r.coverage_bound) == (r.quality_objective, r.coverage_objective)


def test_optimal_is_claimed_only_when_both_levels_are_proven(monkeypatch):
    from benchmarks.generate import generate_tight

    p = generate_tight(12, 30, seed=3)
    monkeypatch.setattr(solve_module, "CPSAT_MAX_VARIABLES", 0)  # LP and rounding only
    monkeypatch.setattr(solve_module, "_neighbourhood_search", lambda *args: (0, 0))
    monkeypatch.setattr(solve_module, "vertex_polish", lambda *args: (None, False, None))
    rough = solve_valid(p)
    monkeypatch.undo()
    exact = solve_valid(p, time_limit=30)
    assert exact.status == "optimal"
    assert (exact.coverage_bound, exact.quality_bound) == levels(exact)
    assert levels(rough) < levels(exact)  # the rounding alone is not optimal here ...
    assert rough.status == "feasible"  # ... and does not say it is
    assert rough.coverage_bound >= exact.coverage_objective
    if rough.coverage_objective == exact.coverage_objective:
        assert rough.quality_bound >= exact.quality_objective > rough.quality_objective


# --- property test against an independent exact MIP --------------------------------------------


def random_tight_problem(seed):
    """A few candidates and jobs in one town, overlapping periods a day or two apart, shares that
    clash, and scores far apart (exact title wishes or none): where coverage and score pull apart."""
    rng = np.random.default_rng(seed)
    n_c, n_v = int(rng.integers(2, 5)), int(rng.integers(3, 7))
    cands = [CandidateRecord(
        id=f"k{i}", lat=59.91, lon=10.75, desired_fte=int(rng.choice([40, 50, 60, 75, 100])),
        available_from=date(2027, 1, 1) if rng.random() < .7 else date(2027, 1, int(rng.integers(2, 20))),
        available_to=None if rng.random() < .6 else date(2027, 12, int(rng.integers(25, 32))),
        wishes=(str(rng.choice(["renholder", "lagermedarbeider", "vekter"])),),
        experience=(str(rng.choice(["renholder", "lagermedarbeider", "kokk"])),),
        readiness_score=int(rng.integers(50, 101))) for i in range(n_c)]
    vacs = []
    for j in range(n_v):
        start = date(2027, int(rng.choice([1, 1, 1, 4])), int(rng.integers(1, 4)))
        end = None if rng.random() < .5 else date(2027, int(rng.choice([6, 12])), int(rng.integers(27, 31)))
        vacs.append(VacancyRecord(
            id=f"v{j}", lat=59.91, lon=10.75, start=start, end=end,
            fte=int(rng.choice([20, 25, 30, 40, 50, 60])), headcount=int(rng.choice([1, 1, 2])),
            title=str(rng.choice(["renholder", "lagermedarbeider", "vekter"])),
            employer_score=int(rng.integers(30, 80))))
    return build_problem(cands, vacs, YEAR)


def independent_lexicographic_optimum(p, result):
    """Max coverage, then max score with coverage held, by HiGHS on a MIP written from the rules:
    one binary per eligible pair (the per-pair reference rules), headcount per vacancy, and per
    candidate on every day one of their jobs starts: shares <= wanted share, jobs <= the maximum."""
    plan_end = p.plan_start + 364
    cands, vacs = p.candidates, p.vacancies
    score = {(int(c), int(v)): int(s) for c, v, s in zip(result.pairs.cand, result.pairs.vac, result.scores.total)}
    pairs = [(c, v) for c in range(len(cands)) for v in range(len(vacs)) if not pair_failures(p, c, v)]
    if not pairs:
        return 0, 0
    first = [max(int(vacs.start[v]), p.plan_start) for c, v in pairs]
    last = [min(int(vacs.end[v]), plan_end, int(cands.available_to[c])) for c, v in pairs]
    coverage = np.array([int(vacs.fte[v]) * (e - s + 1) for (c, v), s, e in zip(pairs, first, last)], float)
    quality = np.array([score[pair] for pair in pairs], float)
    rows, ub = [], []
    for v in range(len(vacs)):
        rows.append([1.0 if pv == v else 0.0 for _, pv in pairs])
        ub.append(float(vacs.headcount[v]))
    for c in range(len(cands)):
        for day in {s for (pc, _), s in zip(pairs, first) if pc == c}:
            active = [pc == c and s <= day <= e for (pc, _), s, e in zip(pairs, first, last)]
            rows.append([float(vacs.fte[v]) if a else 0.0 for (_, v), a in zip(pairs, active)])
            ub.append(float(cands.desired_fte[c]))
            rows.append([1.0 if a else 0.0 for a in active])
            ub.append(float(p.params.max_concurrent_jobs))
    A = csr_matrix(np.array(rows))
    rules = LinearConstraint(A, -np.inf, np.array(ub))
    ones = np.ones(len(pairs))
    first_level = milp(-coverage, constraints=[rules], integrality=ones, bounds=Bounds(0, 1))
    assert first_level.status == 0
    best_coverage = round(-first_level.fun)
    held = LinearConstraint(coverage[None, :], best_coverage - 0.5, np.inf)
    second_level = milp(-quality, constraints=[rules, held], integrality=ones, bounds=Bounds(0, 1))
    assert second_level.status == 0
    return best_coverage, round(-second_level.fun)


@pytest.mark.parametrize("seed", range(100))
def test_matches_an_independent_exact_lexicographic_mip(seed):
    p = random_tight_problem(seed)
    r = solve_valid(p)  # the validator passes
    assert levels(r) == independent_lexicographic_optimum(p, r)
    assert r.status == "optimal"
    assert (r.coverage_bound, r.quality_bound) == levels(r)


def test_neighbourhood_search_improves_blocks_too_big_for_cpsat_without_losing_coverage(monkeypatch):
    from benchmarks.generate import generate_tight

    p = generate_tight(40, 80, seed=0)
    monkeypatch.setattr(solve_module, "CPSAT_MAX_VARIABLES", 0)
    monkeypatch.setattr(solve_module, "NEIGHBOURHOOD_PAIRS", 1000)  # several neighbourhoods
    monkeypatch.setattr(solve_module, "vertex_polish", lambda *args: (None, False, None))  # it would leave them nothing
    searched = solve_valid(p, time_limit=20)
    monkeypatch.setattr(solve_module, "_neighbourhood_search", lambda *args: (0, 0))
    rough = solve_valid(p, time_limit=20)
    assert searched.stats["neighbourhoods"] >= 2 and searched.stats["neighbourhoods_improved"] >= 1
    assert levels(searched) > levels(rough)
    assert searched.coverage_objective >= rough.coverage_objective
