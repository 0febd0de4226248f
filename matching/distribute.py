"""One run's solve spread over several workers: the instance is cut along its independent
components (no eligible pair between two parts), each part is solved on its own, anywhere, and
the parts are put back together.

Nothing about the method changes. Both levels of the objective are sums over pairs, and parts share
no candidate, vacancy or pair, so the run's values and bounds are the sums of the parts' (exactly as
`solve` already sums its blocks), and the whole proposal is checked by the same validator against
the whole problem. Parts are balanced by eligible pairs, largest first onto the lightest part; the
largest single component cannot be cut and bounds the speed-up (benchmarks/bench_distributed.py).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

import numpy as np

from matching.eligibility import eligible_pairs
from matching.problem import NOT_HELD_JOB, CandidateTable, MatchingProblem, VacancyTable
from matching.solve import MatchResult


@dataclass
class Part:
    problem: MatchingProblem
    candidates: np.ndarray  # index in the whole problem, per candidate of the part
    vacancies: np.ndarray
    pairs: int  # eligible pairs, the measure of its work


@dataclass
class PartResult:
    """What a worker sends back: small, and in the whole problem's indices."""

    assignment: list[tuple[int, int]]
    coverage_objective: int
    coverage_bound: int
    quality_objective: int
    quality_bound: int
    optimal: bool
    reproducible: bool
    seconds: float
    pairs: int


@dataclass
class Combined:
    assignment: list[tuple[int, int]]
    coverage_objective: int
    coverage_bound: int
    quality_objective: int
    quality_bound: int
    status: str
    reproducible: bool
    part_seconds: list[float] = field(default_factory=list)


def _take(table, index: np.ndarray, n: int):
    """The rows `index` of a column table: arrays and lists whose length is the row count."""
    values = {}
    for f in dataclasses.fields(table):
        value = getattr(table, f.name)
        if isinstance(value, np.ndarray) and value.shape[:1] == (n,):
            value = value[index]
        elif isinstance(value, list) and len(value) == n:
            value = [value[i] for i in index]
        values[f.name] = value
    return type(table)(**values)


def component_sizes(problem: MatchingProblem) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(component per candidate, component per vacancy, eligible pairs per component). A candidate
    or vacancy with no eligible pair gets a component of its own with no pairs. The same graph as
    `matching.decompose`, over candidates and vacancies instead of pairs."""
    pairs = eligible_pairs(problem)
    n_c, n_v = len(problem.candidates), len(problem.vacancies)
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    n = n_c + n_v
    graph = coo_matrix((np.ones(len(pairs), np.int8), (pairs.cand, n_c + pairs.vac)), shape=(n, n))
    count, labels = connected_components(graph, directed=False)
    sizes = np.bincount(labels[pairs.cand], minlength=count) if len(pairs) else np.zeros(count, np.int64)
    return labels[:n_c], labels[n_c:], sizes


def split(problem: MatchingProblem, n_parts: int) -> list[Part]:
    """At most `n_parts` parts with no eligible pair between them, balanced by pairs."""
    comp_c, comp_v, sizes = component_sizes(problem)
    # A pin or a veto names a candidate and a vacancy; keep both in one part whatever eligibility says.
    for c, v in list(problem.pins) + list(problem.vetoes):
        if comp_c[c] != comp_v[v]:
            comp_v[comp_v == comp_v[v]] = comp_c[c]
    held = np.flatnonzero(problem.vacancies.held_by != NOT_HELD_JOB)
    comp_v[held] = comp_c[problem.vacancies.held_by[held]]

    load = np.zeros(n_parts, dtype=np.int64)
    part_of = np.zeros(len(sizes), dtype=np.int64)
    for k in np.argsort(-sizes, kind="stable"):  # largest first, onto the lightest part
        target = int(np.argmin(load))
        part_of[k] = target
        load[target] += sizes[k]

    parts = []
    for p in range(n_parts):
        cands = np.flatnonzero(part_of[comp_c] == p)
        vacs = np.flatnonzero(part_of[comp_v] == p)
        if len(cands) == 0 and len(vacs) == 0:
            continue
        parts.append(Part(_sub_problem(problem, cands, vacs), cands, vacs, int(load[p])))
    return parts


def _sub_problem(problem: MatchingProblem, cands: np.ndarray, vacs: np.ndarray) -> MatchingProblem:
    local_c = np.full(len(problem.candidates), -1, dtype=np.int64)
    local_c[cands] = np.arange(len(cands))
    local_v = np.full(len(problem.vacancies), -1, dtype=np.int64)
    local_v[vacs] = np.arange(len(vacs))
    candidates: CandidateTable = _take(problem.candidates, cands, len(problem.candidates))
    vacancies: VacancyTable = _take(problem.vacancies, vacs, len(problem.vacancies))
    held_by = vacancies.held_by.astype(np.int64)
    vacancies.held_by = np.where(held_by == NOT_HELD_JOB, NOT_HELD_JOB, local_c[np.maximum(held_by, 0)]).astype(np.int32)

    def local(pairs):
        return [(int(local_c[c]), int(local_v[v])) for c, v in pairs if local_c[c] >= 0 and local_v[v] >= 0]

    return dataclasses.replace(problem, candidates=candidates, vacancies=vacancies,
                               pins=local(problem.pins), vetoes=local(problem.vetoes))


def part_result(part: Part, result: MatchResult, seconds: float) -> PartResult:
    chosen = result.chosen_pairs
    assignment = [(int(part.candidates[c]), int(part.vacancies[v]))
                  for c, v in zip(result.pairs.cand[chosen], result.pairs.vac[chosen])]
    return PartResult(assignment, result.coverage_objective, result.coverage_bound, result.quality_objective,
                      result.quality_bound, result.status == "optimal", result.reproducible, seconds, part.pairs)


def combine(results: list[PartResult]) -> Combined:
    return Combined(
        assignment=sorted(pair for r in results for pair in r.assignment),
        coverage_objective=sum(r.coverage_objective for r in results),
        coverage_bound=sum(r.coverage_bound for r in results),
        quality_objective=sum(r.quality_objective for r in results),
        quality_bound=sum(r.quality_bound for r in results),
        status="optimal" if all(r.optimal for r in results) else "feasible",
        reproducible=all(r.reproducible for r in results),
        part_seconds=[r.seconds for r in results],
    )
