"""Match runs through the service and API, on a small world with known answers."""

import time
from datetime import date

import pytest
from sqlmodel import Session

from matching import service
from matching.models import MatchRun
from readiness.service import default_definition_in
from tests.employers.conftest import employer_body, vacancy_body

PLAN = "2027-01-01"


def make_ready(client, world, cid):
    for item in default_definition_in().items:
        body = {"status": "done", "evidence_date": "2026-11-01", "document_ref": "Arkiv 1"}
        assert client.put(f"/candidates/{cid}/readiness/{item.key}", json=body,
                          headers=world.headers["staff_a"]).status_code == 200


@pytest.fixture
def market(client, world, make_candidate):
    """Amina wants 100 %, Omar 50 %; both formidlingsklar and consenting. Two 50 % evening jobs at two
    employers and one 100 % day job. Nora is not ready, Lars has not consented to be presented."""
    consents = [{"purpose": "presentation_to_employers", "given_on": "2026-10-01"}]
    common = dict(available_from=PLAN, working_hours=["day", "evening"], max_commute_km=30, certificates=[])
    people = {
        "amina": make_candidate(first_name="Amina", wanted_fte=100, consents=consents, **common),
        "omar": make_candidate(first_name="Omar", wanted_fte=50, consents=consents, **common),
        "nora": make_candidate(first_name="Nora", wanted_fte=100, consents=consents, **common),
        "lars": make_candidate(first_name="Lars", wanted_fte=100, consents=[], **common),
    }
    for name in ("amina", "omar", "lars"):
        make_ready(client, world, people[name]["id"])
    h = world.headers["consultant"]
    jobs = {}
    for name, org in (("e1", "974760673"), ("e2", "923609016")):
        employer = client.post("/employers", json=employer_body(org), headers=h).json()
        jobs[name] = client.post(f"/employers/{employer['id']}/vacancies", headers=h, json=vacancy_body(
            start=PLAN, fte=50, headcount=1, working_hours=["evening"], min_norwegian_level="A2")).json()
    jobs["full"] = client.post(f"/employers/{employer['id']}/vacancies", headers=h, json=vacancy_body(
        title="Lagermedarbeider 100 %", occupation_code="4321", start=PLAN, fte=100, headcount=1,
        working_hours=["day"], min_norwegian_level="A2")).json()
    return {"people": {k: v["id"] for k, v in people.items()}, "jobs": {k: v["id"] for k, v in jobs.items()}}


def run_now(engine, world, **params) -> int:
    with Session(engine) as s:
        run = service.create_run(s, service.RunParams(plan_start=date.fromisoformat(PLAN), time_limit=5, **params),
                                 world.principal("consultant"))
        s.commit()
        run_id = run.id
    service.execute_run(engine, run_id)
    return run_id


def proposals(client, world, run_id):
    rows = client.get(f"/match-runs/{run_id}/proposals", headers=world.headers["consultant"]).json()
    return {(r["candidate_id"], r["vacancy_id"]): r for r in rows}


def test_a_run_fills_years_within_wanted_shares_and_explains(engine, client, world, market):
    run_id = run_now(engine, world)
    run = client.get(f"/match-runs/{run_id}", headers=world.headers["consultant"]).json()
    assert run["status"] == "done" and run["progress"] == 100 and run["coverage_gap"] == 0 and run["quality_gap"] == 0
    assert run["solver_status"] == "optimal" and run["stats"]["reproducible"]
    assert run["stats"]["ready_candidates"] == 3  # Nora is not ready
    got = proposals(client, world, run_id)
    p, j = market["people"], market["jobs"]
    by_candidate = {}
    for c, v in got:
        by_candidate.setdefault(c, []).append(v)
    assert set(by_candidate) <= {p["amina"], p["omar"]}  # Lars has not consented to be presented
    assert j["full"] not in by_candidate.get(p["omar"], [])  # wants 50 %: never a 100 % job
    total_fte = {c: sum(got[(c, v)]["fte"] for v in vs) for c, vs in by_candidate.items()}
    assert total_fte[p["amina"]] == 100 and total_fte[p["omar"]] == 50  # everyone's year filled
    amina_rows = [got[(p["amina"], v)] for v in by_candidate[p["amina"]]]
    assert all(r["year_coverage"] == 100.0 for r in amina_rows)
    assert all(r["explanation"].startswith("poeng") and r["requirements_met"] for r in amina_rows)

    unlock = client.get(f"/match-runs/{run_id}/unlock", headers=world.headers["consultant"]).json()
    assert all(u["candidate_id"] in (p["amina"], p["omar"]) for u in unlock)
    steps = client.get(f"/candidates/{p['nora']}/next-steps", headers=world.headers["staff_a"]).json()
    assert steps["from_run_id"] == run_id and not steps["formidlingsklar"] and steps["missing"]["staff"]
    assert client.get(f"/candidates/{p['nora']}/next-steps", headers=world.headers["staff_b"]).status_code == 403
    shortlists = client.get(f"/match-runs/{run_id}/shortlists", headers=world.headers["consultant"]).json()
    assert shortlists and all(s["rank"] >= 1 for s in shortlists)


def test_veto_pin_accept_and_what_changed(engine, client, world, market):
    h = world.headers["consultant"]
    p, j = market["people"], market["jobs"]
    first = run_now(engine, world)
    amina_jobs = [v for (c, v) in proposals(client, world, first) if c == p["amina"]]
    vetoed = amina_jobs[0]
    assert client.post("/match-decisions", headers=h, json={"candidate_id": p["amina"], "vacancy_id": vetoed,
                                                            "decision": "veto"}).status_code == 201
    second = run_now(engine, world)
    assert (p["amina"], vetoed) not in proposals(client, world, second)
    changes = client.get(f"/match-runs/{second}/changes", headers=h).json()
    assert changes["previous_run_id"] == first
    removed = {(r["candidate_id"], r["vacancy_id"]): r for r in changes["removed"]}
    assert removed[(p["amina"], vetoed)]["reason"] == "vetoed"
    assert removed[(p["amina"], vetoed)]["reason_text"] == "konsulenten har sperret paret"
    # Nothing else changed in the data: every other change is the solver's better combination.
    others = [r for r in changes["added"] + changes["removed"] if (r["candidate_id"], r["vacancy_id"]) != (p["amina"], vetoed)]
    assert all(r["reason"] == "better_combination" for r in others)

    not_proposed = client.post("/match-decisions", headers=h, json={
        "candidate_id": p["amina"], "vacancy_id": vetoed, "decision": "accept", "run_id": second})
    assert not_proposed.status_code == 409
    some_pair = next(iter(proposals(client, world, second)))
    accepted = client.post("/match-decisions", headers=h, json={
        "candidate_id": some_pair[0], "vacancy_id": some_pair[1], "decision": "accept", "run_id": second})
    assert accepted.status_code == 201

    # A pin the rules forbid (Omar wants 50 %, the job is 100 %) is reported by name, not a crash.
    client.post("/match-decisions", headers=h, json={"candidate_id": p["omar"], "vacancy_id": j["full"], "decision": "pin"})
    third = run_now(engine, world)
    run = client.get(f"/match-runs/{third}", headers=h).json()
    assert run["status"] == "done"
    assert any(str(p["omar"]) in m and str(j["full"]) in m for m in run["messages"])


def test_a_crash_marks_the_run_failed_and_leaves_earlier_runs(engine, client, world, market, monkeypatch, caplog):
    good = run_now(engine, world)
    before = proposals(client, world, good)

    def broken(*args, **kwargs):
        raise RuntimeError("solver exploded")

    monkeypatch.setattr(service, "solve", broken)
    bad = run_now(engine, world)
    run = client.get(f"/match-runs/{bad}", headers=world.headers["consultant"]).json()
    # Consultants get a Norwegian message with a reference; the traceback is only in the server's log.
    assert run["status"] == "failed" and "intern feil" in run["error"]
    assert not any(s in run["error"] for s in ("Traceback", "RuntimeError", "solver exploded", ".py"))
    reference = run["error"].split("referanse ")[1].split(")")[0]
    logged = [r for r in caplog.records if reference in r.getMessage()]
    assert logged and "solver exploded" in str(logged[0].exc_info[1])
    assert proposals(client, world, bad) == {}
    assert proposals(client, world, good) == before


def test_runs_interrupted_by_a_restart_are_marked_failed(engine, world):
    with Session(engine) as s:
        s.add(MatchRun(status="running", params={}))
        s.commit()
        assert service.fail_interrupted_runs(s) == 1
        s.commit()
        assert s.get(MatchRun, 1).status == "failed"


def test_api_runs_as_a_job_with_progress(client, world, market):
    h = world.headers["consultant"]
    started = client.post("/match-runs", json={"time_limit": 2, "plan_start": PLAN}, headers=h)
    assert started.status_code == 202 and started.json()["status"] == "queued"
    run_id = started.json()["id"]
    deadline = time.monotonic() + 60
    while (run := client.get(f"/match-runs/{run_id}", headers=h).json())["status"] in ("queued", "running"):
        assert time.monotonic() < deadline
        time.sleep(0.2)
    assert run["status"] == "done" and run["timings"]["load"] >= 0
    assert client.post("/match-runs", json={"time_limit": 0}, headers=h).status_code == 422
    assert client.get("/match-runs", headers=world.headers["staff_a"]).status_code == 403
    assert client.get("/match-runs", headers=world.headers["employer"]).status_code == 403


def test_changes_say_a_vacancy_is_new_or_gone(engine, client, world, market):
    from employers.models import Vacancy
    from employers.schemas import VacancyStatus
    from employers.service import set_vacancy_status

    h = world.headers["consultant"]
    employer_id = client.get(f"/vacancies/{market['jobs']['e1']}", headers=h).json()["employer_id"]
    run_now(engine, world)
    new = client.post(f"/employers/{employer_id}/vacancies", headers=h, json=vacancy_body(
        start=PLAN, fte=50, headcount=2, working_hours=["evening"], min_norwegian_level="A2")).json()["id"]
    second = run_now(engine, world)
    changes = client.get(f"/match-runs/{second}/changes", headers=h).json()
    with_new = [r for r in changes["added"] if r["vacancy_id"] == new]
    assert with_new and all(r["reason"] == "new_vacancy" for r in with_new)

    with Session(engine) as s:
        set_vacancy_status(s, s.get(Vacancy, new), VacancyStatus.closed)
        s.commit()
    third = run_now(engine, world)
    changes = client.get(f"/match-runs/{third}/changes", headers=h).json()
    gone = [r for r in changes["removed"] if r["vacancy_id"] == new]
    assert gone and all(r["reason"] == "vacancy_gone" for r in gone)
    assert {r["vacancy_id"] for r in changes["added"]} <= {market["jobs"][k] for k in ("e1", "e2", "full")}


def test_change_reasons_from_the_inputs_both_runs_saw():
    def inputs(ready=True, profile="a", job="x", pins=(), vetoes=()):
        return {"candidates": {"1": [ready, profile]}, "vacancies": {"7": job},
                "pins": [list(p) for p in pins], "vetoes": [list(v) for v in vetoes]}

    reason = service.change_reason
    assert reason((1, 7), True, inputs(ready=False), inputs()) == "became_eligible"
    assert reason((1, 7), False, inputs(), inputs(ready=False)) == "no_longer_eligible"
    assert reason((1, 7), False, inputs(), {**inputs(), "candidates": {}}) == "no_longer_eligible"
    assert reason((1, 7), True, inputs(), inputs(pins=[("1", "7")])) == "pinned"
    assert reason((1, 7), False, inputs(pins=[("1", "7")]), inputs()) == "pin_withdrawn"
    assert reason((1, 7), True, inputs(vetoes=[("1", "7")]), inputs()) == "veto_withdrawn"
    assert reason((1, 7), True, inputs(profile="a"), inputs(profile="b")) == "candidate_changed"
    assert reason((1, 7), False, inputs(job="x"), inputs(job="y")) == "vacancy_changed"
    assert reason((1, 7), True, inputs(), inputs()) == "better_combination"
    assert reason((1, 7), True, {}, inputs()) == "unknown"
    assert set(service.CHANGE_REASON_NB) >= {"new_vacancy", "vacancy_gone", "vetoed", "better_combination"}
