"""Subgradient steps on the headcount prices of the score bound (`matching.lagrange._price_steps`):
how much they tighten a first run's and a re-run's proven score gap, and what they cost.

Per `--first N` a first run with at most N steps (`relax.LP_PRICE_STEPS`; the budget may allow
fewer, `Budget.price_steps`; 0 is the reference, whose time and bound the others are compared
with), then per `--warm M` the re-run of `bench_rerun` (50 decisions, 5 new vacancies) from it
with at most M steps (`relax.WARM_PRICE_STEPS`), starting from the prices the first run kept.
Prints the steps taken, the wall time, both gaps, the score bound, and each re-run's time against
its first run's and whether its score gap is within the first run's. As shipped: 20 and 3. Usage:
    python -m benchmarks.bench_price_steps [small|large|national] [--first 0 20] [--warm 0 3]
"""

from __future__ import annotations

import sys
import time

import numpy as np

import matching.relax as relax
from benchmarks.bench_bundle import CASES
from benchmarks.bench_rerun import decisions, with_new_vacancies
from benchmarks.generate import generate
from matching.solve import solve


def timed(problem, **kwargs):
    started = time.perf_counter()
    result = solve(problem, **kwargs)
    return result, time.perf_counter() - started


def line(name: str, r, seconds: float, reference=None) -> str:
    text = (f"{name:<22} {seconds:6.1f} s | {r.stats.get('price_steps', 0):2d} steps taken | gaps {100 * r.coverage_gap:.3f} % / {100 * r.quality_gap:.3f} % | "
            f"score {r.quality_objective} / {r.quality_bound}")
    if reference is not None:
        r0, t0 = reference
        text += (f" | bound {r.quality_bound - r0.quality_bound:+d} ({100 * (r.quality_bound / r0.quality_bound - 1):+.3f} %), "
                 f"time x{seconds / t0:.2f}")
    return text


def run(name: str, first_steps: list[int], warm_steps: list[int], seed: int = 1) -> None:
    n_c, n_v, limit, target, options = CASES[name]
    problem = generate(n_c, n_v, seed=seed, **options)
    args = {"time_limit": limit, "seed": seed, "gap_limit": target / 2}
    print(f"== {name}: {n_c} x {n_v}, budget {limit:.0f} s (deterministic)", flush=True)
    reference = None
    shipped = relax.LP_PRICE_STEPS, relax.WARM_PRICE_STEPS
    for first_n in first_steps:
        relax.LP_PRICE_STEPS = first_n
        first, t_first = timed(problem, **args)
        print(line(f"first run, {first_n} steps", first, t_first, reference), flush=True)
        reference = reference or (first, t_first)
        rng = np.random.default_rng(seed)  # the changes of `bench_rerun`
        changed = decisions(with_new_vacancies(problem, 5, rng), first, 50, rng)
        for warm_n in warm_steps:
            relax.WARM_PRICE_STEPS = warm_n
            r, t = timed(changed, warm=first.warm, **args)
            print(line(f"  re-run, {warm_n} steps", r, t)
                  + f" | / first run x{t / t_first:.3f}, gap {'<=' if r.quality_gap <= first.quality_gap else '>'} first's",
                  flush=True)
    relax.LP_PRICE_STEPS, relax.WARM_PRICE_STEPS = shipped


if __name__ == "__main__":
    args = sys.argv[1:]

    def numbers(flag: str, default: list[int]) -> list[int]:
        if flag not in args:
            return default
        out = []
        for a in args[args.index(flag) + 1:]:
            if not a.isdigit():
                break
            out.append(int(a))
        return out

    cases = [a for a in args if a in CASES]
    for case in cases or ["large"]:
        run(case, numbers("--first", [0, 20]), numbers("--warm", [0, 3]))
