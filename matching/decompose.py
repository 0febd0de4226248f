"""Split an instance into independent parts and pick the algorithm for each.

Commute distances split the eligibility graph into regions with no pair between them; each
connected component can be solved on its own. A component where every candidate can hold at
most one job (`model.single_job_candidates`) is a plain b-matching: the min-cost flow solves it
exactly and fast, pins included (a pin fixes its candidate's one job; `solve` takes it out
before the flow). The rest, where bundles matter, go to the LP and CP-SAT.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from matching.eligibility import Pairs
from matching.model import single_job_candidates
from matching.problem import MatchingProblem


@dataclass
class Decomposition:
    component: np.ndarray  # int per pair
    n_components: int
    flow_pairs: np.ndarray  # indices of pairs in flow components
    bundle_pairs: np.ndarray  # indices of pairs in CP-SAT components
    n_flow_components: int
    n_bundle_components: int


def pair_components(n_candidates: int, n_vacancies: int, pairs: Pairs) -> tuple[int, np.ndarray]:
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    n = n_candidates + n_vacancies
    graph = coo_matrix((np.ones(len(pairs), np.int8), (pairs.cand, n_candidates + pairs.vac)), shape=(n, n))
    count, labels = connected_components(graph, directed=False)
    return count, labels[pairs.cand]


def decompose(problem: MatchingProblem, pairs: Pairs) -> Decomposition:
    n_c = len(problem.candidates)
    count, component = pair_components(n_c, len(problem.vacancies), pairs)
    single = single_job_candidates(problem, pairs)
    # A component is "flow" when all its candidates are single-job.
    needs_cpsat = np.zeros(count, dtype=bool)
    np.logical_or.at(needs_cpsat, component, ~single[pairs.cand])
    in_cpsat = needs_cpsat[component]
    present = np.zeros(count, dtype=bool)
    present[component] = True
    return Decomposition(
        component=component,
        n_components=int(present.sum()),
        flow_pairs=np.flatnonzero(~in_cpsat),
        bundle_pairs=np.flatnonzero(in_cpsat),
        n_flow_components=int((present & ~needs_cpsat).sum()),
        n_bundle_components=int((present & needs_cpsat).sum()),
    )
