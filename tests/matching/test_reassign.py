"""Handing whole bundles to other candidates: more score, never less coverage, never a broken rule."""

from datetime import date

import numpy as np
import pytest

from benchmarks.generate import generate
from matching.model import pair_coverage
from matching.reassign import reassign_bundles
from matching.scoring import score_pairs
from matching.solve import solve
from matching.validate import validate_assignment

from .helpers import cand, problem, vac


def _pairs(p):
    from matching.eligibility import eligible_pairs

    pairs = eligible_pairs(p)
    return pairs, pair_coverage(p, pairs), score_pairs(p, pairs).total.astype(np.int64)


def _chosen(p, pairs, wanted):
    ci, vi = p.candidate_index(), p.vacancy_index()
    keys = set((ci[c], vi[v]) for c, v in wanted)
    return np.array([(int(c), int(v)) in keys for c, v in zip(pairs.cand, pairs.vac)])


def _proposed(p, pairs, chosen):
    return sorted((p.candidates.ids[pairs.cand[i]], p.vacancies.ids[pairs.vac[i]]) for i in np.flatnonzero(chosen))


def test_each_candidate_gets_the_bundle_that_suits_them():
    p = problem([cand("kokken", wishes=("kokk",), experience=("kokk",)),
                 cand("renholderen", wishes=("renholder",), experience=("renholder",))],
                [vac("kjokken", title="kokk"), vac("vask", title="renholder")])
    pairs, coverage, quality = _pairs(p)
    swapped = _chosen(p, pairs, [("kokken", "vask"), ("renholderen", "kjokken")])
    better = reassign_bundles(p, pairs, coverage, quality, np.arange(len(pairs)), swapped, np.zeros(0, np.int64))
    assert _proposed(p, pairs, better) == [("kokken", "kjokken"), ("renholderen", "vask")]
    assert coverage @ better == coverage @ swapped and quality @ better > quality @ swapped


def test_a_bundle_goes_only_to_someone_it_fits_and_pins_stay():
    # Two 40 % jobs at the same time: 80 %, too much for the one who wants 50 %, even though it
    # would score better with them.
    p = problem([cand("heltid", desired_fte=100),
                 cand("halv", desired_fte=50, wishes=("renholder",), experience=("renholder",))],
                [vac("a", title="renholder", fte=40), vac("b", title="renholder", fte=40)])
    pairs, coverage, quality = _pairs(p)
    bundle = _chosen(p, pairs, [("heltid", "a"), ("heltid", "b")])
    out = reassign_bundles(p, pairs, coverage, quality, np.arange(len(pairs)), bundle, np.zeros(0, np.int64))
    assert _proposed(p, pairs, out) == [("heltid", "a"), ("heltid", "b")]
    # A pinned candidate keeps their bundle even where another would score more with it.
    p = problem([cand("låst"), cand("ønsker", wishes=("renholder",), experience=("renholder",))],
                [vac("a", title="renholder")], pins=[("låst", "a")])
    pairs, coverage, quality = _pairs(p)
    held = _chosen(p, pairs, [("låst", "a")])
    out = reassign_bundles(p, pairs, coverage, quality, np.arange(len(pairs)), held, np.flatnonzero(held))
    assert _proposed(p, pairs, out) == [("låst", "a")]


def test_on_a_generated_instance_it_keeps_coverage_raises_score_and_breaks_no_rule():
    p = generate(1500, 750, seed=5, commute_km=(10, 40), zipf=0.3, city_boost=1.0)
    r = solve(p, time_limit=5)
    # A second pass over the solver's own result (already handed out once) changes nothing that matters.
    out = reassign_bundles(p, r.pairs, r.coverage, r.quality, np.arange(len(r.pairs)), r.chosen, np.zeros(0, np.int64))
    assert r.coverage @ out == r.coverage @ r.chosen
    assert r.quality @ out >= r.quality @ r.chosen
    assert validate_assignment(p, list(zip(r.pairs.cand[out].tolist(), r.pairs.vac[out].tolist()))) == []


def test_held_jobs_and_periods_are_respected_across_the_plan_year():
    # Two jobs in sequence (spring, autumn) make one bundle; a candidate available only in spring
    # cannot take it, because its autumn pair is not eligible for them.
    p = problem([cand("hele", wishes=("vekter",)), cand("vår", available_to=date(2027, 6, 30),
                                                        wishes=("renholder",), experience=("renholder",))],
                [vac("v1", title="renholder", end=date(2027, 5, 31)),
                 vac("v2", title="renholder", start=date(2027, 8, 1))])
    pairs, coverage, quality = _pairs(p)
    both = _chosen(p, pairs, [("hele", "v1"), ("hele", "v2")])
    out = reassign_bundles(p, pairs, coverage, quality, np.arange(len(pairs)), both, np.zeros(0, np.int64))
    assert _proposed(p, pairs, out) == [("hele", "v1"), ("hele", "v2")]


@pytest.mark.parametrize("limit", [2**52, 10**6])
def test_the_hand_out_matching_is_lexicographic_per_part_and_agrees_with_the_min_cost_flow(limit, monkeypatch):
    # A low limit splits the parts into one batch each.
    import matching.reassign as reassign
    from matching.flow import max_weight_b_matching

    monkeypatch.setattr(reassign, "EXACT_LIMIT", limit)
    from matching.reassign import _hand_out

    rng = np.random.default_rng(7)
    # Three separate parts of 40 candidates x 25 bundles; coverage in steps of 5, as shares are.
    # Bundle 25 k + i is held by candidate 40 k + i.
    cand, bundle = [], []
    for k in range(3):
        for i in range(25):
            cand.append(40 * k + i)
            bundle.append(25 * k + i)
        for _ in range(150):
            cand.append(40 * k + rng.integers(40))
            bundle.append(25 * k + rng.integers(25))
    edges = np.unique(np.stack([cand, bundle], axis=1), axis=0)
    own = edges[:, 0] == 40 * (edges[:, 1] // 25) + edges[:, 1] % 25
    cov = 5 * rng.integers(1, 2000, len(edges))
    score = rng.integers(0, 100, len(edges))
    # In the first part every holder is its bundle's best taker: that part is kept as it is.
    cov[own & (edges[:, 1] < 25)] = 5 * 2000
    take = _hand_out(120, 75, edges[:, 0], edges[:, 1], cov, score, own)
    reference = max_weight_b_matching(120, 75, edges[:, 0], edges[:, 1], cov * 10**6 + score, 1, 1)
    assert (cov @ take, score @ take) == (cov @ reference, score @ reference)
    assert len(set(edges[take, 0])) == take.sum() and len(set(edges[take, 1])) == take.sum()
    first = edges[:, 1] < 25
    assert np.array_equal(take[first], own[first])
    assert not np.array_equal(take[~first], own[~first])  # elsewhere bundles moved
