"""A consultant's week of customer work through the API."""

import pytest
from sqlmodel import Session, func, select

from employers.models import ContactLogEntry, Employer
from tests.employers.conftest import ORG_A, ORG_B, employer_body


def test_register_validates_organisation_number_and_rejects_duplicates(client, world):
    h = world.headers["consultant"]
    bad = client.post("/employers", json=employer_body("974760672"), headers=h)
    assert bad.status_code == 422 and bad.json()["field"] == "organisation_number"
    short = client.post("/employers", json=employer_body("97476067"), headers=h)
    assert short.status_code == 422 and "organisation_number" in short.text
    assert client.post("/employers", json=employer_body(ORG_A), headers=h).status_code == 201
    duplicate = client.post("/employers", json=employer_body(ORG_A), headers=h)
    assert duplicate.status_code == 409
    assert client.post("/employers", json=employer_body(ORG_B, sector="romfart"), headers=h).status_code == 422
    with Session(world.engine) as s:
        assert s.exec(select(func.count()).select_from(Employer)).one() == 1


def test_a_week_of_customer_work(client, world, employers, make_candidate):
    h = world.headers["consultant"]
    eid = employers["a"]["id"]
    amina, omar = make_candidate(first_name="Amina"), make_candidate(first_name="Omar")

    person = client.post(f"/employers/{eid}/contacts", json={"name": "Kari Leder", "role": "Daglig leder",
                                                             "phone": "+47 22 00 00 00"}, headers=h).json()
    # Monday: a 12-minute call about both candidates; follow up Wednesday.
    call = client.post(f"/employers/{eid}/log", headers=h, json={
        "kind": "phone", "occurred_at": "2026-11-16T09:30:00+01:00", "duration_minutes": 12,
        "summary": "Presenterte to kandidater", "outcome": "Ønsker CV-er", "next_follow_up": "2026-11-18",
        "contact_person_id": person["id"], "candidate_ids": [amina["id"], omar["id"]]})
    assert call.status_code == 201, call.text
    assert client.get(f"/employers/{eid}", headers=h).json()["status"] == "contacted"  # first contact moves it
    # Tuesday: a meeting with only Amina in mind; follow up next Monday.
    client.post(f"/employers/{eid}/log", headers=h, json={
        "kind": "meeting", "occurred_at": "2026-11-17T13:00:00", "duration_minutes": 90,
        "summary": "Møte på arbeidsplassen", "next_follow_up": "2026-11-23", "candidate_ids": [amina["id"]]})

    due_wed = client.get("/follow-ups?as_of=2026-11-18", headers=h).json()
    assert [d["id"] for d in due_wed] == [call.json()["id"]] and due_wed[0]["days_overdue"] == 0
    due_fri = client.get("/follow-ups?as_of=2026-11-20", headers=h).json()
    assert due_fri[0]["days_overdue"] == 2 and due_fri[0]["employer_name"].startswith("Arbeidsgiver")
    assert client.get("/follow-ups?as_of=2026-11-20", headers=world.headers["admin"]).json() == []  # someone else's
    assert len(client.get("/follow-ups?as_of=2026-11-20&consultant_id=0", headers=world.headers["admin"]).json()) == 1
    client.post(f"/contact-log/{call.json()['id']}/follow-up-done", headers=h)
    assert client.get("/follow-ups?as_of=2026-11-20", headers=h).json() == []
    assert len(client.get("/follow-ups?as_of=2026-11-23", headers=h).json()) == 1

    # Where the employer stands, with history.
    client.post(f"/employers/{eid}/status", json={"status": "in_dialogue", "note": "Flere oppfølginger"}, headers=h)
    client.post(f"/employers/{eid}/status", json={"status": "customer"}, headers=h)
    history = client.get(f"/employers/{eid}/status-history", headers=h).json()
    assert [x["status"] for x in history] == ["customer", "in_dialogue", "contacted", "potential"]
    assert history[0]["changed_by_name"] == "Consultant"

    # Staffing solutions and a standing agreement.
    patched = client.patch(f"/employers/{eid}", json={"wage_subsidy_interest": "yes",
                                                      "work_practice_attitude": "positive"}, headers=h)
    assert patched.json()["wage_subsidy_interest"] == "yes"
    agreement = client.post(f"/employers/{eid}/agreements", headers=h, json={
        "kind": "recurring_recruitment", "description": "Fast rekruttering til renhold", "start": "2026-11-20"})
    assert agreement.status_code == 201

    # Time spent adds up per employer and per candidate (a contact about two is split between them).
    per_employer = client.get("/contact-time?by=employer&date_from=2026-11-16&date_to=2026-11-22", headers=h).json()
    assert per_employer == [{"key": eid, "name": "Arbeidsgiver 974760673", "contacts": 2, "minutes": 102.0}]
    per_candidate = {r["key"]: r["minutes"] for r in client.get("/contact-time?by=candidate", headers=h).json()}
    assert per_candidate == {amina["id"]: 96.0, omar["id"]: 6.0}
    assert client.get("/contact-time?by=employer&date_from=2026-11-17&date_to=2026-11-17", headers=h).json()[0]["minutes"] == 90
    by_consultant = client.get("/contact-time?by=consultant", headers=h).json()
    assert by_consultant[0]["name"] == "Consultant" and by_consultant[0]["minutes"] == 102
    assert [c["kind"] for c in client.get(f"/contact-log?candidate_id={omar['id']}", headers=h).json()] == ["phone"]


@pytest.mark.parametrize(
    ("change", "field"),
    [({"duration_minutes": 0}, "duration_minutes"), ({"kind": "telepathy"}, "kind"),
     ({"candidate_ids": [999]}, "candidate_ids"), ({"contact_person_id": 999}, "contact_person_id"),
     ({"next_follow_up": "2026-11-01"}, "next_follow_up"), ({"summary": ""}, "summary")],
)
def test_bad_contact_log_input_stores_nothing(client, world, employers, change, field):
    body = {"kind": "phone", "occurred_at": "2026-11-16T09:30:00+01:00", "duration_minutes": 5, "summary": "x"}
    body.update(change)
    response = client.post(f"/employers/{employers['a']['id']}/log", json=body, headers=world.headers["consultant"])
    assert response.status_code == 422 and response.json()["field"] == field
    with Session(world.engine) as s:
        assert s.exec(select(func.count()).select_from(ContactLogEntry)).one() == 0


def test_barometer_answers_keep_history_and_give_a_profile(client, world, employers):
    h = world.headers["consultant"]
    eid = employers["a"]["id"]
    questions = client.get("/barometer/questions", headers=h).json()
    assert {q["key"] for q in questions["questions"]} >= {"immigrant_employees", "has_diversity_policy",
                                                          "knew_unemployment_gap"}
    assert client.get(f"/employers/{eid}/barometer/profile", headers=h).json()["level"] == "unknown"
    first = client.post(f"/employers/{eid}/barometer", headers=h, json={
        "asked_on": "2026-03-01", "answers": {"immigrant_employees": 0, "has_diversity_policy": False,
                                              "many_immigrant_applicants": False}})
    assert first.status_code == 201 and first.json()["profile"]["level"] == "none"
    client.post(f"/employers/{eid}/barometer", headers=h, json={
        "asked_on": "2026-11-01", "answers": {"immigrant_employees": 8, "employees_total": 40,
                                              "has_diversity_policy": True, "attitude_to_hiring": 4}})
    rounds = client.get(f"/employers/{eid}/barometer", headers=h).json()
    assert [r["profile"]["level"] for r in rounds] == ["experienced", "none"]  # newest first, both kept
    profile = client.get(f"/employers/{eid}/barometer/profile", headers=h).json()
    assert profile["level"] == "experienced" and profile["based_on_survey"] == "2026-11-01" and profile["rule"]
    overview = client.get("/barometer/overview?by=sector", headers=h).json()
    assert overview == [{"group": "cleaning", "experienced": 1, "some": 0, "none": 0, "unknown": 1}]


@pytest.mark.parametrize(
    ("answers", "field"),
    [({"attitude_to_hiring": 9}, "answers.attitude_to_hiring"), ({"has_diversity_policy": "ja"}, "answers.has_diversity_policy"),
     ({"immigrant_employees": -1}, "answers.immigrant_employees"), ({"favourite_colour": "blå"}, "answers"), ({}, "answers")],
)
def test_bad_barometer_answers_name_the_question(client, world, employers, answers, field):
    response = client.post(f"/employers/{employers['a']['id']}/barometer", headers=world.headers["consultant"],
                           json={"asked_on": "2026-11-01", "answers": answers})
    assert response.status_code == 422 and response.json()["field"] == field
    assert client.get(f"/employers/{employers['a']['id']}/barometer", headers=world.headers["consultant"]).json() == []


def test_discrimination_is_a_dated_fact_only_consultants_see(client, world, employers):
    eid = employers["a"]["id"]
    body = {"observed_on": "2026-11-10", "description": "Sa at de heller ville ha en etnisk norsk kandidat."}
    assert client.post(f"/employers/{eid}/discrimination", json=body, headers=world.headers["consultant"]).status_code == 201
    assert client.get(f"/employers/{eid}/discrimination", headers=world.headers["staff_a"]).status_code == 403
    assert client.get(f"/employers/{eid}/discrimination", headers=employers["a"]["key"]).status_code == 403
    rows = client.get(f"/employers/{eid}/discrimination", headers=world.headers["consultant"]).json()
    assert rows[0]["observed_on"] == "2026-11-10"


def test_register_filters(client, world, employers):
    h = world.headers["consultant"]
    client.post(f"/employers/{employers['b']['id']}/status", json={"status": "customer"}, headers=h)
    assert [e["id"] for e in client.get("/employers?status=customer", headers=h).json()] == [employers["b"]["id"]]
    assert len(client.get("/employers?sector=cleaning&municipality_code=0301", headers=h).json()) == 2
    assert [e["organisation_number"] for e in client.get(f"/employers?search={ORG_A}", headers=h).json()] == [ORG_A]
    assert client.get("/employers/999", headers=h).status_code == 404
