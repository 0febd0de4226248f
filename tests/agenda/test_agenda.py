"""The consultant's day through the API: present (with a vacancy or unsolicited), record the employer's
answer, schedule an interview (two tasks follow), make a task, see it all in the agenda and tick it off,
and subscribe to the agenda as an iCalendar feed that a calendar program can read."""

from datetime import date, datetime, timedelta

import pytest
from icalendar import Calendar

from core.types import LOCAL_TZ
from core.types import today as local_today
from tests.employers.conftest import employer_body, vacancy_body


@pytest.fixture
def day(client, world, make_candidate):
    h = world.headers["consultant"]
    employer = client.post("/employers", json=employer_body("974760673", name="Renhold Øst AS"), headers=h).json()
    vacancy = client.post(f"/employers/{employer['id']}/vacancies", json=vacancy_body(), headers=h).json()
    candidate = make_candidate(first_name="Amina", last_name="Hassan", email="amina@example.no",
                               consents=[{"purpose": "presentation_to_employers", "given_on": "2026-10-01"}])
    return dict(h=h, employer=employer["id"], vacancy=vacancy["id"], candidate=candidate["id"])


def _placement(client, d):
    rows = client.get(f"/placements?candidate_id={d['candidate']}", headers=d["h"]).json()
    return rows[0] if rows else None


def _future(days: int, hour: int = 10) -> datetime:
    return datetime.combine(local_today() + timedelta(days=days), datetime.min.time(), tzinfo=LOCAL_TZ).replace(hour=hour)


def test_presenting_for_a_vacancy_puts_the_candidate_on_its_list_and_not_now_closes_it(client, day):
    d = day
    answer = client.post("/presentations", headers=d["h"], json={
        "candidate_id": d["candidate"], "vacancy_id": d["vacancy"], "fields": ["norwegian_level"], "summary": "Punktlig"})
    assert answer.status_code == 201, answer.text
    assert _placement(client, d)["stage"] == "presented"
    answer = client.post(f"/presentations/{answer.json()['id']}/answer", headers=d["h"], json={
        "answer": "not_now", "answer_on": local_today().isoformat(), "answer_reason": "position_filled",
        "answer_note": "Ring i mars"})
    assert answer.status_code == 200, answer.text
    assert answer.json()["answer"] == "not_now" and answer.json()["answer_reason"] == "position_filled"
    placement = _placement(client, d)
    assert placement["stage"] == "rejected"
    assert "Stillingen er besatt: Ring i mars" in placement["events"][-1]["reason"]


def test_an_unsolicited_presentation_names_the_employer_and_a_not_now_needs_a_reason(client, day):
    d = day
    missing = client.post("/presentations", headers=d["h"], json={
        "candidate_id": d["candidate"], "fields": ["languages"]})
    assert missing.status_code == 422 and "arbeidsgiver" in missing.text
    row = client.post("/presentations", headers=d["h"], json={
        "candidate_id": d["candidate"], "employer_id": d["employer"], "fields": ["languages"]}).json()
    assert row["vacancy_id"] is None and row["employer_id"] == d["employer"]
    assert _placement(client, d) is None  # no vacancy, no candidate list
    no_reason = client.post(f"/presentations/{row['id']}/answer", headers=d["h"], json={
        "answer": "not_now", "answer_on": local_today().isoformat()})
    assert no_reason.status_code == 422 and "answer_reason" in no_reason.text
    # The employer wants an interview for its vacancy: the candidate enters that list as presented.
    wants = client.post(f"/presentations/{row['id']}/answer", headers=d["h"], json={
        "answer": "wants_interview", "answer_on": local_today().isoformat(), "vacancy_id": d["vacancy"],
        "proposed_times": [_future(5).isoformat(), _future(4).isoformat()]})
    assert wants.status_code == 200, wants.text
    assert [datetime.fromisoformat(t) for t in wants.json()["proposed_times"]] == [_future(4), _future(5)]
    assert _placement(client, d)["stage"] == "presented"


def test_scheduling_an_interview_adds_two_tasks_to_the_agenda_and_ticking_one_off(client, day):
    d = day
    client.post("/presentations", headers=d["h"], json={
        "candidate_id": d["candidate"], "vacancy_id": d["vacancy"], "fields": ["norwegian_level"]})
    placement = _placement(client, d)
    past = client.post(f"/placements/{placement['id']}/interviews", headers=d["h"], json={
        "starts_at": "2020-01-01T10:00:00", "place": "Storgata 1"})
    assert past.status_code == 422 and "fram i tid" in past.text
    when = _future(3)
    answer = client.post(f"/placements/{placement['id']}/interviews", headers=d["h"], json={
        "starts_at": when.replace(tzinfo=None).isoformat(), "place": "Storgata 1", "consultant_attends": True})
    assert answer.status_code == 201, answer.text
    assert datetime.fromisoformat(answer.json()["starts_at"]) == when  # a time without zone is Norwegian time
    assert _placement(client, d)["stage"] == "interview_scheduled"

    agenda = client.get(f"/agenda?start={local_today().isoformat()}&end={(local_today() + timedelta(days=6)).isoformat()}",
                        headers=d["h"]).json()
    shown = [(i["kind"], i["title"], i["day"]) for i in agenda]
    assert ("task", "Forbered kandidaten", (when.date() - timedelta(days=1)).isoformat()) in shown
    assert ("interview", "Intervju (du blir med)", when.date().isoformat()) in shown
    assert ("task", "Ring begge etterpå", (when.date() + timedelta(days=1)).isoformat()) in shown
    assert {i["candidate_name"] for i in agenda} == {"Amina Hassan"}

    task = next(i for i in agenda if i["title"] == "Forbered kandidaten")
    done = client.post(f"/tasks/{task['id']}/done", headers=d["h"], json={"note": "Gikk gjennom spørsmål"})
    assert done.status_code == 200 and done.json()["done_at"]
    again = client.post(f"/tasks/{task['id']}/done", headers=d["h"])
    assert again.status_code == 409
    assert [t["title"] for t in client.get("/tasks", headers=d["h"]).json()] == ["Ring begge etterpå"]


def test_a_task_by_hand_and_its_rules(client, world, day):
    d = day
    nobody = client.post("/tasks", headers=d["h"], json={"title": "Ring", "due_on": local_today().isoformat()})
    assert nobody.status_code == 422 and "kandidat eller en arbeidsgiver" in nobody.text
    yesterday = client.post("/tasks", headers=d["h"], json={
        "title": "Ring", "due_on": (local_today() - timedelta(days=1)).isoformat(), "employer_id": d["employer"]})
    assert yesterday.status_code == 422 and "passert" in yesterday.text
    made = client.post("/tasks", headers=d["h"], json={
        "title": "Ring om vikarbehov", "due_on": local_today().isoformat(), "employer_id": d["employer"]})
    assert made.status_code == 201
    # Another person's task is not there for them.
    assert client.post(f"/tasks/{made.json()['id']}/done", headers=world.headers["staff_a"]).status_code == 404


def test_the_calendar_feed_is_valid_icalendar_with_initials_only_and_can_be_revoked(client, day):
    d = day
    client.post("/presentations", headers=d["h"], json={
        "candidate_id": d["candidate"], "vacancy_id": d["vacancy"], "fields": ["norwegian_level"]})
    placement = _placement(client, d)
    when = _future(2, hour=13)
    client.post(f"/placements/{placement['id']}/interviews", headers=d["h"], json={
        "starts_at": when.isoformat(), "place": "Storgata 1, Oslo", "notes": "Hemmelig notat"})
    created = client.post("/calendar-feed", headers=d["h"])
    assert created.status_code == 201
    url = created.json()["url"]
    assert url.startswith("http") and url.endswith(".ics")
    path = "/" + url.split("/", 3)[3]

    answer = client.get(path)  # no login: the address is the key
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/calendar")
    cal = Calendar.from_ical(answer.content)
    assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == ["Europe/Oslo"]
    events = cal.walk("VEVENT")
    assert len(events) == 3
    assert len({str(e["UID"]) for e in events}) == 3 and all("DTSTAMP" in e for e in events)
    interview = next(e for e in events if str(e["SUMMARY"]).startswith("Intervju"))
    assert interview.decoded("DTSTART") == when and str(interview["DTSTART"].params["TZID"]) == "Europe/Oslo"
    assert str(interview["LOCATION"]) == "Storgata 1, Oslo"
    assert str(interview["SUMMARY"]) == "Intervju – A.H., Renhold Øst AS"
    tasks = sorted((e for e in events if e is not interview), key=lambda e: e.decoded("DTSTART"))
    assert [e.decoded("DTSTART") for e in tasks] == [when.date() - timedelta(days=1), when.date() + timedelta(days=1)]
    assert all(type(e.decoded("DTSTART")) is date for e in tasks)  # all-day
    text = answer.content.decode()
    for secret in ("Amina", "Hassan", "amina@example.no", "Hemmelig notat"):
        assert secret not in text

    # A new address replaces the old; revoking ends it.
    second = client.post("/calendar-feed", headers=d["h"]).json()["url"]
    assert client.get(path).status_code == 404
    assert client.delete("/calendar-feed", headers=d["h"]).status_code == 204
    assert client.get("/" + second.split("/", 3)[3]).status_code == 404


def test_the_owners_plan_tasks_are_on_their_agenda_overdue_ones_too(client, world, make_candidate, engine):
    from sqlmodel import Session

    from agenda import service

    cid = make_candidate(first_name="Plan")["id"]
    staff, me = world.headers["staff_a"], world.principal("staff_a")
    today = local_today()
    for title, days in (("Søk tre jobber", 2), ("Hent vitnemål", -3), ("Neste måned", 30)):
        assert client.post(f"/candidates/{cid}/plan/tasks", headers=staff, json={
            "title": title, "owner_kind": "staff", "owner_user_id": me.user_id,
            "due_on": (today + timedelta(days=days)).isoformat()}).status_code == 201
    with Session(engine) as session:
        week = service.agenda_items(session, me, *service.period("uke", today))
        later = service.agenda_items(session, me, today + timedelta(days=7), today + timedelta(days=13))
    assert [(i.kind, i.title, i.overdue) for i in week] == [
        ("plan_task", "Hent vitnemål", True), ("plan_task", "Søk tre jobber", False)]
    assert later == []  # a span that does not reach today leaves the overdue one out
    # A plan review of a candidate the person is contact person for is on their agenda too.
    assert client.patch(f"/candidates/{cid}", headers=staff, json={
        "contact_person_id": me.user_id, "version": client.get(f"/candidates/{cid}", headers=staff).json()["version"]
    }).status_code == 200
    assert client.post(f"/candidates/{cid}/plan/reviews", headers=staff, json={
        "held_on": today.isoformat(), "note": "Gikk gjennom målene",
        "next_review_on": (today + timedelta(days=3)).isoformat()}).status_code == 201
    with Session(engine) as session:
        week = service.agenda_items(session, me, *service.period("uke", today))
    assert ("plan_review", "Gjennomgang av handlingsplanen") in [(i.kind, i.title) for i in week]
    with pytest.raises(Exception, match="før startdatoen"):
        with Session(engine) as session:
            service.agenda_items(session, me, today, today - timedelta(days=1))


def test_odd_dates_are_told_in_norwegian_never_a_server_error(client, world, day):
    d = day
    assert client.get("/agenda?start=9999-12-31", headers=d["h"]).status_code == 422
    assert client.get("/agenda?start=2026-12-10&end=2026-12-01", headers=d["h"]).status_code == 422
    far = client.post("/tasks", headers=d["h"], json={"title": "Ring", "due_on": "9999-12-31", "employer_id": d["employer"]})
    assert far.status_code == 422
    client.post("/presentations", headers=d["h"], json={
        "candidate_id": d["candidate"], "vacancy_id": d["vacancy"], "fields": ["norwegian_level"]})
    placement = _placement(client, d)
    late = client.post(f"/placements/{placement['id']}/interviews", headers=d["h"], json={
        "starts_at": "9999-12-31T23:00:00-12:00", "place": "Storgata 1"})
    assert late.status_code == 422 and "to år" in late.text
    login = client.post("/auth/token", data={"username": "consultant", "password": "riktig-passord-123"}).json()
    client.cookies.set("brobygger_session", login["access_token"])
    assert client.get("/app/agenda?periode=uke&dag=31.12.9999").status_code == 200
    assert client.get("/app/agenda?periode=uke&dag=tull").status_code == 200
    client.cookies.clear()
