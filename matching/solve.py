"""Solve a matching problem: eligibility -> scores -> decomposition -> flow + LP + CP-SAT.

The objective is lexicographic (see `matching.model`): first the most employment coverage, then
the best total score among the solutions with that coverage. Every phase works level by level:
- single-job components go to an exact min-cost flow, with weights coverage x M + score where M
  exceeds the component's largest possible total score (each candidate there holds one job), so
  coverage dominates exactly, in integers;
- the bundle components are solved in blocks: an LP for coverage (a certified bound, and rounded
  greedily, a solution), then an LP for score with the row coverage >= the coverage found (its
  duals certify a score bound for any coverage floor), each rounded; per block the
  lexicographically better of that and plain greedy is kept, so a result is never worse than
  greedy; CP-SAT then works on the blocks where either level's gap is above `gap_limit`: first
  coverage, then score with coverage held.
The reported bounds are honest: coverage bound = flow optimum + per block the smallest of the
LP's certified bound, CP-SAT's proven bound and a solver-free bound; score bound = the same over
the solutions that keep at least the proposal's coverage (hence also a bound on the score of the
lexicographic optimum). "optimal" means both levels are proven.

Reproducible: with `deterministic=True` (the default) every limit is a work limit, not the clock
(`matching.budget`), so the same input, seed and time budget give the same proposals.
Pure: data in, result out; progress goes to an optional callback, never to stdout.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field

import numpy as np

from matching.budget import Budget
from matching.decompose import decompose
from matching.eligibility import RULE_TEXT_NB, Pairs, eligible_pairs, pair_failures
from matching.flow import max_weight_b_matching
from matching.greedy import greedy_assign
from matching.model import add_hint, add_min_coverage, build_model, day_groups, pair_coverage, pair_key, set_objective
from matching.problem import PLANNING_DAYS, MatchingProblem
from matching.relax import SIMPLEX_MAX_COLUMNS, lp_rounding_order, solve_relaxation, solver_free_bounds
from matching.scoring import PairScores, ScoreWeights, score_pairs

Progress = Callable[[dict], None]
# Shares of the budget for the two LPs. Wall-clock mode: of the time left when each starts.
# Deterministic mode: of the budget's seconds, in PDLP work (only blocks above 60,000 columns use
# PDLP; the simplex blocks run to the end). The coverage LP gives the first level's bound and,
# rounded, the solution; at national scale it needs most of the time (the old single LP used
# 0.85 of it), the score LP, started from the coverage found, less.
# Measured at national scale (5.2 M pairs, wall-clock mode, busy machine): with 0.6 / 0.55 the
# coverage gap was 1.07 % (0.045 % with the old single LP at 0.85); coverage comes first, so its
# LP gets the larger share.
LP_COVERAGE_SHARE = 0.75
LP_QUALITY_SHARE = 0.45
LP_COVERAGE_WORK = 0.6
LP_QUALITY_WORK = 0.2
CPSAT_DTIME_SHARE = 0.25  # deterministic mode: CP-SAT's share of the budget, in its own time units
NEIGHBOURHOOD_DTIME_SHARE = 0.25  # and the neighbourhood search's
# Measured: CP-SAT did not improve on greedy in 49 s on a 394,000-variable block, and its
# presolve alone runs for seconds there; above this size the rounded LP is kept as it is.
CPSAT_MAX_VARIABLES = 60_000
# Blocks still open after that (too big for CP-SAT as a whole, or not proven) are improved by a
# neighbourhood search: CP-SAT on the pairs of neighbouring candidates, a few thousand pairs at a
# time, everyone else held. Measured on a 6,000 x 3,000 instance (commutes 10-40 km): on its
# 30,000-pair component the score LP's rounding had 24 % more score than the coverage LP's but
# 0.03 % less coverage, so coverage first keeps the score-blind one; neighbourhoods repair that
# without giving up coverage.
NEIGHBOURHOOD_PAIRS = 3_000
NEIGHBOURHOOD_DTIME = 0.15  # CP-SAT deterministic time per neighbourhood


@dataclass
class InfeasiblePin:
    candidate_id: str
    vacancy_id: str
    reason: str  # Norwegian, for the consultant


@dataclass
class MatchResult:
    pairs: Pairs  # every eligible pair
    scores: PairScores
    coverage: np.ndarray  # percent-days per pair (int64)
    chosen: np.ndarray  # bool per pair
    coverage_objective: int  # percent-days placed
    coverage_bound: int  # no solution places more
    quality_objective: int  # total score of the chosen pairs
    quality_bound: int  # no solution with at least `coverage_objective` has a higher total score
    status: str  # "optimal" (both levels proven) or "feasible"
    greedy_coverage: int
    greedy_quality: int
    reproducible: bool  # no wall-clock stop cut a phase (always False in wall-clock mode)
    infeasible_pins: list[InfeasiblePin] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    stats: dict[str, int] = field(default_factory=dict)

    @property
    def quality(self) -> np.ndarray:
        return self.scores.total.astype(np.int64)

    @property
    def coverage_gap(self) -> float:
        return _gap(self.coverage_objective, self.coverage_bound)

    @property
    def quality_gap(self) -> float:
        return _gap(self.quality_objective, self.quality_bound)

    @property
    def chosen_pairs(self) -> np.ndarray:
        return np.flatnonzero(self.chosen)


def _gap(objective: int, bound: int) -> float:
    return 0.0 if bound <= 0 else max(0.0, (bound - objective) / bound)


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
          gap_limit: float = 0.0, num_workers: int | None = None, deterministic: bool = True,
          stop: Callable[[], bool] | None = None) -> MatchResult:
    """Propose assignments. `time_limit` is the run's budget in seconds: with `deterministic`
    it is turned into work limits (same input, seed and budget -> same proposals; a wall-clock
    stop at 3 x the budget guards against a far slower machine), otherwise it is a wall-clock
    deadline. `gap_limit` stops CP-SAT once the proven relative gap of a level is that small
    (0 = prove the optimum). `stop` is polled during CP-SAT: once it answers True, no search
    goes on (a cancelled job); the result is then only what was found so far."""
    budget = Budget(float(time_limit), deterministic, stop=stop)
    t0 = budget.started
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
    coverage = pair_coverage(problem, pairs)
    quality = scores.total.astype(np.int64)
    key = pair_key(coverage, quality)
    t = phase("scoring", t)
    pinned, infeasible_pins = _check_pins(problem, pairs)
    parts = decompose(problem, pairs)
    t = phase("decompose", t)

    chosen = np.zeros(len(pairs), dtype=bool)
    # Flow part: single-job candidates, exact at both levels.
    fp = parts.flow_pairs
    in_flow = np.isin(pinned, fp)
    if len(fp):
        chosen[fp] = _flow_with_pins(problem, pairs, coverage, quality, key, parts.component, fp,
                                     pinned[in_flow], infeasible_pins)
    flow_cov, flow_q = int(coverage[fp][chosen[fp]].sum()), int(quality[fp][chosen[fp]].sum())
    pinned = pinned[~in_flow]
    t = phase("flow", t)

    # Bundle part: greedy, then LPs, then CP-SAT.
    bp = parts.bundle_pairs
    greedy, failed = greedy_assign(problem, pairs, key, bp, pinned.tolist())
    _report_clashing_pins(problem, pairs, failed, infeasible_pins)
    pinned = np.array([p for p in pinned.tolist() if p not in set(failed)], dtype=np.int64)
    t = phase("greedy", t)

    stats = {"pairs": len(pairs), "flow_pairs": len(fp), "bundle_pairs": len(bp),
             "components": parts.n_components, "flow_components": parts.n_flow_components,
             "bundle_components": parts.n_bundle_components}
    cov_bound, q_bound = flow_cov, flow_q
    if len(bp):
        chosen[bp], cb, qb = _solve_bundles(
            problem, pairs, coverage, quality, key, bp, parts.component, pinned, greedy, budget,
            seed, gap_limit, num_workers, stats, phase, progress)
        cov_bound += cb
        q_bound += qb

    cov_obj, q_obj = int(coverage[chosen].sum()), int(quality[chosen].sum())
    g_cov, g_q = _greedy_flow_objective(problem, pairs, coverage, quality, key, fp)
    result = MatchResult(
        pairs=pairs, scores=scores, coverage=coverage, chosen=chosen,
        coverage_objective=cov_obj, coverage_bound=cov_bound, quality_objective=q_obj, quality_bound=q_bound,
        status="optimal" if (cov_obj == cov_bound and q_obj == q_bound) else "feasible",
        greedy_coverage=int(coverage[greedy].sum()) + g_cov, greedy_quality=int(quality[greedy].sum()) + g_q,
        reproducible=deterministic and not budget.cut_by_clock,
        infeasible_pins=infeasible_pins, timings=timings, stats=stats)
    timings["total"] = time.perf_counter() - t0
    return result


def _report_clashing_pins(problem, pairs, failed: list[int], infeasible_pins: list[InfeasiblePin]) -> None:
    for p in failed:
        infeasible_pins.append(InfeasiblePin(
            problem.candidates.ids[pairs.cand[p]], problem.vacancies.ids[pairs.vac[p]],
            "kolliderer med andre låste par (antall plasser, stillingsandel eller samtidige jobber)"))


def _flow_with_pins(problem, pairs, coverage, quality, key, component, fp, pins, infeasible_pins) -> np.ndarray:
    """Exact lexicographic optimum over the single-job pairs `fp` with their pins; bool per pair
    of `fp`. Each of these candidates holds at most one job, so a pin fixes that candidate
    completely: pins are taken first (those that clash with each other are reported, as in the
    bundle part), their candidates leave, their vacancies keep the places left, and the flow does
    the rest. This keeps a pinned region on the flow instead of sending it to the LP and CP-SAT."""
    fixed, failed = greedy_assign(problem, pairs, key, np.zeros(0, np.int64), pins.tolist())
    _report_clashing_pins(problem, pairs, failed, infeasible_pins)
    placed = np.zeros(len(problem.candidates), dtype=bool)
    placed[pairs.cand[fixed]] = True
    room = problem.vacancies.headcount - np.bincount(pairs.vac[fixed], minlength=len(problem.vacancies))
    free = ~placed[pairs.cand[fp]]
    chosen = fixed[fp]
    chosen[free] = max_weight_b_matching(
        len(problem.candidates), len(problem.vacancies), pairs.cand[fp[free]], pairs.vac[fp[free]],
        lexicographic_flow_weights(pairs, coverage, quality, component, fp[free]), 1, room)
    return chosen


def lexicographic_flow_weights(pairs, coverage, quality, component, subset) -> np.ndarray:
    """coverage x M + score per pair, M per component: 1 + the sum over its candidates of their
    best score. A candidate here holds at most one job, so no two solutions of a component differ
    by M or more in score, and one percent-day more coverage always outweighs any score
    (components are independent, so M may differ between them). Integers: exact in the flow."""
    if not len(subset):
        return np.zeros(0, np.int64)
    cand = pairs.cand[subset]
    best = np.zeros(int(cand.max()) + 1, np.int64)
    np.maximum.at(best, cand, quality[subset])
    comp_id, comp_index = np.unique(component[subset], return_inverse=True)
    comp_of_cand = np.zeros(len(best), np.int64)
    comp_of_cand[cand] = comp_index
    uniq = np.unique(cand)
    m = 1 + np.bincount(comp_of_cand[uniq], weights=best[uniq], minlength=len(comp_id)).round().astype(np.int64)
    return coverage[subset] * m[comp_index] + quality[subset]


def _better(cov_a, q_a, cov_b, q_b) -> np.ndarray:
    """Where (cov_a, q_a) is lexicographically better than (cov_b, q_b)."""
    return (cov_a > cov_b) | ((cov_a == cov_b) & (q_a > q_b))


def _solve_bundles(problem, pairs, coverage, quality, key, bp, component, pinned, greedy, budget: Budget,
                   seed, gap_limit, num_workers, stats, phase, progress) -> tuple[np.ndarray, int, int]:
    """The bundle part, block by block of independent components: coverage LP, score LP (with
    coverage held), each rounded; the lexicographically best of greedy and the roundings per
    block; then CP-SAT, coverage first and score second, only on blocks with a gap above
    `gap_limit` at either level. Returns (chosen per pair in `bp`, coverage bound, score bound)."""
    t = time.perf_counter()
    groups = day_groups(problem, pairs, np.unique(pairs.cand[bp]))
    t = phase("groups", t)
    pinned_list = pinned.tolist()
    relax_cov = solve_relaxation(problem, pairs, coverage, bp, groups, component, pinned, budget,
                                 LP_COVERAGE_SHARE, LP_COVERAGE_WORK, prefer=greedy, tiebreak=quality)
    block = relax_cov.block_of_pair
    n_blocks = len(relax_cov.bound_const)
    cov_bp, q_bp = coverage[bp], quality[bp]

    def per_block(mask) -> tuple[np.ndarray, np.ndarray]:
        return (np.bincount(block, weights=cov_bp * mask, minlength=n_blocks).round().astype(np.int64),
                np.bincount(block, weights=q_bp * mask, minlength=n_blocks).round().astype(np.int64))

    # Components are independent: keep the better solution per component, not per block (a
    # block merges many small components, and one of them losing coverage must not cost the others).
    _, comp = np.unique(component[bp], return_inverse=True)
    n_comp = int(comp.max()) + 1

    def keep_better(current, candidate):
        def levels(mask):
            return (np.bincount(comp, weights=cov_bp * mask, minlength=n_comp).round(),
                    np.bincount(comp, weights=q_bp * mask, minlength=n_comp).round())
        take = _better(*levels(candidate), *levels(current))
        return np.where(take[comp], candidate, current)

    rounded, _ = greedy_assign(problem, pairs, lp_rounding_order(key, bp, relax_cov.values), bp, pinned_list)
    chosen = keep_better(greedy[bp], rounded[bp])
    cov_obj, _ = per_block(chosen)
    t = phase("relaxation", t)

    full = np.zeros(len(pairs), dtype=bool)
    full[bp] = chosen
    relax_q = solve_relaxation(problem, pairs, quality, bp, groups, component, pinned, budget,
                               LP_QUALITY_SHARE, LP_QUALITY_WORK, prefer=full, coverage=coverage,
                               min_coverage=cov_obj)
    rounded, _ = greedy_assign(problem, pairs, lp_rounding_order(key, bp, relax_q.values), bp, pinned_list)
    chosen = keep_better(chosen, rounded[bp])
    cov_obj, q_obj = per_block(chosen)

    members_of = np.split(np.argsort(block, kind="stable"), np.cumsum(np.bincount(block, minlength=n_blocks))[:-1])
    free = np.array([solver_free_bounds(problem, pairs, coverage, quality, bp[m]) for m in members_of],
                    dtype=np.int64).reshape(n_blocks, 2)
    cov_bound, q_free = free[:, 0], free[:, 1]
    lp_cov = relax_cov.bound_at()
    cov_bound = np.where(lp_cov >= 0, np.minimum(cov_bound, lp_cov), cov_bound)
    cov_bound = np.maximum(cov_bound, cov_obj)

    def quality_bound(cpsat_bound=None):
        lp_q = relax_q.bound_at(cov_obj)
        out = np.where(lp_q >= 0, np.minimum(q_free, lp_q), q_free)
        if cpsat_bound is not None:
            out = np.minimum(out, cpsat_bound)
        return np.maximum(out, q_obj)

    cp_q = np.full(n_blocks, np.iinfo(np.int64).max)  # CP-SAT's score bounds, at the coverage it held
    q_bound = quality_bound()
    t = phase("rounding", t)
    stats.update(blocks=n_blocks, lp_build_ms=round(1000 * (relax_cov.build_seconds + relax_q.build_seconds)))

    def open_gap(k) -> bool:
        return (cov_bound[k] - cov_obj[k] > gap_limit * cov_bound[k]
                or q_bound[k] - q_obj[k] > gap_limit * q_bound[k])

    # CP-SAT where a gap is left and the block is small enough for it to help.
    open_blocks = [k for k in range(n_blocks) if open_gap(k) and len(members_of[k]) <= CPSAT_MAX_VARIABLES]
    sizes = {k: len(members_of[k]) for k in open_blocks}
    size_left = sum(sizes.values())
    # A candidate lies in one block, and so do their critical-day groups.
    block_of_cand = np.full(len(problem.candidates), -1, dtype=np.int64)
    block_of_cand[pairs.cand[bp]] = block
    group_block = block_of_cand[np.fromiter((g.candidate for g in groups), dtype=np.int64, count=len(groups))]
    groups_of = np.split(np.argsort(group_block, kind="stable"),
                         np.cumsum(np.bincount(group_block, minlength=n_blocks))[:-1])
    # The LP work allowance is for PDLP blocks; where there are few, CP-SAT gets that share too
    # (a rule on sizes, not on the clock, so it stays reproducible).
    pdlp_share = sum(len(m) for m in members_of if len(m) > SIMPLEX_MAX_COLUMNS) / max(len(bp), 1)
    dtime_left = budget.cpsat_dtime(CPSAT_DTIME_SHARE + (LP_COVERAGE_WORK + LP_QUALITY_WORK) * (1 - pdlp_share))
    build_s = solve_s = 0.0
    n_constraints = 0
    for k in sorted(open_blocks, key=lambda k: (-sizes[k], k)):
        t1 = time.perf_counter()
        if budget.stopped():
            break
        if budget.wall_left() <= 0.2:
            budget.cut_by_clock = True  # only matters in deterministic mode
            break
        part, size_left = sizes[k] / size_left, size_left - sizes[k]  # of what is left, by size
        members = members_of[k]
        local = bp[members]
        hint = np.zeros(len(pairs), dtype=np.int8)
        hint[local] = chosen[members]
        block_pins = pinned[np.isin(pinned, local)]
        built = build_model(problem, pairs, coverage, local, [groups[i] for i in groups_of[k].tolist()],
                            block_pins, hint)
        n_constraints += built.n_constraints
        t2 = time.perf_counter()
        build_s += t2 - t1
        allowance = part * dtime_left if budget.deterministic else part * budget.wall_left()
        used = 0.0
        cov_local, q_local = coverage[local], quality[local]
        if cov_bound[k] - cov_obj[k] > gap_limit * cov_bound[k]:
            # Level 1: coverage. Half the block's allowance; what it does not use goes to level 2.
            run = _run_cpsat(built.model, budget, allowance / 2, seed, gap_limit, num_workers, progress, "coverage")
            used += run.used
            if run.values is not None:
                c_new, q_new = int(cov_local @ run.values), int(q_local @ run.values)
                if _better(c_new, q_new, cov_obj[k], q_obj[k]):
                    chosen[members] = run.values.astype(bool)
                    cov_obj[k], q_obj[k] = c_new, q_new
            cov_bound[k] = max(cov_obj[k], min(cov_bound[k], run.bound))
            q_bound = quality_bound(cp_q)
        if budget.wall_left() > 0.2 and q_bound[k] - q_obj[k] > gap_limit * q_bound[k]:
            # Level 2: score, with coverage held at what level 1 found. Once the block's coverage is
            # proven, every component in it is at its own maximum, so the same is said per
            # component: equivalent, and far easier for CP-SAT than one row over the whole block
            # (measured: a 1,816-pair block of 27 components took 13.5 s with one row).
            if cov_obj[k] == cov_bound[k]:
                labels = np.unique(component[local], return_inverse=True)[1]
                floors = np.bincount(labels, weights=cov_local * chosen[members]).round().astype(np.int64)
                add_min_coverage(built.model, cov_local, floors, labels)
            else:
                add_min_coverage(built.model, cov_local, int(cov_obj[k]))
            set_objective(built.model, q_local)
            add_hint(built.model, chosen[members].astype(np.int8))
            run = _run_cpsat(built.model, budget, allowance - used, seed, gap_limit, num_workers, progress, "quality")
            used += run.used
            if run.values is not None:
                c_new, q_new = int(cov_local @ run.values), int(q_local @ run.values)
                if _better(c_new, q_new, cov_obj[k], q_obj[k]):
                    chosen[members] = run.values.astype(bool)
                    cov_obj[k], q_obj[k] = c_new, q_new
            # Valid for every solution keeping the coverage held, so also for any with more.
            cp_q[k] = run.bound
        q_bound = quality_bound(cp_q)
        if budget.deterministic:
            dtime_left -= used
        solve_s += time.perf_counter() - t2
    # Neighbourhood search on the blocks still open, biggest gap first, while the budget lasts.
    still_open = [k for k in range(n_blocks) if open_gap(k)]
    if still_open and budget.wall_left() > 0.5:
        gap_key = {k: -(cov_bound[k] - cov_obj[k]) / max(cov_bound[k], 1) - (q_bound[k] - q_obj[k]) / max(q_bound[k], 1)
                   for k in still_open}
        t2 = time.perf_counter()
        local_sets = [bp[members_of[k]] for k in sorted(still_open, key=lambda k: (gap_key[k], k))]
        full = np.zeros(len(pairs), dtype=bool)
        full[bp] = chosen
        searched, improved = _neighbourhood_search(
            problem, pairs, coverage, quality, local_sets, groups, pinned, full, budget,
            budget.cpsat_dtime(NEIGHBOURHOOD_DTIME_SHARE) if budget.deterministic else None, seed)
        chosen = full[bp]
        cov_obj, q_obj = per_block(chosen)
        cov_bound = np.maximum(cov_bound, cov_obj)
        q_bound = quality_bound(cp_q)
        stats.update(neighbourhoods=searched, neighbourhoods_improved=improved)
        solve_s += time.perf_counter() - t2
    stats["constraints"] = n_constraints
    stats["cpsat_blocks"] = len(open_blocks)
    phase("build", time.perf_counter() - build_s)  # phase() records now - since: the summed time
    phase("solve", time.perf_counter() - solve_s)
    return chosen.astype(bool), int(cov_bound.sum()), int(q_bound.sum())


def _neighbourhood_search(problem, pairs, coverage, quality, local_sets, groups, pinned, chosen,
                          budget: Budget, dtime_left, seed) -> tuple[int, int]:
    """Improve `chosen` (bool per pair, changed in place) on the given blocks' pairs: CP-SAT on one
    neighbourhood at a time (candidates sorted by place, NEIGHBOURHOOD_PAIRS pairs each), with
    every other candidate's jobs held and the vacancies' places they use taken out. A neighbourhood
    is small, so one exact integer objective does both levels: coverage x M + score, with M above
    the neighbourhood's largest possible score. A change is kept only if it is lexicographically
    better, so coverage never drops. Returns (neighbourhoods searched, improved)."""
    cand = pairs.cand
    lat, lon = problem.candidates.lat, problem.candidates.lon
    group_cand = np.fromiter((g.candidate for g in groups), dtype=np.int64, count=len(groups))
    order_g = np.argsort(group_cand, kind="stable")
    g_sorted = group_cand[order_g]
    searched = improved = 0
    for local_all in local_sets:
        cands = np.unique(cand[local_all])
        cands = cands[np.lexsort((cands, lon[cands].round(2), lat[cands].round(1)))]  # by place
        per_cand = np.bincount(cand[local_all], minlength=len(problem.candidates))[cands]
        cuts = np.flatnonzero(np.diff(np.cumsum(per_cand) // NEIGHBOURHOOD_PAIRS)) + 1
        for part in np.split(cands, cuts):
            if budget.wall_left() <= 0.2:
                budget.cut_by_clock = budget.cut_by_clock or budget.deterministic
                return searched, improved
            if (dtime_left is not None and dtime_left <= 0.01) or budget.stopped():
                return searched, improved
            local = local_all[np.isin(cand[local_all], part)]
            outside = np.flatnonzero(chosen)
            outside = outside[~np.isin(cand[outside], part)]
            room = problem.vacancies.headcount - np.bincount(pairs.vac[outside], minlength=len(problem.vacancies))
            lo, hi = np.searchsorted(g_sorted, part), np.searchsorted(g_sorted, part, side="right")
            part_groups = [groups[i] for a, b in zip(lo.tolist(), hi.tolist()) for i in order_g[a:b].tolist()]
            m = 1 + int(quality[local].sum())
            weights = np.zeros(len(pairs), dtype=np.int64)
            weights[local] = coverage[local] * m + quality[local]
            built = build_model(problem, pairs, weights, local, part_groups, pinned[np.isin(pinned, local)],
                                chosen.astype(np.int8), headcount=room)
            if dtime_left is None:
                allowance = min(3.0, budget.wall_left())  # seconds in wall-clock mode
            else:
                allowance = min(NEIGHBOURHOOD_DTIME, dtime_left)
            run = _run_cpsat(built.model, budget, allowance, seed, 0.0, None, None, "neighbourhood")
            searched += 1
            if dtime_left is not None:
                dtime_left -= run.used
            if run.values is None:
                continue
            new = run.values.astype(bool)
            old = chosen[local]
            if _better(int(coverage[local] @ new), int(quality[local] @ new),
                       int(coverage[local] @ old), int(quality[local] @ old)):
                chosen[local] = new
                improved += 1
    return searched, improved


def _greedy_flow_objective(problem, pairs, coverage, quality, key, fp) -> tuple[int, int]:
    """What greedy would have got on the flow part: the reference the benchmarks compare with."""
    if not len(fp):
        return 0, 0
    chosen, _ = greedy_assign(problem, pairs, key, fp)
    return int(coverage[chosen].sum()), int(quality[chosen].sum())


@dataclass
class _CpsatRun:
    values: np.ndarray | None  # per variable
    bound: int  # proven bound on this model's objective (int64 max if none)
    used: float  # deterministic time (deterministic mode) or wall seconds


@contextmanager
def _stop_watch(solver, budget: Budget):
    """While CP-SAT searches, ask `budget.stop` four times a second and end the search when it says
    so: a long block must not keep a cancelled job running to its end."""
    if budget.stop is None:
        yield
        return
    done = threading.Event()

    def watch() -> None:
        while not done.wait(0.25):
            if budget.stopped():
                solver.stop_search()
                return

    watcher = threading.Thread(target=watch, name="cpsat-stop", daemon=True)
    watcher.start()
    try:
        yield
    finally:
        done.set()
        watcher.join()


def _run_cpsat(model, budget: Budget, allowance: float, seed: int, gap_limit: float, num_workers: int | None,
               progress: Progress | None, level: str) -> _CpsatRun:
    """Maximise the model's objective within `allowance` (deterministic time units, or seconds in
    wall-clock mode)."""
    from ortools.sat.python import cp_model

    if budget.stopped():
        return _CpsatRun(None, np.iinfo(np.int64).max, 0.0)
    solver = cp_model.CpSolver()
    wall = budget.wall_left()
    if budget.deterministic:
        solver.parameters.max_deterministic_time = max(0.01, float(allowance))
        solver.parameters.max_time_in_seconds = max(0.05, wall)  # the safety stop only
        # One worker is reproducible by itself. Measured on the tight 40 x 80 benchmark (2 busy
        # cores): one worker proved both levels in 4.4 s, two plain parallel workers in 11 s (not
        # reproducible), two interleaved workers (reproducible) in 45 s. More workers, if asked
        # for, are interleaved in a fixed order, so that they stay reproducible.
        workers = num_workers or 1
        solver.parameters.interleave_search = workers > 1
    else:
        solver.parameters.max_time_in_seconds = max(0.2, min(float(allowance), wall))
        # One worker per core: more workers than cores found poor solutions (TECH-NOTES).
        workers = num_workers or _core_count()
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = int(seed)
    solver.parameters.relative_gap_limit = float(gap_limit)
    # Measured on the 2,000 x 1,000 benchmark: presolve probing alone ran past a 10 s limit
    # (2 s per round, several rounds), leaving no time to search. And measured on the HiGHS
    # comparison (`benchmarks/bench_highs.py`): with presolve off and the fuller LP
    # (linearization level 2), the score level of a 7,400-pair block was proved in 1.4 s instead
    # of not at all in 20 s, a 1,816-pair one in 0.15 s instead of 5.6 s; the tight 40 x 80
    # instance took about as long either way. The model is already tight (clash sets), so
    # presolve has little to remove.
    solver.parameters.cp_model_probing_level = 0
    solver.parameters.cp_model_presolve = False
    solver.parameters.linearization_level = 2

    callback = None
    if progress:
        class _Report(cp_model.CpSolverSolutionCallback):
            def on_solution_callback(self):
                progress({"phase": "solving", "level": level, "seconds": round(self.wall_time, 3),
                          "objective": int(self.objective_value), "bound": int(self.best_objective_bound)})
        callback = _Report()
    started = time.perf_counter()
    with _stop_watch(solver, budget):
        code = solver.solve(model, callback)
    used = solver.deterministic_time if budget.deterministic else time.perf_counter() - started
    if budget.deterministic and code != cp_model.OPTIMAL and solver.deterministic_time < 0.999 * allowance:
        budget.cut_by_clock = True  # stopped by the wall-clock safety, not by its work limit
    if code in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        values = np.array(solver.response_proto.solution, dtype=np.int64)
        objective = int(round(solver.objective_value))
        bound = int(np.floor(solver.best_objective_bound + 1e-6))
        return _CpsatRun(values, max(bound, objective), used)
    if code == cp_model.INFEASIBLE:
        # Cannot happen: the hint is feasible and pins were checked. Fail loudly.
        raise RuntimeError("CP-SAT reported the model infeasible")
    # No solution in time: CP-SAT's bound field carries no information then.
    return _CpsatRun(None, np.iinfo(np.int64).max, used)
