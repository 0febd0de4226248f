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

from matching.eligibility import Pairs
from matching.flow import max_weight_one_to_one
from matching.problem import MatchingProblem


def reassign_bundles(problem: MatchingProblem, pairs: Pairs, coverage: np.ndarray, quality: np.ndarray,
                     subset: np.ndarray, chosen: np.ndarray, pinned: np.ndarray) -> np.ndarray:
    """`chosen` (bool per pair) with the bundles on the pairs `subset` handed out anew; never
    lexicographically worse. Returns a new array."""
    import pandas as pd

    chosen = chosen.copy()
    mine = subset[chosen[subset]]
    if len(mine) < 2:
        return chosen
    owner = pairs.cand[mine].astype(np.int64)
    owners, bundle_of = np.unique(owner, return_inverse=True)
    size = np.bincount(bundle_of)
    members = pd.DataFrame({"bundle": bundle_of, "vac": pairs.vac[mine].astype(np.int64)})
    fits = _fits(problem, pairs, mine, bundle_of, len(owners))
    held = np.zeros(len(problem.candidates), dtype=bool)
    held[pairs.cand[pinned]] = True
    # Every (candidate, bundle) where the candidate has a pair to each of the bundle's vacancies.
    cand_pairs = pd.DataFrame({"pair": subset, "cand": pairs.cand[subset].astype(np.int64),
                               "vac": pairs.vac[subset].astype(np.int64)})
    rows = cand_pairs.merge(members, on="vac")
    counts = rows.groupby(["cand", "bundle"], sort=False)["pair"].transform("size").to_numpy()
    rows = rows[counts == size[rows["bundle"].to_numpy()]]
    cand, bundle = rows["cand"].to_numpy(), rows["bundle"].to_numpy()
    own = owners[bundle] == cand
    desired = problem.candidates.desired_fte.astype(np.int64)[cand]
    keep = own | ((fits[bundle] <= desired) & ~held[cand] & ~held[owners[bundle]])
    rows = rows[keep].copy()
    rows["cov"] = coverage[rows["pair"].to_numpy()]
    rows["score"] = quality[rows["pair"].to_numpy()]
    grouped = rows.groupby(["cand", "bundle"], sort=False)
    edge = grouped.ngroup().to_numpy()
    sums = grouped[["cov", "score"]].sum()
    edge_cand = sums.index.get_level_values(0).to_numpy()
    edge_bundle = sums.index.get_level_values(1).to_numpy()
    cov, score = sums["cov"].to_numpy(np.int64), sums["score"].to_numpy(np.int64)
    # Each candidate takes at most one bundle: M above the best total score any hand-out can have.
    m = 1 + int(pd.Series(score).groupby(edge_cand).max().sum())
    take = max_weight_one_to_one(len(problem.candidates), len(owners), edge_cand, edge_bundle, cov * m + score)
    before = chosen[subset]
    chosen[mine] = False
    chosen[rows["pair"].to_numpy()[take[edge]]] = True
    after = chosen[subset]
    new = (int(coverage[subset] @ after), int(quality[subset] @ after))
    old = (int(coverage[subset] @ before), int(quality[subset] @ before))
    if new < old:  # cannot happen (the old hand-out is one of the matchings); never lose anything
        chosen[subset] = before
    return chosen


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
