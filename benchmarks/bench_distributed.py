"""One run's solve over 1 and 2 worker processes, against the single-process solve. Prints the
times, both levels' values and bounds side by side, and an estimate for 8 machines.

    .venv/bin/python -m benchmarks.bench_distributed [small|large|national] [--parts 8]

Workers are real `huey_consumer` processes (the job queue's library) reading one queue file; the
run is cut into `--parts` parts with no eligible pair between them (matching/distribute.py) and the
parts go on the queue as messages. The 8-machine estimate schedules the measured components, largest
first, on 8 machines with time in proportion to eligible pairs (what the part times show); the largest
component cannot be cut and bounds the speed-up."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from benchmarks.bench_bundle import CASES
from benchmarks.generate import generate
from jobs.solve_parts import make_solve_huey, register, solve_distributed
from matching.distribute import component_sizes
from matching.solve import solve
from matching.validate import result_assignment, validate_assignment

QUEUE_ENV = "BROBYGGER_SOLVE_QUEUE"
# The consumers import this module and find the queue here.
huey = make_solve_huey(os.environ.get(QUEUE_ENV) or os.path.join(tempfile.gettempdir(), "brobygger-solve.queue"))
solve_part = register(huey)


def _workers(n: int, queue: str) -> list[subprocess.Popen]:
    env = dict(os.environ, **{QUEUE_ENV: queue, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)})
    consumer = Path(sys.executable).with_name("huey_consumer")
    return [subprocess.Popen([str(consumer), "benchmarks.bench_distributed.huey", "-w", "1", "-k", "thread", "-q"],
                             env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for _ in range(n)]


def _makespan(sizes: np.ndarray, machines: int) -> int:
    load = np.zeros(machines, dtype=np.int64)
    for s in np.sort(sizes)[::-1]:
        load[np.argmin(load)] += s
    return int(load.max())


def _line(name: str, seconds: float, r) -> str:
    return (f"{name:<22} {seconds:8.1f} s | coverage {r.coverage_objective:>13,} bound {r.coverage_bound:>13,} | "
            f"score {r.quality_objective:>11,} bound {r.quality_bound:>11,} | {r.status}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("case", nargs="?", default="large", choices=sorted(CASES))
    parser.add_argument("--parts", type=int, default=8)
    parser.add_argument("--sizes-only", action="store_true", help="only the components and the estimate")
    args = parser.parse_args()
    n_c, n_v, limit, _, options = CASES[args.case]
    problem = generate(n_c, n_v, seed=1, **options)
    print(f"== {args.case}: {n_c} candidates x {n_v} vacancies, budget {limit:.0f} s (deterministic), "
          f"{args.parts} parts; {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}")
    if args.sizes_only:
        estimate(problem)
        return

    started = time.perf_counter()
    single = solve(problem, time_limit=limit, seed=1)
    single_s = time.perf_counter() - started
    print(_line("one process (no queue)", single_s, single), flush=True)
    problems = validate_assignment(problem, result_assignment(single))

    times = {}
    for n in (1, 2):
        queue = tempfile.mktemp(suffix=".queue")
        os.environ[QUEUE_ENV] = queue
        task = register(make_solve_huey(queue))
        workers = _workers(n, queue)
        try:
            started = time.perf_counter()
            combined = solve_distributed(task, problem, args.parts, limit, seed=1)
            times[n] = time.perf_counter() - started
        finally:
            for w in workers:
                w.kill()
            for w in workers:
                w.wait()
            Path(queue).unlink(missing_ok=True)
        errors = validate_assignment(problem, combined.assignment)
        print(_line(f"{n} worker process{'es' if n > 1 else ''}", times[n], combined) +
              f" | validator: {'ok' if not errors else f'{len(errors)} violations'}"
              f" | parts {', '.join(f'{s:.1f}' for s in sorted(combined.part_seconds, reverse=True))} s", flush=True)
        problems += errors

    print(f"speed-up 2 workers / 1 worker: {times[1] / times[2]:.2f} x; 1 worker / one process: "
          f"{times[1] / single_s:.2f} x")
    estimate(problem)
    if problems:
        print("VALIDATOR FOUND VIOLATIONS:", problems[:5])
        sys.exit(1)


def estimate(problem) -> None:
    _, _, sizes = component_sizes(problem)
    sizes = sizes[sizes > 0]
    total, largest = int(sizes.sum()), int(sizes.max())
    top = np.sort(sizes)[::-1][:5]
    print(f"components with pairs: {len(sizes)}; largest {largest:,} of {total:,} pairs ({100 * largest / total:.1f} %); the five largest: {', '.join(f'{int(x):,}' for x in top)}")
    for machines in (2, 8):
        span = _makespan(sizes, machines)
        print(f"estimate for {machines} machines (time in proportion to pairs, largest first): "
              f"{total / span:.2f} x faster than one worker; the largest component alone bounds it at "
              f"{total / largest:.2f} x")


if __name__ == "__main__":
    main()
