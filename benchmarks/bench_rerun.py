"""A re-run after a consultant's decisions, warm against cold, in the same process.

A first run (deterministic, the case's budget), then the decisions of a working day: vetoes of
proposed pairs, pins of pairs not proposed, a few new vacancies. Then the same changed instance
twice: from the first run's state (`solve(..., warm=first.warm)`) and from scratch. Prints wall
times, the ratio re-run / first run (goal: at most 1/5), both levels' gaps for all three, and
whether the warm proposals pass the rule validator. Usage:
    python -m benchmarks.bench_rerun [small|large|national ...] [--decisions 50] [--new-vacancies 5]
"""

from __future__ import annotations

import dataclasses
import resource
import sys
import time

import numpy as np

from benchmarks.bench_bundle import CASES
from benchmarks.generate import generate
from matching.problem import MatchingProblem
from matching.solve import solve
from matching.validate import validate_assignment


def with_new_vacancies(problem: MatchingProblem, count: int, rng: np.random.Generator) -> MatchingProblem:
    """Copies of `count` random vacancies under new ids: new jobs where jobs already are."""
    vac = problem.vacancies
    pick = rng.choice(len(vac), size=count, replace=False)
    values = {}
    for f in dataclasses.fields(vac):
        old = getattr(vac, f.name)
        if isinstance(old, list):
            values[f.name] = old + [old[i] for i in pick] if old else old
        else:
            values[f.name] = np.concatenate([old, old[pick]])
    values["ids"] = vac.ids + [f"ny-{i}" for i in range(count)]
    return dataclasses.replace(problem, vacancies=type(vac)(**values))


def decisions(problem: MatchingProblem, first, n: int, rng: np.random.Generator) -> MatchingProblem:
    """Half vetoes of proposed pairs, half pins of eligible pairs not proposed."""
    pairs, chosen = first.pairs, first.chosen
    proposed = np.flatnonzero(chosen)
    other = np.flatnonzero(~chosen)
    vetoes = rng.choice(proposed, size=n // 2, replace=False)
    pins = rng.choice(other, size=n - n // 2, replace=False)
    return dataclasses.replace(
        problem, vetoes=[(int(pairs.cand[p]), int(pairs.vac[p])) for p in vetoes],
        pins=[(int(pairs.cand[p]), int(pairs.vac[p])) for p in pins])


def line(name: str, r, seconds: float) -> str:
    return (f"{name:<12} {seconds:7.1f} s | coverage {r.coverage_objective} / {r.coverage_bound} "
            f"(gap {100 * r.coverage_gap:.3f} %) | score {r.quality_objective} / {r.quality_bound} "
            f"(gap {100 * r.quality_gap:.3f} %) | {r.status}, reproducible {r.reproducible}")


def timed(problem, **kwargs):
    started = time.perf_counter()
    result = solve(problem, **kwargs)
    return result, time.perf_counter() - started


def run(name: str, n_decisions: int, n_new: int, seed: int = 1) -> None:
    n_c, n_v, limit, target, options = CASES[name]
    problem = generate(n_c, n_v, seed=seed, **options)
    args = {"time_limit": limit, "seed": seed, "gap_limit": target / 2}
    first, t_first = timed(problem, **args)
    rng = np.random.default_rng(seed)
    changed = decisions(with_new_vacancies(problem, n_new, rng), first, n_decisions, rng)
    warm, t_warm = timed(changed, warm=first.warm, **args)
    cold, t_cold = timed(changed, **args)
    print(f"== {name}: {n_c} x {n_v}, {first.stats['pairs']} pairs, budget {limit:.0f} s (deterministic); "
          f"re-run after {n_decisions} decisions ({n_decisions // 2} vetoes of proposed pairs, "
          f"{n_decisions - n_decisions // 2} pins) and {n_new} new vacancies")
    print(line("first run", first, t_first))
    print(line("warm re-run", warm, t_warm))
    print(line("cold re-run", cold, t_cold))
    s = warm.stats
    print(f"warm: components reused {s.get('warm_reused_components')}, changed {s.get('warm_changed_components')} "
          f"(pairs reused {s.get('warm_reused_pairs')} of {s['bundle_pairs']}), neighbourhoods "
          f"{s.get('warm_neighbourhoods', 0)} (improved {s.get('warm_neighbourhoods_improved', 0)}); "
          f"phases: " + " | ".join(f"{k} {v:.1f}" for k, v in warm.timings.items()))
    ci, vi = changed.candidate_index(), changed.vacancy_index()
    excused = {(ci[p.candidate_id], vi[p.vacancy_id]) for p in warm.infeasible_pins}
    bad = validate_assignment(changed, list(zip(warm.pairs.cand[warm.chosen].tolist(),
                                                warm.pairs.vac[warm.chosen].tolist())), excused)
    vetoed = set(changed.vetoes) & set(zip(warm.pairs.cand[warm.chosen].tolist(), warm.pairs.vac[warm.chosen].tolist()))
    print(f"ratio warm / first run: {t_warm / t_first:.3f} (goal <= 0.2: {'met' if t_warm <= 0.2 * t_first else 'NOT met'}); "
          f"cold re-run / first run {t_cold / t_first:.2f}")
    same_gap = warm.coverage_gap <= first.coverage_gap + 1e-9 and warm.quality_gap <= first.quality_gap + 1e-9
    print(f"gaps warm vs first run: coverage {100 * warm.coverage_gap:.3f} % vs {100 * first.coverage_gap:.3f} %, "
          f"score {100 * warm.quality_gap:.3f} % vs {100 * first.quality_gap:.3f} % "
          f"({'same or better' if same_gap else 'WORSE'}); warm vs cold re-run: coverage "
          f"{warm.coverage_objective / max(cold.coverage_objective, 1):.5f} x, score "
          f"{warm.quality_objective / max(cold.quality_objective, 1):.4f} x")
    print(f"validator: {'ok' if not bad else bad[:3]}; vetoed pairs proposed: {len(vetoed)}; "
          f"state {len(first.warm.to_bytes()) / 1e6:.1f} MB; peak RSS "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB\n", flush=True)


if __name__ == "__main__":
    args = sys.argv[1:]

    def option(flag: str, default: int) -> int:
        return int(args[args.index(flag) + 1]) if flag in args else default

    cases = [a for i, a in enumerate(args) if not a.startswith("--") and (i == 0 or not args[i - 1].startswith("--"))]
    for case in cases or ["small", "large"]:
        run(case, option("--decisions", 50), option("--new-vacancies", 5))
