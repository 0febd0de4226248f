import itertools

import numpy as np
import pytest

from matching.explain import explain_pairs, filled_vacancies, unlock_suggestions
from matching.flow import max_weight_b_matching, max_weight_matching, max_weight_one_to_one
from matching.shortlist import shortlists
from matching.validate import validate_shortlists

from .helpers import cand, problem, proposed, solve_valid, vac


def test_shortlists_respect_k_and_p_and_maximise_total_score():
    cands = [cand(f"k{i}", wishes=(w,)) for i, w in enumerate(["renhold", "renhold", "lager", "butikk", "lager"])]
    vacs = [vac(f"v{j}", title=t, headcount=1) for j, t in enumerate(["renholder", "lager", "butikk"])]
    p = problem(cands, vacs, shortlist_per_vacancy=2, shortlists_per_candidate=1)
    s = shortlists(p)
    chosen = [(int(s.pairs.cand[i]), int(s.pairs.vac[i])) for i in np.flatnonzero(s.chosen)]
    assert validate_shortlists(p, chosen) == []
    # brute force over all pair subsets that respect k and p
    n, best = len(s.pairs), 0
    for size in range(min(n, 6) + 1):
        for subset in itertools.combinations(range(n), size):
            sl = [(int(s.pairs.cand[i]), int(s.pairs.vac[i])) for i in subset]
            if not validate_shortlists(p, sl):
                best = max(best, int(sum(s.scores.total[i] for i in subset)))
    assert s.total_score == best
    ranks = sorted((int(s.pairs.vac[i]), int(s.rank[i])) for i in np.flatnonzero(s.chosen))
    assert all(r >= 1 for _, r in ranks)


def test_explanation_lists_components_and_requirements():
    p = problem([cand("k1", norwegian_level=3, certificates={"driving_licence_B": None}, wishes=("lager",))],
                [vac("v1", title="lagermedarbeider", min_norwegian_level=2, required_certificates=("driving_licence_B",))])
    r = solve_valid(p)
    (why,) = explain_pairs(p, r.pairs, r.scores, r.chosen_pairs)
    assert sum(why.components.values()) == why.score
    text = why.text()
    assert "norsk B1 (krav A2)" in text and "førerkort klasse B" in text and "reisevei 0 km" in text
    assert "yrkesønske" in text


def test_unlock_suggests_the_requirement_that_opens_most_vacancies():
    vacs = [vac("a", required_certificates=("truck_licence",)), vac("b", required_certificates=("truck_licence",)),
            vac("c", min_norwegian_level=3), vac("d", hours=("night",))]
    p = problem([cand("k1", norwegian_level=1, hours=("day",))], vacs)
    (s,) = unlock_suggestions(p)
    assert (s.candidate_id, s.kind, s.value, s.vacancies) == ("k1", "certificate", "truck_licence", 2)
    assert "truckførerbevis" in s.text


@pytest.mark.parametrize("vacancies,expected", [
    ([vac("c", min_norwegian_level=3), vac("c2", min_norwegian_level=4)], ("norwegian", "B2", 2)),
    ([vac("n", hours=("day", "night"))], ("hours", "night", 1)),
    ([vac("far", at=(59.75, 10.75))], ("commute", "18", 1)),  # ~18 km south of Oslo centre
])
def test_unlock_kinds(vacancies, expected):
    p = problem([cand("k1", norwegian_level=1, hours=("day",), max_commute_km=10)], vacancies)
    (s,) = unlock_suggestions(p)
    assert (s.kind, s.value, s.vacancies) == expected


def test_unlock_counts_only_vacancies_the_proposal_leaves_open():
    # k2 holds the truck licence and takes truck job a; only b is still open for k1.
    vacs = [vac("a", required_certificates=("truck_licence",)), vac("b", required_certificates=("truck_licence",), fte=50),
            vac("c", min_norwegian_level=3, fte=50)]
    p = problem([cand("k1", norwegian_level=1), cand("k2", certificates={"truck_licence": None}, desired_fte=100)], vacs)
    r = solve_valid(p)
    assert ("k2", "a") in proposed(p, r)
    filled = filled_vacancies(p, r.pairs.vac, r.chosen)
    assert filled.tolist() == [True, False, False]
    (s,) = [s for s in unlock_suggestions(p, filled) if s.candidate_id == "k1"]
    assert s.vacancies == 1  # a truck licence would now open b alone, a Norwegian level c alone
    (before,) = [s for s in unlock_suggestions(p) if s.candidate_id == "k1"]
    assert (before.kind, before.vacancies) == ("certificate", 2)


def test_unlock_ignores_vacancies_missing_two_requirements():
    p = problem([cand("k1")], [vac("v", min_norwegian_level=3, required_certificates=("truck_licence",))])
    assert unlock_suggestions(p) == []


def brute_matching(n_l, n_r, left, right, w):
    best = 0
    for size in range(len(w) + 1):
        for subset in itertools.combinations(range(len(w)), size):
            ls, rs = [left[i] for i in subset], [right[i] for i in subset]
            if len(set(ls)) == size and len(set(rs)) == size:
                best = max(best, sum(w[i] for i in subset))
    return best


@pytest.mark.parametrize("seed", range(8))
def test_dense_and_sparse_matching_are_exact(seed):
    rng = np.random.default_rng(seed)
    n_l, n_r = 4, 3
    cells = [(i, j) for i in range(n_l) for j in range(n_r) if rng.random() < 0.6]
    left = np.array([c[0] for c in cells], dtype=np.int64)
    right = np.array([c[1] for c in cells], dtype=np.int64)
    w = rng.integers(0, 20, len(cells)).astype(np.int64)
    best = brute_matching(n_l, n_r, left, right, w)
    dense = max_weight_matching(n_l, n_r, left, right, w)
    sparse = max_weight_b_matching(n_l, n_r, left, right, w, 1, 1)
    lapjv = max_weight_one_to_one(n_l, n_r, left, right, w)
    for chosen in (dense, sparse, lapjv):
        assert int(w[chosen].sum()) == best
        assert len(set(left[chosen])) == chosen.sum() and len(set(right[chosen])) == chosen.sum()


def test_one_to_one_leaves_a_node_unmatched_when_that_weighs_more():
    # Matching everyone (c1-b1, c2-b2) weighs 2; c1-b2 alone weighs 100.
    left, right, w = np.array([0, 1, 0]), np.array([0, 1, 1]), np.array([1, 1, 100])
    assert max_weight_one_to_one(2, 2, left, right, w).tolist() == [False, False, True]


@pytest.mark.parametrize("seed", range(4))
def test_one_to_one_agrees_with_the_min_cost_flow_on_bigger_graphs(seed):
    rng = np.random.default_rng(seed)
    n_l, n_r, m = 300, 200, 3000
    cells = np.unique(np.stack([rng.integers(0, n_l, m), rng.integers(0, n_r, m)], axis=1), axis=0)
    w = rng.integers(1, 10**9, len(cells))
    a = max_weight_one_to_one(n_l, n_r, cells[:, 0], cells[:, 1], w)
    b = max_weight_b_matching(n_l, n_r, cells[:, 0], cells[:, 1], w, 1, 1)
    assert int(w[a].sum()) == int(w[b].sum())
    assert len(set(cells[a, 0])) == a.sum() and len(set(cells[a, 1])) == a.sum()
