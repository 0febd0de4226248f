"""Jobs in one process: who sees and cancels them, the lease rule, joining and queueing, large imports
and the daily schedule as jobs. (Several real processes: test_processes.py.)"""

import time
from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, func, select

from candidates.models import Candidate
from core.types import utcnow
from jobs import runner, service
from jobs.models import Job
from matching.models import MatchRun
from tests.transfer.test_import_export import CANDIDATES

PLAN = "2027-01-01"


@pytest.fixture
def idle(engine) -> Iterator[TestClient]:
    """An API with no worker anywhere: jobs stay queued."""
    from api.app import create_app

    with TestClient(create_app(engine, worker=False)) as client:
        yield client


def poll(client, job_id, headers, timeout=60) -> dict:
    deadline = time.monotonic() + timeout
    while (job := client.get(f"/jobs/{job_id}", headers=headers).json())["state"] in ("queued", "running"):
        assert time.monotonic() < deadline, job
        time.sleep(0.1)
    return job


def test_a_second_request_joins_a_waiting_run_or_queues_behind(idle, world):
    h = world.headers["consultant"]
    first = idle.post("/match-runs", json={"time_limit": 1, "seed": 1, "plan_start": PLAN}, headers=h).json()
    same = idle.post("/match-runs", json={"time_limit": 1, "seed": 1, "plan_start": PLAN}, headers=h).json()
    other = idle.post("/match-runs", json={"time_limit": 1, "seed": 2, "plan_start": PLAN}, headers=h).json()
    assert first["status"] == "queued" and first["job_id"]
    assert (same["id"], same["job_id"]) == (first["id"], first["job_id"])  # joined: one run, one job
    assert other["id"] != first["id"] and other["status"] == "queued"
    listed = idle.get("/jobs", headers=h).json()
    assert [j["id"] for j in listed] == [other["job_id"], first["job_id"]]
    assert listed[0]["state_label"] == "I kø" and listed[0]["kind_label"] == "Matchkjøring"
    assert idle.get("/match-runs", headers=h).json()[0]["job_id"] == other["job_id"]


def test_who_may_see_and_cancel_a_job(idle, world):
    h = world.headers
    run = idle.post("/match-runs", json={"time_limit": 1, "plan_start": PLAN}, headers=h["consultant"]).json()
    upload = idle.post("/import/candidates?som_jobb=true", headers=h["staff_a"],
                       files={"file": ("k.csv", CANDIDATES.format(p=world.project_a).encode())})
    assert upload.status_code == 202 and upload.headers["location"] == f"/jobs/{upload.json()['id']}"
    imported = upload.json()

    # Staff see only their own jobs; the run is another's: 404 to read and to cancel.
    assert [j["id"] for j in idle.get("/jobs", headers=h["staff_a"]).json()] == [imported["id"]]
    assert idle.get(f"/jobs/{run['job_id']}", headers=h["staff_a"]).status_code == 404
    assert idle.post(f"/jobs/{run['job_id']}/cancel", headers=h["staff_b"]).status_code == 404
    assert idle.get("/jobs", headers=h["employer"]).status_code == 403
    # A consultant sees the staff member's import but may not cancel it: only its starter or an admin.
    refused = idle.post(f"/jobs/{imported['id']}/cancel", headers=h["consultant"])
    assert refused.status_code == 403 and "Bare den som startet jobben" in refused.json()["detail"]

    # The starter cancels a queued run at once; the run shows it; a second cancel is a conflict.
    cancelled = idle.post(f"/jobs/{run['job_id']}/cancel", headers=h["consultant"])
    assert cancelled.status_code == 202
    assert cancelled.json()["state"] == "cancelled" and cancelled.json()["error"] == "Avbrutt av Consultant."
    shown = idle.get(f"/match-runs/{run['id']}", headers=h["consultant"]).json()
    assert shown["status"] == "cancelled" and shown["error"] == "Avbrutt av Consultant."
    again = idle.post(f"/jobs/{run['job_id']}/cancel", headers=h["consultant"])
    assert again.status_code == 409 and "allerede avbrutt" in again.json()["detail"]
    # An admin may cancel anyone's; the uploaded file (personal data) is not kept.
    assert idle.post(f"/jobs/{imported['id']}/cancel", headers=h["admin"]).json()["state"] == "cancelled"
    with Session(world.engine) as s:
        assert s.get(Job, imported["id"]).input is None


def _running_job(engine, *, attempts: int, lease_left: float, max_attempts: int = 2, scope: str = "match_run") -> int:
    with Session(engine) as s:
        run = MatchRun(status="running", params={}, progress=40, progress_message="optimerer")
        s.add(run)
        s.flush()
        job = Job(kind="match_run", scope=scope, state="running", match_run_id=run.id, worker="vm:99:dead",
                  attempts=attempts, max_attempts=max_attempts, lease_until=utcnow() + timedelta(seconds=lease_left))
        s.add(job)
        s.commit()
        return job.id


def test_a_job_whose_worker_stopped_answering_is_retried_then_failed_by_rule(engine, world):
    alive = _running_job(engine, attempts=1, lease_left=60, scope="another database's runs")
    dead = _running_job(engine, attempts=1, lease_left=-1)
    with Session(engine) as s:
        assert service.reap(s, lease=30) == [dead]  # to be sent again
        s.commit()
    with Session(engine) as s:
        assert s.get(Job, alive).state == "running"  # a live lease is never touched
        job = s.get(Job, dead)
        assert job.state == "queued" and job.worker is None
        assert job.progress_message == "Arbeidsprosessen sluttet å svare; jobben prøves på nytt (forsøk 2 av 2)."
        assert s.get(MatchRun, job.match_run_id).status == "queued"
        # The second attempt's worker dies too: no attempts left, failed with a Norwegian reason.
        job.state, job.attempts, job.worker, job.lease_until = "running", 2, "vm:98:dead", utcnow() - timedelta(seconds=1)
        s.add(job)
        s.commit()
    with Session(engine) as s:
        service.reap(s, lease=30)
        s.commit()
    with Session(engine) as s:
        job = s.get(Job, dead)
        assert job.state == "failed" and job.error.startswith("Arbeidsprosessen som kjørte jobben, sluttet å svare "
                                                              "(forsøk 2 av 2)")
        run = s.get(MatchRun, job.match_run_id)
        assert run.status == "failed" and run.error == job.error


def test_a_worker_never_gives_up_its_own_running_job_when_its_heartbeat_is_late(engine, world):
    """The lease ran out because the heartbeat was held up (a lock, a busy machine), but this process
    is running the job: its reaper renews the lease instead of failing the job it is working on."""
    own = _running_job(engine, attempts=2, lease_left=-1)  # no attempts left: reaping would fail it
    with Session(engine) as s:
        assert service.reap(s, lease=30, alive=frozenset({"vm:99:dead"})) == []
        s.commit()
    with Session(engine) as s:
        job = s.get(Job, own)
        assert job.state == "running" and job.lease_until > utcnow() + timedelta(seconds=25)
        assert s.get(MatchRun, job.match_run_id).status == "running"
    with Session(engine) as s:  # another process sees the same job as its own only while it runs it
        job = s.get(Job, own)
        job.lease_until = utcnow() - timedelta(seconds=1)
        s.add(job)
        s.commit()
        service.reap(s, lease=30, alive=frozenset({"vm:1:other"}))
        s.commit()
        assert s.get(Job, own).state == "failed"


def test_a_claim_waits_while_a_job_of_the_same_scope_runs(engine, world):
    _running_job(engine, attempts=1, lease_left=60)
    with Session(engine) as s:
        waiting = service.submit(s, kind="match_run", scope="match_run", actor=None)
        s.commit()
        assert service.claim(s, waiting.id, "vm:1:x", 30) is None
        s.commit()
        assert s.get(Job, waiting.id).state == "queued"


def test_a_large_import_is_a_job_and_stays_all_or_nothing(client, world, monkeypatch):
    from core.settings import get_settings

    monkeypatch.setattr(get_settings(), "import_job_bytes", 100)  # these small files count as large
    h = world.headers["staff_a"]
    good = client.post("/import/candidates", headers=h,
                       files={"file": ("k.csv", CANDIDATES.format(p=world.project_a).encode())})
    assert good.status_code == 202
    job = poll(client, good.json()["id"], h)
    assert job["state"] == "done" and job["result"] == {"rows": 2, "imported": 2}
    bad = CANDIDATES.format(p=world.project_a) + f"{world.project_a},Nora,,,0301,D1,0,day,,,\n"
    failed = poll(client, client.post("/import/candidates", headers=h, files={"file": ("k.csv", bad.encode())})
                  .json()["id"], h)
    assert failed["state"] == "failed" and failed["error"].startswith("Ingenting er importert: ")
    assert {(e["row"], e["field"]) for e in failed["result"]["errors"]} >= {(4, "last_name"), (4, "wanted_fte")}
    with Session(world.engine) as s:
        assert s.exec(select(func.count()).select_from(Candidate)).one() == 2  # only the good file's
        assert all(j.input is None for j in s.exec(select(Job)))  # the uploaded files are not kept


def test_daily_work_is_one_job_however_many_schedulers_ask(engine, world):
    sent = []
    day = date(2027, 3, 1)
    first = runner.schedule_daily(engine, "retention", sent.append, day)
    assert runner.schedule_daily(engine, "retention", sent.append, day) is None  # the second worker's scheduler
    assert sent == [first]
    assert runner.run_job(engine, first, lease_seconds=5, send=sent.append) == "done"
    reminders = runner.schedule_daily(engine, "reminders", sent.append, day)
    assert runner.run_job(engine, reminders, lease_seconds=5, send=sent.append) == "done"
    with Session(engine) as s:
        assert s.get(Job, first).result == {"anonymised": 0, "export_files_dropped": 0}
        assert s.get(Job, reminders).result["day"] == "2027-03-01"


def test_the_jobs_page_shows_state_and_cancels_a_run_from_its_page(idle, world):
    import re

    from tests.api.test_security_headers import _page_session

    run = idle.post("/match-runs", json={"time_limit": 1, "plan_start": PLAN}, headers=world.headers["consultant"]).json()
    _page_session(idle, "consultant")
    listing = idle.get("/app/jobber")
    assert listing.status_code == 200 and "Matchkjøring" in listing.text and "I kø" in listing.text
    run_page = idle.get(f"/app/matching/{run['id']}")
    assert "Avbryt kjøringen" in run_page.text
    token = re.search(r'name="csrf_token" value="([^"]+)"', run_page.text).group(1)
    done = idle.post(f"/app/jobber/{run['job_id']}/avbryt?fra=kjoring", data={"csrf_token": token},
                     follow_redirects=True)
    assert done.status_code == 200 and "Kjøringen ble avbrutt" in done.text and "Avbrutt av Consultant." in done.text
    assert "Avbrutt" in idle.get("/app/jobber").text


def test_a_large_export_is_a_job_whose_file_only_its_owner_fetches_and_which_erasure_drops(client, world,
                                                                                        make_candidate):
    from core.audit import AuditEntry

    amina = make_candidate(first_name="Amina", last_name="Hassan")
    make_candidate(first_name="Omar", last_name="Ali")
    h = world.headers["staff_a"]
    direct = client.get("/export/candidates.csv", headers=h)
    queued = client.post("/export/candidates.csv", headers=h)
    assert queued.status_code == 202 and queued.headers["Location"] == f"/jobs/{queued.json()['id']}"
    job = poll(client, queued.json()["id"], h)
    assert job["state"] == "done" and job["kind_label"] == "Eksport"
    assert job["result"]["download"] == f"/jobs/{job['id']}/file"

    file = client.get(f"/jobs/{job['id']}/file", headers=h)
    assert file.status_code == 200 and file.headers["content-type"].startswith("text/csv")
    assert file.content == direct.content  # the same file as the synchronous export
    assert "Amina" in file.text and "Omar" in file.text
    # A consultant may see the job in the list, but not fetch a file somebody else asked for.
    other = client.get(f"/jobs/{job['id']}/file", headers=world.headers["consultant"])
    assert other.status_code == 403 and "bestilte" in other.json()["detail"]
    assert client.get(f"/jobs/{job['id']}/file", headers=world.headers["admin"]).status_code == 200
    with Session(world.engine) as s:  # making it and each download are in the audit log
        exports = s.exec(select(AuditEntry).where(AuditEntry.action == "export",
                                                  AuditEntry.candidate_id == amina["id"])).all()
        assert len(exports) == 4  # direct, the job, the owner's and the admin's download

    # An employer export as a job: staff may not order it, as they may not fetch it directly.
    assert client.post("/export/employers.xlsx", headers=h).status_code == 403
    assert client.post("/export/candidates.pdf", headers=h).status_code == 404

    # Erasing a candidate drops every stored export file: fetching it again says why.
    assert client.post(f"/candidates/{amina['id']}/erase", headers=world.headers["admin"]).status_code == 200
    gone = client.get(f"/jobs/{job['id']}/file", headers=h)
    assert gone.status_code == 409 and "slettet" in gone.json()["detail"]
    with Session(world.engine) as s:
        assert all(j.output is None for j in s.exec(select(Job)))


def test_a_match_run_whose_job_was_taken_over_stores_nothing(idle, engine, world):
    """The last word is the lease's, in the result's own transaction: a worker that lost its job
    (its lease ran out and another attempt took it) while it was solving stores no proposals."""
    from matching import service as matching

    run = idle.post("/match-runs", json={"time_limit": 1, "seed": 1, "plan_start": PLAN},
                    headers=world.headers["consultant"]).json()
    with Session(engine) as s:
        assert service.claim(s, run["job_id"], "vm:1:me", 30) is not None
        s.commit()
    lease = runner.Lease(engine, run["job_id"], "vm:1:me", 30)  # not started: no heartbeat thread
    with Session(engine) as s:  # meanwhile another worker has the job
        job = s.get(Job, run["job_id"])
        job.worker = "vm:2:other"
        s.add(job)
        s.commit()
    with pytest.raises(runner.JobStopped):
        matching.execute_run(engine, run["id"], before_commit=lease.confirm)
    with Session(engine) as s:
        assert s.get(MatchRun, run["id"]).status != "done"
        assert s.get(Job, run["job_id"]).worker == "vm:2:other"

    # The holder itself stores, and its lease is renewed in the same transaction.
    lease = runner.Lease(engine, run["job_id"], "vm:2:other", 30)
    matching.execute_run(engine, run["id"], before_commit=lease.confirm)
    with Session(engine) as s:
        assert s.get(MatchRun, run["id"]).status == "done"
        assert s.get(Job, run["job_id"]).lease_until > utcnow() + timedelta(seconds=25)
