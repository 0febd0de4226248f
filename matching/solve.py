"""Solve a matching problem: eligibility -> scores -> decomposition -> flow + LP + CP-SAT.

Pure: data in, result out; time-limited and seeded; progress goes to an optional callback,
never to stdout. Single-job components go to an exact min-cost flow. The bundle components are
solved in blocks: an LP relaxation (`matching.relax`) gives a certified bound and, rounded
greedily, a hint; per block the better of that and plain greedy is kept, so a result is never
worse than greedy; CP-SAT then works, with that complete hint, on the blocks whose gap is still
above `gap_limit`. The reported bound is honest: the flow optimum plus, per block, the smallest
of the LP's certified bound, CP-SAT's proven bound and a solver-free bound.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from matching.decompose import decompose
from matching.eligibility import RULE_TEXT_NB, Pairs, eligible_pairs, pair_failures
from matching.flow import max_weight_b_matching
from matching.greedy import greedy_assign
from matching.model import build_model, day_groups, pair_coverage, pair_weights
from matching.problem import PLANNING_DAYS, MatchingProblem
from matching.relax import lp_rounding_order, solve_relaxation, solver_free_bound
from matching.scoring import PairScores, ScoreWeights, score_pairs

Progress = Callable[[dict], None]
# Share of the time left after greedy that the LP relaxation may use. The LP gives the bound
# and, rounded, the solution; CP-SAT only works on blocks whose gap the LP leaves open. At
# national scale the LP needs about 120 s of a 240 s run (0.6 left blocks without an LP, and
# those fell back to the solver-free bound); on the smaller benchmarks it finishes long before.
LP_TIME_SHARE = 0.85
# Measured: CP-SAT did not improve on greedy in 49 s on a 394,000-variable block, and its
# presolve alone runs for seconds there; above this size the rounded LP is kept as it is.
CPSAT_MAX_VARIABLES = 60_000


@dataclass
class InfeasiblePin:
    candidate_id: str
    vacancy_id: str
    reason: str  # Norwegian, for the consultant


@dataclass
class MatchResult:
    pairs: Pairs  # every eligible pair
    scores: PairScores
    weights: np.ndarray  # objective weight per pair
    chosen: np.ndarray  # bool per pair
    objective: int
    bound: int
    status: str  # "optimal" or "feasible"
    greedy_objective: int
    infeasible_pins: list[InfeasiblePin] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    stats: dict[str, int] = field(default_factory=dict)

    @property
    def gap(self) -> float:
        return 0.0 if self.bound <= 0 else max(0.0, (self.bound - self.objective) / self.bound)

    @property
    def chosen_pairs(self) -> np.ndarray:
        return np.flatnonzero(self.chosen)


def year_coverage(problem: MatchingProblem, pairs: Pairs, chosen: np.ndarray) -> np.ndarray:
    """Per candidate: placed percent-days / (365 x wanted share), in percent (0-100)."""
    placed = np.zeros(len(problem.candidates), dtype=np.int64)
    idx = np.flatnonzero(chosen)
    np.add.at(placed, pairs.cand[idx], pair_coverage(problem, pairs.take(idx)))
    return 100.0 * placed / (PLANNING_DAYS * problem.candidates.desired_fte.astype(np.float64))


def _core_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _check_pins(problem: MatchingProblem, pairs: Pairs) -> tuple[np.ndarray, list[InfeasiblePin]]:
    """Pair indices of the pins that are eligible; the others reported with the rules they break."""
    n_vac = len(problem.vacancies)
    keys = pairs.cand.astype(np.int64) * n_vac + pairs.vac
    found, bad = [], []
    for c, v in dict.fromkeys(problem.pins):  # drop duplicates, keep order
        pos = np.searchsorted(keys, c * n_vac + v)
        if pos < len(keys) and keys[pos] == c * n_vac + v:
            found.append(int(pos))
        else:
            reasons = [RULE_TEXT_NB[r] for r in pair_failures(problem, c, v)] or ["paret er ikke mulig"]
            bad.append(InfeasiblePin(problem.candidates.ids[c], problem.vacancies.ids[v], "; ".join(reasons)))
    return np.array(found, dtype=np.int64), bad


def solve(problem: MatchingProblem, time_limit: float = 10.0, seed: int = 0,
          score_weights: ScoreWeights | None = None, progress: Progress | None = None,
          gap_limit: float = 0.0, num_workers: int | None = None) -> MatchResult:
    """Propose assignments. `time_limit` is the whole run's budget in seconds; CP-SAT gets what
    the earlier phases leave (at least one second). `gap_limit` stops CP-SAT once the proven
    relative gap is that small (0 = prove the optimum)."""
    t0 = time.perf_counter()
    timings: dict[str, float] = {}

    def phase(name: str, since: float) -> float:
        now = time.perf_counter()
        timings[name] = now - since
        if progress:
            progress({"phase": name, "seconds": round(now - since, 3)})
        return now

    pairs = eligible_pairs(problem)
    t = phase("eligibility", t0)
    scores = score_pairs(problem, pairs, score_weights)
    weights = pair_weights(problem, pairs, scores.total)
    t = phase("scoring", t)
    pinned, infeasible_pins = _check_pins(problem, pairs)
    parts = decompose(problem, pairs)
    t = phase("decompose", t)

    chosen = np.zeros(len(pairs), dtype=bool)
    # Flow part: single-job candidates, exact.
    fp = parts.flow_pairs
    in_flow = np.isin(pinned, fp)
    if len(fp):
        chosen[fp] = _flow_with_pins(problem, pairs, weights, fp, pinned[in_flow], infeasible_pins)
    flow_objective = int(weights[fp][chosen[fp]].sum())
    pinned = pinned[~in_flow]
    t = phase("flow", t)

    # Bundle part: greedy hint, then CP-SAT.
    bp = parts.bundle_pairs
    greedy, failed = greedy_assign(problem, pairs, weights, bp, pinned.tolist())
    _report_clashing_pins(problem, pairs, failed, infeasible_pins)
    pinned = np.array([p for p in pinned.tolist() if p not in set(failed)], dtype=np.int64)
    t = phase("greedy", t)

    stats = {"pairs": len(pairs), "flow_pairs": len(fp), "bundle_pairs": len(bp),
             "components": parts.n_components, "flow_components": parts.n_flow_components,
             "bundle_components": parts.n_bundle_components}
    bound_bundle, status = 0, "optimal"
    if len(bp):
        chosen[bp], bound_bundle, status = _solve_bundles(
            problem, pairs, weights, bp, parts.component, pinned, greedy, t0 + time_limit,
            seed, gap_limit, num_workers, stats, phase, progress)

    objective = int(weights[chosen].sum())
    result = MatchResult(
        pairs=pairs, scores=scores, weights=weights, chosen=chosen, objective=objective,
        bound=flow_objective + bound_bundle, status=status,
        greedy_objective=int(weights[greedy].sum()) + _greedy_flow_objective(problem, pairs, weights, fp),
        infeasible_pins=infeasible_pins, timings=timings, stats=stats)
    timings["total"] = time.perf_counter() - t0
    return result


def _report_clashing_pins(problem, pairs, failed: list[int], infeasible_pins: list[InfeasiblePin]) -> None:
    for p in failed:
        infeasible_pins.append(InfeasiblePin(
            problem.candidates.ids[pairs.cand[p]], problem.vacancies.ids[pairs.vac[p]],
            "kolliderer med andre låste par (antall plasser, stillingsandel eller samtidige jobber)"))


def _flow_with_pins(problem, pairs, weights, fp, pins, infeasible_pins) -> np.ndarray:
    """Exact optimum over the single-job pairs `fp` with their pins; bool per pair of `fp`.
    Each of these candidates holds at most one job, so a pin fixes that candidate completely:
    pins are taken first (those that clash with each other are reported, as in the bundle part),
    their candidates leave, their vacancies keep the places left, and the flow does the rest.
    This keeps a pinned region on the flow instead of sending it to the LP and CP-SAT."""
    fixed, failed = greedy_assign(problem, pairs, weights, np.zeros(0, np.int64), pins.tolist())
    _report_clashing_pins(problem, pairs, failed, infeasible_pins)
    placed = np.zeros(len(problem.candidates), dtype=bool)
    placed[pairs.cand[fixed]] = True
    room = problem.vacancies.headcount - np.bincount(pairs.vac[fixed], minlength=len(problem.vacancies))
    free = ~placed[pairs.cand[fp]]
    chosen = fixed[fp]
    chosen[free] = max_weight_b_matching(
        len(problem.candidates), len(problem.vacancies), pairs.cand[fp[free]], pairs.vac[fp[free]],
        weights[fp[free]], 1, room)
    return chosen


def _solve_bundles(problem, pairs, weights, bp, component, pinned, greedy, deadline, seed, gap_limit,
                   num_workers, stats, phase, progress) -> tuple[np.ndarray, int, str]:
    """The CP-SAT part, block by block of independent components: LP relaxation (bound and a
    rounded hint), the better of greedy and rounded LP per block, then CP-SAT only on blocks
    whose gap is still above `gap_limit`, with the time left split by block size.
    Returns (chosen per pair in `bp`, bound, status)."""
    t = time.perf_counter()
    groups = day_groups(problem, pairs, np.unique(pairs.cand[bp]))
    t = phase("groups", t)
    # The LP may use most of the time left: it gives the bound, and its rounding is usually
    # within 0.1 % of the optimum, far better than CP-SAT finds on large blocks.
    relax = solve_relaxation(problem, pairs, weights, bp, groups, component, pinned,
                             t + LP_TIME_SHARE * max(0.0, deadline - t), prefer=greedy)
    t = phase("relaxation", t)
    rounded, _ = greedy_assign(problem, pairs, lp_rounding_order(weights, bp, relax.values), bp, pinned.tolist())
    block = relax.block_of_pair
    n_blocks = len(relax.block_bound)
    w = weights[bp]
    greedy_obj = np.bincount(block, weights=w * greedy[bp], minlength=n_blocks)
    rounded_obj = np.bincount(block, weights=w * rounded[bp], minlength=n_blocks)
    use_rounded = (rounded_obj > greedy_obj)[block]
    chosen = np.where(use_rounded, rounded[bp], greedy[bp])
    objective = np.bincount(block, weights=w * chosen, minlength=n_blocks).round().astype(np.int64)
    members_of = np.split(np.argsort(block, kind="stable"), np.cumsum(np.bincount(block, minlength=n_blocks))[:-1])
    bound = np.array([solver_free_bound(problem, pairs, weights, bp[m]) for m in members_of], dtype=np.int64)
    solved = relax.block_bound >= 0
    bound[solved] = np.minimum(bound[solved], relax.block_bound[solved])
    bound = np.maximum(bound, objective)
    t = phase("rounding", t)
    stats.update(blocks=n_blocks, lp_build_ms=round(1000 * relax.build_seconds))

    # CP-SAT where a gap is left and the block is small enough for it to help.
    open_blocks = [k for k in range(n_blocks)
                   if bound[k] - objective[k] > gap_limit * bound[k]
                   and len(members_of[k]) <= CPSAT_MAX_VARIABLES]
    sizes = {k: len(members_of[k]) for k in open_blocks}
    size_left = sum(sizes.values())
    # A candidate lies in one block, and so do their critical-day groups.
    block_of_cand = np.full(len(problem.candidates), -1, dtype=np.int64)
    block_of_cand[pairs.cand[bp]] = block
    group_block = block_of_cand[np.fromiter((g.candidate for g in groups), dtype=np.int64, count=len(groups))]
    groups_of = np.split(np.argsort(group_block, kind="stable"),
                         np.cumsum(np.bincount(group_block, minlength=n_blocks))[:-1])
    build_s = solve_s = 0.0
    n_constraints = 0
    for k in sorted(open_blocks, key=lambda k: -sizes[k]):
        t1 = time.perf_counter()
        if deadline - t1 <= 0.2:
            break
        share, size_left = sizes[k] / size_left, size_left - sizes[k]  # of the time left, by size
        members = members_of[k]
        local = bp[members]
        hint = np.zeros(len(pairs), dtype=np.int8)
        hint[local] = chosen[members]
        block_pins = pinned[np.isin(pinned, local)]
        built = build_model(problem, pairs, weights, local,
                            [groups[i] for i in groups_of[k].tolist()], block_pins, hint)
        n_constraints += built.n_constraints
        t2 = time.perf_counter()
        build_s += t2 - t1
        sol, obj, cp_bound, _ = _run_cpsat(
            built.model, max(0.2, share * (deadline - t2)), seed, gap_limit, num_workers, progress)
        solve_s += time.perf_counter() - t2
        if sol is not None and obj > objective[k]:
            chosen[members] = sol.astype(bool)
            objective[k] = obj
        bound[k] = max(objective[k], min(bound[k], cp_bound))
    stats["constraints"] = n_constraints
    phase("build", time.perf_counter() - build_s)  # phase() records now - since: the summed time
    phase("solve", time.perf_counter() - solve_s)
    status = "optimal" if (bound == objective).all() else "feasible"
    return chosen.astype(bool), int(bound.sum()), status


def _greedy_flow_objective(problem, pairs, weights, fp) -> int:
    """What greedy would have got on the flow part: the reference the benchmarks compare with."""
    if not len(fp):
        return 0
    chosen, _ = greedy_assign(problem, pairs, weights, fp)
    return int(weights[chosen].sum())


def _run_cpsat(model, time_limit: float, seed: int, gap_limit: float, num_workers: int | None,
               progress: Progress | None):
    """Returns (values per variable or None, objective, bound, status)."""
    from ortools.sat.python import cp_model

    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = float(time_limit)
    solver.parameters.random_seed = int(seed)
    # One worker per core: more workers than cores found poor solutions (TECH-NOTES).
    solver.parameters.num_workers = num_workers or _core_count()
    solver.parameters.relative_gap_limit = float(gap_limit)
    # Measured on the 2,000 x 1,000 benchmark: presolve probing alone ran past a 10 s limit
    # (2 s per round, several rounds), leaving no time to search. Without it CP-SAT improves
    # on the greedy hint at once.
    solver.parameters.cp_model_probing_level = 0

    callback = None
    if progress:
        class _Report(cp_model.CpSolverSolutionCallback):
            def on_solution_callback(self):
                progress({"phase": "solving", "seconds": round(self.wall_time, 3),
                          "objective": int(self.objective_value), "bound": int(self.best_objective_bound)})
        callback = _Report()
    code = solver.solve(model, callback)
    if code in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        values = np.array(solver.response_proto.solution, dtype=np.int8)
        objective = int(round(solver.objective_value))
        bound = int(np.floor(solver.best_objective_bound + 1e-6))
        status = "optimal" if code == cp_model.OPTIMAL else "feasible"
        return values, objective, max(bound, objective), status
    if code == cp_model.INFEASIBLE:
        # Cannot happen: the greedy hint is feasible and pins were checked. Fail loudly.
        raise RuntimeError("CP-SAT reported the model infeasible")
    # No solution in time: CP-SAT's bound field carries no information then.
    return None, 0, np.iinfo(np.int64).max, "feasible"
