"""Small builders for matching tests: everyone in Oslo unless said otherwise."""

import itertools
from datetime import date

from matching.problem import CandidateRecord, MatchingParams, VacancyRecord, build_problem
from matching.solve import solve
from matching.validate import result_assignment, validate_assignment

YEAR = date(2027, 1, 1)
OSLO = (59.91, 10.75)


def cand(id, **kw):
    lat, lon = kw.pop("at", OSLO)
    return CandidateRecord(id=id, lat=lat, lon=lon, **kw)


def vac(id, **kw):
    lat, lon = kw.pop("at", OSLO)
    kw.setdefault("start", YEAR)
    return VacancyRecord(id=id, lat=lat, lon=lon, **kw)


def problem(cands, vacs, pins=(), vetoes=(), **params):
    return build_problem(cands, vacs, YEAR, MatchingParams(**params), pins=pins, vetoes=vetoes)


def solve_valid(p, **kw):
    """Solve and run the validator on the result: every test goes through here."""
    kw.setdefault("time_limit", 5)
    result = solve(p, **kw)
    excused = {(p.candidate_index()[x.candidate_id], p.vacancy_index()[x.vacancy_id]) for x in result.infeasible_pins}
    assert validate_assignment(p, result_assignment(result), excused) == []
    assert result.coverage_objective <= result.coverage_bound
    assert result.quality_objective <= result.quality_bound
    return result


def levels(result):
    """(coverage, score) of a result: the lexicographic objective."""
    return result.coverage_objective, result.quality_objective


def proposed(p, result):
    return sorted((p.candidates.ids[c], p.vacancies.ids[v]) for c, v in result_assignment(result))


def brute_force_best(p, result):
    """Lexicographically best (coverage, score) over every subset of eligible pairs that the
    validator accepts."""
    return brute_force_best_with(p, result, [])


def brute_force_best_with(p, result, pins):
    """Like `brute_force_best`, over the subsets that hold every pin (ids)."""
    pairs, coverage, quality = result.pairs, result.coverage, result.quality
    ci, vi = p.candidate_index(), p.vacancy_index()
    must = {(ci[c], vi[v]) for c, v in pins}
    best = (0, 0)
    for size in range(len(pairs) + 1):
        for subset in itertools.combinations(range(len(pairs)), size):
            assignment = [(int(pairs.cand[i]), int(pairs.vac[i])) for i in subset]
            if must <= set(assignment) and not validate_assignment(p, assignment):
                best = max(best, (int(sum(coverage[i] for i in subset)), int(sum(quality[i] for i in subset))))
    return best
