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
LP's certified bound (per component the smaller of it and the Lagrangian one, `matching.lagrange`),
CP-SAT's proven bound and a solver-free bound; score bound = the same over
the solutions that keep at least the proposal's coverage (hence also a bound on the score of the
lexicographic optimum). "optimal" means both levels are proven.

Reproducible: with `deterministic=True` (the default) every limit is a work limit, not the clock
(`matching.budget`), so the same input, seed and time budget give the same proposals.
Pure: data in, result out; progress goes to an optional callback, never to stdout.
"""

from __future__ import annotations

import dataclasses
import functools
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field

import numpy as np

from matching.arrays import unique_labels
from matching.budget import Budget
from matching.decompose import decompose
from matching.eligibility import RULE_TEXT_NB, Pairs, eligible_pairs, pair_failures
from matching.flow import max_weight_b_matching
from matching.greedy import greedy_assign
from matching.model import add_hint, add_min_coverage, build_model, day_groups, pair_coverage, pair_key, set_objective
from matching.problem import PLANNING_DAYS, MatchingProblem
from matching.reassign import reassign_bundles
from matching.relax import (
    SIMPLEX_MAX_COLUMNS,
    LpStart,
    Relaxation,
    groups_by_block,
    heap_only,
    lp_rounding_order,
    rekey,
    solve_relaxation,
    solver_free_bounds,
    split_by,
    warm_certificates,
)
from matching.scoring import PairScores, ScoreWeights, score_pairs
from matching.vertex import (
    EXACT_LP_MAX_PAIRS,
    EXACT_LP_PAIRS_PER_SECOND,
    VERTEX_SUPPORT,
    LpBasis,
    VertexDuals,
    exact_again,
    polish_around,
    vertex_polish,
)
from matching.warm import WarmStart, component_prints, context_of, previous_chosen

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
CPSAT_MIN_DTIME = 0.05  # below this allowance (deterministic mode) no CP-SAT on the blocks
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
# A re-run's LPs (only where a gap is above the previous run's): this share of a first run's LP
# work for the same components, starting from the previous solution and duals.
WARM_LP_SHARE = 0.03
# A changed small component is kept as repaired when the previous duals certify it within the
# previous run's coverage gap and within this much more than its score gap (`_within`).
WARM_SCORE_SLACK = 0.25
# The score LP holds coverage at the coverage LP's value (see `_solve_bundles`); measured at
# 20,000 x 10,000: score +2.1 %, coverage +8,050 percent-days against holding the rounded coverage.
SCORE_LP_AT_LP_COVERAGE = True
# A re-run's vertex step around its changes: the candidates near them, then those with the largest
# share of the certified gaps, up to this many pairs. Measured at national scale on 3 sets of 50
# decisions (session 19, first run 161.8 s, gaps 0.00002 % / 0.107 %): with 60,000, 0.180x, 0.213x and
# 0.224x, two sets short of a run from scratch (7,400 percent-days of coverage; 797 score points, score
# gap 0.112 %); with 120,000, 0.198x, 0.182x and 0.192x, coverage as from scratch and score gaps
# 0.100-0.102 % (from scratch 0.109 %): the coverage LP again was no longer needed; with 200,000,
# 0.210-0.214x, score gaps 0.098-0.100 %.
WARM_LOCAL_COLUMNS = 120_000
WARM_HANDOUT_PAIRS = 500_000  # a re-run hands out all the bundles of a changed big component up to this size
PLACE_TAKERS = 10  # candidates who could fill a freed or moved place, searched or handed out with it
WARM_NEIGHBOURHOOD_SHARE = 0.02  # and of its neighbourhood search, near the changes and again further out


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
    greedy_coverage: int  # what greedy placed (a re-run: its previous solution, repaired greedily)
    greedy_quality: int
    reproducible: bool  # no wall-clock stop cut a phase (always False in wall-clock mode)
    infeasible_pins: list[InfeasiblePin] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    stats: dict[str, int] = field(default_factory=dict)
    warm: WarmStart | None = None  # what the next run may start from (None: no bundle part)

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
          stop: Callable[[], bool] | None = None, warm: WarmStart | None = None) -> MatchResult:
    """Propose assignments. `time_limit` is the run's budget in seconds: with `deterministic`
    it is turned into work limits (same input, seed and budget -> same proposals; a wall-clock
    stop at 3 x the budget guards against a far slower machine), otherwise it is a wall-clock
    deadline. `gap_limit` stops CP-SAT once the proven relative gap of a level is that small
    (0 = prove the optimum). `stop` is polled during CP-SAT: once it answers True, no search
    goes on (a cancelled job); the result is then only what was found so far. `warm`: a
    previous run's `result.warm`; the run starts from it (`matching.warm`) when it fits the
    problem, and is then reproducible given that state too."""
    # A re-run keeps its big arrays on malloc's heap (`matching.relax.heap_only`: 10-15 % of a
    # national re-run went to page faults); a first run only while PDLP runs (its peak memory).
    reuses = warm is not None and warm.context == context_of(problem)
    with heap_only() if reuses else nullcontext():
        return _solve(problem, time_limit, seed, score_weights, progress, gap_limit, num_workers, deterministic,
                      stop, warm)


def _solve(problem: MatchingProblem, time_limit: float, seed: int, score_weights: ScoreWeights | None,
           progress: Progress | None, gap_limit: float, num_workers: int | None, deterministic: bool,
           stop: Callable[[], bool] | None, warm: WarmStart | None) -> MatchResult:
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

    # Bundle part: greedy, then LPs, then CP-SAT. Pins that clash with each other: greedy places
    # the pins first, so the pins alone tell.
    bp = parts.bundle_pairs
    _, failed = greedy_assign(problem, pairs, key, np.zeros(0, dtype=np.int64), pinned.tolist())
    _report_clashing_pins(problem, pairs, failed, infeasible_pins)
    pinned = np.array([p for p in pinned.tolist() if p not in set(failed)], dtype=np.int64)

    stats = {"pairs": len(pairs), "flow_pairs": len(fp), "bundle_pairs": len(bp),
             "components": parts.n_components, "flow_components": parts.n_flow_components,
             "bundle_components": parts.n_bundle_components}
    cov_bound, q_bound = flow_cov, flow_q
    state = None
    greedy = np.zeros(len(pairs), dtype=bool)
    if len(bp):
        part = _bundle_part(problem, pairs, coverage, quality, key, bp, parts.component, pinned, budget,
                            seed, gap_limit, num_workers, stats, phase, progress, warm, (flow_cov, flow_q))
        chosen[bp] = part.chosen
        greedy = part.greedy
        cov_bound += part.coverage_bound
        q_bound += part.quality_bound
        state = part.state

    cov_obj, q_obj = int(coverage[chosen].sum()), int(quality[chosen].sum())
    g_cov, g_q = _greedy_flow_objective(problem, pairs, coverage, quality, key, fp)
    result = MatchResult(
        pairs=pairs, scores=scores, coverage=coverage, chosen=chosen,
        coverage_objective=cov_obj, coverage_bound=cov_bound, quality_objective=q_obj, quality_bound=q_bound,
        status="optimal" if (cov_obj == cov_bound and q_obj == q_bound) else "feasible",
        greedy_coverage=int(coverage[greedy].sum()) + g_cov, greedy_quality=int(quality[greedy].sum()) + g_q,
        reproducible=deterministic and not budget.cut_by_clock,
        infeasible_pins=infeasible_pins, timings=timings, stats=stats, warm=state)
    timings["total"] = time.perf_counter() - t0
    if state is not None:
        state.coverage_gap, state.quality_gap = result.coverage_gap, result.quality_gap
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
    comp_id, comp_index = unique_labels(component[subset], return_inverse=True)
    comp_of_cand = np.zeros(len(best), np.int64)
    comp_of_cand[cand] = comp_index
    uniq = np.unique(cand)
    m = 1 + np.bincount(comp_of_cand[uniq], weights=best[uniq], minlength=len(comp_id)).round().astype(np.int64)
    return coverage[subset] * m[comp_index] + quality[subset]


def _better(cov_a, q_a, cov_b, q_b) -> np.ndarray:
    """Where (cov_a, q_a) is lexicographically better than (cov_b, q_b)."""
    return (cov_a > cov_b) | ((cov_a == cov_b) & (q_a > q_b))


@dataclass
class _BundlePart:
    chosen: np.ndarray  # bool per bundle pair
    coverage_bound: int
    quality_bound: int
    state: WarmStart
    # bool per pair: greedy's solution, the reference the benchmarks compare with (in a re-run
    # only on the changed components; the others count as proposed).
    greedy: np.ndarray


def _bundle_part(problem, pairs, coverage, quality, key, bp, component, pinned, budget: Budget, seed,
                 gap_limit, num_workers, stats, phase, progress, warm: WarmStart | None,
                 flow_levels: tuple[int, int]) -> _BundlePart:
    """The bundle part: from scratch (`_solve_bundles`), or from a previous run's state (see
    `matching.warm`): unchanged components as they were; changed small ones as repaired where
    the previous duals prove them within the previous gaps (`_within`), else by their LPs,
    rounding and vertex step, keeping the repaired previous solution where better and each bound
    the tighter of the two (`_tightest`), with CP-SAT only if the run is then above the previous
    gaps; changed big ones from the previous solution with the previous duals (`_warm_big`), side
    by side with the small ones."""
    comps, prints = component_prints(problem, pairs, coverage, quality, pinned, component, bp)
    usable = warm is not None and warm.context == context_of(problem)
    stats["warm_start"] = int(usable)
    if not usable:
        t = time.perf_counter()
        greedy, _ = greedy_assign(problem, pairs, key, bp, pinned.tolist())
        phase("greedy", t)
        out = _solve_bundles(problem, pairs, coverage, quality, key, bp, component, pinned, greedy, budget,
                             seed, gap_limit, num_workers, stats, phase, progress)
        return _BundlePart(out.chosen, out.coverage_bound, out.quality_bound,
                           _state(problem, pairs, bp, out.chosen, comps, prints, [out.table], [out.duals], out.basis),
                           greedy)
    t = time.perf_counter()
    cand_map, vac_map = warm.index_maps(problem)
    prev = previous_chosen(warm, problem, pairs, cand_map, vac_map)
    basis = warm.basis().mapped(cand_map, vac_map)
    slot = _match_prints(prints, warm.comp_print)
    comp_index = np.searchsorted(comps, component[bp])
    reused = slot[comp_index] >= 0
    big = np.bincount(comp_index, minlength=len(comps))[comp_index] > SIMPLEX_MAX_COLUMNS
    chosen = np.zeros(len(bp), dtype=bool)
    chosen[reused] = prev[bp[reused]]
    # The previous duals in this problem's numbering (rows of people and jobs that are gone drop out).
    keys = rekey(warm.dual_key, cand_map, vac_map)
    ok = keys >= 0
    key_order = np.argsort(keys[ok], kind="stable")
    sorted_keys = keys[ok][key_order]
    yc, yq = warm.dual_coverage[ok][key_order], warm.dual_quality[ok][key_order]
    mu_of_key = warm.comp_mu[warm.dual_slot[ok][key_order]]
    comp_of_slot = np.full(len(warm.comp_print), -1, dtype=np.int64)
    comp_of_slot[slot[slot >= 0]] = comps[slot >= 0]
    r = slot[slot >= 0]
    # Only the bounds and mu of the reused components are needed (for the next state), not their objectives.
    old = ComponentBounds(comps[slot >= 0], np.zeros(len(r), np.int64), np.zeros(len(r), np.int64),
                          warm.comp_coverage_bound[r], warm.comp_quality_bound[r], warm.comp_mu[r],
                          np.full(len(r), np.inf))
    keep_dual = ok & (comp_of_slot[warm.dual_slot] >= 0)
    tables = [old]
    duals = [_Duals(keys[keep_dual], warm.dual_coverage[keep_dual], warm.dual_quality[keep_dual],
                    comp_of_slot[warm.dual_slot[keep_dual]])]
    cov_bound, q_bound = int(old.coverage_bound.sum()), int(old.quality_bound.sum())
    n_changed = int(len(comps) - (slot >= 0).sum())
    stats.update(warm_reused_components=int((slot >= 0).sum()), warm_changed_components=n_changed,
                 warm_reused_pairs=int(reused.sum()))
    t = phase("warm start", t)
    # Where something changed, the previous solution repaired: the re-run's start, and what it
    # reports as greedy. A plain greedy there as well cost 1.4 s at national scale (over all of
    # the national benchmark, 4.5 s).
    changed = bp[~reused]
    repaired = _repair(problem, pairs, key, changed, pinned, prev)
    greedy = repaired.copy()
    greedy[bp[reused]] = chosen[reused]
    groups = day_groups(problem, pairs, np.unique(pairs.cand[changed]))  # once, for every step below
    t = phase("greedy", t)
    small = ~reused & ~big
    changed_big = ~reused & ~small
    fresh = np.zeros(len(bp), dtype=bool)
    certified = None
    if small.any():
        # As in a first run (LPs, rounding, vertex step; CP-SAT below, where the run needs it), with
        # the repaired previous solution kept where better. Measured on the 20,000 x 10,000 benchmark's
        # re-run (40,643 pairs of changed small components): LPs and rounding alone gave score
        # 161,777, with the vertex step 167,200 in 0.33 s more (bound 167,431; the first run had
        # 166,536 there); CP-SAT then took 0.6 s. On a 3,000 x 1,500 re-run CP-SAT is what proves
        # the optimum again (without it the score gap was 3.2 %).
        sub = bp[small]
        # Components whose repaired solution the previous duals already certify within the
        # previous run's gaps are kept; measured on the national benchmark's re-run, solving
        # every changed small component again took 21 s of its 83.
        table, cert_duals, _ = _certify(problem, pairs, coverage, quality, sub, groups, component, pinned,
                                        repaired, (sorted_keys, yc, yq, mu_of_key), budget.part(len(sub) / len(bp)))
        done = table.comp_ids[_within(table, (warm.coverage_gap, warm.quality_gap))]
        certified = table
        table, cert_duals = _only(table, cert_duals, done)
        kept = small.copy()
        kept[small] = np.isin(component[sub], done)
        chosen[kept] = repaired[bp[kept]]
        cov_bound, q_bound = cov_bound + int(table.coverage_bound.sum()), q_bound + int(table.quality_bound.sum())
        tables.append(table)
        duals.append(cert_duals)
        stats["warm_small_components_kept"] = len(done)
        fresh = small & ~kept
        stats["warm_fresh_pairs"] = int(fresh.sum())
    # A first run's share of the work, for the part it has to do again: by the pairs solved
    # again, not all of the changed small components' (measured at 20,000 x 10,000: one fresh
    # 2,063-pair component then had the CP-SAT time of 37,000 pairs, 2.9 s, and the score
    # CP-SAT found was the LPs' rounding's).
    part_budget = budget.part(fresh.sum() / len(bp))

    def fresh_bounds(out: _Bundles) -> tuple[int, int, ComponentBounds]:
        """The fresh part's bounds: each the tighter of its own and the previous duals' certificate."""
        solved = _tightest(out.table, certified)
        return (min(out.coverage_bound, int(solved.coverage_bound.sum())),
                min(out.quality_bound, int(solved.quality_bound.sum())), solved)

    def with_fresh(out: _Bundles) -> tuple[np.ndarray, int, int]:
        """The solution and bounds so far with the fresh part's `out`."""
        now = chosen.copy()
        now[fresh] = out.chosen
        cov_f, q_f, _ = fresh_bounds(out)
        return now, cov_bound + cov_f, q_bound + q_f

    def levels(mask, now, cov_b, q_b) -> tuple[int, int, int, int]:
        """Coverage, its bound, score and its bound of the run: `now` on the bundle pairs `mask`."""
        return (flow_levels[0] + int(coverage[bp[mask]] @ now[mask]), flow_levels[0] + cov_b,
                flow_levels[1] + int(quality[bp[mask]] @ now[mask]), flow_levels[1] + q_b)

    # The fresh small components and the changed big ones are independent: the fresh ones are
    # solved in a second thread (HiGHS and CP-SAT release the GIL) while the big ones' exact LP
    # runs; the big part waits for them only where it needs the levels of the rest of the run
    # (`outside`). Still reproducible: neither part's work depends on the other's timing.
    # Measured on 6 sets of 50 decisions at 20,000 x 10,000 (session 19, with the two rules below
    # and in `vertex.EXACT_AGAIN_CERT_STEP`): re-runs of 6.4-12.0 s -> 5.3-6.3 s, against a first
    # run of 37 s.
    with ThreadPoolExecutor(max_workers=1) as pool:
        job = None
        if fresh.any():
            job = pool.submit(_solve_bundles, problem, pairs, coverage, quality, key, bp[fresh], component, pinned,
                              repaired, part_budget, seed, gap_limit, num_workers, stats, phase, progress, groups,
                              cpsat=False)

        @functools.cache
        def outside() -> tuple[int, int, int, int]:
            """The levels of the run outside the changed big components (before they are added)."""
            return levels(~changed_big, *((chosen, cov_bound, q_bound) if job is None else with_fresh(job.result())))

        if changed_big.any():
            sub = bp[changed_big]
            big_budget = budget.part(len(sub) / len(bp))
            full, table, cert_duals, basis = _warm_big(
                problem, pairs, coverage, quality, key, sub, component, pinned, prev, repaired, groups,
                (sorted_keys, yc, yq, mu_of_key), basis, big_budget, seed, stats,
                (warm.coverage_gap, warm.quality_gap), outside)
            budget.cut_by_clock |= big_budget.cut_by_clock
            chosen[changed_big] = full[sub]
            cov_bound, q_bound = cov_bound + int(table.coverage_bound.sum()), q_bound + int(table.quality_bound.sum())
            tables.append(table)
            duals.append(cert_duals)
        out = None if job is None else job.result()
    if out is not None:
        # CP-SAT on the fresh components' open blocks only where the run is above the previous
        # run's gaps: it proves bounds block by block, where the run's gaps are what a re-run
        # must keep. Measured on the sixth set of decisions in the README (*Re-runs*): CP-SAT took
        # 3.5 s on one 6,816-pair block and changed no proposal; the run's score gap 0.077 % with
        # it, 0.092 % without (the first run's 0.094 %).
        cov, cov_b, q, q_b = levels(np.ones(len(bp), dtype=bool), *with_fresh(out))
        if out.resume is not None and (_gap(cov, cov_b) > warm.coverage_gap or _gap(q, q_b) > warm.quality_gap):
            out = out.resume()
            stats["warm_fresh_cpsat"] = 1
        chosen[fresh] = out.chosen
        cov_f, q_f, solved = fresh_bounds(out)
        cov_bound, q_bound = cov_bound + cov_f, q_bound + q_f
        tables.append(solved)
        duals.append(out.duals)
        basis = LpBasis.concat([basis, out.basis])
        budget.cut_by_clock |= part_budget.cut_by_clock
    if changed_big.any():
        phase("warm repair", t)
    return _BundlePart(chosen, cov_bound, q_bound,
                       _state(problem, pairs, bp, chosen, comps, prints, tables, duals, basis),
                       greedy)


def _tightest(table: ComponentBounds, certified: ComponentBounds) -> ComponentBounds:
    """`table` with each bound the smaller of its own and `certified`'s (the same components or
    more). Both are valid: `certified`'s score bound holds for every solution with at least the
    repaired solution's coverage, and the lexicographic optimum has at least that coverage (and
    at least `table`'s, where `certified`'s certificate is also taken, see `_with_objectives`)."""
    at = np.searchsorted(certified.comp_ids, table.comp_ids)
    theirs = np.minimum(certified.quality_bound[at],
                        _score_bound_at(certified.quality_const[at], certified.mu[at], table.coverage))
    take = theirs < table.quality_bound
    return dataclasses.replace(
        table, coverage_bound=np.maximum(np.minimum(table.coverage_bound, certified.coverage_bound[at]), table.coverage),
        quality_bound=np.maximum(np.where(take, theirs, table.quality_bound), table.quality),
        mu=np.where(take, certified.mu[at], table.mu),
        quality_const=np.where(take, certified.quality_const[at], table.quality_const))


def _match_prints(prints: np.ndarray, stored: np.ndarray) -> np.ndarray:
    """Per fingerprint: its position in `stored`, or -1."""
    if not len(stored):
        return np.full(len(prints), -1, dtype=np.int64)
    order = np.argsort(stored)
    at = np.clip(np.searchsorted(stored[order], prints), 0, len(stored) - 1)
    return np.where(stored[order][at] == prints, order[at], -1).astype(np.int64)


def _warm_big(problem, pairs, coverage, quality, key, sub, component, pinned, prev, repaired, groups, duals,
              basis: LpBasis, budget: Budget, seed, stats, target: tuple[float, float],
              outside: Callable[[], tuple[int, int, int, int]]) -> tuple[np.ndarray, ComponentBounds, _Duals, LpBasis]:
    """Changed components from the previous run (`budget`: their share of a first run's).
    1. The previous solution with the decisions applied (`repaired`, see `_repair`); bounds
       certified with the previous duals and prices (`matching.relax.warm_certificates`).
    2. Where the previous run solved the component's exact score LP (it stored the LP's basis,
       `basis`): that LP again from its basis, and the MIP where its solution moved
       (`_exact_again`, `matching.vertex.exact_again`); its duals certify the score bound, the
       previous duals only the coverage bound. Measured on the 20,000 x 10,000 re-run: gaps
       0.018 % / 0.150 % -> 0.011 % / 0.077 % (the first run's: 0.025 % / 0.084 %), in 0.98-1.26 x
       the time of the vertex step it replaces there (4 sets of decisions).
    3. Elsewhere (and where that LP found no optimum) the vertex step (`matching.vertex.
       polish_around`, coverage LP first) on all the pairs of the candidates near what changed
       and then of those with the largest share of the certified gaps (`_widened`, up to
       WARM_LOCAL_COLUMNS pairs), everyone else held: the repair only patched the previous
       solution, this solves that neighbourhood exactly. At national scale the candidates near
       the changes fill it (61,229 pairs, 1.7 s, score gap 0.129 % -> 0.128 %; the CP-SAT
       neighbourhood it replaced ended at 0.140 %). At 20,000 x 10,000 (40,186 pairs near the
       changes, 60,000 with the gap shares, 3 s): the re-run's gaps 0.046 % / 0.662 % -> 0.036 %
       / 0.571 % (a cold re-run: 0.035 % / 0.473 %); without the coverage LP first the step
       raised coverage far less (0.105 % against 0.036 %) and the LP's rounding then cost score.
    4. While the run's coverage gap is above the previous run's (`target`; `outside()` =
       coverage, its bound, score, its bound of the rest of the run, once the fresh small
       components solved beside this part are done, see `_bundle_part`): the coverage LP again
       from the previous point (WARM_LP_SHARE of a first run's LP work), its rounding kept
       where better (a vetoed pair's freed place is often best filled by a chain of moves that
       only the LP sees).
    5. CP-SAT neighbourhoods away from the changes while coverage is still short; then the
       bundles handed out again (`matching.reassign`).
    Without the exact LP, the score level's bound stays the certificate of step 1: measured on
    the 20,000 x 10,000 re-run, the score LP solved again with PDLP (3 % to 10 % of a first
    run's LP work, from the previous point or from the previous LP solution) certified nothing
    the (then polished) previous duals had not. Returns the solution, the bounds, the duals and the bases for
    the next run."""
    full = repaired.copy()
    # Around what changed: candidates whose jobs changed or who were pinned or vetoed, and the
    # candidates holding places at the vacancies concerned.
    changed = sub[full[sub] != prev[sub]]
    decided = np.array(list(problem.pins) + list(problem.vetoes), dtype=np.int64).reshape(-1, 2)
    touched_c = np.union1d(pairs.cand[changed], decided[:, 0])
    touched_v = np.union1d(pairs.vac[changed], decided[:, 1])
    # and, for a freed place, the candidates who could take it (the best few by coverage and score).
    at_touched = sub[np.isin(pairs.vac[sub], touched_v)]
    holders = pairs.cand[at_touched[full[at_touched]]]
    takers = at_touched[_top_per(pairs.vac[at_touched], key[at_touched], PLACE_TAKERS)]
    near = np.isin(pairs.cand[sub], np.union1d(np.union1d(touched_c, holders), pairs.cand[takers]))
    keys, yc, _, mu_of_key = duals
    # Components the previous run's exact LP covered get it again (`_exact_again`), certified
    # here at the coverage level only; the others get the vertex step around their changes.
    exact = _with_basis(pairs, sub, component, basis)
    rest = sub[~np.isin(component[sub], exact)]
    # The gap shares only matter where the candidates near the changes leave room (at national
    # scale they fill it, and the shares cost 1.1 s).
    near_rest = np.isin(rest, sub[near])
    table, out, shares = _certify(problem, pairs, coverage, quality, rest, groups, component, pinned, full, duals,
                                  budget, with_shares=int(near_rest.sum()) < WARM_LOCAL_COLUMNS)
    if len(exact):
        cols = sub[np.isin(component[sub], exact)]
        table_x, out_x, _ = _certify(problem, pairs, coverage, quality, cols, groups, component, pinned, full, duals,
                                     budget, score=False)
        table, out = _merged([(table, out), (table_x, out_x)])
    certified = table  # for the statistics, once the rest of the run is known (`outside`)
    # A cancelled run (`budget.stopped()`) skips the steps that follow, each of which only improves:
    # its bounds stay valid, and it stops after its longest step (the certificates above, 8-10 s at
    # national scale), not after all of them (15-18 s).
    full, table, out, basis, failed = _exact_again(problem, pairs, coverage, quality, sub,
                                                   exact[:0] if budget.stopped() else exact, component, pinned,
                                                   groups, full, table, out, duals, basis, budget, stats)
    if len(failed):  # no LP: the previous duals' score certificate, and the vertex step after all
        cols = sub[np.isin(component[sub], failed)]
        table, out = _merged([_only(table, out, table.comp_ids[~np.isin(table.comp_ids, failed)]),
                              _certify(problem, pairs, coverage, quality, cols, groups, component, pinned, full,
                                       duals, budget)[:2]])
        rest, shares = np.union1d(rest, cols), None
        near_rest = np.isin(rest, sub[near])
    local = rest[_widened(pairs, rest, near_rest, shares, WARM_LOCAL_COLUMNS)]
    if budget.stopped():
        local = local[:0]
    if len(local):
        found = polish_around(problem, pairs, coverage, quality, local, full, groups, component, pinned, budget)
        if found is not None:
            trial = full.copy()
            trial[local] = found
            full = _keep_better_by_component(coverage, quality, component, sub, full, trial)
            table = _with_objectives(problem, pairs, coverage, quality, sub, component, full, table)
    stats["warm_local_pairs"] = len(local)
    stats["warm_certified_gaps"] = _level_gaps(certified, outside())

    def coverage_open() -> np.ndarray:
        """Pairs of `sub` in components above the target coverage gap; empty once the run meets it."""
        if budget.stopped() or _gap(outside()[0] + int(table.coverage.sum()),
                                    outside()[1] + int(table.coverage_bound.sum())) <= target[0]:
            return np.zeros(0, dtype=np.int64)
        above = table.comp_ids[table.coverage_bound - table.coverage > target[0] * table.coverage_bound]
        return sub[np.isin(component[sub], above)]

    lp_budget = budget.part(WARM_LP_SHARE)
    lp_cols = coverage_open()
    if len(lp_cols):
        relax = solve_relaxation(problem, pairs, coverage, lp_cols, groups, component, pinned, lp_budget,
                                 LP_COVERAGE_SHARE, LP_COVERAGE_WORK, prefer=full, tiebreak=quality,
                                 start=LpStart(full.astype(np.float64), keys, yc, mu_of_key))
        again = component_bounds(problem, pairs, coverage, quality, sub, component, full[sub],
                                 coverage_cert=(relax.comp_ids, relax.comp_const))
        table, out = _tighter(table, again, out, (relax.dual_key, relax.dual_y, relax.dual_component), "coverage")
        stats["warm_coverage_lp_pairs"] = len(lp_cols)
        rounded, _ = greedy_assign(problem, pairs, lp_rounding_order(key, lp_cols, relax.values), lp_cols,
                                   pinned[np.isin(pinned, lp_cols)].tolist())
        kept = _keep_better_by_component(coverage, quality, component, lp_cols, full, rounded)
        redone = np.unique(component[lp_cols[kept[lp_cols] != full[lp_cols]]])
        full = kept
        table = _with_objectives(problem, pairs, coverage, quality, sub, component, full, table)
    else:
        redone = np.zeros(0, dtype=np.int64)
    dtime = budget.cpsat_dtime(WARM_NEIGHBOURHOOD_SHARE) if budget.deterministic else None
    # Not around the changes themselves: the vertex step solved that neighbourhood exactly (measured
    # at 20,000 x 10,000, a CP-SAT neighbourhood there afterwards took 0.35 s and improved nothing).
    searched = improved = 0
    further = coverage_open()
    further = further[~np.isin(pairs.cand[further], pairs.cand[local])]
    if len(further):
        searched, improved = _neighbourhood_search(problem, pairs, coverage, quality, [further], groups, pinned,
                                                   full, budget, dtime, seed)
    stats.update(warm_neighbourhoods=searched, warm_neighbourhoods_improved=improved)
    # The bundles handed out again (`matching.reassign`): all of each changed component of at
    # most WARM_HANDOUT_PAIRS pairs (measured at 20,000 x 10,000: 392,534 pairs, 0.26 s, +295
    # score, where a hand-out near the changes and over the vertex step's pairs added nothing);
    # in bigger ones where the LP's rounding was taken and among the candidates near the changes
    # (a hand-out over all of a national run's changed components took 9 s).
    _, index, size = np.unique(component[sub], return_inverse=True, return_counts=True)
    again = sub[(size[index] <= WARM_HANDOUT_PAIRS) | np.isin(component[sub], redone) | near]
    if not budget.stopped():
        full = reassign_bundles(problem, pairs, coverage, quality, again, full, pinned)
    table = _with_objectives(problem, pairs, coverage, quality, sub, component, full, table)
    budget.cut_by_clock |= lp_budget.cut_by_clock
    stats["warm_final_gaps"] = _level_gaps(table, outside())
    return full, table, out, basis


def _with_basis(pairs, sub, component, basis: LpBasis) -> np.ndarray:
    """The components of `sub` whose candidates `basis` has columns of (their block had the exact LP)."""
    cand_comp = np.full(int(pairs.cand.max(initial=0)) + 1, -1, dtype=np.int64)
    cand_comp[pairs.cand[sub]] = component[sub]
    known = cand_comp[basis.cand[basis.cand < len(cand_comp)]]
    return np.unique(known[known >= 0])


def _exact_again(problem, pairs, coverage, quality, sub, exact, component, pinned, groups, full,
                 table: ComponentBounds, out: _Duals, previous, basis: LpBasis, budget: Budget, stats):
    """The exact score LP again (`matching.vertex.exact_again`) on each component `exact` of
    `sub`, from the previous run's basis (`basis`, in this run's numbering) and coverage-row
    duals (`previous`: the previous duals as in `_certify`): its MIP's solution where
    lexicographically better, its certificate as the score bound, its duals and basis for the
    next run. Returns `full`, `table`, `out` (the duals) and `basis` updated, and the components
    where the LP found no optimum."""
    keys, _, _, mu_of_key = previous
    failed = []
    for c in exact.tolist():
        cols = sub[component[sub] == c]
        found, lp = exact_again(problem, pairs, coverage, quality, cols, full[cols], groups, component, pinned,
                                budget, basis, (keys, mu_of_key))
        if lp is None:
            failed.append(c)
            continue
        basis = LpBasis.concat([basis.without(np.unique(pairs.cand[cols]), np.unique(pairs.vac[cols])), lp.basis])
        if found is not None:
            trial = full.copy()
            trial[cols] = found
            full = _keep_better_by_component(coverage, quality, component, cols, full, trial)
        table = _with_objectives(problem, pairs, coverage, quality, sub, component, full, table)
        again = component_bounds(problem, pairs, coverage, quality, sub, component, full[sub],
                                 quality_cert=(np.array([c]), np.array([lp.const]), np.array([lp.mu])))
        table, out = _tighter(table, again, out, (lp.keys, lp.y, np.full(len(lp.keys), c)), "quality")
        stats["warm_exact_components"] = stats.get("warm_exact_components", 0) + 1
    return full, table, out, basis, np.array(failed, dtype=np.int64)


def _merged(parts: list[tuple[ComponentBounds, _Duals]]) -> tuple[ComponentBounds, _Duals]:
    """Tables of disjoint components (and their duals) as one, sorted by component."""
    tables, duals = zip(*parts)
    order = np.argsort(np.concatenate([t.comp_ids for t in tables]), kind="stable")
    table = ComponentBounds(*(np.concatenate([getattr(t, f.name) for t in tables])[order]
                              for f in dataclasses.fields(ComponentBounds)))
    return table, _Duals(*(np.concatenate([getattr(d, f.name) for d in duals]) for f in dataclasses.fields(_Duals)))


def _certify(problem, pairs, coverage, quality, sub, groups, component, pinned, full, duals, budget: Budget,
             with_shares=False, score=True):
    """Per component of the pairs `sub`: the levels of `full` and bounds certified with the
    previous run's `duals` (see `matching.relax.warm_certificates`, with `budget` for its price
    steps: the share of a first run's for these pairs), and the duals used; with
    `with_shares`, per pair of `sub` its share of the two levels' gaps (each level's shares
    summing to 1), else None. With `score` False, the coverage level alone (the score bound
    solver-free)."""
    keys, yc, yq, mu_of_key = duals
    cert = warm_certificates(problem, pairs, coverage, quality, sub, groups, component, pinned, keys, yc, yq,
                             mu_of_key, full if with_shares else None, budget, score)
    table = component_bounds(problem, pairs, coverage, quality, sub, component, full[sub],
                             (cert.comp_ids, cert.coverage_const),
                             (cert.comp_ids, cert.quality_const, cert.quality_mu) if score else None)
    used = _Duals(cert.dual_key, cert.dual_coverage, cert.dual_quality, cert.dual_component)
    shares = None
    if with_shares:
        shares = (cert.coverage_share / max(cert.coverage_share.sum(), 1e-9)
                  + cert.quality_share / max(cert.quality_share.sum(), 1e-9))
    return table, used, shares


def _widened(pairs, sub, near, shares, columns: int) -> np.ndarray:
    """bool per pair of `sub`: the candidates of `near` (bool per pair of `sub`) and after them
    those with the largest share of the gaps (`_certify`), all their pairs, while the pairs
    number at most `columns` (`shares` None: `near` alone, when it has at least `columns` pairs)."""
    if shares is None or not len(sub):
        return near
    cands, index = np.unique(pairs.cand[sub], return_inverse=True)
    weight = np.bincount(index, weights=shares, minlength=len(cands))
    weight[np.unique(index[near])] = np.inf
    order = np.argsort(-weight, kind="stable")
    taken = order[np.cumsum(np.bincount(index, minlength=len(cands))[order]) <= columns]
    out = near.copy()
    out[np.isin(index, taken)] = True
    return out


def _within(table: ComponentBounds, target: tuple[float, float]) -> np.ndarray:
    """bool per component of `table`: its coverage gap at most the target's, its score gap at most
    the target's times 1 + WARM_SCORE_SLACK."""
    return ((table.coverage_bound - table.coverage <= target[0] * table.coverage_bound)
            & (table.quality_bound - table.quality <= target[1] * (1 + WARM_SCORE_SLACK) * table.quality_bound))


def _only(table: ComponentBounds, duals: _Duals, comps: np.ndarray) -> tuple[ComponentBounds, _Duals]:
    """`table` and `duals` restricted to the components `comps`."""
    rows = np.isin(table.comp_ids, comps)
    keep = np.isin(duals.component, comps)
    return (ComponentBounds(*(getattr(table, f.name)[rows] for f in dataclasses.fields(table))),
            _Duals(duals.key[keep], duals.coverage[keep], duals.quality[keep], duals.component[keep]))


def _level_gaps(table: ComponentBounds, outside) -> tuple[float, float]:
    """The run's coverage and score gaps (percent) with `table` for the changed components."""
    return (round(100 * _gap(outside[0] + int(table.coverage.sum()), outside[1] + int(table.coverage_bound.sum())), 4),
            round(100 * _gap(outside[2] + int(table.quality.sum()), outside[3] + int(table.quality_bound.sum())), 4))


def _repair(problem, pairs, key, sub, pinned, prev) -> np.ndarray:
    """The previous solution on the pairs `sub` with the decisions applied: pins first, then the
    previous pairs that still fit, then greedy fills what was freed. bool per pair."""
    kept = sub[prev[sub]]
    kept = kept[np.argsort(-key[kept], kind="stable")]
    full, _ = greedy_assign(problem, pairs, key, sub, pinned[np.isin(pinned, sub)].tolist() + kept.tolist())
    return full


def _with_objectives(problem, pairs, coverage, quality, sub, component, full, table: ComponentBounds) -> ComponentBounds:
    """`table` with the objectives of `full`, and the score bounds taken again at its coverage.
    Coverage per component never dropped (each step keeps the better per component), and a
    certificate bounds the score of every solution with at least a given coverage, the
    lexicographic optimum's among them: so the bound at the higher coverage holds, and is
    tighter (measured on the 20,000 x 10,000 re-run: 447 points on the biggest component,
    whose coverage rose by 0.23 % after it was certified)."""
    again = component_bounds(problem, pairs, coverage, quality, sub, component, full[sub])
    bound = np.minimum(table.quality_bound, _score_bound_at(table.quality_const, table.mu, again.coverage))
    return dataclasses.replace(table, coverage=again.coverage, quality=again.quality,
                               coverage_bound=np.maximum(table.coverage_bound, again.coverage),
                               quality_bound=np.maximum(bound, again.quality))


def _keep_better_by_component(coverage, quality, component, subset, current, candidate) -> np.ndarray:
    """`current` (bool per pair) with each component of `subset` taken from `candidate` where that
    is lexicographically better there."""
    comps, index = unique_labels(component[subset], return_inverse=True)

    def levels(mask):
        return (np.bincount(index, weights=coverage[subset] * mask[subset], minlength=len(comps)).round(),
                np.bincount(index, weights=quality[subset] * mask[subset], minlength=len(comps)).round())

    take = _better(*levels(candidate), *levels(current))[index]
    out = current.copy()
    out[subset[take]] = candidate[subset[take]]
    return out


def _with_takers(pairs, key, subset, chosen, cands) -> np.ndarray:
    """The pairs of `subset` of the candidates `cands` and of the best few (by `key`) who could
    take a place in their bundles: whole candidates, as a hand-out needs (`matching.reassign`)."""
    mine = subset[np.isin(pairs.cand[subset], cands)]
    at = subset[np.isin(pairs.vac[subset], pairs.vac[mine[chosen[mine]]])]
    takers = pairs.cand[at[_top_per(pairs.vac[at], key[at], PLACE_TAKERS)]]
    return subset[np.isin(pairs.cand[subset], np.union1d(cands, takers))]


def _top_per(group: np.ndarray, weight: np.ndarray, k: int) -> np.ndarray:
    """bool per element: among the k heaviest of its group."""
    order = np.lexsort((-weight, group))
    rank = np.arange(len(order)) - np.searchsorted(group[order], group[order])
    out = np.zeros(len(group), dtype=bool)
    out[order[rank < k]] = True
    return out


def _tighter(table: ComponentBounds, again: ComponentBounds, duals: _Duals, new_duals, level: str):
    """Per component the smaller bound of one level (`level`: "coverage" or "quality"), and for
    the next run that level's duals from whichever certificate gave it (`new_duals`: row keys,
    duals and components of `again`'s)."""
    new_key, new_y, new_component = new_duals
    attr = f"{level}_bound"
    old, new = getattr(table, attr), getattr(again, attr)
    better = table.comp_ids[new < old]
    table = dataclasses.replace(table, **{attr: np.minimum(old, new)})
    if level == "quality":
        table.mu = np.where(new < old, again.mu, table.mu)
        table.quality_const = np.where(new < old, again.quality_const, table.quality_const)
    take = np.isin(new_component, better)
    other = "quality" if level == "coverage" else "coverage"
    this_level = getattr(duals, level) * ~np.isin(duals.component, better)
    keys, inverse = np.unique(np.concatenate([duals.key, new_key[take]]), return_inverse=True)
    comp = np.zeros(len(keys), dtype=np.int64)
    comp[inverse] = np.concatenate([duals.component, new_component[take]])
    values = {level: np.bincount(inverse, np.concatenate([this_level, new_y[take]]), len(keys)),
              other: np.bincount(inverse, np.concatenate([getattr(duals, other), np.zeros(int(take.sum()))]),
                                 len(keys))}
    keep = (values["coverage"] > 0) | (values["quality"] > 0)
    return table, _Duals(keys[keep], values["coverage"][keep], values["quality"][keep], comp[keep])


def _state(problem, pairs, bp, chosen, comps, prints, tables: list[ComponentBounds], duals: list[_Duals],
           basis: LpBasis) -> WarmStart:
    """What the next run may start from: this run's bundle solution, bounds, duals and bases."""
    ids = np.concatenate([t.comp_ids for t in tables])
    order = np.argsort(ids, kind="stable")
    ids = ids[order]
    assert np.array_equal(ids, comps), (len(ids), len(comps), [len(t.comp_ids) for t in tables], np.setdiff1d(comps, ids)[:5], np.setdiff1d(ids, comps)[:5])

    def cat(name):
        return np.concatenate([getattr(t, name) for t in tables])[order]

    picked = bp[chosen]
    d_comp = np.concatenate([d.component for d in duals])
    return WarmStart(
        context=context_of(problem), candidate_ids=np.array(problem.candidates.ids, dtype=str),
        vacancy_ids=np.array(problem.vacancies.ids, dtype=str),
        chosen_cand=pairs.cand[picked].astype(np.int64), chosen_vac=pairs.vac[picked].astype(np.int64),
        comp_print=prints, comp_coverage_bound=cat("coverage_bound"), comp_quality_bound=cat("quality_bound"),
        comp_mu=cat("mu"), dual_key=np.concatenate([d.key for d in duals]),
        dual_coverage=np.concatenate([d.coverage for d in duals]),
        dual_quality=np.concatenate([d.quality for d in duals]),
        dual_slot=np.searchsorted(comps, d_comp).astype(np.int64), **WarmStart.basis_fields(basis))


def _solve_bundles(problem, pairs, coverage, quality, key, bp, component, pinned, greedy, budget: Budget,
                   seed, gap_limit, num_workers, stats, phase, progress, groups=None, cpsat: bool = True) -> _Bundles:
    """The bundle part, block by block of independent components: coverage LP, score LP (with
    coverage held), each rounded; the lexicographically best of greedy and the roundings per
    block; the vertex step (`matching.vertex`) on blocks with a gap above `gap_limit` at either
    level; then CP-SAT on those still open, coverage first and score second, and the
    neighbourhood search. `greedy` (bool per pair): the start kept where better (a re-run's
    repaired previous solution); `groups`: the critical-day groups, if already made for these
    candidates (or more); `cpsat` False: no CP-SAT, and the result's `resume` gives the same with
    it. Returns the chosen pairs of `bp`, the bounds (in all and per component) and the duals for
    the next run."""
    t = time.perf_counter()
    if groups is None:
        groups = day_groups(problem, pairs, np.unique(pairs.cand[bp]))
    t = phase("groups", t)
    pinned_list = pinned.tolist()
    rows: dict = {}  # PDLP blocks' matrices, from the coverage LP to the score LP (see solve_relaxation)
    relax_cov = solve_relaxation(problem, pairs, coverage, bp, groups, component, pinned, budget,
                                 LP_COVERAGE_SHARE, LP_COVERAGE_WORK, prefer=greedy, tiebreak=quality, rows=rows)
    block = relax_cov.block_of_pair
    n_blocks = len(relax_cov.bound_const)
    cov_bp, q_bp = coverage[bp], quality[bp]

    def per_block(mask) -> tuple[np.ndarray, np.ndarray]:
        return (np.bincount(block, weights=cov_bp * mask, minlength=n_blocks).round().astype(np.int64),
                np.bincount(block, weights=q_bp * mask, minlength=n_blocks).round().astype(np.int64))

    # Components are independent: keep the better solution per component, not per block (a
    # block merges many small components, and one of them losing coverage must not cost the others).
    _, comp = unique_labels(component[bp], return_inverse=True)
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
    # The score LP holds coverage at what the coverage LP reached, not at the rounded solution's
    # (a little less): its solution then stays on the coverage LP's optimal face, and its rounding
    # keeps that coverage instead of trading some for score (which coverage-first would reject).
    # The bound is still taken at the proposal's coverage: the same duals certify any floor.
    floor = cov_obj
    if SCORE_LP_AT_LP_COVERAGE:
        lp_cov = np.bincount(block, weights=cov_bp * relax_cov.values, minlength=n_blocks)
        floor = np.maximum(cov_obj, np.floor((1 - 1e-4) * np.minimum(lp_cov, relax_cov.bound_at())))
    relax_q = solve_relaxation(problem, pairs, quality, bp, groups, component, pinned, budget,
                               LP_QUALITY_SHARE, LP_QUALITY_WORK, prefer=full, coverage=coverage,
                               min_coverage=floor, rows=rows)
    rows.clear()
    stats["price_steps"] = max(stats.get("price_steps", 0), relax_q.price_steps)
    rounded, _ = greedy_assign(problem, pairs, lp_rounding_order(key, bp, relax_q.values), bp, pinned_list)
    chosen = keep_better(chosen, rounded[bp])
    t = phase("rounding", t)
    # Who gets which bundle, exactly (`matching.reassign`): measured on the 20,000 x 10,000
    # benchmark, +17 % score at the same coverage in 3.3 s, where the neighbourhood search had
    # found +2 % in 30 s.
    full[bp] = chosen
    chosen = keep_better(chosen, reassign_bundles(problem, pairs, coverage, quality, bp, full, pinned)[bp])
    cov_obj, q_obj = per_block(chosen)
    t = phase("reassign", t)
    members_of = split_by(block, n_blocks)
    groups_of = groups_by_block(problem, pairs, bp, block, groups, n_blocks)
    # Blocks with a gap left get their solution from a vertex of their score LP (`matching.vertex`):
    # measured +6.8 % score on the 20,000 x 10,000 benchmark's biggest block (a PDLP block), at
    # more coverage, in 17 s. On its simplex blocks the step (0.05-0.2 s each) closed 3 of the 5
    # gaps that CP-SAT had closed in 22 s, so CP-SAT now runs on 2 (5 s).
    cov_lp = relax_cov.bound_at()
    polished: set[int] = set()  # better for the vertex step
    settled: set[int] = set()  # the vertex step tried as a whole, whatever it found
    exact_left = min(EXACT_LP_PAIRS_PER_SECOND * budget.seconds, EXACT_LP_MAX_PAIRS)  # pairs for the exact score LP
    bases: list[LpBasis] = []
    # The score LP's duals by key, for the exact LP's first columns. Sorted once: a block's rows
    # are its own, so replacing another block's duals (below) changes none of them.
    by_key = np.argsort(relax_q.dual_key, kind="stable")
    score_keys, score_y = relax_q.dual_key[by_key], relax_q.dual_y[by_key]
    for k in sorted(range(n_blocks), key=lambda k: -len(members_of[k])):
        m = members_of[k]
        if (q_obj[k] >= (1 - gap_limit) * relax_q.bound_at(cov_obj)[k]
                and (cov_lp[k] < 0 or cov_obj[k] >= (1 - gap_limit) * cov_lp[k])):
            continue  # both levels are proven close enough already
        support = (relax_cov.values[m] > VERTEX_SUPPORT) | (relax_q.values[m] > VERTEX_SUPPORT)
        block_groups = [groups[i] for i in groups_of[k].tolist()]
        found, whole, duals = vertex_polish(problem, pairs, coverage, quality, bp[m], chosen[m], support,
                                            block_groups, component, pinned, budget,
                                            VertexDuals(score_keys, score_y, float(relax_q.bound_mu[k])),
                                            len(m) <= exact_left)
        if duals is not None:
            bases.append(duals.basis)
            exact_left -= len(m)
            stats["vertex_exact_blocks"] = stats.get("vertex_exact_blocks", 0) + 1
            relax_q = _with_vertex_duals(problem, pairs, coverage, quality, bp[m], block_groups, component, pinned,
                                         relax_q, k, duals, cov_obj[k])
        if whole:
            settled.add(k)
        if found is not None:
            trial = chosen.copy()
            trial[m] = found
            before = chosen[m]
            chosen = keep_better(chosen, trial)
            if not np.array_equal(chosen[m], before):
                polished.add(k)
    cov_obj, q_obj = per_block(chosen)
    stats["vertex_blocks"] = len(polished)

    free = np.array([solver_free_bounds(problem, pairs, coverage, quality, bp[m]) for m in members_of],
                    dtype=np.int64).reshape(n_blocks, 2)
    cov_bound, q_free = free[:, 0], free[:, 1]
    lp_cov = relax_cov.bound_at()
    cov_bound = np.where(lp_cov >= 0, np.minimum(cov_bound, lp_cov), cov_bound)
    cov_bound = np.maximum(cov_bound, cov_obj)

    t = phase("vertex", t)
    stats.update(blocks=n_blocks, lp_build_ms=round(1000 * (relax_cov.build_seconds + relax_q.build_seconds)))

    def finish(chosen, cov_obj, q_obj, cov_bound, with_cpsat: bool) -> _Bundles:
        """From the vertex step on: CP-SAT where a gap is left (`with_cpsat`), the neighbourhood
        search, the tables. On copies of the state, so that a re-run can finish again with CP-SAT
        when its gaps need it (`_Bundles.resume`, see `_bundle_part`)."""
        start = (chosen, cov_obj, q_obj, cov_bound)
        chosen, cov_obj, q_obj, cov_bound = chosen.copy(), cov_obj.copy(), q_obj.copy(), cov_bound.copy()
        def quality_bound(cpsat_bound=None):
            lp_q = relax_q.bound_at(cov_obj)
            out = np.where(lp_q >= 0, np.minimum(q_free, lp_q), q_free)
            if cpsat_bound is not None:
                out = np.minimum(out, cpsat_bound)
            return np.maximum(out, q_obj)

        cp_q = np.full(n_blocks, np.iinfo(np.int64).max)  # CP-SAT's score bounds, at the coverage it held
        q_bound = quality_bound()

        def open_gap(k) -> bool:
            return (cov_bound[k] - cov_obj[k] > gap_limit * cov_bound[k]
                    or q_bound[k] - q_obj[k] > gap_limit * q_bound[k])

        # CP-SAT where a gap is left and the block is small enough for it to help.
        open_blocks = [k for k in range(n_blocks) if open_gap(k) and len(members_of[k]) <= CPSAT_MAX_VARIABLES]
        sizes = {k: len(members_of[k]) for k in open_blocks}
        size_left = sum(sizes.values())
        # The LP work allowance is for PDLP blocks; where there are few, CP-SAT gets that share too
        # (a rule on sizes, not on the clock, so it stays reproducible).
        pdlp_share = sum(len(m) for m in members_of if len(m) > SIMPLEX_MAX_COLUMNS) / max(len(bp), 1)
        dtime_left = budget.cpsat_dtime(CPSAT_DTIME_SHARE + (LP_COVERAGE_WORK + LP_QUALITY_WORK) * (1 - pdlp_share), 0.0)
        if budget.deterministic and dtime_left < CPSAT_MIN_DTIME:
            # Too little for CP-SAT's root LP: measured on the 20,000 x 10,000 re-run, a fresh
            # 2,063-pair component's 0.05 units took 1.1 s and changed neither its solution nor its bound.
            open_blocks = []
        # Without CP-SAT, the same with it later, where it has blocks to work on.
        resume = functools.partial(finish, *start, True) if open_blocks and not with_cpsat else None
        if not with_cpsat:
            open_blocks = []
        build_s = solve_s = 0.0
        n_constraints = 0
        def take(run: _CpsatRun, k: int, members: np.ndarray) -> None:
            """CP-SAT's solution for block `k` (its pairs `members`), where lexicographically better."""
            if run.values is not None:
                c_new, q_new = int(cov_bp[members] @ run.values), int(q_bp[members] @ run.values)
                if _better(c_new, q_new, cov_obj[k], q_obj[k]):
                    chosen[members] = run.values.astype(bool)
                    cov_obj[k], q_obj[k] = c_new, q_new

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
                take(run, k, members)
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
                take(run, k, members)
                # Valid for every solution keeping the coverage held, so also for any with more.
                cp_q[k] = run.bound
            q_bound = quality_bound(cp_q)
            if budget.deterministic:
                dtime_left -= used
            solve_s += time.perf_counter() - t2
        # Neighbourhood search on the blocks still open, biggest gap first, while the budget lasts.
        # Not on the blocks the vertex step improved or tried as a whole: their fractional part was
        # solved exactly there. Measured: at 20,000 x 10,000, 9 neighbourhoods on such a block (6 s)
        # improved nothing; on the wide national case, after 4 regional pieces of its 9.8 M-pair block,
        # 82 (33 s) improved 3, by 0.008 % of the score, and 40 (19.5 s) on a 121,600-pair block where
        # the vertex step's MIP fell short of the coverage it started from gained 22 score points.
        still_open = [k for k in range(n_blocks) if open_gap(k) and k not in polished | settled]
        if still_open and budget.wall_left() > 0.5:
            gap_key = {k: -(cov_bound[k] - cov_obj[k]) / max(cov_bound[k], 1) - (q_bound[k] - q_obj[k]) / max(q_bound[k], 1)
                       for k in still_open}
            t2 = time.perf_counter()
            local_sets = [bp[members_of[k]] for k in sorted(still_open, key=lambda k: (gap_key[k], k))]
            full = np.zeros(len(pairs), dtype=bool)
            full[bp] = chosen
            before = full.copy()
            searched, improved = _neighbourhood_search(
                problem, pairs, coverage, quality, local_sets, groups, pinned, full, budget,
                budget.cpsat_dtime(NEIGHBOURHOOD_DTIME_SHARE) if budget.deterministic else None, seed)
            # The neighbourhoods changed some bundles: hand those out again, among their candidates and
            # the best few who could take their places. Measured at 20,000 x 10,000: score 1,135,916
            # against 1,135,968 with a second hand-out over all pairs, which cost a full pass (36 s of
            # the wide national case's 72 s of hand-outs).
            if improved:
                moved = np.unique(pairs.cand[bp[full[bp] != before[bp]]])
                full = reassign_bundles(problem, pairs, coverage, quality, _with_takers(pairs, key, bp, full, moved),
                                        full, pinned)
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
        proven_block = (cov_obj == cov_bound) & (q_obj == q_bound)
        proven = np.zeros(len(pairs), dtype=bool)
        proven[bp] = proven_block[block]
        table = component_bounds(problem, pairs, coverage, quality, bp, component, chosen.astype(bool),
                                 (relax_cov.comp_ids, relax_cov.comp_const),
                                 (relax_q.comp_ids, relax_q.comp_const, relax_q.comp_mu), proven)
        duals = _merge_duals(relax_cov.dual_key, relax_cov.dual_y, relax_cov.dual_component,
                             relax_q.dual_key, relax_q.dual_y, relax_q.dual_component)
        return _Bundles(chosen.astype(bool), int(cov_bound.sum()), int(q_bound.sum()), table, duals,
                        LpBasis.concat(bases), resume)

    return finish(chosen, cov_obj, q_obj, cov_bound, cpsat)


def _with_vertex_duals(problem, pairs, coverage, quality, cols, groups, component, pinned, relax: Relaxation,
                       block: int, duals: VertexDuals, block_coverage: int) -> Relaxation:
    """`relax` (the score LP's) with block `block` (pairs `cols`) certified by the vertex step's
    exact LP duals (`matching.vertex._exact_score_lp`) where that is tighter at `block_coverage`:
    its bound, its components' certificates and the duals kept for the next run."""
    cert = warm_certificates(problem, pairs, coverage, quality, cols, groups, component, pinned, duals.keys,
                             np.zeros(len(duals.keys)), duals.y, np.full(len(duals.keys), duals.mu))
    const, mu = float(cert.quality_const.sum()), float(cert.quality_mu.max(initial=0.0))
    if not const - mu * block_coverage < relax.bound_const[block] - relax.bound_mu[block] * block_coverage:
        return relax
    comp_ids = np.concatenate([relax.comp_ids[~np.isin(relax.comp_ids, cert.comp_ids)], cert.comp_ids])
    order = np.argsort(comp_ids, kind="stable")
    mine = np.isin(relax.comp_ids, cert.comp_ids)
    others = ~np.isin(relax.dual_component, cert.comp_ids)
    bound_const, bound_mu = relax.bound_const.copy(), relax.bound_mu.copy()
    bound_const[block], bound_mu[block] = const, mu
    return dataclasses.replace(
        relax, bound_const=bound_const, bound_mu=bound_mu, comp_ids=comp_ids[order],
        comp_const=np.concatenate([relax.comp_const[~mine], cert.quality_const])[order],
        comp_mu=np.concatenate([relax.comp_mu[~mine], cert.quality_mu])[order],
        dual_key=np.concatenate([relax.dual_key[others], cert.dual_key]),
        dual_y=np.concatenate([relax.dual_y[others], cert.dual_quality]),
        dual_component=np.concatenate([relax.dual_component[others], cert.dual_component]))


@dataclass
class ComponentBounds:
    """Per bundle component: the solution's two levels and their certified bounds."""

    comp_ids: np.ndarray
    coverage: np.ndarray
    quality: np.ndarray
    coverage_bound: np.ndarray
    quality_bound: np.ndarray
    mu: np.ndarray  # the score LP's coverage-row dual (0 without an LP)
    # The score certificate's constant: it bounds the score at any coverage floor C by
    # quality_const - mu x C (inf without a certificate). A re-run raises coverage after
    # certifying, and the bound at the final coverage is the tighter one.
    quality_const: np.ndarray


@dataclass
class _Duals:
    key: np.ndarray
    coverage: np.ndarray
    quality: np.ndarray
    component: np.ndarray


@dataclass
class _Bundles:
    chosen: np.ndarray  # bool per pair of the part
    coverage_bound: int
    quality_bound: int
    table: ComponentBounds
    duals: _Duals
    basis: LpBasis  # the exact score LPs' last bases, for the next run
    # Without CP-SAT (`_solve_bundles(..., cpsat=False)`): the same from the vertex step on, with it
    # (None: CP-SAT would have had no block to work on).
    resume: Callable[[], _Bundles] | None = None


def _floor_bound(value: np.ndarray) -> np.ndarray:
    """Objective values are integers: round a certified float bound down, after a margin for
    float rounding in the certificate (as `Relaxation.bound_at`)."""
    return np.floor(value + 1e-9 * np.abs(value) + 1e-6).astype(np.int64)


def _score_bound_at(const: np.ndarray, mu: np.ndarray, coverage: np.ndarray) -> np.ndarray:
    """Per component the score bound of the certificate `const`, `mu` (see
    `ComponentBounds.quality_const`) at the coverage floor `coverage`; the int64 maximum
    where there is no certificate."""
    out = np.full(len(const), np.iinfo(np.int64).max, dtype=np.int64)
    ok = np.isfinite(const)
    out[ok] = _floor_bound(const[ok] - mu[ok] * coverage[ok])
    return out


def component_bounds(problem, pairs, coverage, quality, subset, component, chosen_sub, coverage_cert=None,
                     quality_cert=None, proven=None) -> ComponentBounds:
    """Bounds per component of the pairs `subset`: the smaller of the solver-free bound and the
    component's share of an LP certificate where there is one (`coverage_cert` = (components,
    constants), `quality_cert` = (components, constants, mu)); a component whose block was proven
    (`proven`, bool per pair) has its objective as bound. `chosen_sub`: bool per pair of `subset`;
    the score bound is taken at the coverage the solution has."""
    cov_ids, cov_const = coverage_cert or ([], [])
    q_ids, q_const, q_mu = quality_cert or ([], [], [])
    comps, index = unique_labels(component[subset], return_inverse=True)
    n = len(comps)
    cov_obj = np.bincount(index, weights=coverage[subset] * chosen_sub, minlength=n).round().astype(np.int64)
    q_obj = np.bincount(index, weights=quality[subset] * chosen_sub, minlength=n).round().astype(np.int64)
    cand_cov = np.zeros(len(problem.candidates), np.int64)
    np.add.at(cand_cov, pairs.cand[subset], coverage[subset])
    cand_comp = np.full(len(problem.candidates), -1, np.int64)
    cand_comp[pairs.cand[subset]] = index
    cands = np.flatnonzero(cand_comp >= 0)
    cap = PLANNING_DAYS * problem.candidates.desired_fte[cands].astype(np.int64)
    cov_b = np.bincount(cand_comp[cands], weights=np.minimum(cand_cov[cands], cap), minlength=n).round().astype(np.int64)
    q_b = np.bincount(index, weights=quality[subset], minlength=n).round().astype(np.int64)
    mu, q_c = np.zeros(n), np.full(n, np.inf)
    if len(cov_ids):
        at = np.searchsorted(comps, cov_ids)
        cov_b[at] = np.minimum(cov_b[at], _floor_bound(cov_const))
    if len(q_ids):
        at = np.searchsorted(comps, q_ids)
        mu[at], q_c[at] = q_mu, q_const
        q_b[at] = np.minimum(q_b[at], _floor_bound(q_const - q_mu * cov_obj[at]))
    cov_b, q_b = np.maximum(cov_b, cov_obj), np.maximum(q_b, q_obj)
    if proven is not None:
        done = np.zeros(n, dtype=bool)
        done[index[proven[subset]]] = True
        cov_b, q_b = np.where(done, cov_obj, cov_b), np.where(done, q_obj, q_b)
    return ComponentBounds(comps, cov_obj, q_obj, cov_b, q_b, mu, q_c)


def _merge_duals(k1, y1, c1, k2, y2, c2) -> _Duals:
    """One row list from the coverage LP's and the score LP's nonzero duals (same rows)."""
    keys, first = np.unique(np.concatenate([k1, k2]), return_index=True)
    comp = np.concatenate([c1, c2])[first]
    yc, yq = np.zeros(len(keys)), np.zeros(len(keys))
    yc[np.searchsorted(keys, k1)] = y1
    yq[np.searchsorted(keys, k2)] = y2
    return _Duals(keys, yc, yq, comp)


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
