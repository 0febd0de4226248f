"""The Lagrangian bound of both levels and the vertex step: exact per-candidate bundles checked by
enumeration against the rule validator; the bound never above the LP's and valid against an
exact optimum (the latter through `test_relax` and `test_warm`, which bound every run); the
vertex step's solution valid and never lexicographically worse than where it started."""

import itertools

import numpy as np
import pytest

import matching.lagrange as lagrange
import matching.relax as relax
import matching.vertex as vertex
from benchmarks.generate import generate
from matching.budget import Budget
from matching.decompose import decompose
from matching.eligibility import eligible_pairs
from matching.greedy import greedy_assign
from matching.lagrange import best_bundles
from matching.model import day_groups, pair_coverage, pair_key
from matching.scoring import score_pairs
from matching.solve import solve
from matching.validate import validate_assignment
from matching.vertex import vertex_polish

from .test_solve import random_problem

# Both ways of searching: every subset at once (candidates with few pairs), depth-first (the rest,
# and candidates with more rules than a pair's bit mask can name: here more than one).
SEARCHES = {"subsets": (12, 62), "depth-first": (0, 62), "many rules": (12, 1)}


@pytest.mark.parametrize("search", SEARCHES)
@pytest.mark.parametrize("seed", range(10))
def test_best_bundle_of_each_candidate_matches_enumeration(seed, search, monkeypatch):
    monkeypatch.setattr(lagrange, "ENUMERATE_MAX", SEARCHES[search][0])
    monkeypatch.setattr(lagrange, "_BITS", SEARCHES[search][1])
    p = random_problem(seed, n_c=6, n_v=11)
    pairs = eligible_pairs(p)
    rng = np.random.default_rng(seed)
    weight = rng.integers(-20, 60, len(pairs)).astype(float)
    cols = np.arange(len(pairs))
    groups = day_groups(p, pairs, np.unique(pairs.cand))
    fte = p.vacancies.fte[pairs.vac].astype(np.int64)
    found = best_bundles(cols, pairs.cand, weight, fte, np.zeros(len(pairs), bool), groups,
                         p.candidates.desired_fte, p.params.max_concurrent_jobs, len(p.candidates))
    assert found.exact.all()
    for c in range(len(p.candidates)):
        mine = np.flatnonzero(pairs.cand == c)
        best = 0.0
        for size in range(1, len(mine) + 1):
            for subset in itertools.combinations(mine.tolist(), size):
                if not validate_assignment(p, [(c, int(pairs.vac[i])) for i in subset]):
                    best = max(best, float(weight[list(subset)].sum()))
        assert found.value[c] == pytest.approx(best)
        taken = np.flatnonzero(found.chosen & (pairs.cand == c))
        assert float(weight[taken].sum()) == pytest.approx(best)
        assert not validate_assignment(p, [(c, int(pairs.vac[i])) for i in taken])


@pytest.mark.parametrize("search", SEARCHES)
def test_forced_pairs_are_in_the_bundle_even_at_a_loss(search, monkeypatch):
    monkeypatch.setattr(lagrange, "ENUMERATE_MAX", SEARCHES[search][0])
    monkeypatch.setattr(lagrange, "_BITS", SEARCHES[search][1])
    p = random_problem(3, n_c=4, n_v=9)
    pairs = eligible_pairs(p)
    weight = np.full(len(pairs), 10.0)
    forced = np.zeros(len(pairs), bool)
    forced[0] = True
    weight[0] = -50.0
    found = best_bundles(np.arange(len(pairs)), pairs.cand, weight, p.vacancies.fte[pairs.vac].astype(np.int64),
                         forced, day_groups(p, pairs, np.unique(pairs.cand)), p.candidates.desired_fte,
                         p.params.max_concurrent_jobs, len(p.candidates))
    assert found.chosen[0]
    c = int(pairs.cand[0])
    others = [i for i in np.flatnonzero(pairs.cand == c).tolist() if i != 0]
    best = max(float(weight[[0, *subset]].sum())
               for size in range(len(others) + 1) for subset in itertools.combinations(others, size)
               if not validate_assignment(p, [(c, int(pairs.vac[i])) for i in (0, *subset)]))
    assert found.value[c] == pytest.approx(best) and best < 10 * len(others) - 50  # a rule refused a pair


def _instance(p):
    """(pairs, coverage, score, component per pair, critical-day groups) over all of p's pairs."""
    pairs = eligible_pairs(p)
    return (pairs, pair_coverage(p, pairs), score_pairs(p, pairs).total.astype(np.int64),
            decompose(p, pairs).component, day_groups(p, pairs, np.unique(pairs.cand)))


def _score_lp(p):
    """The score LP's certified bound at the greedy solution's coverage, and the relaxation."""
    pairs, coverage, quality, component, groups = _instance(p)
    subset = np.arange(len(pairs))
    greedy, _ = greedy_assign(p, pairs, pair_key(coverage, quality).astype(float), subset)
    floor = np.array([coverage[greedy].sum()])
    lp = relax.solve_relaxation(p, pairs, quality, subset, groups, component, np.zeros(0, np.int64),
                                Budget(30.0), 1.0, 1.0, coverage=coverage, min_coverage=floor)
    return float(lp.bound_const[0] - lp.bound_mu[0] * floor[0]), lp


def test_lagrangian_bound_is_never_above_the_lp_bound_and_tighter_on_a_generated_instance(monkeypatch):
    p = generate(400, 200, seed=2)
    tight, lp = _score_lp(p)
    with monkeypatch.context() as m:
        m.setattr(relax, "tightened_constants", lambda *a, **k: (a[-1], None))  # the LP's certificate alone
        loose, _ = _score_lp(p)
    assert tight < loose - 1.0
    # Per component too (a re-run reuses those): the block's constant is their sum.
    assert lp.comp_const.sum() == pytest.approx(lp.bound_const[0])


def test_price_steps_tighten_the_score_bound_and_it_stays_above_the_optimum(monkeypatch):
    monkeypatch.setattr(relax, "PRICE_STEP_MIN_COLUMNS", 0)  # as on a PDLP block
    p = generate(400, 200, seed=2)
    stepped, _ = _score_lp(p)  # as shipped: the budget allows all LP_PRICE_STEPS here
    with monkeypatch.context() as m:
        m.setattr(relax, "LP_PRICE_STEPS", 0)
        start, _ = _score_lp(p)
    assert stepped < start - 1.0
    # The bound holds for every solution with at least the greedy's coverage, the optimum's among them.
    best = solve(p, time_limit=30)
    assert best.status == "optimal" and stepped >= best.quality_objective


def test_price_steps_are_as_many_as_the_budget_allows_the_same_in_every_run(monkeypatch):
    # A share of the budget's seconds, not of the clock: a short budget on many pairs takes fewer.
    # Only blocks above PRICE_STEP_MIN_COLUMNS pairs (PDLP's) take any.
    p = generate(400, 200, seed=2)
    pairs, coverage, quality, component, groups = _instance(p)
    subset = np.arange(len(pairs))
    floor = np.array([0.0])

    def steps(seconds):
        return relax.solve_relaxation(p, pairs, quality, subset, groups, component, np.zeros(0, np.int64),
                                      Budget(seconds), 1.0, 1.0, coverage=coverage, min_coverage=floor).price_steps

    assert steps(30.0) == 0
    monkeypatch.setattr(relax, "PRICE_STEP_MIN_COLUMNS", 0)
    assert steps(30.0) == relax.LP_PRICE_STEPS
    short = steps(0.05)
    assert 0 < short < relax.LP_PRICE_STEPS and steps(0.05) == short


def test_lagrangian_coverage_bound_is_never_above_the_lp_bound_tighter_and_still_valid(monkeypatch):
    p = generate(400, 200, seed=6)  # one where a candidate's bundles are tighter than their LP rows
    pairs, coverage, quality, component, groups = _instance(p)

    def bound():
        lp = relax.solve_relaxation(p, pairs, coverage, np.arange(len(pairs)), groups, component,
                                    np.zeros(0, np.int64), Budget(30.0), 1.0, 1.0)
        return int(lp.bound_at().sum())

    tight = bound()
    with monkeypatch.context() as m:
        m.setattr(relax, "tightened_constants", lambda *a, **k: (a[-1], None))
        loose = bound()
    assert tight < loose - 1000
    best = solve(p, time_limit=30)
    assert best.status == "optimal" and tight >= best.coverage_objective


@pytest.mark.parametrize("piece, allowance", [(None, None), (100, None), (100, 250)])
def test_vertex_step_keeps_every_rule_and_never_loses_coverage(monkeypatch, piece, allowance):
    # piece: a block too big for one vertex LP is done piece by piece, everyone else's jobs held;
    # allowance: columns for the run's 60 s, not enough for every piece.
    pieces = []
    if allowance:
        monkeypatch.setattr(vertex, "VERTEX_COLUMNS_PER_SECOND", allowance / 60)
    if piece:
        monkeypatch.setattr(vertex, "VERTEX_MAX_COLUMNS", 2 * piece)
        monkeypatch.setattr(vertex, "VERTEX_PIECE_COLUMNS", piece)
        polish = vertex._polish
        monkeypatch.setattr(vertex, "_polish", lambda *a: pieces.append(len(a[4])) or polish(*a))
    p = generate(300, 150, seed=4)
    pairs, coverage, quality, component, groups = _instance(p)
    cols = np.arange(len(pairs))
    # Start from a poor solution: the greedy by score alone.
    start, _ = greedy_assign(p, pairs, quality.astype(float), cols)
    pinned = np.flatnonzero(start)[:3]
    out, whole, _ = vertex_polish(p, pairs, coverage, quality, cols, start, np.ones(len(cols), bool), groups,
                               component, pinned, Budget(60.0))
    assert out is not None
    assert whole == (not allowance)  # with too small an allowance some pieces are left
    assert not validate_assignment(p, list(zip(pairs.cand[out].tolist(), pairs.vac[out].tolist())))
    assert out[pinned].all()
    assert coverage[out].sum() >= coverage[start].sum()
    assert (coverage[out].sum(), quality[out].sum()) > (coverage[start].sum(), quality[start].sum())
    if piece:
        assert max(pieces) < 1.5 * piece  # whole candidates, so about `piece`
        if allowance:
            assert 2 <= len(pieces) < 5 and sum(pieces) <= allowance  # some of the 5 pieces
        else:
            assert len(pieces) == 5


def test_vertex_step_around_some_candidates_holds_everyone_else():
    # A re-run solves the pairs near its changes again; everyone else's jobs stay as they are,
    # and the places they hold are not handed out twice.
    p = generate(300, 150, seed=4)
    pairs, coverage, quality, component, groups = _instance(p)
    cols = np.arange(len(pairs))
    start, _ = greedy_assign(p, pairs, quality.astype(float), cols)
    near = np.isin(pairs.cand, np.unique(pairs.cand)[::3])
    piece = np.flatnonzero(near)
    found = vertex.polish_around(p, pairs, coverage, quality, piece, start, groups, component,
                                 np.zeros(0, np.int64), Budget(60.0))
    assert found is not None
    out = start.copy()
    out[piece] = found
    assert np.array_equal(out[~near], start[~near])
    assert not validate_assignment(p, list(zip(pairs.cand[out].tolist(), pairs.vac[out].tolist())))
    assert (coverage[out].sum(), quality[out].sum()) > (coverage[start].sum(), quality[start].sum())


def test_vertex_step_around_a_repaired_solution_reaches_for_the_most_coverage_first():
    # A re-run's repaired solution can be well short of the coverage its neighbourhood allows;
    # the step takes the score LP's vertex among the coverage LP's optima, so it gets much of
    # that coverage back, where holding only the start's coverage left most of it.
    p = generate(300, 150, seed=5)
    pairs, coverage, quality, component, groups = _instance(p)
    cols = np.arange(len(pairs))
    start, _ = greedy_assign(p, pairs, quality.astype(float), cols)  # by score alone: poor coverage
    piece = np.flatnonzero(np.isin(pairs.cand, np.unique(pairs.cand)[::3]))
    found = vertex.polish_around(p, pairs, coverage, quality, piece, start, groups, component,
                                 np.zeros(0, np.int64), Budget(60.0))
    n_vac = len(p.vacancies)
    room = p.vacancies.headcount - (np.bincount(pairs.vac[start], minlength=n_vac)
                                    - np.bincount(pairs.vac[piece[start[piece]]], minlength=n_vac))
    score_first = vertex._polish(p, pairs, coverage, quality, piece, start[piece], vertex._restricted(groups, piece),
                                 component, np.zeros(0, np.int64), Budget(60.0), room)
    before = coverage[piece[start[piece]]].sum()
    assert coverage[piece[found]].sum() > coverage[piece[score_first]].sum() > before
    assert coverage[piece[found]].sum() > 1.1 * before
    out = start.copy()
    out[piece] = found
    assert not validate_assignment(p, list(zip(pairs.cand[out].tolist(), pairs.vac[out].tolist())))


def test_gap_shares_add_up_to_the_certificates_gap_and_point_at_the_pair_it_prices_in():
    # Two candidates, two vacancies with one place each, each candidate one job at most:
    # columns (c0,v0) (c0,v1) (c1,v0) (c1,v1), rows: the two headcounts, the two candidates.
    from scipy.sparse import csr_matrix

    A = csr_matrix(np.array([[1, 0, 1, 0], [0, 1, 0, 1], [1, 1, 0, 0], [0, 0, 1, 1]], dtype=float))
    b = np.ones(4)
    c = np.array([5.0, 4.0, 3.0, 9.0])
    lo, hi = np.zeros(4), np.ones(4)
    y = np.array([2.0, 1.0, 0.5, 0.0])
    x = np.array([1.0, 0.0, 0.0, 0.0])  # candidate 1 left without the job the certificate prices in
    shares = relax.gap_shares(c, A, b, lo, hi, y, x)
    assert shares.sum() == pytest.approx(relax.certified_bound(c, A, b, lo, hi, y) - c @ x)
    assert (shares >= -1e-12).all()
    assert int(np.argmax(shares)) == 3


@pytest.mark.parametrize("seed", range(40))
def test_the_exact_score_lps_certificate_bounds_the_optimum(seed, monkeypatch):
    # Every block takes the exact score LP (column generation from the kept pairs, `vertex.
    # _exact_score_lp`) and its duals certify the score bound; no CP-SAT, so that bound stands.
    from matching import solve as solve_module

    from .helpers import levels, solve_valid
    from .test_lexicographic import independent_lexicographic_optimum, random_tight_problem

    monkeypatch.setattr(vertex, "EXACT_LP_MIN_COLUMNS", 0)
    monkeypatch.setattr(solve_module, "CPSAT_MAX_VARIABLES", 0)
    monkeypatch.setattr(solve_module, "_neighbourhood_search", lambda *args: (0, 0))
    p = random_tight_problem(seed)
    r = solve_valid(p, gap_limit=0.0)
    best_coverage, best_score = independent_lexicographic_optimum(p, r)
    assert r.coverage_bound >= best_coverage and r.quality_bound >= best_score
    assert levels(r)[0] <= best_coverage


def test_the_exact_score_lp_tightens_a_pdlp_blocks_score_bound(monkeypatch):
    # Blocks above 1,000 pairs take PDLP, as at 20,000 x 10,000. With the exact score LP their
    # score bound comes from the simplex's duals after column generation, not PDLP's (CP-SAT off:
    # it would prove both optimal here).
    from matching import solve as solve_module

    from .helpers import solve_valid

    monkeypatch.setattr(relax, "SIMPLEX_MAX_COLUMNS", 1_000)
    monkeypatch.setattr(solve_module, "CPSAT_MAX_VARIABLES", 0)
    monkeypatch.setattr(solve_module, "_neighbourhood_search", lambda *args: (0, 0))
    p = generate(1500, 750, seed=5, commute_km=(10, 40), zipf=0.3, city_boost=1.0)

    monkeypatch.setattr(vertex, "EXACT_LP_MIN_COLUMNS", 10**9)
    pdlp = solve_valid(p, time_limit=5)
    monkeypatch.setattr(vertex, "EXACT_LP_MIN_COLUMNS", 1_000)
    exact = solve_valid(p, time_limit=5)
    assert "vertex_exact_blocks" not in pdlp.stats and exact.stats["vertex_exact_blocks"] >= 1
    assert exact.quality_bound < pdlp.quality_bound
    assert exact.quality_gap < pdlp.quality_gap
