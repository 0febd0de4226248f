"""Shortlists ("fler-fangst"): up to k candidates per vacancy, each candidate on at most p
shortlists, chosen together to maximise the total score. This is a b-matching, solved exactly
as a min-cost flow. Shortlists ignore share-of-time combinations: they are who to present,
not who gets the job.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from matching.eligibility import Pairs, eligible_pairs
from matching.flow import max_weight_b_matching
from matching.problem import MatchingProblem
from matching.scoring import PairScores, ScoreWeights, score_pairs


@dataclass
class Shortlists:
    pairs: Pairs
    scores: PairScores
    chosen: np.ndarray  # bool per pair
    rank: np.ndarray  # int per pair: 1.. within its vacancy (0 = not chosen)
    total_score: int


def shortlists(problem: MatchingProblem, score_weights: ScoreWeights | None = None,
               pairs: Pairs | None = None, scores: PairScores | None = None) -> Shortlists:
    if pairs is None:
        pairs = eligible_pairs(problem)
    if scores is None:
        scores = score_pairs(problem, pairs, score_weights)
    open_job = ~problem.vacancies.is_held[pairs.vac]  # a job already held is nobody's to present for
    if not open_job.all():
        pairs = pairs.take(open_job)
        scores = PairScores(scores.total[open_job], {k: v[open_job] for k, v in scores.components.items()})
    k, p = problem.params.shortlist_per_vacancy, problem.params.shortlists_per_candidate
    chosen = max_weight_b_matching(len(problem.candidates), len(problem.vacancies), pairs.cand, pairs.vac,
                                   scores.total.astype(np.int64), p, k) if len(pairs) else np.zeros(0, bool)
    rank = np.zeros(len(pairs), dtype=np.int32)
    idx = np.flatnonzero(chosen)
    # Best score first within each vacancy; ties by candidate order for a stable result.
    order = idx[np.lexsort((pairs.cand[idx], -scores.total[idx], pairs.vac[idx]))]
    previous, r = -1, 0
    for i in order.tolist():
        v = int(pairs.vac[i])
        r = r + 1 if v == previous else 1
        previous = v
        rank[i] = r
    return Shortlists(pairs, scores, chosen, rank, int(scores.total[idx].sum()))
