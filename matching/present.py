"""Results as rows people read: one proposal per chosen pair, one entry per shortlist place.
Shared by the CSV commands and the service, so both explain a pair the same way."""

from dataclasses import dataclass
from datetime import date

from matching.explain import explain_pairs
from matching.problem import MatchingProblem, ordinal_to_date
from matching.solve import MatchResult, year_coverage


@dataclass(frozen=True)
class ProposalRow:
    candidate_id: str
    vacancy_id: str
    employer_id: str
    fte: int
    start: date
    end: date | None
    score: int
    year_coverage: float  # percent of the candidate's wanted share-of-year, same on each of their rows
    components: dict[str, int]
    requirements_met: list[str]
    explanation: str
    notes: tuple[str, ...] = ()  # tasks before the start, closer follow-up


@dataclass(frozen=True)
class ShortlistRow:
    vacancy_id: str
    rank: int
    candidate_id: str
    score: int
    explanation: str


def proposal_rows(problem: MatchingProblem, result: MatchResult) -> list[ProposalRow]:
    """One row per proposed pair. Jobs a candidate already holds are not proposals: they get no
    row, but their days count in the candidate's year coverage."""
    pairs, vacs = result.pairs, problem.vacancies
    chosen = result.chosen_pairs
    coverage = year_coverage(problem, pairs, result.chosen)
    chosen = chosen[~vacs.is_held[pairs.vac[chosen]]]
    rows = []
    for p, why in zip(chosen.tolist(), explain_pairs(problem, pairs, result.scores, chosen), strict=True):
        c, v = int(pairs.cand[p]), int(pairs.vac[p])
        rows.append(ProposalRow(
            candidate_id=problem.candidates.ids[c], vacancy_id=vacs.ids[v], employer_id=vacs.employer_ids[v],
            fte=int(vacs.fte[v]), start=ordinal_to_date(int(pairs.start[p])), end=ordinal_to_date(int(vacs.end[v])),
            score=int(result.scores.total[p]), year_coverage=round(float(coverage[c]), 1),
            components=dict(why.components), requirements_met=list(why.requirements_met), explanation=why.text(),
            notes=tuple(why.notes),
        ))
    return rows


def shortlist_rows(problem: MatchingProblem, result) -> list[ShortlistRow]:
    """`result` is a `matching.shortlist.Shortlists`; rows by vacancy, best first."""
    pairs = result.pairs
    idx = [int(i) for i in sorted(result.chosen.nonzero()[0], key=lambda i: (int(pairs.vac[i]), int(result.rank[i])))]
    return [
        ShortlistRow(problem.vacancies.ids[pairs.vac[i]], int(result.rank[i]), problem.candidates.ids[pairs.cand[i]],
                     int(result.scores.total[i]), why.text())
        for i, why in zip(idx, explain_pairs(problem, pairs, result.scores, idx), strict=True)
    ]
