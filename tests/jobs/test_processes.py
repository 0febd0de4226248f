"""Two API processes and two workers as real OS processes on one database (SQLite here; PostgreSQL
when BROBYGGER_TEST_DATABASE_URL is set): runs started through either API, a worker killed with
kill -9 in the middle of a run, an API process restarted, a run cancelled.

Leases are short (BROBYGGER_JOB_LEASE_SECONDS=3) so a dead worker is noticed in seconds, and the
workers' solve takes 4 s longer (tests/jobs/slow_worker.py) so there is time to kill and cancel."""

import time
from collections.abc import Iterator

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from jobs.models import Job
from matching.models import MatchProposal
from tests.jobs.processes import Api, environment, wait_for, worker
from tests.matching.test_service_api import PLAN, market  # noqa: F401 (a fixture)

LEASE = 3.0
SLOW = 4.0


@pytest.fixture
def client(engine) -> Iterator[TestClient]:
    """For seeding only: no worker in this process, the test's worker processes do the work."""
    from api.app import create_app

    with TestClient(create_app(engine, worker=False)) as client:
        yield client


@pytest.fixture
def cluster(engine, tmp_path):
    url = engine.url.render_as_string(hide_password=False)
    env = environment(url, embedded_worker="false", job_lease_seconds=LEASE, job_max_attempts=2,
                      test_solve_seconds=SLOW)
    procs = {"api_a": Api("api_a", env, tmp_path), "api_b": Api("api_b", env, tmp_path),
             "worker_1": worker("worker_1", env, tmp_path), "worker_2": worker("worker_2", env, tmp_path)}
    for p in procs.values():
        p.start()
    try:
        procs["api_a"].wait_ready()
        procs["api_b"].wait_ready()
        yield procs
    finally:
        for p in procs.values():
            p.stop()
        for p in procs.values():  # shown when the test fails
            print(f"----- {p.name}\n{p.output()[-3000:]}")


def job_of(session_engine, job_id: int) -> Job:
    with Session(session_engine) as s:
        return s.get(Job, job_id)


@pytest.mark.usefixtures("market")  # formidlingsklar candidates and vacancies, so runs have something to solve
def test_runs_survive_a_killed_worker_and_a_restarted_api_and_can_be_cancelled(engine, world, cluster):
    h = world.headers["consultant"]
    a, b = cluster["api_a"], cluster["api_b"]
    workers = {cluster["worker_1"].pid: cluster["worker_1"], cluster["worker_2"].pid: cluster["worker_2"]}

    # Runs start through either API; the second queues behind the first (one scope: never two at once),
    # and a request equal to the one waiting joins it.
    first = httpx.post(f"{a.url}/match-runs", json={"time_limit": 1, "seed": 1, "plan_start": PLAN}, headers=h)
    second = httpx.post(f"{b.url}/match-runs", json={"time_limit": 1, "seed": 2, "plan_start": PLAN}, headers=h)
    assert first.status_code == 202 and second.status_code == 202, (first.text, second.text)
    j1, j2 = first.json()["job_id"], second.json()["job_id"]
    running = wait_for("the first run to start", lambda: (j := job_of(engine, j1)).state == "running" and j, 60)
    joined = httpx.post(f"{a.url}/match-runs", json={"time_limit": 1, "seed": 2, "plan_start": PLAN}, headers=h)
    assert joined.json()["id"] == second.json()["id"] and joined.json()["job_id"] == j2
    assert job_of(engine, j2).state == "queued"

    # kill -9 the worker that holds the first run, in the middle of it.
    holder = int(running.worker.split(":")[1])
    survivor = next(p for pid, p in workers.items() if pid != holder)
    killed_at = time.monotonic()
    workers[holder].kill9()
    taken_over = wait_for("another worker to take the run over",
                          lambda: (j := job_of(engine, j1)).state == "running" and j.attempts == 2 and j, 4 * LEASE)
    took = time.monotonic() - killed_at
    assert took < 2 * LEASE + 1, took  # the lease (3 s) plus one reaper round, not "whenever someone restarts"
    assert int(taken_over.worker.split(":")[1]) == survivor.pid
    print(f"run taken over by the other worker {took:.1f} s after kill -9 (lease {LEASE:g} s)")

    # The surviving worker finishes it, then the run waiting behind it, never both at once.
    done1 = wait_for("the first run to finish", lambda: (j := job_of(engine, j1)).state == "done" and j, 60)
    done2 = wait_for("the second run to finish", lambda: (j := job_of(engine, j2)).state == "done" and j, 60)
    assert done2.started_at >= done1.finished_at
    run1 = httpx.get(f"{b.url}/match-runs/{first.json()['id']}", headers=h).json()
    assert run1["status"] == "done" and run1["progress"] == 100
    with Session(engine) as s:  # the killed attempt left nothing: one attempt's proposals, stored once
        rows = s.exec(select(MatchProposal).where(MatchProposal.run_id == run1["id"])).all()
        assert len(rows) == len({(r.candidate_id, r.vacancy_id) for r in rows}) == run1["stats"]["proposals"] > 0

    # Restart one API process while a run is in progress: the run is not touched.
    third = httpx.post(f"{b.url}/match-runs", json={"time_limit": 1, "seed": 3, "plan_start": PLAN}, headers=h).json()
    wait_for("the third run to start", lambda: job_of(engine, third["job_id"]).state == "running", 30)
    b.stop()
    b.start()
    b.wait_ready()
    assert httpx.get(f"{b.url}/jobs/{third['job_id']}", headers=h).json()["state"] in ("running", "done")
    done3 = wait_for("the third run to finish", lambda: (j := job_of(engine, third["job_id"])).state == "done" and j, 60)
    assert done3.attempts == 1 and done3.error is None  # not failed, not restarted: untouched

    # Cancel a running run (an admin may cancel anyone's): it stops at its next progress point, stores nothing.
    fourth = httpx.post(f"{a.url}/match-runs", json={"time_limit": 1, "seed": 4, "plan_start": PLAN}, headers=h).json()
    wait_for("the fourth run to start", lambda: job_of(engine, fourth["job_id"]).state == "running", 30)
    asked = httpx.post(f"{b.url}/jobs/{fourth['job_id']}/cancel", headers=world.headers["admin"])
    assert asked.status_code == 202 and asked.json()["cancel_requested"]
    cancelled = wait_for("the run to stop", lambda: (j := job_of(engine, fourth["job_id"])).state == "cancelled" and j, 10)
    assert "Avbrutt av" in cancelled.error
    run4 = httpx.get(f"{a.url}/match-runs/{fourth['id']}", headers=h).json()
    assert run4["status"] == "cancelled"
    assert httpx.get(f"{a.url}/match-runs/{fourth['id']}/proposals", headers=h).json() == []
    # The surviving worker is still working: the next run is done.
    fifth = httpx.post(f"{a.url}/match-runs", json={"time_limit": 1, "seed": 5, "plan_start": PLAN}, headers=h).json()
    wait_for("the fifth run to finish", lambda: job_of(engine, fifth["job_id"]).state == "done", 60)
