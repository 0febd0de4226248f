"""The year-bundle assignment model for CP-SAT: one `add_*` function per rule.

Variables: one boolean per eligible pair (vetoed and ineligible pairs get no variable, which is
how vetoes are enforced). Constraints:
- `add_headcount`: a vacancy gets at most `headcount` candidates.
- `add_daily_share`: on no day may a candidate's jobs add up to more than their wanted share.
- `add_max_concurrent`: at most `max_concurrent_jobs` jobs on any one day.
- `add_share_cliques`: the daily share rule again as at-most-one sets of clashing jobs
  (redundant, but it makes the LP relaxation nearly integral; see `matching.relax`).
- `add_pins`: pinned pairs are in the solution.
Jobs are intervals, so a day-wise rule only needs checking on days where some job starts (the
load can only rise there), and only on such days where it could be broken; a day whose set of
active jobs is a subset of another checked day's set is implied and skipped.

Objective: lexicographic. First the most employment coverage (`pair_coverage`: share of time x
days in the planning year, in percent-days; a full-time job all year is 36,500), then, among
the solutions with that coverage, the highest total match score (0-100 per pair). Coverage is
never traded for score: `matching.solve` optimises the two levels one after the other (the
second with the row coverage >= the coverage found, `add_min_coverage`), rather than adding
them with weights (a weight that provably dominates needs coverage x (total possible score + 1):
up to 10^12 per pair at national scale, beyond what an LP solver's floating point keeps exact).
Each candidate's coverage counts up to their wanted share over the year with no extra term: the
daily share rule already keeps every day's share at or below the wanted share.

Built in bulk per TECH-NOTES: `LinearExpr.weighted_sum` + `add_linear_constraint` for the rules;
the objective and the hint are written straight into the model proto (one extend call each,
ten times faster than per-variable calls at 400,000 variables).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from matching.arrays import unique_nearly_sorted
from matching.eligibility import Pairs
from matching.problem import MatchingParams, MatchingProblem


@dataclass
class DayGroup:
    """Pairs of one candidate that are all active on one critical day."""

    candidate: int
    pairs: np.ndarray  # indices into the pair arrays
    check_share: bool  # their shares together could exceed the wanted share
    check_count: bool  # their number could exceed max_concurrent_jobs
    day: int = 0  # the critical day (ordinal): with the candidate, names the group across runs


def pair_coverage(problem: MatchingProblem, pairs: Pairs) -> np.ndarray:
    """Percent-days each pair adds to its candidate's year: fte% x days within the plan."""
    return problem.vacancies.fte[pairs.vac].astype(np.int64) * pairs.days.astype(np.int64)


def pair_key(coverage: np.ndarray, quality: np.ndarray) -> np.ndarray:
    """One number per pair that orders pairs lexicographically by (coverage, score), scores being
    0-100: for ordering single pairs (greedy, rounding), never as an objective of a whole solution."""
    return coverage.astype(np.int64) * 101 + quality.astype(np.int64)


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
    """The critical-day groups for the given candidates (only groups that can bind).

    Vectorised over all (candidate, critical day, pair) triples: about 20 x 7 per candidate,
    so a few million at national scale, instead of a Python loop per candidate (9 s at
    20,000 candidates). Two critical days of one candidate never have the same active jobs
    (the later one is some job's start day); a day is skipped when every job active on it is
    still active on the candidate's next critical day, since that day's set is then a superset
    and binds whenever this one does."""
    params: MatchingParams = problem.params
    bounds = candidate_slices(pairs, len(problem.candidates))
    candidates = np.asarray(candidates, dtype=np.int64)
    candidates = candidates[bounds[candidates + 1] - bounds[candidates] >= 2]  # one job always fits
    if len(candidates) == 0:
        return []
    lo, hi = bounds[candidates], bounds[candidates + 1]
    sub = np.concatenate([np.arange(a, b) for a, b in zip(lo.tolist(), hi.tolist())])
    cand, start, end = pairs.cand[sub].astype(np.int64), pairs.start[sub], pairs.end[sub]
    fte = problem.vacancies.fte[pairs.vac[sub]].astype(np.int64)
    # Critical days: distinct (candidate, start day), sorted by candidate then day.
    day_key = unique_nearly_sorted(cand * (1 << 32) + start.astype(np.int64))  # pairs are by candidate
    day_cand, day = day_key >> 32, day_key & ((1 << 32) - 1)
    day_lo = np.searchsorted(day_cand, cand)  # first critical day of each pair's candidate
    day_n = np.searchsorted(day_cand, cand, side="right") - day_lo
    # Every (pair, critical day of its candidate) triple, kept where the pair is active.
    t_pair = np.repeat(np.arange(len(sub)), day_n)
    t_day = np.repeat(day_lo, day_n) + (np.arange(len(t_pair)) - np.repeat(np.cumsum(day_n) - day_n, day_n))
    active = (start[t_pair] <= day[t_day]) & (day[t_day] <= end[t_pair])
    t_pair, t_day = t_pair[active], t_day[active]
    share = np.bincount(t_day, weights=fte[t_pair], minlength=len(day)).astype(np.int64)
    count = np.bincount(t_day, minlength=len(day))
    min_end = np.full(len(day), np.iinfo(np.int64).max)
    np.minimum.at(min_end, t_day, end[t_pair].astype(np.int64))
    share_over = share > problem.candidates.desired_fte[day_cand]
    count_over = count > params.max_concurrent_jobs
    next_same = np.append(day_cand[1:] == day_cand[:-1], False)
    next_day = np.append(day[1:], 0)
    dominated = next_same & (min_end >= next_day)
    keep = (share_over | count_over) & ~dominated
    # Triples are sorted by pair; regroup them by day.
    t_keep = keep[t_day]
    t_pair, t_day = t_pair[t_keep], t_day[t_keep]
    order = np.argsort(t_day, kind="stable")
    t_pair, t_day = t_pair[order], t_day[order]
    kept = np.flatnonzero(keep)
    cuts = np.searchsorted(t_day, kept[1:])
    members = np.split(sub[t_pair], cuts)
    return [DayGroup(int(c), m, bool(s), bool(k), int(d)) for c, m, s, k, d in
            zip(day_cand[kept].tolist(), members, share_over[kept].tolist(), count_over[kept].tolist(),
                day[kept].tolist())]


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


def share_conflict_cliques(pairs: np.ndarray, fte: np.ndarray, desired: int) -> list[tuple[int, ...]]:
    """Maximal sets of one day's jobs of which at most one can be held, by the share rule.

    Two jobs clash when their shares add up to more than the wanted share. At most one job
    above half the wanted share fits, and a job at or below half clashes only with the big
    jobs that leave it no room, so the maximal clash sets are: all big jobs, and for each
    small job, it together with the big jobs it does not fit next to."""
    f = fte[pairs]
    big = f * 2 > desired
    big_pairs, big_fte = pairs[big], f[big]
    cliques = []
    if len(big_pairs) >= 2:
        cliques.append(tuple(big_pairs.tolist()))
    for j, fj in zip(pairs[~big].tolist(), f[~big].tolist()):
        clash = big_pairs[big_fte > desired - fj]
        if len(clash):
            cliques.append(tuple(clash.tolist()) + (j,))
    return cliques


def add_share_cliques(model, x: list, groups: list[DayGroup], var_of_pair: np.ndarray,
                      fte: np.ndarray, desired: np.ndarray) -> int:
    """The daily share rule again, as at-most-one sets of clashing jobs (see
    `share_conflict_cliques`). Redundant for integer solutions, but it makes the LP relaxation
    nearly integral: measured on the 2,000 x 1,000 benchmark, the LP bound drops from 0.5 %
    above the optimum with the share rows alone to 0.01 % with these sets."""
    seen: set[tuple[int, ...]] = set()
    for g in groups:
        if g.check_share:
            seen.update(share_conflict_cliques(g.pairs, fte, int(desired[g.candidate])))
    for clique in seen:
        model.add_at_most_one([x[i] for i in var_of_pair[list(clique)]])
    return len(seen)


def add_pins(model, x: list, pinned_vars: list[int]) -> None:
    for i in pinned_vars:
        model.add(x[i] == 1)


def add_min_coverage(model, coverage: np.ndarray, minimum, part: np.ndarray | None = None) -> None:
    """The second level: coverage may not drop below what the first level found. With `part`
    (a label per variable, e.g. its component) one row per label, `minimum` then per label."""
    from ortools.sat.python.cp_model import LinearExpr

    x = [model.get_bool_var_from_proto_index(i) for i in range(len(coverage))]
    if part is None:
        model.add_linear_constraint(LinearExpr.weighted_sum(x, coverage.tolist()), int(minimum), int(coverage.sum()))
        return
    for label, floor in zip(np.unique(part).tolist(), np.asarray(minimum).tolist()):
        idx = np.flatnonzero(part == label)
        model.add_linear_constraint(LinearExpr.weighted_sum([x[i] for i in idx], coverage[idx].tolist()),
                                    int(floor), int(coverage[idx].sum()))


def set_objective(model, weights: np.ndarray) -> None:
    """Maximise sum(weights * x), replacing any earlier objective. CP-SAT minimises, so negate
    and scale by -1."""
    proto = model.proto
    proto.clear_objective()
    proto.objective.vars.extend(range(len(weights)))
    proto.objective.coeffs.extend((-weights).tolist())
    proto.objective.scaling_factor = -1.0


def add_hint(model, values: np.ndarray) -> None:
    """A complete hint: every variable gets a value (a greedy solution), replacing any earlier one."""
    proto = model.proto
    proto.clear_solution_hint()
    proto.solution_hint.vars.extend(range(len(values)))
    proto.solution_hint.values.extend(values.astype(np.int64).tolist())


@dataclass
class BuiltModel:
    model: object
    local: np.ndarray  # model variable i is pair local[i]
    n_constraints: int


def build_model(problem: MatchingProblem, pairs: Pairs, weights: np.ndarray, local: np.ndarray,
                groups: list[DayGroup], pinned: np.ndarray, hint: np.ndarray,
                headcount: np.ndarray | None = None) -> BuiltModel:
    """CP-SAT model over the pairs `local` (indices into `pairs`). `headcount`: places per
    vacancy, if not the vacancies' own (a neighbourhood search leaves out those taken outside)."""
    from ortools.sat.python import cp_model

    model = cp_model.CpModel()
    x = new_pair_vars(model, len(local))
    var_of_pair = np.full(len(pairs), -1, dtype=np.int64)
    var_of_pair[local] = np.arange(len(local))
    fte = problem.vacancies.fte[pairs.vac].astype(np.int64)
    desired = problem.candidates.desired_fte
    n = add_headcount(model, x, pairs, local, problem.vacancies.headcount if headcount is None else headcount)
    n += add_daily_share(model, x, groups, var_of_pair, fte, desired)
    n += add_max_concurrent(model, x, groups, var_of_pair, fte, desired, problem.params.max_concurrent_jobs)
    n += add_share_cliques(model, x, groups, var_of_pair, fte, desired)
    add_pins(model, x, [int(var_of_pair[p]) for p in pinned])
    set_objective(model, weights[local])
    add_hint(model, hint[local])
    return BuiltModel(model, local, n + len(pinned))
