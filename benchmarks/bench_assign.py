"""`brobygger assign` against a plain scipy script doing the same file-to-file job, both timed as
whole processes (start-up, reading, solving, writing). Checks that the totals agree (exact).
Usage: python -m benchmarks.bench_assign"""

from __future__ import annotations

import csv
import os
import subprocess
import sys
import tempfile
import time

from benchmarks.generate import generate_pairs

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
CASES = {"sparse 3000x2000 (20 per candidate)": (3000, 2000, 20), "dense 800x800": (800, 800, None)}


def timed(cmd: list[str]) -> float:
    t = time.perf_counter()
    subprocess.run(cmd, check=True, cwd=ROOT, stdout=subprocess.DEVNULL, env={**os.environ, "PYTHONPATH": ROOT})
    return time.perf_counter() - t


def total(path: str) -> float:
    with open(path, encoding="utf-8-sig") as fh:
        return sum(float(r["score"]) for r in csv.DictReader(fh))


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        for name, (n_l, n_r, per) in CASES.items():
            left, right, score = generate_pairs(n_l, n_r, per, seed=7)
            pairs = os.path.join(tmp, "PAIRS.csv")
            with open(pairs, "w", newline="") as fh:
                w = csv.writer(fh)
                w.writerow(["candidate_id", "vacancy_id", "score"])
                w.writerows(zip((f"k{i}" for i in left), (f"v{j}" for j in right), score))
            ours, ref = os.path.join(tmp, "A.csv"), os.path.join(tmp, "R.csv")
            runs = [(timed([sys.executable, "-m", "api.cli", "assign", "--pairs", pairs, "--out", ours]),
                     timed([sys.executable, os.path.join(HERE, "reference_assign_scipy.py"), pairs, ref]))
                    for _ in range(3)]
            t_ours = min(r[0] for r in runs)
            t_ref = min(r[1] for r in runs)
            print(f"{name}: {len(left)} pairs | brobygger assign {t_ours:.2f} s | scipy script {t_ref:.2f} s | "
                  f"ratio {t_ours / t_ref:.2f} | total {total(ours):.0f} vs {total(ref):.0f} "
                  f"({'same optimum' if abs(total(ours) - total(ref)) < 1e-6 else 'DIFFERENT'})", flush=True)


if __name__ == "__main__":
    main()
