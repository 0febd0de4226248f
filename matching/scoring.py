"""Soft score 0-100 for each eligible pair, from documented, configurable components.

Component (default points)   what it measures
occupation (35)              best text similarity between the candidate's wishes and the
                             vacancy's occupation or title, or, if higher, how related the
                             wished STYRK-08 unit groups are to the vacancy's: the same group
                             counts fully, curated "similar work" 0.75, the same minor group
                             (three digits) 0.6 (core/occupations)
experience (20)              the same for the candidate's work experience
share_of_time (15)           job share / wanted share: a job matching the wanted share gets all
                             points, a 50% job for someone wanting 100% half (combinations fill
                             the rest, and the coverage objective rewards them separately)
commute (15)                 1 - distance / the candidate's maximum commute
employer (10)                the employer's score: standing agreement, barometer profile
readiness (5)                the candidate's readiness score
Points are scaled by each component's value in [0, 1] and summed; the total is rounded to an
integer because the solver takes integers. An empty wish or experience list counts as a neutral
0.5: missing information should not rank a candidate last.

Gender, national origin, religion, marital status, family and age are not inputs here and must
never become inputs (DOMAIN.md section 6).

Text similarity: rapidfuzz `process.cdist` with `default_process` (case and punctuation
folded), on all cores, computed once between the distinct terms candidates use and the distinct
titles/occupations vacancies use (uint8, in row blocks), then looked up per pair. Only pairs
that passed the hard rules are scored.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

from matching.eligibility import Pairs
from matching.problem import MatchingProblem

COMPONENTS = ("occupation", "experience", "share_of_time", "commute", "employer", "readiness")
COMPONENT_NB = {
    "occupation": "yrkesønske", "experience": "erfaring", "share_of_time": "stillingsandel",
    "commute": "reisevei", "employer": "arbeidsgiver", "readiness": "klarhet",
}
_CDIST_ROWS = 2048  # rows of the term x target similarity matrix computed per call


@dataclass
class ScoreWeights:
    occupation: int = 35
    experience: int = 20
    share_of_time: int = 15
    commute: int = 15
    employer: int = 10
    readiness: int = 5
    scorer: str = "token_set_ratio"  # any rapidfuzz.fuzz scorer name

    def points(self) -> dict[str, int]:
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name in COMPONENTS}


@dataclass
class PairScores:
    total: np.ndarray  # int16 0-100
    components: dict[str, np.ndarray]  # name -> int16 points per pair


def _similarity_lookup(terms: list[str], targets: list[str], scorer_name: str) -> np.ndarray:
    """(len(terms), len(targets)) uint8 similarity 0-100."""
    from rapidfuzz import fuzz, process
    from rapidfuzz.utils import default_process

    scorer = getattr(fuzz, scorer_name)
    out = np.zeros((len(terms), len(targets)), dtype=np.uint8)
    if not terms or not targets:
        return out
    for s in range(0, len(terms), _CDIST_ROWS):
        out[s:s + _CDIST_ROWS] = process.cdist(
            terms[s:s + _CDIST_ROWS], targets, scorer=scorer, processor=default_process,
            dtype=np.uint8, workers=-1)
    return out


def _best_similarity(term_lists: list[tuple[str, ...]], pairs: Pairs, target_a: np.ndarray,
                     target_b: np.ndarray, targets: list[str], scorer: str) -> np.ndarray:
    """Per pair: max similarity of any of the candidate's terms to either target; -1 if no terms."""
    vocab = sorted({t for terms in term_lists for t in terms if t})
    term_id = {t: i for i, t in enumerate(vocab)}
    width = max((len(t) for t in term_lists), default=0)
    padded = np.full((len(term_lists), max(width, 1)), -1, dtype=np.int32)
    for i, terms in enumerate(term_lists):
        ids = [term_id[t] for t in terms if t]
        padded[i, :len(ids)] = ids
    sim = _similarity_lookup(vocab, targets, scorer)
    best = np.full(len(pairs), -1, dtype=np.int16)
    ta, tb = target_a[pairs.vac], target_b[pairs.vac]
    for j in range(padded.shape[1]):
        t = padded[pairs.cand, j]
        has = t >= 0
        safe = np.where(has, t, 0)
        if len(vocab):
            value = np.maximum(sim[safe, ta], sim[safe, tb]).astype(np.int16)
            best = np.where(has, np.maximum(best, value), best)
    return best


def _best_relatedness(wish_codes: list[tuple[str, ...]], pairs: Pairs, vacancy_codes: list[str]) -> np.ndarray:
    """Per pair: the most related of the candidate's wished unit groups to the vacancy's, 0-1."""
    from core.occupations import relatedness

    best = np.zeros(len(pairs), dtype=np.float64)
    if len(wish_codes) == 0 or len(vacancy_codes) == 0:  # loaded without codes: text similarity only
        return best
    vocab = sorted({c for codes in wish_codes for c in codes if c})
    targets = sorted(set(vacancy_codes))
    if not vocab:
        return best
    related = np.array([[relatedness(a, b) for b in targets] for a in vocab], dtype=np.float64)
    code_id, target_id = {c: i for i, c in enumerate(vocab)}, {t: j for j, t in enumerate(targets)}
    width = max(len(codes) for codes in wish_codes)
    padded = np.full((len(wish_codes), max(width, 1)), -1, dtype=np.int32)
    for i, codes in enumerate(wish_codes):
        ids = [code_id[c] for c in codes if c]
        padded[i, :len(ids)] = ids
    vac_target = np.array([target_id[t] for t in vacancy_codes], dtype=np.int32)[pairs.vac]
    for j in range(padded.shape[1]):
        t = padded[pairs.cand, j]
        best = np.where(t >= 0, np.maximum(best, related[np.maximum(t, 0), vac_target]), best)
    return best


def score_pairs(problem: MatchingProblem, pairs: Pairs, weights: ScoreWeights | None = None) -> PairScores:
    weights = weights or ScoreWeights()
    cands, vacs = problem.candidates, problem.vacancies
    targets = sorted(set(vacs.titles) | set(vacs.occupations))
    target_id = {t: i for i, t in enumerate(targets)}
    title_ids = np.array([target_id[t] for t in vacs.titles], dtype=np.int32)
    occ_ids = np.array([target_id[t] for t in vacs.occupations], dtype=np.int32)

    def fraction_from_similarity(best: np.ndarray) -> np.ndarray:
        return np.where(best < 0, 0.5, best / 100.0)

    values = {
        "occupation": np.maximum(
            fraction_from_similarity(_best_similarity(cands.wishes, pairs, title_ids, occ_ids, targets, weights.scorer)),
            _best_relatedness(cands.wish_codes, pairs, vacs.occupation_codes)),
        "experience": fraction_from_similarity(
            _best_similarity(cands.experience, pairs, title_ids, occ_ids, targets, weights.scorer)),
        "share_of_time": vacs.fte[pairs.vac] / np.maximum(cands.desired_fte[pairs.cand], 1),
        "commute": 1.0 - pairs.distance_km / np.maximum(cands.max_commute_km[pairs.cand], 1e-9),
        "employer": vacs.employer_score[pairs.vac] / 100.0,
        "readiness": cands.readiness_score[pairs.cand] / 100.0,
    }
    points = weights.points()
    components = {}
    for name in COMPONENTS:
        fraction = np.clip(np.nan_to_num(values[name], nan=0.0), 0.0, 1.0)
        components[name] = np.rint(fraction * points[name]).astype(np.int16)
    total = np.clip(sum(components.values()), 0, 100).astype(np.int16)
    return PairScores(total, components)
