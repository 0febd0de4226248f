"""The LP relaxation: its bound is never below the true optimum, its clash sets are right, and
the vectorised critical-day groups cover every day on which a candidate's rules can bind."""

import numpy as np
import pytest

import matching.relax as relax
from matching.budget import Budget
from matching.decompose import decompose
from matching.eligibility import eligible_pairs
from matching.model import day_groups, pair_coverage, share_conflict_cliques
from matching.scoring import score_pairs

from .helpers import brute_force_best, cand, levels, problem, solve_valid, vac
from .test_solve import random_problem


def _relaxation(p, coverage_floor=None, prefer=None):
    """The coverage LP, or with `coverage_floor` the score LP over solutions with at least that
    coverage (one block here). Returns the certified integer bound. `prefer`: pairs a restricted
    LP always has (the solver passes the solution whose coverage is the floor)."""
    pairs = eligible_pairs(p)
    coverage = pair_coverage(p, pairs)
    quality = score_pairs(p, pairs).total.astype(np.int64)
    parts = decompose(p, pairs)
    subset = np.arange(len(pairs))
    groups = day_groups(p, pairs, np.unique(pairs.cand))
    args = (p, pairs, coverage, subset, groups, parts.component, np.zeros(0, np.int64), Budget(10.0), 1.0, 1.0)
    if coverage_floor is None:
        return int(relax.solve_relaxation(*args).bound_at().sum())
    floor = np.array([coverage_floor])
    lp = relax.solve_relaxation(*args[:2], quality, *args[3:], prefer=prefer, coverage=coverage, min_coverage=floor)
    return int(lp.bound_at(floor).sum())


def test_clash_sets_of_one_day():
    fte = np.array([60, 50, 40, 30, 80])
    cliques = share_conflict_cliques(np.arange(5), fte, 100)
    # Big jobs (above 50 %): 60 and 80 never fit together; 50 fits next to neither; 40 and 30
    # fit next to 60 but not next to 80.
    assert set(cliques) == {(0, 4), (0, 4, 1), (4, 2), (4, 3)}


def test_lp_bound_is_tight_where_the_share_rows_alone_are_not():
    # 60 + 50 > 100: the share row alone lets the LP take 60 + 0.8 x 50; the clash set does not.
    p = problem([cand("k1")], [vac("a", fte=60), vac("b", fte=50)])
    r = solve_valid(p)
    assert _relaxation(p) == r.coverage_objective


@pytest.mark.parametrize("seed", range(8))
def test_lp_bound_is_never_below_the_optimum(seed):
    p = random_problem(seed)
    r = solve_valid(p)
    if len(r.pairs) > 14:
        pytest.skip("too many pairs to enumerate")
    best = brute_force_best(p, r)
    assert _relaxation(p) >= best[0]
    # The score LP with coverage held at the optimum bounds the lexicographic optimum's score.
    assert _relaxation(p, best[0]) >= best[1]


@pytest.mark.parametrize("seed", range(4))
def test_first_order_lp_gives_a_valid_bound_too(seed, monkeypatch):
    monkeypatch.setattr(relax, "SIMPLEX_MAX_COLUMNS", 0)  # force PDLP
    p = random_problem(seed)
    r = solve_valid(p)
    if len(r.pairs) > 14:
        pytest.skip("too many pairs to enumerate")
    best = brute_force_best(p, r)
    assert _relaxation(p) >= best[0] and _relaxation(p, best[0]) >= best[1]
    assert levels(r) == best


def test_certified_bound_holds_for_any_nonnegative_duals():
    from scipy.sparse import csr_matrix

    # max 3a + 2b, a + b <= 1: optimum 3. Any y >= 0 must give at least 3.
    A = csr_matrix(np.array([[1.0, 1.0]]))
    c, b, lo, hi = np.array([3.0, 2.0]), np.array([1.0]), np.zeros(2), np.ones(2)
    for y in (0.0, 1.0, 2.5, 3.0, 10.0, -4.0):
        assert relax.certified_bound(c, A, b, lo, hi, np.array([y])) >= 3.0
    assert relax.certified_bound(c, A, b, lo, hi, np.array([3.0])) == 3.0


@pytest.mark.parametrize("seed", range(6))
def test_day_groups_cover_every_binding_day(seed):
    p = random_problem(seed, n_c=15, n_v=12)
    pairs = eligible_pairs(p)
    groups = day_groups(p, pairs, np.unique(pairs.cand))
    fte = p.vacancies.fte[pairs.vac]
    for c in np.unique(pairs.cand):
        mine = np.flatnonzero(pairs.cand == c)
        for day in np.unique(pairs.start[mine]):
            active = set(mine[(pairs.start[mine] <= day) & (day <= pairs.end[mine])].tolist())
            share_over = fte[list(active)].sum() > p.candidates.desired_fte[c]
            count_over = len(active) > p.params.max_concurrent_jobs
            if not (share_over or count_over):
                continue
            covering = [g for g in groups if g.candidate == c and active <= set(g.pairs.tolist())]
            assert any(g.check_share for g in covering) or not share_over
            assert any(g.check_count for g in covering) or not count_over


@pytest.mark.parametrize("seed", range(4))
def test_bound_stays_valid_when_the_lp_leaves_columns_out(seed, monkeypatch):
    # Big blocks price only some columns first; the bound is certified over all of them.
    monkeypatch.setattr(relax, "RESTRICT_MIN_COLUMNS", 0)
    monkeypatch.setattr(relax, "first_columns", lambda pairs, cols, w, h, prefer: (np.arange(len(cols)) == 0) | prefer)
    p = random_problem(seed)
    r = solve_valid(p)
    if len(r.pairs) > 14:
        pytest.skip("too many pairs to enumerate")
    best = brute_force_best(p, r)
    assert _relaxation(p) >= best[0] and _relaxation(p, best[0], prefer=r.chosen) >= best[1]


def test_first_columns_keep_each_candidates_and_vacancys_heaviest_pairs(monkeypatch):
    monkeypatch.setattr(relax, "FIRST_COLUMNS_PER_CANDIDATE", 1)
    p = problem([cand("k1"), cand("k2")], [vac("a"), vac("b"), vac("c")])
    pairs = eligible_pairs(p)
    weights = np.array([5, 9, 1, 8, 2, 3])  # k1: a b c, k2: a b c
    cols = np.arange(len(pairs))
    # headcount 1: each vacancy keeps its 4 heaviest pairs, i.e. all of them here.
    assert relax.first_columns(pairs, cols, weights, p.vacancies.headcount, np.zeros(6, bool)).all()
    top = relax._top_per_key(pairs.cand, weights, np.ones(6, np.int64))
    assert top.tolist() == [False, True, False, True, False, False]


@pytest.mark.parametrize("seed", range(3))
def test_ordering_by_key_then_score_is_lexsorts(seed):
    rng = np.random.default_rng(seed)
    key = rng.integers(0, 1_000, 20_000)
    score = rng.normal(scale=10.0 ** rng.integers(-3, 6), size=20_000)
    score[rng.random(20_000) < 0.1] = -np.inf  # left-out columns in the column generation
    order = relax.by_key_then_score(key, score)
    assert np.array_equal(key[order], key[np.lexsort((-score, key))])
    assert np.array_equal(score[order], score[np.lexsort((-score, key))])


def _lp_of(p, pinned_count=0):
    """(c, A, b, lo, hi, row keys) of the coverage LP of `p` with its first pairs pinned."""
    from scipy.sparse import csr_matrix

    pairs = eligible_pairs(p)
    coverage = pair_coverage(p, pairs)
    parts = decompose(p, pairs)
    subset = np.arange(len(pairs))
    groups = day_groups(p, pairs, np.unique(pairs.cand))
    rows = relax.build_rows(p, pairs, subset, groups, parts.component)
    A = csr_matrix((rows.val, (rows.row, rows.col)), shape=(len(rows.ub), rows.n_cols))
    c = np.zeros(A.shape[1])
    c[:len(pairs)] = coverage
    lo, hi = np.zeros(A.shape[1]), np.ones(A.shape[1])
    lo[:pinned_count] = 1.0
    return c, A, rows.ub, lo, hi, rows.row_key


@pytest.mark.parametrize("seed", range(6))
def test_polished_duals_tighten_the_bound_and_never_pass_the_lp_optimum(seed):
    from scipy.optimize import linprog

    p = random_problem(seed, n_c=30, n_v=25)
    c, A, b, lo, hi, keys = _lp_of(p, pinned_count=seed % 2)
    exact = linprog(-c, A_ub=A, b_ub=b, bounds=list(zip(lo, hi)), method="highs")
    assert exact.status == 0
    optimum = -exact.fun
    rng = np.random.default_rng(seed)
    for start in (np.zeros(len(b)), rng.uniform(0, 2 * c.max(), len(b))):
        before = relax.certified_bound(c, A, b, lo, hi, start)
        y = relax.polish_duals(A, b, lo, c, start, keys, sweeps=8)
        after = relax.certified_bound(c, A, b, lo, hi, y)
        assert (y >= 0).all()
        assert after >= optimum - 1e-6 * abs(optimum)  # still a bound
        assert after <= before + 1e-9 * abs(before)  # never looser
        # From nothing, a few sweeps recover most of what the exact duals certify.
        assert after - optimum <= 0.25 * (before - optimum) + 1e-6


@pytest.mark.parametrize("fmt", ["csr", "csc"])
def test_a_row_appended_below_is_the_same_matrix_as_a_stacked_one(fmt):
    from scipy.sparse import csr_matrix, vstack
    from scipy.sparse import random as sparse_random

    from matching.relax import with_row

    rng = np.random.default_rng(0)
    A = sparse_random(40, 60, density=0.1, format=fmt, random_state=1)
    A[:, 7] = 0  # an empty column, with and without an entry in the new row
    A[:, 8] = 0
    A.eliminate_zeros()
    coef = rng.normal(size=60)
    coef[rng.random(60) < 0.3] = 0.0
    coef[7], coef[8] = 2.5, 0.0
    got = with_row(A, coef)
    assert got.format == fmt and got.has_sorted_indices
    assert np.array_equal(got.toarray(), vstack([A, csr_matrix(coef[None, :])]).toarray())


def test_wall_clock_mode_gives_every_simplex_block_its_lp_when_pdlp_takes_the_time(monkeypatch):
    # Wall-clock mode (not the default): blocks above SIMPLEX_MAX_COLUMNS take PDLP and share
    # the LP's window; here the window is gone at once, as when the biggest block overran it.
    # The simplex blocks still get their LP, so their bounds are the LP's, not the solver-free
    # ones (which made the score gap 75 % at 20,000 x 10,000 with a 15 s wall-clock budget).
    from benchmarks.generate import generate

    monkeypatch.setattr(relax, "SIMPLEX_MAX_COLUMNS", 3_000)
    p = generate(1500, 750, seed=5, commute_km=(5, 15))  # blocks of 5,462 and 1,963 pairs
    pairs = eligible_pairs(p)
    coverage = pair_coverage(p, pairs)
    subset = np.arange(len(pairs))
    groups = day_groups(p, pairs, np.unique(pairs.cand))
    lp = relax.solve_relaxation(p, pairs, coverage, subset, groups, decompose(p, pairs).component,
                                np.zeros(0, np.int64), Budget(30.0, deterministic=False), 1e-6, 1.0)
    sizes = np.bincount(lp.block_of_pair)
    small = sizes <= 3_000
    assert small.any() and (~small).any()
    assert np.isfinite(lp.bound_const[small]).all()
    assert np.isnan(lp.bound_const[~small]).all()  # no time was left for PDLP
    assert (lp.bound_at()[small] <= np.bincount(lp.block_of_pair, weights=coverage)[small]).all()


def test_wall_clock_mode_leaves_each_pdlp_block_its_part_when_one_overruns(monkeypatch):
    # Both blocks take PDLP here. The first overruns its part of the window by far (as the wide
    # national case's 9.8 M-pair block did, certifying); the second still gets its own part of the
    # window from when it starts, so it has an LP bound, not the solver-free one.
    import time

    from benchmarks.generate import generate

    monkeypatch.setattr(relax, "SIMPLEX_MAX_COLUMNS", 1_500)
    solve_lp = relax._solve_lp
    calls = []

    def overrunning(*args, **kwargs):
        out = solve_lp(*args, **kwargs)
        calls.append(len(args[3]))
        if len(calls) == 1:
            time.sleep(2.0)  # past the whole window (5 % of 30 s)
        return out

    monkeypatch.setattr(relax, "_solve_lp", overrunning)
    p = generate(1500, 750, seed=5, commute_km=(5, 15))  # blocks of 5,462 and 1,963 pairs
    pairs = eligible_pairs(p)
    coverage = pair_coverage(p, pairs)
    subset = np.arange(len(pairs))
    groups = day_groups(p, pairs, np.unique(pairs.cand))
    lp = relax.solve_relaxation(p, pairs, coverage, subset, groups, decompose(p, pairs).component,
                                np.zeros(0, np.int64), Budget(30.0, deterministic=False), 0.05, 1.0)
    assert calls == [5462, 1963]
    assert np.isfinite(lp.bound_const).all()
    assert (lp.bound_at() <= np.bincount(lp.block_of_pair, weights=coverage)).all()


def test_heap_only_keeps_big_arrays_off_fresh_mappings_until_the_last_nested_use_closes():
    # A re-run holds it for the whole run while PDLP inside takes it again: PDLP's end must not
    # give the re-run's big arrays back to fresh mappings (page faults: 10-15 % of a national re-run).
    import ctypes

    libc = relax._glibc()
    assert libc is not None, "this machine's C library is glibc"

    class MallInfo2(ctypes.Structure):
        _fields_ = [(name, ctypes.c_size_t) for name in (
            "arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks", "fordblks", "keepcost")]

    libc.mallinfo2.restype = MallInfo2

    def maps_a_big_array() -> bool:
        before = libc.mallinfo2().hblks
        big = np.ones(8_000_000)  # 64 MB: above glibc's largest mapping threshold
        mapped = libc.mallinfo2().hblks > before
        del big
        return mapped

    assert maps_a_big_array()
    with relax.heap_only():
        with relax.heap_only():
            assert not maps_a_big_array()
        assert not maps_a_big_array()
    assert maps_a_big_array()
