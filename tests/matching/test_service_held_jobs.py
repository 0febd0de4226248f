"""People in work keep filling their year, through the service (issue 11, section 3): a started
candidate who wants more stays in runs; held jobs are pinned, never proposed, and count in the year
coverage; a candidate whose year is full is left out. Real database, real solver."""

from sqlmodel import Session

from matching.models import MatchRun
from tests.employers.conftest import vacancy_body
from tests.matching import test_service_api
from tests.matching.test_service_api import PLAN, proposals, run_now

market = test_service_api.market  # the fixture: two 50 % jobs, one 100 % job, four candidates

STAGES = ("presented", "interview_scheduled", "interview_held", "offer", "accepted")


def start_job(client, world, candidate_id, vacancy_id, fte):
    h = world.headers["consultant"]
    placement = client.post("/placements", json={"candidate_id": candidate_id, "vacancy_id": vacancy_id,
                                                 "on": "2026-11-01"}, headers=h).json()
    for to in STAGES:
        assert client.post(f"/placements/{placement['id']}/transitions", json={"to": to, "on": "2026-11-02"},
                           headers=h).status_code == 200
    started = client.post(f"/placements/{placement['id']}/transitions",
                          json={"to": "started", "on": "2026-11-15", "fte": fte}, headers=h)
    assert started.status_code == 200, started.text
    return placement["id"]


def test_a_started_candidate_who_wants_more_stays_in_runs(engine, client, world, market):
    p, j = market["people"], market["jobs"]
    h = world.headers["consultant"]
    employer_id = client.get(f"/vacancies/{j['e2']}", headers=h).json()["employer_id"]
    j["e3"] = client.post(f"/employers/{employer_id}/vacancies", headers=h, json=vacancy_body(
        start=PLAN, fte=50, headcount=1, working_hours=["evening"], min_norwegian_level="A2")).json()["id"]
    start_job(client, world, p["amina"], j["e1"], 50)  # Amina wants 100 %: half her year is filled
    status = client.get(f"/candidates/{p['amina']}/jobs", headers=world.headers["staff_a"]).json()["status"]
    assert status == {"in_work": True, "year_full": False, "year_filled_percent": 50.0, "label": "I arbeid, ønsker mer"}

    run_id = run_now(engine, world)
    run = client.get(f"/match-runs/{run_id}", headers=world.headers["consultant"]).json()
    assert run["status"] == "done", run["error"]
    assert run["messages"] == []  # the held job is pinned without complaint
    got = proposals(client, world, run_id)
    amina = {v: row for (c, v), row in got.items() if c == p["amina"]}
    # Another 50 % job fills her year (the 100 % job no longer fits); her own job is held, not
    # proposed again, and nobody else gets it (its one place is taken).
    assert len(amina) == 1 and set(amina) <= {j["e2"], j["e3"]}
    assert next(iter(amina.values()))["year_coverage"] == 100.0
    assert all(v != j["e1"] for (_, v) in got)
    shortlisted = client.get(f"/match-runs/{run_id}/shortlists", headers=world.headers["consultant"]).json()
    assert all(s["vacancy_id"] != j["e1"] for s in shortlisted)
    assert all(str(v).isdigit() for (_, v) in got)  # no reserved pseudo-vacancy leaks into the store
    changes = client.get(f"/match-runs/{run_id}/changes", headers=world.headers["consultant"]).json()
    assert all(a["vacancy_id"] in j.values() for a in changes["added"])


def test_a_recorded_job_filling_the_year_leaves_the_candidate_out(engine, client, world, market):
    p = market["people"]
    h = world.headers["staff_a"]
    body = {"employer_name": "Kiwi Grønland", "title": "Butikkmedarbeider", "fte": 50, "start": "2026-12-01"}
    assert client.post(f"/candidates/{p['omar']}/jobs", json=body, headers=h).status_code == 201
    status = client.get(f"/candidates/{p['omar']}/jobs", headers=h).json()["status"]
    assert status["label"] == "I arbeid, året er fylt" and status["year_full"] is True

    run_id = run_now(engine, world)
    got = proposals(client, world, run_id)
    assert not [c for c, _ in got if c == p["omar"]]
    with Session(engine) as s:
        assert s.get(MatchRun, run_id).stats["candidates"] == 3  # Amina, Nora, Lars; Omar's year is full


def test_a_recorded_half_job_in_spring_leaves_spring_half_open(engine, client, world, market):
    # Amina holds a 50 % job for the first half year. Both 50 % jobs and the 100 % job are open;
    # the best year for her keeps her own job and adds one 50 % job (the 100 % job no longer fits).
    p, j = market["people"], market["jobs"]
    body = {"employer_name": "Rema 1000", "fte": 50, "start": PLAN, "end": "2027-06-30", "working_hours": ["day"]}
    assert client.post(f"/candidates/{p['amina']}/jobs", json=body, headers=world.headers["consultant"]).status_code == 201
    run_id = run_now(engine, world)
    got = proposals(client, world, run_id)
    amina = [v for c, v in got if c == p["amina"]]
    assert j["full"] not in amina
    assert len(amina) == 1 and got[(p["amina"], amina[0])]["fte"] == 50
