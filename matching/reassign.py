"""Hand whole bundles of jobs to other candidates: an exact step for the score level.

Where the LP's rounding decided coverage (which jobs are filled, in which combinations), it was
blind to who gets them: among candidates who could each take a bundle, the choice was arbitrary.
Treating each chosen bundle (one candidate's jobs) as a unit and each candidate as taking at most
one bundle, the best way to hand the bundles out is a maximum-weight bipartite matching: weight
coverage x M + score per (candidate, bundle) with M above any total score, so coverage never drops
and score is best among the hand-outs that keep it. Solved exactly (`flow.max_weight_one_to_one`).

A candidate may take a bundle only if every pair in it is eligible and the bundle fits them: on
no day more than their wanted share or more than the concurrent-job maximum, checked over the
vacancies' own periods (a candidate's periods lie inside them, so this is on the safe side; a
bundle's owner may always keep it). A candidate with a pin keeps their bundle.
"""

from __future__ import annotations

import numpy as np

from matching.arrays import unique_labels, unique_nearly_sorted
from matching.eligibility import Pairs
from matching.flow import EXACT_FLOAT, max_weight_one_to_one
from matching.problem import MatchingProblem

EXACT_LIMIT = EXACT_FLOAT  # a batch of parts keeps its costs below this (`flow.max_weight_one_to_one`)


def reassign_bundles(problem: MatchingProblem, pairs: Pairs, coverage: np.ndarray, quality: np.ndarray,
                     subset: np.ndarray, chosen: np.ndarray, pinned: np.ndarray) -> np.ndarray:
    """`chosen` (bool per pair) with the bundles on the pairs `subset` handed out anew; never
    lexicographically worse. Returns a new array."""
    chosen = chosen.copy()
    mine = subset[chosen[subset]]
    if len(mine) < 2:
        return chosen
    owner = pairs.cand[mine].astype(np.int64)
    owners, bundle_of = unique_labels(owner, return_inverse=True)
    size = np.bincount(bundle_of)
    fits = _fits(problem, pairs, mine, bundle_of, len(owners))
    held = np.zeros(len(problem.candidates), dtype=bool)
    held[pairs.cand[pinned]] = True
    # Every (pair of `subset`, bundle with a job at the pair's vacancy): a vacancy is in few
    # bundles (its places), so each pair gets the run of bundle members at its vacancy.
    by_vac = np.argsort(pairs.vac[mine], kind="stable")
    member_vac = pairs.vac[mine][by_vac]
    vac = pairs.vac[subset]
    lo = np.searchsorted(member_vac, vac)
    runs = np.searchsorted(member_vac, vac, side="right") - lo
    pair = np.repeat(subset, runs)
    bundle = bundle_of[by_vac[np.repeat(lo - np.cumsum(runs) + runs, runs) + np.arange(runs.sum())]]
    cand = pairs.cand[pair].astype(np.int64)
    # Candidates with a pair to each of the bundle's vacancies, who may take it.
    edge_key = cand * len(owners) + bundle
    _, index, counts = unique_nearly_sorted(edge_key, return_inverse=True, return_counts=True)  # pairs by candidate
    own = owners[bundle] == cand
    keep = ((counts[index] == size[bundle])
            & (own | ((fits[bundle] <= problem.candidates.desired_fte.astype(np.int64)[cand])
                      & ~held[cand] & ~held[owners[bundle]])))
    pair, cand, bundle = pair[keep], cand[keep], bundle[keep]
    keys, edge = unique_nearly_sorted(edge_key[keep], return_inverse=True)
    edge_cand, edge_bundle = keys // len(owners), keys % len(owners)
    cov = np.bincount(edge, weights=coverage[pair], minlength=len(keys)).round().astype(np.int64)
    score = np.bincount(edge, weights=quality[pair], minlength=len(keys)).round().astype(np.int64)
    take = _hand_out(len(problem.candidates), len(owners), edge_cand, edge_bundle, cov, score,
                     owners[edge_bundle] == edge_cand)
    before = chosen[subset]
    chosen[mine] = False
    chosen[pair[take[edge]]] = True
    after = chosen[subset]
    new = (int(coverage[subset] @ after), int(quality[subset] @ after))
    old = (int(coverage[subset] @ before), int(quality[subset] @ before))
    if new < old:  # cannot happen (the old hand-out is one of the matchings); never lose anything
        chosen[subset] = before
    return chosen


def _hand_out(n_cand: int, n_bundle: int, cand: np.ndarray, bundle: np.ndarray, cov: np.ndarray,
              score: np.ndarray, own: np.ndarray) -> np.ndarray:
    """bool per (candidate, bundle) edge: the matching with the most coverage, then the best score.
    Weight coverage x M + score, with M above the best total score any hand-out can have, taken
    per connected part of the graph (parts are independent) and with coverage divided by its
    greatest common divisor: the weights stay small enough for the fast exact 1:1 matching
    (`flow.max_weight_one_to_one`), which falls back to the min-cost flow where they do not.
    Parts are solved in batches that keep each batch's weights within that limit. `own`: the
    edges of each bundle to its present holder (every bundle has one).
    A part where no bundle has a better taker than its holder is kept as it is: each bundle's
    best edge bounds what any hand-out gets from it, and the holders reach all those bounds at
    once. Measured on the national re-run (a hand-out over 3.9 M pairs): most parts are so."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    graph = coo_matrix((np.ones(len(cand)), (cand, n_cand + bundle)), shape=(n_cand + n_bundle,) * 2)
    _, label = connected_components(graph, directed=False)
    part = label[cand]
    cov = cov // max(int(np.gcd.reduce(cov)), 1) if len(cov) else cov
    # Each candidate takes at most one bundle: per part, the sum of its candidates' best scores.
    best = np.zeros(n_cand, dtype=np.int64)
    np.maximum.at(best, cand, score)
    m = 1 + np.bincount(label[:n_cand], weights=best, minlength=label.max() + 1).astype(np.int64)
    weight = cov * m[part] + score
    own_weight = np.zeros(n_bundle, dtype=np.int64)
    own_weight[bundle[own]] = weight[own]
    better = np.zeros(len(m), dtype=bool)
    better[part[~own & (weight > own_weight[bundle])]] = True
    take = own & ~better[part]
    open_edges = np.flatnonzero(better[part])
    if not len(open_edges):
        return take
    order = open_edges[np.argsort(part[open_edges], kind="stable")]
    starts = np.flatnonzero(np.diff(part[order], prepend=-1))
    bounds = np.append(starts, len(order))
    top = (np.maximum.reduceat(weight[order], starts) + 1).tolist()
    right = np.bincount(label[n_cand:], minlength=len(m))[part[order][starts]].tolist()  # bundles per part
    first, batch_top, batch_right = 0, 0, 0
    for k in range(len(starts)):
        # Close the batch before this part if it would take the batch past the exact range.
        if batch_right and max(batch_top, top[k]) * (batch_right + right[k] + 1) >= EXACT_LIMIT:
            _solve_batch(take, order[bounds[first]:bounds[k]], cand, bundle, weight)
            first, batch_top, batch_right = k, 0, 0
        batch_top, batch_right = max(batch_top, top[k]), batch_right + right[k]
    _solve_batch(take, order[bounds[first]:], cand, bundle, weight)
    return take


def _solve_batch(take, edges, cand, bundle, weight) -> None:
    """The 1:1 matching on `edges`, numbered locally (a batch is a small part of the graph)."""
    cands, c = unique_labels(cand[edges], return_inverse=True)
    bundles, b = unique_labels(bundle[edges], return_inverse=True)
    take[edges] = max_weight_one_to_one(len(cands), len(bundles), c, b, weight[edges])


def _fits(problem: MatchingProblem, pairs: Pairs, mine: np.ndarray, bundle_of: np.ndarray, n: int) -> np.ndarray:
    """Per bundle: the largest total share on any day over the vacancies' own periods (clipped to
    the plan), or a share above 100 where more jobs than allowed overlap."""
    vac = pairs.vac[mine]
    start = np.maximum(problem.vacancies.start[vac].astype(np.int64), problem.plan_start)
    end = np.minimum(problem.vacancies.end[vac].astype(np.int64), problem.plan_end)
    fte = problem.vacancies.fte[vac].astype(np.int64)
    peak = np.zeros(n, dtype=np.int64)
    single = np.bincount(bundle_of, minlength=n) == 1
    peak[bundle_of[single[bundle_of]]] = fte[single[bundle_of]]
    order = np.argsort(bundle_of, kind="stable")
    cuts = np.flatnonzero(np.diff(bundle_of[order])) + 1
    for idx in np.split(order, cuts):
        b = int(bundle_of[idx[0]])
        if single[b]:
            continue
        # Overlap peaks happen on some job's first day.
        days = start[idx]
        active = (start[idx][None, :] <= days[:, None]) & (days[:, None] <= end[idx][None, :])
        share = (active * fte[idx][None, :]).sum(axis=1)
        count = active.sum(axis=1)
        peak[b] = 101 if count.max() > problem.params.max_concurrent_jobs else int(share.max())
    return peak
