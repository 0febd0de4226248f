"""The result report from recorded data agrees with the report from an event file of the same
history, and downloads open as CSV and XLSX."""

import io
from datetime import date

import openpyxl
import pytest

from core.types import today as local_today
from reports.kpi import read_events, result_table
from tests.employers.conftest import employer_body, vacancy_body

TODAY = local_today().isoformat()


@pytest.fixture
def history(client, world, make_candidate):
    """A small season of work for three Oslo candidates, recorded through the API."""
    staff, consultant = world.headers["staff_a"], world.headers["consultant"]
    c1, c2, c3 = (make_candidate(first_name=n)["id"] for n in ("En", "To", "Tre"))
    client.post(f"/candidates/{c1}/events", json={"kind": "need_uncovered", "on": "2026-03-01", "detail": "norwegian"}, headers=staff)
    client.post(f"/candidates/{c1}/events", json={"kind": "interview_training", "on": "2026-03-05"}, headers=staff)
    client.post(f"/candidates/{c2}/events", json={"kind": "removed_from_process", "on": "2026-03-10", "note": "Flytter"}, headers=staff)
    client.put(f"/candidates/{c1}/readiness/intake_assessment", headers=staff,
               json={"status": "done", "evidence_date": "2026-03-01", "document_ref": "Arkiv 1"})
    employer = client.post("/employers", json=employer_body("974760673"), headers=consultant).json()["id"]
    for when, about in (("2026-03-15T10:00:00+01:00", [c1]), ("2026-03-20T10:00:00+01:00", [c1, c2])):
        assert client.post(f"/employers/{employer}/log", headers=consultant, json={
            "kind": "phone", "occurred_at": when, "duration_minutes": 10, "summary": "Presentasjon",
            "candidate_ids": about}).status_code == 201
    client.post(f"/employers/{employer}/status", json={"status": "in_dialogue"}, headers=consultant)
    jobs = [client.post(f"/employers/{employer}/vacancies", json=vacancy_body(start="2026-04-01"), headers=consultant).json()["id"]
            for _ in range(2)]

    def walk(candidate, vacancy, steps):
        p = client.post("/placements", json={"candidate_id": candidate, "vacancy_id": vacancy, "on": "2026-03-21"},
                        headers=consultant).json()["id"]
        for to, on, extra in steps:
            r = client.post(f"/placements/{p}/transitions", json={"to": to, "on": on, **extra}, headers=consultant)
            assert r.status_code == 200, r.text

    walk(c1, jobs[0], [("presented", "2026-03-21", {}), ("interview_scheduled", "2026-03-22", {}),
                       ("interview_held", "2026-03-25", {"with_consultant": True}), ("offer", "2026-03-26", {}),
                       ("accepted", "2026-03-27", {}), ("started", "2026-03-28", {}), ("permanent", "2026-03-29", {})])
    walk(c3, jobs[1], [("presented", "2026-03-21", {}), ("interview_scheduled", "2026-03-22", {}),
                       ("chance_lost", "2026-03-23", {"reason": "no_show"})])
    client.post(f"/candidates/{c2}/work-practice", headers=staff, json={
        "employer_id": employer, "kind": "practice_with_hiring_promise", "start": "2026-04-01"})
    # The programme side: c1 referred and admitted, a new person referred and refused, an obstacle
    # (health: that it exists, nothing more), an exit, and a contact about no candidate.
    ref = client.post("/referrals", headers=staff, json={
        "candidate_id": c1, "referrer_kind": "nav_office", "referrer_name": "NAV Grünerløkka",
        "referred_on": "2026-02-20", "criteria_met": ["age", "residence"]}).json()["id"]
    assert client.post(f"/referrals/{ref}/decision", headers=staff, json={
        "decision": "admitted", "decided_on": "2026-02-25", "start_on": "2026-03-01"}).status_code == 200
    new = client.post("/referrals", headers=staff, json={
        "first_name": "Fire", "last_name": "Henvist", "referrer_kind": "caseworker", "referrer_name": "Kari Saksbehandler",
        "referred_on": "2026-02-21"}).json()
    assert client.post(f"/referrals/{new['id']}/decision", headers=staff, json={
        "decision": "refused", "decided_on": "2026-02-26", "refusal_reason": "no_show"}).status_code == 200
    c4 = new["candidate_id"]
    assert client.post(f"/candidates/{c3}/obstacles", headers=staff, json={
        "kind": "health", "found_on": "2026-03-02", "owner": "staff"}).status_code == 201
    assert client.post(f"/candidates/{c3}/exits", headers=staff, json={
        "on": "2026-03-30", "outcome": "interrupted", "reason": "moved"}).status_code == 201
    assert client.post(f"/employers/{employer}/log", headers=consultant, json={
        "kind": "phone", "occurred_at": "2026-03-18T10:00:00+01:00", "duration_minutes": 5,
        "summary": "Generell prat om behov", "candidate_ids": []}).status_code == 201
    events = f"""date,project,candidate_id,event,ref
{TODAY},Ny sjanse Oslo,{c1},candidate_assigned,
{TODAY},Ny sjanse Oslo,{c2},candidate_assigned,
{TODAY},Ny sjanse Oslo,{c3},candidate_assigned,
2026-03-01,Ny sjanse Oslo,{c1},need_uncovered,
2026-03-05,Ny sjanse Oslo,{c1},interview_training,
2026-03-10,Ny sjanse Oslo,{c2},removed_from_process,
{TODAY},Ny sjanse Oslo,{c1},documented_progress,
2026-03-15,Ny sjanse Oslo,{c1},employer_contacted_new,{employer}
2026-03-20,Ny sjanse Oslo,{c1},employer_contacted_existing,{employer}
2026-03-20,Ny sjanse Oslo,{c2},employer_contacted_existing,{employer}
{TODAY},Ny sjanse Oslo,,employer_in_dialogue,{employer}
2026-03-22,Ny sjanse Oslo,{c1},interview,
2026-03-25,Ny sjanse Oslo,{c1},interview_with_assistance,
2026-03-26,Ny sjanse Oslo,{c1},offer_received,
2026-03-27,Ny sjanse Oslo,{c1},offer_accepted,
2026-03-22,Ny sjanse Oslo,{c3},interview,
2026-03-23,Ny sjanse Oslo,{c3},chance_lost,
2026-04-01,Ny sjanse Oslo,{c2},practice_with_hiring_promise,
2026-03-29,Ny sjanse Oslo,{c1},permanent_job,
2026-02-20,Ny sjanse Oslo,{c1},referred,
2026-02-25,Ny sjanse Oslo,{c1},admitted,
2026-02-21,Ny sjanse Oslo,{c4},referred,
2026-02-26,Ny sjanse Oslo,{c4},refused,no_show
2026-03-02,Ny sjanse Oslo,{c3},need_uncovered,
2026-03-30,Ny sjanse Oslo,{c3},exit_interrupted,moved
2026-03-15,Ny sjanse Oslo,,employer_first_contact,{employer}
2026-03-18,Ny sjanse Oslo,,employer_contacted_existing,{employer}
"""
    return events


@pytest.mark.parametrize("period", ["", "?date_from=2026-03-01&date_to=2026-03-31"])
def test_recorded_data_and_event_file_agree(client, world, history, period):
    api = client.get(f"/reports/results{period}", headers=world.headers["admin"]).json()["rows"]
    bounds = dict(date_from=date(2026, 3, 1), date_to=date(2026, 3, 31)) if period else {}
    from_file = result_table(read_events(history.encode()), **bounds)
    assert [(r["project"], r["metric"], r["count"], r["percent"]) for r in api] == [
        (r.project, r.metric, r.count, r.percent) for r in from_file]
    figures = {r["metric"]: (r["count"], r["percent"]) for r in api}
    if not period:
        assert figures["candidates"] == (3, 100)
        assert figures["interview"] == (2, 67) and figures["permanent_job"] == (1, 33)
        # one employer, first contacted in the period (which has no start): new, and only there
        assert figures["employer_contacted_new"] == (1, 33) and figures["employer_contacted_existing"] == (0, 0)
        assert figures["need_uncovered"] == (2, 67)  # the old event (c1) and the obstacle (c3)
        assert figures["referred"] == (2, 67) and figures["refused:no_show"] == (1, 33)
        assert figures["interrupted:moved"] == (1, 33) and figures["completed"] == (0, 0)
    else:  # nobody was in the process in March (all three were handed over today)
        assert figures["candidates"] == (0, None) and figures["offer_accepted"] == (1, None)


def test_downloads_and_small_cell_suppression(client, world, history):
    h = world.headers["admin"]
    csv_response = client.get("/reports/results.csv", headers=h)
    assert csv_response.status_code == 200 and csv_response.headers["content-type"].startswith("text/csv")
    text = csv_response.content.decode("utf-8-sig")
    assert text.splitlines()[0] == "Prosjekt;Måltall;Antall;Prosent"  # no English metric keys in the file
    assert "Ny sjanse Oslo;Kandidater deltatt (i prosess i perioden);3;100" in text and ";candidates;" not in text
    book = openpyxl.load_workbook(io.BytesIO(client.get("/reports/results.xlsx", headers=h).content))
    assert book.sheetnames == ["Resultattabell", "Utfall"]
    assert [c.value for c in book["Resultattabell"][2]] == ["Ny sjanse Oslo", "Kandidater deltatt (i prosess i perioden)", 3, 100]
    suppressed = client.get("/reports/results?suppress_small=true", headers=h).json()
    counts = {r["metric"]: r["count"] for r in suppressed["rows"]}
    assert counts["candidates"] is None and counts["chance_lost"] is None  # 3 and 1 are small cells
    assert "Ny sjanse Oslo;Kandidater deltatt (i prosess i perioden);<5;" in client.get(
        "/reports/results.csv?suppress_small=true", headers=h).content.decode("utf-8-sig")
    assert client.get("/reports/results.pdf", headers=h).status_code == 404


def test_report_scoping_and_outcomes(client, world, history, make_candidate):
    make_candidate("staff_b", "b")
    staff = client.get("/reports/results", headers=world.headers["staff_b"]).json()
    assert {r["project"] for r in staff["rows"]} == {"Ny sjanse Drammen"}
    assert client.get("/reports/results", headers=world.headers["employer"]).status_code == 403
    outcomes = client.get("/reports/results", headers=world.headers["admin"]).json()["outcomes"]
    oslo = next(o for o in outcomes if o["project"] == "Ny sjanse Oslo")
    assert oslo["candidates"] == 4 and oslo["in_paid_work_last_12_months"] == 1
    # The incentive per candidate who has held a job: c1 works 50 %, so not full time yet; staff of
    # another project see nobody.
    incentive = client.get("/reports/incentive", headers=world.headers["admin"]).json()
    assert [(i["name"], i["six_months"], i["twelve_months"]) for i in incentive] == [("En Hassan", "ikke ennå", "ikke ennå")]
    assert client.get("/reports/incentive", headers=world.headers["staff_b"]).json() == []


def test_year_coverage_counts_share_of_time_days_against_the_wanted_share():
    from types import SimpleNamespace

    from reports.service import year_coverage

    end = date(2026, 12, 31)
    half_year = SimpleNamespace(started_on=date(2026, 7, 1), ended_on=None, fte=50)
    assert year_coverage([half_year], 50, end) == pytest.approx(100 * 184 / 365, abs=0.01)
    two_halves = [SimpleNamespace(started_on=date(2026, 1, 1), ended_on=None, fte=50)] * 2
    assert year_coverage(two_halves, 100, end) == 100.0
    assert year_coverage([SimpleNamespace(started_on=None, ended_on=None, fte=100)], 100, end) == 0.0


def test_a_period_after_the_handover_has_a_base_and_percentages(client, world, engine, make_candidate):
    """The defect: a report for April-June of candidates registered in January showed no base and no
    percent, while still counting their interviews."""
    from datetime import date, datetime

    from sqlmodel import Session, select

    from candidates.models import Candidate, Handover
    from core.types import LOCAL_TZ

    consultant = world.headers["consultant"]
    cid = make_candidate(first_name="Januar")["id"]
    with Session(engine) as session:  # registered and handed over to the partner in January
        row = session.get(Candidate, cid)
        row.created_at = datetime(2026, 1, 15, 9, tzinfo=LOCAL_TZ)
        handover = session.exec(select(Handover).where(Handover.candidate_id == cid)).one()
        handover.started_on = date(2026, 1, 15)
        session.commit()
    employer = client.post("/employers", json=employer_body("974760673"), headers=consultant).json()["id"]
    job = client.post(f"/employers/{employer}/vacancies", json=vacancy_body(start="2026-07-01"), headers=consultant).json()["id"]
    p = client.post("/placements", json={"candidate_id": cid, "vacancy_id": job, "on": "2026-05-02"}, headers=consultant).json()["id"]
    for to, on in (("presented", "2026-05-02"), ("interview_scheduled", "2026-05-03")):
        assert client.post(f"/placements/{p}/transitions", json={"to": to, "on": on}, headers=consultant).status_code == 200
    rows = client.get("/reports/results?date_from=2026-04-01&date_to=2026-06-30", headers=world.headers["admin"]).json()["rows"]
    figures = {r["metric"]: (r["count"], r["percent"]) for r in rows}
    assert figures["candidates"] == (1, 100) and figures["interview"] == (1, 100)
    assert figures["handed_over"] == (0, 0)
