"""The year-bundle assignment model for CP-SAT: one `add_*` function per rule.

Variables: one boolean per eligible pair (vetoed and ineligible pairs get no variable, which is
how vetoes are enforced). Constraints:
- `add_headcount`: a vacancy gets at most `headcount` candidates.
- `add_daily_share`: on no day may a candidate's jobs add up to more than their wanted share.
- `add_max_concurrent`: at most `max_concurrent_jobs` jobs on any one day.
- `add_pins`: pinned pairs are in the solution.
Jobs are intervals, so a day-wise rule only needs checking on days where some job starts (the
load can only rise there), and only on such days where it could be broken; a day whose set of
active jobs is a subset of another checked day's set is implied and skipped.

Objective (see `pair_weights`): maximise
    sum over chosen pairs of  coverage_weight * fte% * days_in_plan  +  quality_weight * score.
Coverage comes first: a pair's coverage is its share of time times its days in the planning
year (a full-time job all year is 100 * 365 = 36,500 percent-days), while its score is at most
100. With the default weights 1 and 1, one full-time day of work (100 percent-days) already
outweighs the largest possible score difference of a pair, so quality only decides between
solutions whose coverage is equal or differs by less than about one working day per pair
changed. Each candidate's coverage counts up to their wanted share over the year with no extra
term: the daily share rule already keeps every day's share at or below the wanted share.

Built in bulk per TECH-NOTES: `LinearExpr.weighted_sum` + `add_linear_constraint` for the rules;
the objective and the hint are written straight into the model proto (one extend call each,
ten times faster than per-variable calls at 400,000 variables).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from matching.eligibility import Pairs
from matching.problem import MatchingParams, MatchingProblem


@dataclass
class DayGroup:
    """Pairs of one candidate that are all active on one critical day."""

    candidate: int
    pairs: np.ndarray  # indices into the pair arrays
    check_share: bool  # their shares together could exceed the wanted share
    check_count: bool  # their number could exceed max_concurrent_jobs


def pair_coverage(problem: MatchingProblem, pairs: Pairs) -> np.ndarray:
    """Percent-days each pair adds to its candidate's year: fte% x days within the plan."""
    return problem.vacancies.fte[pairs.vac].astype(np.int64) * pairs.days.astype(np.int64)


def pair_weights(problem: MatchingProblem, pairs: Pairs, scores: np.ndarray) -> np.ndarray:
    params = problem.params
    return (params.coverage_weight * pair_coverage(problem, pairs)
            + params.quality_weight * scores.astype(np.int64))


def candidate_slices(pairs: Pairs, n_candidates: int) -> np.ndarray:
    """bounds[c]:bounds[c+1] are candidate c's pairs (pairs are sorted by candidate)."""
    return np.searchsorted(pairs.cand, np.arange(n_candidates + 1))


def single_job_candidates(problem: MatchingProblem, pairs: Pairs) -> np.ndarray:
    """bool per candidate: any two of their eligible jobs clash, so they can hold at most one.

    True when all their job intervals share a day (pairwise overlapping intervals always do)
    and either two jobs together exceed the wanted share or only one job at a time is allowed.
    These candidates are plain 1:1 and can go to a flow algorithm."""
    n = len(problem.candidates)
    fte = problem.vacancies.fte[pairs.vac].astype(np.int32)
    big = np.iinfo(np.int32).max
    max_start = np.full(n, np.iinfo(np.int32).min, np.int64)
    min_end = np.full(n, big, np.int64)
    min_fte = np.full(n, big, np.int64)
    np.maximum.at(max_start, pairs.cand, pairs.start)
    np.minimum.at(min_end, pairs.cand, pairs.end)
    np.minimum.at(min_fte, pairs.cand, fte)
    clash = (2 * min_fte > problem.candidates.desired_fte) | (problem.params.max_concurrent_jobs <= 1)
    return (max_start <= min_end) & clash


def day_groups(problem: MatchingProblem, pairs: Pairs, candidates: np.ndarray) -> list[DayGroup]:
    """The critical-day groups for the given candidates (only groups that can bind)."""
    params: MatchingParams = problem.params
    bounds = candidate_slices(pairs, len(problem.candidates))
    fte_all = problem.vacancies.fte[pairs.vac].astype(np.int64)
    groups: list[DayGroup] = []
    for c in candidates:
        lo, hi = bounds[c], bounds[c + 1]
        n = hi - lo
        if n <= 1:
            continue  # one job always fits: its share is within the wanted share by eligibility
        desired = int(problem.candidates.desired_fte[c])
        start, end, fte = pairs.start[lo:hi], pairs.end[lo:hi], fte_all[lo:hi]
        points = np.unique(start)
        active = (start[None, :] <= points[:, None]) & (points[:, None] <= end[None, :])
        share_over = active @ fte > desired
        count_over = active.sum(axis=1) > params.max_concurrent_jobs
        needed = share_over | count_over
        if not needed.any():
            continue
        rows, share_over, count_over = active[needed], share_over[needed], count_over[needed]
        rows, first = np.unique(rows, axis=0, return_index=True)
        share_over, count_over = share_over[first], count_over[first]
        overlap = rows.astype(np.int32) @ rows.T.astype(np.int32)
        sizes = rows.sum(axis=1)
        for r in range(len(rows)):
            # Skip a day whose active jobs are a strict subset of another checked day's jobs.
            supersets = (overlap[r] == sizes[r]) & (sizes > sizes[r])
            if supersets.any():
                continue
            groups.append(DayGroup(int(c), lo + np.flatnonzero(rows[r]), bool(share_over[r]),
                                   bool(count_over[r])))
    return groups


# --- the CP-SAT model ----------------------------------------------------------------------


def new_pair_vars(model, n: int) -> list:
    return [model.new_bool_var(f"x{i}") for i in range(n)]


def add_headcount(model, x: list, pairs: Pairs, local: np.ndarray, headcount: np.ndarray) -> int:
    """Each vacancy takes at most its headcount. `local` maps model variable -> pair index."""
    from ortools.sat.python.cp_model import LinearExpr

    vac = pairs.vac[local]
    order = np.argsort(vac, kind="stable")
    uniq, first, counts = np.unique(vac[order], return_index=True, return_counts=True)
    added = 0
    for v, s, n in zip(uniq, first, counts):
        if n <= headcount[v]:
            continue  # cannot bind
        members = order[s:s + n]
        model.add_linear_constraint(LinearExpr.sum([x[i] for i in members]), 0, int(headcount[v]))
        added += 1
    return added


def add_daily_share(model, x: list, groups: list[DayGroup], var_of_pair: np.ndarray,
                    fte: np.ndarray, desired: np.ndarray) -> int:
    """On each critical day the active jobs' shares sum to at most the wanted share."""
    from ortools.sat.python.cp_model import LinearExpr

    added = 0
    for g in groups:
        if g.check_share:
            model.add_linear_constraint(
                LinearExpr.weighted_sum([x[i] for i in var_of_pair[g.pairs]], fte[g.pairs].tolist()),
                0, int(desired[g.candidate]))
            added += 1
    return added


def add_max_concurrent(model, x: list, groups: list[DayGroup], var_of_pair: np.ndarray,
                       fte: np.ndarray, desired: np.ndarray, max_jobs: int) -> int:
    """On each critical day at most `max_jobs` jobs, unless the share rule already implies it."""
    from ortools.sat.python.cp_model import LinearExpr

    added = 0
    for g in groups:
        if not g.check_count:
            continue
        smallest = np.sort(fte[g.pairs])[:max_jobs + 1]
        if g.check_share and len(smallest) > max_jobs and smallest.sum() > desired[g.candidate]:
            continue  # any max_jobs + 1 of these already exceed the wanted share
        model.add_linear_constraint(LinearExpr.sum([x[i] for i in var_of_pair[g.pairs]]), 0, max_jobs)
        added += 1
    return added


def add_pins(model, x: list, pinned_vars: list[int]) -> None:
    for i in pinned_vars:
        model.add(x[i] == 1)


def set_objective(model, weights: np.ndarray) -> None:
    """Maximise sum(weights * x). CP-SAT minimises, so negate and scale by -1."""
    proto = model.proto
    proto.objective.vars.extend(range(len(weights)))
    proto.objective.coeffs.extend((-weights).tolist())
    proto.objective.scaling_factor = -1.0


def add_hint(model, values: np.ndarray) -> None:
    """A complete hint: every variable gets a value (a greedy solution)."""
    proto = model.proto
    proto.solution_hint.vars.extend(range(len(values)))
    proto.solution_hint.values.extend(values.astype(np.int64).tolist())


@dataclass
class BuiltModel:
    model: object
    local: np.ndarray  # model variable i is pair local[i]
    n_constraints: int


def build_model(problem: MatchingProblem, pairs: Pairs, weights: np.ndarray, local: np.ndarray,
                groups: list[DayGroup], pinned: np.ndarray, hint: np.ndarray) -> BuiltModel:
    """CP-SAT model over the pairs `local` (indices into `pairs`)."""
    from ortools.sat.python import cp_model

    model = cp_model.CpModel()
    x = new_pair_vars(model, len(local))
    var_of_pair = np.full(len(pairs), -1, dtype=np.int64)
    var_of_pair[local] = np.arange(len(local))
    fte = problem.vacancies.fte[pairs.vac].astype(np.int64)
    desired = problem.candidates.desired_fte
    n = add_headcount(model, x, pairs, local, problem.vacancies.headcount)
    n += add_daily_share(model, x, groups, var_of_pair, fte, desired)
    n += add_max_concurrent(model, x, groups, var_of_pair, fte, desired, problem.params.max_concurrent_jobs)
    add_pins(model, x, [int(var_of_pair[p]) for p in pinned])
    set_objective(model, weights[local])
    add_hint(model, hint[local])
    return BuiltModel(model, local, n + len(pinned))
