"""Year-bundle benchmark: the full pipeline (eligibility, scoring, decomposition, flow, greedy,
LP, CP-SAT) on generated instances. Prints phase times, and for both levels of the objective
(coverage, then score) the value, bound, gap and the ratio to greedy (the reference for
bundles). Usage:
    python -m benchmarks.bench_bundle [--wall-clock] [--budget S] [small|large|national|national_wide ...]
`--wall-clock` runs with wall-clock limits instead of the default deterministic work limits;
`--budget S` replaces the case's time budget.
"""

from __future__ import annotations

import resource
import sys
import time

from benchmarks.generate import generate
from matching.solve import solve

CASES = {
    # name: (candidates, vacancies, time limit s, target gap, generator options)
    "small": (2_000, 1_000, 10.0, 0.001, {}),
    "large": (20_000, 10_000, 60.0, 0.01, {"commute_km": (10, 40), "zipf": 0.3, "city_boost": 1.0}),
    # The national case has 2-5 M eligible pairs; commutes of 10-40 km give 9.8 M here,
    # 5-25 km about 3.5 M.
    "national": (100_000, 50_000, 240.0, 0.01, {"commute_km": (5, 25), "zipf": 0.3, "city_boost": 1.0}),
    # The memory case: the same with 10-40 km commutes, 9.8 M pairs.
    "national_wide": (100_000, 50_000, 240.0, 0.01, {"commute_km": (10, 40), "zipf": 0.3, "city_boost": 1.0}),
}


def run(name: str, seed: int = 1, deterministic: bool = True, budget: float | None = None) -> None:
    n_c, n_v, limit, target, options = CASES[name]
    limit = budget or limit
    t0 = time.perf_counter()
    problem = generate(n_c, n_v, seed=seed, **options)
    t_gen = time.perf_counter() - t0
    last = {}

    def progress(event):
        if event["phase"] == "solving":
            last.update(event)

    result = solve(problem, time_limit=limit, seed=seed, progress=progress, gap_limit=target / 2,
                   deterministic=deterministic)
    t = result.timings
    pipeline = t["total"]
    mode = "deterministic" if deterministic else "wall-clock"
    print(f"== {name}: {n_c} candidates x {n_v} vacancies, limit {limit:.0f} s ({mode}), target gap {100 * target:.1f} %")
    print(f"generate {t_gen:.2f} s | pairs {result.stats['pairs']} ({result.stats['pairs'] / n_c:.1f} per candidate), "
          f"components {result.stats['components']} (flow {result.stats['flow_components']}, "
          f"CP-SAT {result.stats['bundle_components']}), CP-SAT variables {result.stats['bundle_pairs']}, "
          f"constraints {result.stats.get('constraints', 0)}")
    phases = " | ".join(f"{k} {v:.2f} s" for k, v in t.items())
    print(f"phases: {phases}")
    # Model build: critical-day groups, LP rows, CP-SAT models. Solve: LP, rounding, CP-SAT.
    lp_build = result.stats.get("lp_build_ms", 0) / 1000
    build = t.get("groups", 0.0) + lp_build + t.get("build", 0.0)
    solve_s = t.get("relaxation", 0.0) - lp_build + t.get("rounding", 0.0) + t.get("solve", 0.0)
    print(f"model build {build:.2f} s = {100 * build / max(solve_s, 1e-9):.1f} % of solve {solve_s:.2f} s "
          f"(blocks {result.stats.get('blocks', 0)}); scoring {100 * t['scoring'] / pipeline:.1f} % of pipeline")
    r = result
    print(f"coverage {r.coverage_objective} | bound {r.coverage_bound} | gap {100 * r.coverage_gap:.3f} % | "
          f"greedy {r.greedy_coverage} ({r.coverage_objective / max(r.greedy_coverage, 1):.4f} x)")
    print(f"score    {r.quality_objective} | bound {r.quality_bound} | gap {100 * r.quality_gap:.3f} % | "
          f"greedy {r.greedy_quality} ({r.quality_objective / max(r.greedy_quality, 1):.4f} x)")
    print(f"status {r.status} | reproducible {r.reproducible} | CP-SAT blocks {r.stats.get('cpsat_blocks', 0)}, "
          f"neighbourhoods searched {r.stats.get('neighbourhoods', 0)} (improved {r.stats.get('neighbourhoods_improved', 0)})")
    met = r.coverage_gap <= target and r.quality_gap <= target
    print(f"target gap (both levels) {'met' if met else 'NOT met'}; peak RSS "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB\n", flush=True)


if __name__ == "__main__":
    args = sys.argv[1:]
    wall = "--wall-clock" in args
    budget = float(args[args.index("--budget") + 1]) if "--budget" in args else None
    cases = [a for i, a in enumerate(args) if not a.startswith("--") and (i == 0 or args[i - 1] != "--budget")]
    for case in cases or ["small", "large"]:
        run(case, deterministic=not wall, budget=budget)
