"""Solver-agnostic validator: checks a proposal against every rule, from the problem alone.

It does not trust the solver's pair arrays: eligibility is re-checked with the plain per-pair
rules, and intervals are recomputed. Tests run it on every solve result.
"""

from __future__ import annotations

from collections import defaultdict

from matching.eligibility import pair_failures, pair_interval
from matching.problem import MatchingProblem


def validate_assignment(problem: MatchingProblem, assignment: list[tuple[int, int]],
                        excused_pins: set[tuple[int, int]] = frozenset()) -> list[str]:
    """Violations of `assignment` (candidate index, vacancy index); [] when it is valid.
    `excused_pins` are pins the solver reported as infeasible."""
    errors: list[str] = []
    cids, vids = problem.candidates.ids, problem.vacancies.ids
    seen = set()
    for c, v in assignment:
        if (c, v) in seen:
            errors.append(f"duplicate pair {cids[c]}-{vids[v]}")
        seen.add((c, v))
        failed = pair_failures(problem, c, v)
        if failed:
            errors.append(f"ineligible pair {cids[c]}-{vids[v]}: {', '.join(failed)}")

    taken = defaultdict(int)
    for _, v in seen:
        taken[v] += 1
    for v, n in taken.items():
        if n > problem.vacancies.headcount[v]:
            errors.append(f"vacancy {vids[v]} has {n} candidates for headcount {problem.vacancies.headcount[v]}")

    jobs = defaultdict(list)
    for c, v in seen:
        start, end = pair_interval(problem, c, v)
        jobs[c].append((start, end, int(problem.vacancies.fte[v])))
    max_jobs = problem.params.max_concurrent_jobs
    for c, held in jobs.items():
        desired = int(problem.candidates.desired_fte[c])
        for day in sorted({s for s, _, _ in held}):
            active = [f for s, e, f in held if s <= day <= e]
            if sum(active) > desired:
                errors.append(f"candidate {cids[c]} works {sum(active)}% on ordinal day {day}, wants {desired}%")
            if len(active) > max_jobs:
                errors.append(f"candidate {cids[c]} has {len(active)} concurrent jobs on ordinal day {day}")

    for pin in problem.pins:
        if pin not in seen and pin not in excused_pins:
            errors.append(f"pin {cids[pin[0]]}-{vids[pin[1]]} is missing")
    for veto in problem.vetoes:
        if veto in seen:
            errors.append(f"vetoed pair {cids[veto[0]]}-{vids[veto[1]]} is proposed")
    return errors


def validate_shortlists(problem: MatchingProblem, shortlist: list[tuple[int, int]]) -> list[str]:
    """Shortlists: eligible pairs only, at most k per vacancy and p per candidate, no repeats."""
    errors: list[str] = []
    cids, vids = problem.candidates.ids, problem.vacancies.ids
    per_vac, per_cand = defaultdict(int), defaultdict(int)
    if len(set(shortlist)) != len(shortlist):
        errors.append("a pair appears twice")
    for c, v in shortlist:
        failed = pair_failures(problem, c, v)
        if failed:
            errors.append(f"ineligible pair {cids[c]}-{vids[v]}: {', '.join(failed)}")
        per_vac[v] += 1
        per_cand[c] += 1
    k, p = problem.params.shortlist_per_vacancy, problem.params.shortlists_per_candidate
    errors += [f"vacancy {vids[v]} has {n} > {k} candidates" for v, n in per_vac.items() if n > k]
    errors += [f"candidate {cids[c]} is on {n} > {p} shortlists" for c, n in per_cand.items() if n > p]
    return errors


def result_assignment(result) -> list[tuple[int, int]]:
    """(candidate, vacancy) index pairs of a MatchResult."""
    idx = result.chosen_pairs
    return list(zip(result.pairs.cand[idx].tolist(), result.pairs.vac[idx].tolist()))
