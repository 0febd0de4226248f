"""The job queue with real processes. Prints the figures.

    .venv/bin/python -m benchmarks.queue enqueue  [--database-url URL] [--requests 200] [--clients 1 5]
    .venv/bin/python -m benchmarks.queue replicas --database-url postgresql+psycopg://... [--clients 50] [--updates 2000]

`enqueue`: one API process and two `brobygger worker` processes, both workers busy with match runs
(each run's solve takes 60 s longer, reporting progress five times a second, as in tests/jobs), and a
backlog growing behind them; measures how long `POST /match-runs` takes to answer (the run and its job
stored, the message on the queue). Target: p99 under 50 ms.

`replicas`: the concurrency benchmark (benchmarks/concurrency.py: 50 clients, read-modify-write of
one candidate with its version, the same vacancy submitted by all) against 1 and then 2 API processes
(uvicorn) on one PostgreSQL database: 0 lost updates, every answer 200 or 409, and requests per second.

Without --database-url a fresh SQLite file is used (the embedded default)."""

import argparse
import os
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

from benchmarks import concurrency
from tests.jobs.processes import Api, environment, wait_for, worker


def _fresh(url: str | None):
    from sqlalchemy import text

    from core.db import make_engine
    from migrations.runner import upgrade_head

    url = url or f"sqlite:///{tempfile.mkdtemp()}/queue.db"
    engine = make_engine(url)
    if engine.dialect.name == "postgresql":  # a clean slate, as the tests do
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    upgrade_head(url)
    return url, engine


def enqueue(args) -> None:
    url, engine = _fresh(args.database_url)
    headers, _key, _candidate = concurrency.prepare(engine)
    logs = Path(tempfile.mkdtemp())
    env = environment(url, embedded_worker="false", test_solve_seconds=60, job_lease_seconds=10)
    api = Api("api", env, logs).start()
    workers = [worker(f"worker_{n}", env, logs).start() for n in (1, 2)]
    try:
        api.wait_ready()
        # Busy workers: one match run solving, and an import of a large file (both real jobs).
        first = httpx.post(f"{api.url}/match-runs", json={"time_limit": 1, "seed": 0}, headers=headers).json()
        wait_for("the first run to start", lambda: httpx.get(f"{api.url}/jobs/{first['job_id']}", headers=headers)
                 .json()["state"] == "running", 60)
        with httpx.Client(base_url=api.url, headers=headers, timeout=30) as http:  # warm-up
            http.get("/jobs")
        seed = iter(range(1, 10**9))
        for clients in args.clients:
            times: list[float] = []

            def one(_n: int) -> None:
                with httpx.Client(base_url=api.url, headers=headers, timeout=30) as http:
                    for _ in range(args.requests // clients):  # noqa: B023 (runs inside this round)
                        started = time.perf_counter()
                        answer = http.post("/match-runs", json={"time_limit": 1, "seed": next(seed)})
                        times.append(time.perf_counter() - started)  # noqa: B023
                        assert answer.status_code == 202, answer.text

            with ThreadPoolExecutor(clients) as pool:
                list(pool.map(one, range(clients)))
            with httpx.Client(base_url=api.url, headers=headers, timeout=30) as http:
                queued = len(http.get("/jobs", params={"state": "queued", "limit": 500}).json())
                running = len(http.get("/jobs", params={"state": "running"}).json())
            ms = sorted(t * 1000 for t in times)
            p = lambda q: ms[min(len(ms) - 1, int(q * len(ms)))]  # noqa: E731, B023
            print(f"database {engine.dialect.name}; 1 API process; 2 workers ({running} run solving, the other "
                  f"waiting for the scope); backlog now {queued} queued runs; machine load {os.getloadavg()[0]:.1f} "
                  f"on {os.cpu_count()} cores")
            print(f"  POST /match-runs x {len(ms)}, {clients} client(s) at once: p50 {p(0.50):.1f} ms, "
                  f"p95 {p(0.95):.1f} ms, p99 {p(0.99):.1f} ms, max {ms[-1]:.1f} ms "
                  f"(target p99 < 50 ms: {'met' if p(0.99) < 50 else 'NOT met'})", flush=True)
        with httpx.Client(base_url=api.url, headers=headers, timeout=30) as http:  # clean up: cancel the backlog
            for state in ("queued", "running"):
                for job in http.get("/jobs", params={"state": state, "limit": 500}).json():
                    http.post(f"/jobs/{job['id']}/cancel")
    finally:
        for proc in [api, *workers]:
            proc.stop()


def replicas(args) -> None:
    results = {}
    for n in (1, 2):
        url, engine = _fresh(args.database_url)
        headers, key, candidate = concurrency.prepare(engine)
        logs = Path(tempfile.mkdtemp())
        env = environment(url, embedded_worker="false")
        apis = [Api(f"api_{i}", env, logs).start() for i in range(n)]
        try:
            for api in apis:
                api.wait_ready()
            results[n] = concurrency.run([a.url for a in apis], headers, key, candidate, clients=args.clients,
                                         updates=args.updates)
        finally:
            for api in apis:
                api.stop()
        engine.dispose()
    print(f"database: {engine.dialect.name}")
    for n, figures in results.items():
        print(f"--- {n} API process{'es' if n > 1 else ''}")
        for line in figures.lines():
            print(line)
    ratio = (results[2].operations / results[2].seconds) / (results[1].operations / results[1].seconds)
    print(f"2 API processes / 1: {ratio:.2f}x operations per second (2 cores on this machine, shared with the database)")


def main() -> None:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="what", required=True)
    p = sub.add_parser("enqueue")
    p.add_argument("--database-url", default=None)
    p.add_argument("--requests", type=int, default=200, help="per round")
    p.add_argument("--clients", type=int, nargs="+", default=[1, 5], help="clients at once, one round each")
    p.set_defaults(func=enqueue)
    p = sub.add_parser("replicas")
    p.add_argument("--database-url", default=None)
    p.add_argument("--clients", type=int, default=50)
    p.add_argument("--updates", type=int, default=2000)
    p.set_defaults(func=replicas)
    args = parser.parse_args()
    args.func(args)


if __name__ == "__main__":
    main()
