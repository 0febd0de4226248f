"""The project against the obvious alternative: the year-bundle problem as a plain MIP for HiGHS
(`benchmarks/highs_mip.py`, lexicographic in two solves, killed from outside at its limit), on
the same instances: a family of small tight ones (many near-identical part-time jobs, more than
the candidates can hold) and generated ones with 2,000-9,000 eligible pairs.

Both get the same time limit and must prove the lexicographic optimum (coverage, then score).
Prints per instance the wall time of each (the project's whole `solve`, HiGHS's two solves in
their child processes, model building included for both), whether each proved the optimum, and
the ratios of times and of both objective levels. Usage:
    python -m benchmarks.bench_highs [--limit S] [tight|mid|scale ...]
"""

from __future__ import annotations

import statistics
import sys
import time

from benchmarks.generate import generate, generate_tight
from benchmarks.highs_mip import mip_data, solve_lexicographic
from matching.solve import solve

FAMILIES = {
    # name: [(label, builder)]
    "tight": [(f"tight 40x80 s{s}", (lambda s=s: generate_tight(40, 80, seed=s))) for s in range(3)]
    + [(f"tight 30x90 s{s}", (lambda s=s: generate_tight(30, 90, seed=s))) for s in range(2)]
    + [("tight 60x120 s0", lambda: generate_tight(60, 120, seed=0))],
    "mid": [(f"{n}x{n // 2} s{s}", (lambda n=n, s=s: generate(n, n // 2, seed=s))) for n in (500, 700, 1000) for s in (1, 2, 3)],
    # bench_bundle's small and large cases: does the lead hold where HiGHS may not finish? (--limit 300)
    "scale": [("2000x1000 s1", lambda: generate(2_000, 1_000, seed=1)),
              ("20000x10000 s1", lambda: generate(20_000, 10_000, seed=1, commute_km=(10, 40), zipf=0.3,
                                                  city_boost=1.0))],
}


def run_one(label: str, build, limit: float) -> dict:
    problem = build()
    t = time.perf_counter()
    ours = solve(problem, time_limit=limit, seed=1)
    ours_s = time.perf_counter() - t
    t = time.perf_counter()
    data = mip_data(problem, ours.pairs, ours.scores.total)  # same pairs and scores
    theirs = solve_lexicographic(data, limit)
    theirs_s = time.perf_counter() - t
    row = {"label": label, "pairs": len(ours.pairs), "ours_s": ours_s, "ours_proven": ours.status == "optimal",
           "ours": (ours.coverage_objective, ours.quality_objective), "highs_s": theirs_s,
           "highs_proven": theirs.proven, "highs": (theirs.coverage, theirs.quality)}
    cov_ratio = ours.coverage_objective / theirs.coverage if theirs.coverage else float("nan")
    q_ratio = ours.quality_objective / theirs.quality if theirs.quality else float("nan")
    row.update(time_ratio=ours_s / theirs_s, cov_ratio=cov_ratio, q_ratio=q_ratio)
    print(f"{label:18s} pairs {row['pairs']:6d} | ours {ours_s:6.2f} s {'proven' if row['ours_proven'] else 'NOT proven':10s} "
          f"({ours.coverage_objective}, {ours.quality_objective}) | HiGHS {theirs_s:6.2f} s "
          f"{'proven' if theirs.proven else 'NOT proven':10s} ({theirs.coverage}, {theirs.quality}) | "
          f"time ours/HiGHS {row['time_ratio']:.2f} | coverage {cov_ratio:.5f} | score {q_ratio:.5f}", flush=True)
    return row


def main(argv: list[str]) -> None:
    limit = 60.0
    if "--limit" in argv:
        i = argv.index("--limit")
        limit = float(argv[i + 1])
        argv = argv[:i] + argv[i + 2:]
    # Warm up imports (scipy, OR-Tools) for both, as in a running service: the first solve in a
    # process spends about 1.5 s importing. HiGHS's children are forked from this process.
    solve(generate_tight(5, 10, seed=0), time_limit=5)
    for family in argv or ["tight", "mid"]:
        print(f"== {family}: time limit {limit:.0f} s each (ours deterministic), lexicographic optimum required")
        rows = [run_one(label, build, limit) for label, build in FAMILIES[family]]
        both = [r for r in rows if r["highs_proven"]]
        print(f"HiGHS proved {len(both)} of {len(rows)}; ours proved {sum(r['ours_proven'] for r in both)} of those "
              f"(and {sum(r['ours_proven'] for r in rows)} of {len(rows)} in all)")
        if both:
            ratios = [r["time_ratio"] for r in both]
            print(f"time ours/HiGHS where HiGHS proved: median {statistics.median(ratios):.2f}, "
                  f"max {max(ratios):.2f}; same optimum on all of them: "
                  f"{all(r['ours'] == r['highs'] for r in both if r['ours_proven'])}\n", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
