"""A re-run from the previous run's state: what a consultant gets after a few decisions."""

import dataclasses

import numpy as np
import pytest

import matching.relax as relax
import matching.solve as solve_module
import matching.vertex as vertex
from benchmarks.bench_rerun import with_new_vacancies
from benchmarks.generate import generate
from matching.decompose import decompose
from matching.validate import result_assignment
from matching.warm import WarmStart

from .helpers import levels, solve_valid
from .test_lexicographic import independent_lexicographic_optimum, random_tight_problem


def _decide(p, first, rng, vetoes=2, pins=1):
    """Vetoes of proposed pairs and pins of pairs not proposed, as a consultant would."""
    pairs = first.pairs
    proposed, other = np.flatnonzero(first.chosen), np.flatnonzero(~first.chosen)
    v = rng.choice(proposed, size=min(vetoes, len(proposed)), replace=False)
    q = rng.choice(other, size=min(pins, len(other)), replace=False)
    return dataclasses.replace(p, vetoes=[(int(pairs.cand[i]), int(pairs.vac[i])) for i in v],
                               pins=[(int(pairs.cand[i]), int(pairs.vac[i])) for i in q])


def test_a_rerun_without_changes_reuses_everything_and_proposes_the_same():
    p = generate(300, 150, seed=3)
    first = solve_valid(p, time_limit=5)
    again = solve_valid(p, time_limit=5, warm=WarmStart.from_bytes(first.warm.to_bytes()))
    assert again.stats["warm_start"] == 1
    assert again.stats["warm_changed_components"] == 0
    assert again.stats["warm_reused_components"] == first.stats["bundle_components"]
    assert np.array_equal(again.chosen, first.chosen)
    # Bounds per component are never tighter than the first run's totals.
    assert again.coverage_bound >= first.coverage_bound and again.quality_bound >= first.quality_bound
    assert again.coverage_objective == first.coverage_objective


def test_a_rerun_after_decisions_respects_them_and_keeps_what_did_not_change():
    p = generate(400, 200, seed=4, commute_km=(5, 15))
    first = solve_valid(p, time_limit=5)
    assert first.stats["bundle_components"] >= 3
    changed = _decide(p, first, np.random.default_rng(0))
    warm = solve_valid(changed, time_limit=5, warm=first.warm)
    assert warm.stats["warm_start"] == 1
    assert 0 < warm.stats["warm_changed_components"] < first.stats["bundle_components"]
    proposed = set(result_assignment(warm))
    assert not proposed & set(changed.vetoes)
    assert set(changed.pins) <= proposed | {(changed.candidate_index()[x.candidate_id],
                                            changed.vacancy_index()[x.vacancy_id]) for x in warm.infeasible_pins}
    # Components whose pairs did not change keep their proposals exactly.
    def by_component(prob, result):
        comp = decompose(prob, result.pairs).component
        out = {}
        for i, k in enumerate(comp.tolist()):
            out.setdefault(k, set()).add((int(result.pairs.cand[i]), int(result.pairs.vac[i])))
        return {frozenset(pairs): pairs & set(result_assignment(result)) for pairs in out.values()}

    before, after = by_component(p, first), by_component(changed, warm)
    same = [k for k in after if k in before and not k & (set(changed.pins) | set(changed.vetoes))]
    assert len(same) >= 3
    assert all(after[k] == before[k] for k in same)


@pytest.mark.parametrize("path", ["big", "small", "price steps", "exact again"])
@pytest.mark.parametrize("seed", range(40))
def test_warm_bounds_hold_against_an_independent_exact_mip(seed, path, monkeypatch):
    # "big": every changed component takes the big-component path (previous solution, previous
    # duals); "small": a changed small component is kept with bounds from the previous duals
    # where they certify it within the previous gaps, else solved again; "price steps": the big
    # path with subgradient steps in both runs, the re-run's from the first run's prices
    # (`matching.lagrange._price_steps`, `matching.relax.ROW_PRICE`); "exact again": the first
    # run solves every block's exact score LP and stores its basis, the re-run solves it again
    # from there with coverage priced (`matching.vertex.exact_again`), its duals the score bound.
    # Either way bounds that come from another run's duals must still bound the true optimum.
    if path in ("big", "price steps", "exact again"):
        monkeypatch.setattr(solve_module, "SIMPLEX_MAX_COLUMNS", 0)
    if path == "exact again":
        monkeypatch.setattr(vertex, "EXACT_LP_MIN_COLUMNS", 0)
    if path == "price steps":
        monkeypatch.setattr(relax, "PRICE_STEP_MIN_COLUMNS", 0)  # as on PDLP blocks
        monkeypatch.setattr(relax, "LP_PRICE_STEPS", 10)  # the first run keeps its prices ...
        monkeypatch.setattr(relax, "WARM_PRICE_STEPS", 10)  # ... the re-run steps on from them
    p = random_tight_problem(seed)
    first = solve_valid(p)
    if not first.chosen.any():
        return
    changed = _decide(p, first, np.random.default_rng(seed), vetoes=1, pins=0)
    warm = solve_valid(changed, warm=first.warm)
    best_coverage, best_score = independent_lexicographic_optimum(changed, warm)
    assert warm.coverage_bound >= best_coverage
    assert warm.quality_bound >= best_score
    assert warm.coverage_objective <= best_coverage
    if warm.status == "optimal":
        assert levels(warm) == (best_coverage, best_score)


def _big_component_rerun(monkeypatch):
    """A first run of a 1,500 x 750 instance whose components above 1,000 pairs take the
    big-component path, and the instance after 10 vetoes, 5 pins and 3 new vacancies."""
    monkeypatch.setattr(solve_module, "SIMPLEX_MAX_COLUMNS", 1_000)
    p = generate(1500, 750, seed=5, commute_km=(10, 40), zipf=0.3, city_boost=1.0)
    first = solve_valid(p, time_limit=5)
    changed = _decide(with_new_vacancies(p, 3, np.random.default_rng(1)), first, np.random.default_rng(2),
                      vetoes=10, pins=5)
    return first, changed


def test_a_big_component_restarts_from_the_previous_solution_and_fills_what_a_veto_freed(monkeypatch):
    first, changed = _big_component_rerun(monkeypatch)
    warm = solve_valid(changed, time_limit=5, warm=first.warm)
    cold = solve_valid(changed, time_limit=5)
    # The pairs of the candidates near the changes were solved again exactly (the vertex step).
    assert warm.stats["warm_start"] == 1 and warm.stats["warm_local_pairs"] > 0
    # The first run proved its optimum; the re-run is not there after its repair, so it solves the
    # LPs again from the previous point.
    assert first.status == "optimal" and warm.stats.get("warm_coverage_lp_pairs", 0) > 0
    # Close to a run from scratch at both levels, and its bounds stay certified and tight.
    assert warm.coverage_objective >= 0.995 * cold.coverage_objective
    assert warm.coverage_bound <= 1.01 * cold.coverage_bound
    assert warm.coverage_gap < 0.01


def test_a_big_component_whose_exact_lp_the_first_run_solved_starts_again_from_its_basis(monkeypatch):
    # Blocks above 1,000 pairs take PDLP and then the exact score LP, as at 20,000 x 10,000; the
    # first run stores that LP's basis. The re-run solves the LP again from it and proves a far
    # tighter score bound than the previous duals give (measured: 0.06 % against 0.93 %).
    monkeypatch.setattr(relax, "SIMPLEX_MAX_COLUMNS", 1_000)
    monkeypatch.setattr(vertex, "EXACT_LP_MIN_COLUMNS", 1_000)
    first, changed = _big_component_rerun(monkeypatch)
    assert first.stats["vertex_exact_blocks"] >= 1 and len(first.warm.basis_cand) > 0
    state = WarmStart.from_bytes(first.warm.to_bytes())
    assert np.array_equal(state.basis_row_key, first.warm.basis_row_key)
    warm = solve_valid(changed, time_limit=5, warm=state)
    assert warm.stats["warm_exact_components"] >= 1
    assert len(warm.warm.basis_cand) > 0  # and the next re-run can start from this one's
    without = WarmStart.from_bytes(first.warm.to_bytes())
    for f in dataclasses.fields(without):
        if f.name.startswith("basis_"):
            setattr(without, f.name, getattr(without, f.name)[:0])
    old = solve_valid(changed, time_limit=5, warm=without)
    assert "warm_exact_components" not in old.stats
    assert warm.coverage_objective >= old.coverage_objective
    assert warm.quality_gap < old.quality_gap / 2


def test_a_component_whose_exact_lp_finds_no_optimum_falls_back_to_the_vertex_step(monkeypatch):
    # Out of time, say: the component then gets the previous duals' score certificate (not the
    # solver-free bound, every pair's score) and the vertex step around its changes.
    monkeypatch.setattr(relax, "SIMPLEX_MAX_COLUMNS", 1_000)
    monkeypatch.setattr(vertex, "EXACT_LP_MIN_COLUMNS", 1_000)
    first, changed = _big_component_rerun(monkeypatch)
    monkeypatch.setattr(solve_module, "exact_again", lambda *args: (None, None))
    warm = solve_valid(changed, time_limit=5, warm=first.warm)
    assert "warm_exact_components" not in warm.stats and warm.stats["warm_local_pairs"] > 0
    assert warm.quality_gap < 0.02 and warm.coverage_gap < 0.01


def test_a_reruns_score_bound_is_taken_at_the_coverage_it_ends_with(monkeypatch):
    # The re-run certifies its changed big component right after the repair, then raises coverage
    # (vertex step, coverage LP). A score certificate holds for every solution with at least a
    # given coverage, so the bound at the final coverage is valid and tighter than the one at
    # the repair's (the MIP property test above checks validity).
    first, changed = _big_component_rerun(monkeypatch)
    warm = solve_valid(changed, time_limit=5, warm=first.warm)
    monkeypatch.setattr(solve_module, "_score_bound_at",  # as before: only at the coverage when certified
                        lambda const, mu, coverage: np.full(len(const), np.iinfo(np.int64).max))
    stale = solve_valid(changed, time_limit=5, warm=first.warm)
    assert levels(warm) == levels(stale)
    assert warm.quality_bound < stale.quality_bound


def test_a_rerun_certifies_from_the_first_runs_stepped_prices_and_proves_a_tighter_score_bound(monkeypatch):
    # The first run's price steps (`matching.lagrange._price_steps`) are kept in its state
    # (`relax.ROW_PRICE`); the re-run's certificate of its changed big component starts from them
    # without stepping again, and proves more than the same re-run without them.
    monkeypatch.setattr(solve_module, "SIMPLEX_MAX_COLUMNS", 1_000)
    monkeypatch.setattr(relax, "PRICE_STEP_MIN_COLUMNS", 1_000)
    monkeypatch.setattr(relax, "WARM_PRICE_STEPS", 0)
    p = generate(3000, 1500, seed=5, commute_km=(10, 40), zipf=0.3, city_boost=1.0)
    first = solve_valid(p, time_limit=5)
    prices = (first.warm.dual_key >> 60) == relax.ROW_PRICE
    assert first.stats["price_steps"] == relax.LP_PRICE_STEPS and prices.any()
    without = dataclasses.replace(first.warm, **{f: getattr(first.warm, f)[~prices]
                                                 for f in ("dual_key", "dual_coverage", "dual_quality", "dual_slot")})
    changed = _decide(with_new_vacancies(p, 3, np.random.default_rng(1)), first, np.random.default_rng(2),
                      vetoes=10, pins=5)
    warm = solve_valid(changed, time_limit=5, warm=first.warm)
    plain = solve_valid(changed, time_limit=5, warm=without)
    assert warm.stats["warm_changed_components"] > 0
    assert levels(warm) == levels(plain)
    assert warm.quality_bound < plain.quality_bound


def test_a_rerun_proves_again_the_optimum_a_first_run_proved():
    # Changed small components get the whole first-run treatment (vertex step, CP-SAT): with LPs
    # and rounding alone this re-run kept a 3.2 % score gap where a run from scratch proves the optimum.
    p = generate(3000, 1500, seed=11, commute_km=(10, 40), zipf=0.3, city_boost=1.0)
    first = solve_valid(p, time_limit=10, seed=1)
    changed = _decide(with_new_vacancies(p, 3, np.random.default_rng(1)), first, np.random.default_rng(2),
                      vetoes=10, pins=10)
    warm = solve_valid(changed, time_limit=10, seed=1, warm=first.warm)
    cold = solve_valid(changed, time_limit=10, seed=1)
    assert first.status == cold.status == "optimal" and warm.stats["warm_start"] == 1
    assert warm.status == "optimal"
    assert levels(warm) == levels(cold)
    # The first run's gaps were 0, so the re-run's changed small components needed CP-SAT.
    assert warm.stats["warm_fresh_cpsat"] == 1


def test_a_rerun_within_the_first_runs_gaps_does_no_more_proving_on_its_small_components():
    # The same re-run, against a first run whose proven gaps were 1 % at both levels: the changed
    # small components' LPs, rounding and vertex step already keep the run within them, so CP-SAT
    # is not asked to prove their blocks' bounds closer.
    p = generate(3000, 1500, seed=11, commute_km=(10, 40), zipf=0.3, city_boost=1.0)
    first = solve_valid(p, time_limit=10, seed=1)
    changed = _decide(with_new_vacancies(p, 3, np.random.default_rng(1)), first, np.random.default_rng(2),
                      vetoes=10, pins=10)
    state = dataclasses.replace(first.warm, coverage_gap=0.01, quality_gap=0.01)
    warm = solve_valid(changed, time_limit=10, seed=1, warm=state)
    strict = solve_valid(changed, time_limit=10, seed=1, warm=first.warm)
    assert warm.stats["warm_fresh_pairs"] > 0 and "warm_fresh_cpsat" not in warm.stats
    assert warm.coverage_gap <= 0.01 and warm.quality_gap <= 0.01
    assert warm.quality_gap > strict.quality_gap  # what the proof would have bought


def test_a_reruns_small_and_big_parts_solved_side_by_side_give_the_same_proposals_every_time(monkeypatch):
    # The changed small components are solved in a second thread beside the big ones' exact LP;
    # neither part's work may depend on which finishes first.
    monkeypatch.setattr(relax, "SIMPLEX_MAX_COLUMNS", 1_000)
    monkeypatch.setattr(vertex, "EXACT_LP_MIN_COLUMNS", 1_000)
    first, changed = _big_component_rerun(monkeypatch)
    runs = [solve_valid(changed, time_limit=5, warm=WarmStart.from_bytes(first.warm.to_bytes())) for _ in range(3)]
    assert runs[0].stats["warm_exact_components"] >= 1 and runs[0].stats["warm_fresh_pairs"] > 0
    for other in runs[1:]:
        assert np.array_equal(other.chosen, runs[0].chosen)
        assert levels(other) == levels(runs[0])
        assert (other.coverage_bound, other.quality_bound) == (runs[0].coverage_bound, runs[0].quality_bound)
        assert np.array_equal(other.warm.dual_key, runs[0].warm.dual_key)


def test_same_state_same_input_same_proposals():
    p = generate(300, 150, seed=6)
    first = solve_valid(p, time_limit=5)
    changed = _decide(p, first, np.random.default_rng(3))
    a = solve_valid(changed, time_limit=5, warm=first.warm)
    b = solve_valid(changed, time_limit=5, warm=WarmStart.from_bytes(first.warm.to_bytes()))
    assert np.array_equal(a.chosen, b.chosen)
    assert (a.coverage_bound, a.quality_bound) == (b.coverage_bound, b.quality_bound)


def test_a_state_from_another_plan_year_is_not_used():
    p = generate(200, 100, seed=7)
    first = solve_valid(p, time_limit=5)
    other_year = dataclasses.replace(p, plan_start=p.plan_start + 365)
    r = solve_valid(other_year, time_limit=5, warm=first.warm)
    assert r.stats["warm_start"] == 0


def test_a_changed_small_component_the_previous_duals_still_certify_is_kept_as_repaired():
    kept = 0
    for seed in range(12):
        p = random_tight_problem(seed)
        first = solve_valid(p)
        if not first.chosen.any():
            continue
        changed = _decide(p, first, np.random.default_rng(seed), vetoes=1, pins=0)  # the MIP has no pins
        warm = solve_valid(changed, warm=first.warm)
        kept += warm.stats.get("warm_small_components_kept", 0)
        best = independent_lexicographic_optimum(changed, warm)
        assert warm.coverage_bound >= best[0] and warm.quality_bound >= best[1]
    assert kept >= 1


def test_a_reruns_neighbourhood_takes_the_candidates_near_the_changes_then_the_largest_gap_shares():
    from types import SimpleNamespace

    # Candidates 0..4 with 2 pairs each; candidate 1 is near a change; 3 and 0 hold most of the gap.
    cand = np.repeat(np.arange(5), 2).astype(np.int32)
    pairs = SimpleNamespace(cand=cand)
    sub = np.arange(10)
    near = cand == 1
    shares = np.array([0.2, 0.1, 0, 0, 0.05, 0, 0.4, 0.2, 0, 0.05])
    taken = solve_module._widened(pairs, sub, near, shares, columns=6)
    assert set(np.unique(cand[taken]).tolist()) == {1, 3, 0}
    assert solve_module._widened(pairs, sub, near, shares, columns=1).tolist() == near.tolist()
