"""The exact score LP's basis, kept for a re-run, and the re-run's LP from it (`matching.vertex`)."""

import dataclasses

import numpy as np
import pytest

import matching.vertex as vertex
from benchmarks.bench_rerun import with_new_vacancies
from benchmarks.generate import generate
from matching.budget import Budget
from matching.decompose import decompose
from matching.eligibility import eligible_pairs
from matching.model import day_groups, pair_coverage
from matching.scoring import score_pairs
from matching.warm import _map_ids

MU = 0.01  # coverage priced in both LPs, as a re-run does (`vertex.exact_again`)


def _biggest_block(p):
    """(pairs, coverage, score, component, groups, the biggest component's pairs) of p."""
    pairs = eligible_pairs(p)
    component = decompose(p, pairs).component
    labels, counts = np.unique(component, return_counts=True)
    cols = np.flatnonzero(component == labels[np.argmax(counts)])
    groups = vertex._restricted(day_groups(p, pairs, np.unique(pairs.cand[cols])), cols)
    return pairs, pair_coverage(p, pairs), score_pairs(p, pairs).total.astype(np.int64), component, groups, cols


def _all_rows_lp(p, pinned=np.zeros(0, np.int64)):
    """The block's LP with every row and column from the start: (its value, its duals)."""
    pairs, coverage, quality, component, groups, cols = _biggest_block(p)
    lp = vertex._ScoreLp(p, pairs, coverage, quality, cols, groups, component, pinned, 0.0)
    lp.price_coverage(MU)
    lp.add(np.arange(lp.A.shape[1]))
    assert lp.solve(Budget(60.0))
    return lp.obj @ lp.x, lp.duals()


def test_a_reruns_lp_from_the_previous_basis_with_rows_added_as_needed_reaches_the_same_optimum(monkeypatch):
    # The previous run's basis (its columns and its rows that are not basic), mapped by key onto
    # an instance with 3 new vacancies and 5 pins; the LP starts from those rows alone and adds
    # what its solution violates. To the end, it reaches the optimum of the LP with every row.
    monkeypatch.setattr(vertex, "EXACT_AGAIN_SOLVES", 100)
    p = generate(600, 300, seed=5, commute_km=(10, 40), zipf=0.3, city_boost=1.0)
    _, before = _all_rows_lp(p)
    assert len(before.basis.row_key) < len(before.keys)  # fewer rows than the LP has
    changed = with_new_vacancies(p, 3, np.random.default_rng(1))
    pairs, coverage, quality, component, groups, cols = _biggest_block(changed)
    pinned = np.random.default_rng(2).choice(cols, size=5, replace=False)
    value, after = _all_rows_lp(changed, pinned)

    basis = before.basis.mapped(_map_ids(np.array(p.candidates.ids), changed.candidates.ids),
                                _map_ids(np.array(p.vacancies.ids), changed.vacancies.ids))
    lp = vertex._ScoreLp(changed, pairs, coverage, quality, cols, groups, component, pinned, 0.0, all_rows=False)
    lp.price_coverage(MU)
    lp.start_from(basis, np.zeros(len(cols), dtype=bool))
    assert lp.solve(Budget(60.0))
    assert lp.row_in.sum() < len(lp.row_in)  # it did without some rows
    assert lp.obj @ lp.x == pytest.approx(value, rel=1e-7)
    # Its certificate (over all rows and columns) bounds the LP, and is tight at the optimum.
    again = lp.duals()
    assert again.const >= value - 1e-6 * abs(value)
    assert again.const == pytest.approx(after.const, rel=1e-6)
    assert again.mu == pytest.approx(MU)


def test_a_basis_maps_onto_another_runs_numbering_and_drops_a_block_solved_again():
    p = generate(600, 300, seed=5, commute_km=(10, 40), zipf=0.3, city_boost=1.0)
    _, duals = _all_rows_lp(p)
    basis = duals.basis
    # The same ids in reverse order: every entry comes back, renumbered.
    n_c, n_v = len(p.candidates.ids), len(p.vacancies.ids)
    mapped = basis.mapped(np.arange(n_c)[::-1].copy(), np.arange(n_v)[::-1].copy())
    assert np.array_equal(mapped.cand, n_c - 1 - basis.cand) and np.array_equal(mapped.vac, n_v - 1 - basis.vac)
    assert np.array_equal(mapped.row_status, basis.row_status)
    # A candidate who is gone takes their columns and rows with them.
    gone = int(basis.cand[0])
    cand_map = np.arange(n_c)
    cand_map[gone] = -1
    without = basis.mapped(cand_map, np.arange(n_v))
    assert gone not in without.cand and len(without.cand) < len(basis.cand)
    # Solved again: the block's entries give way to the new basis.
    cut = basis.without(np.unique(basis.cand), np.unique(basis.vac))
    assert all(len(getattr(cut, f.name)) == 0 for f in dataclasses.fields(cut))
