"""The shared plan through the API: goals, tasks with owners on the case, one-click tasks from the
checklist and from "what would unlock more jobs", the history, reviews, and the due lists."""

from dataclasses import dataclass
from datetime import timedelta

from sqlmodel import Session, func, select

from accounts.models import User
from core.types import today as local_today
from matching.models import MatchRun, UnlockSuggestionRow
from plans import service
from plans.models import PlanTask
from plans.schemas import CommentIn, TaskIn
from readiness.service import default_definition_in

TODAY = local_today()


def _plan(client, world, cid, who="staff_a"):
    return client.get(f"/candidates/{cid}/plan", headers=world.headers[who])


def test_one_plan_with_goals_tasks_ticked_and_every_change_in_the_history(client, world, make_candidate):
    cid = make_candidate(contact_person_id=world.users["staff_a"].id)["id"]
    staff = world.headers["staff_a"]
    assert _plan(client, world, cid).json()["exists"] is False
    assert client.post(f"/candidates/{cid}/plan", headers=staff).status_code == 201
    assert client.post(f"/candidates/{cid}/plan", headers=staff).status_code == 200  # one plan per candidate

    for goal in ({"kind": "sector", "sector": "cleaning"}, {"kind": "share", "fte": 80},
                 {"kind": "occupation", "occupation_code": "9112 Renholder"},
                 {"kind": "text", "text": "Fast jobb uten lønnstilskudd innen et år"}):
        assert client.post(f"/candidates/{cid}/plan/goals", json=goal, headers=staff).status_code == 201
    again = client.post(f"/candidates/{cid}/plan/goals", json={"kind": "sector", "sector": "cleaning"}, headers=staff)
    assert again.status_code == 409
    bad = client.post(f"/candidates/{cid}/plan/goals", json={"kind": "sector"}, headers=staff)
    assert bad.status_code == 422 and bad.json()["field"] == "sector"

    mine = client.post(f"/candidates/{cid}/plan/tasks", headers=staff, json={
        "title": "Skrive CV", "owner_kind": "candidate", "due_on": (TODAY + timedelta(days=7)).isoformat()})
    assert mine.status_code == 201, mine.text
    theirs = client.post(f"/candidates/{cid}/plan/tasks", headers=staff, json={
        "title": "Avtale praksisplass", "owner_kind": "staff", "owner_user_id": world.users["staff_a"].id,
        "due_on": (TODAY - timedelta(days=2)).isoformat()}).json()
    assert theirs["owner_name"] == "Staff A" and theirs["overdue"] is True

    ticked = client.post(f"/candidates/{cid}/plan/tasks/{mine.json()['id']}/done", headers=staff,
                         json={"comment": "CV levert i timen"})
    assert ticked.status_code == 200 and ticked.json()["status"] == "done"
    assert [c["text"] for c in ticked.json()["comments"]] == ["CV levert i timen"]

    plan = _plan(client, world, cid).json()
    assert [g["label"] for g in plan["goals"]] == [
        "Bransje: Renhold", "Stillingsandel: 80 % av et årsverk", "Yrke: Renholder",
        "Fast jobb uten lønnstilskudd innen et år"]
    assert [t["title"] for t in plan["tasks"]] == ["Avtale praksisplass", "Skrive CV"]  # open first

    history = client.get(f"/candidates/{cid}/plan/history", headers=staff).json()
    texts = [h["text"] for h in reversed(history)]
    assert texts[0] == "Planen ble laget"
    assert "Nytt mål: Bransje: Renhold" in texts
    assert any(t.startswith("Oppgave ferdig: Skrive CV") for t in texts)
    assert any("«CV levert i timen»" in t for t in texts)
    assert {h["changed_by"] for h in history} == {"Staff A"}


def test_a_task_owner_who_is_not_on_the_case_is_refused_and_nothing_is_stored(client, world, make_candidate, engine):
    cid = make_candidate()["id"]
    staff = world.headers["staff_a"]
    for owner_kind, user in (("staff", "staff_b"), ("staff", "employer"), ("consultant", "staff_a"),
                             ("candidate", "staff_a")):
        answer = client.post(f"/candidates/{cid}/plan/tasks", headers=staff, json={
            "title": "Ringe arbeidsgiver", "owner_kind": owner_kind, "owner_user_id": world.users[user].id})
        assert answer.status_code == 422, (owner_kind, user, answer.text)
        assert answer.json()["field"] == "owner_user_id"
    answer = client.post(f"/candidates/{cid}/plan/tasks", headers=staff, json={
        "title": "Ringe arbeidsgiver", "owner_kind": "staff", "owner_user_id": world.users["staff_b"].id})
    assert "ikke på kandidatens sak" in answer.json()["detail"] and "kontaktpersonen" in answer.json()["detail"]
    with Session(engine) as session:
        assert session.exec(select(func.count()).select_from(PlanTask)).one() == 0
    assert _plan(client, world, cid).json()["exists"] is False  # not even the plan was made
    ok = client.post(f"/candidates/{cid}/plan/tasks", headers=staff, json={
        "title": "Ringe arbeidsgiver", "owner_kind": "consultant", "owner_user_id": world.users["consultant"].id})
    assert ok.status_code == 201


def test_a_missing_checklist_item_becomes_a_task_for_who_must_act_once(client, world, make_candidate):
    cid = make_candidate()["id"]
    staff = world.headers["staff_a"]
    items = {i.key: i for i in default_definition_in().items}
    staff_item = next(k for k, i in items.items() if i.actor.value == "staff")
    candidate_item = next(k for k, i in items.items() if i.actor.value == "candidate")

    first = client.post(f"/candidates/{cid}/plan/tasks/from-checklist/{staff_item}", headers=staff)
    assert first.status_code == 201, first.text
    task = first.json()["task"]
    assert first.json()["created"] is True
    assert task["title"] == items[staff_item].label and task["owner_kind"] == "staff"
    assert task["owner_user_id"] == world.users["staff_a"].id  # the staff member who clicked
    assert task["due_on"] == (TODAY + timedelta(days=14)).isoformat()
    second = client.post(f"/candidates/{cid}/plan/tasks/from-checklist/{staff_item}", headers=staff)
    assert second.status_code == 200 and second.json()["created"] is False
    assert second.json()["task"]["id"] == task["id"]
    own = client.post(f"/candidates/{cid}/plan/tasks/from-checklist/{candidate_item}", headers=staff).json()["task"]
    assert own["owner_kind"] == "candidate" and own["owner_name"] == "Kandidaten"
    assert len(_plan(client, world, cid).json()["tasks"]) == 2

    body = {"status": "done", "evidence_date": TODAY.isoformat(), "document_ref": "Arkiv 1"}
    assert client.put(f"/candidates/{cid}/readiness/{staff_item}", json=body, headers=staff).status_code == 200
    done = client.post(f"/candidates/{cid}/plan/tasks/from-checklist/{staff_item}", headers=staff)
    assert done.status_code == 200  # the open task is still there: no second one
    client.post(f"/candidates/{cid}/plan/tasks/{task['id']}/done", headers=staff)
    gone = client.post(f"/candidates/{cid}/plan/tasks/from-checklist/{staff_item}", headers=staff)
    assert gone.status_code == 422 and gone.json()["field"] == "item_key"
    assert client.post(f"/candidates/{cid}/plan/tasks/from-checklist/no_such_item", headers=staff).status_code == 404


def test_what_would_unlock_more_jobs_becomes_a_task_for_the_candidate_once(client, world, make_candidate, engine):
    cid = make_candidate()["id"]
    with Session(engine) as session:
        run = MatchRun(status="done")
        session.add(run)
        session.flush()
        row = UnlockSuggestionRow(run_id=run.id, candidate_id=cid, kind="certificate", value="truck_licence",
                                  vacancies=7, text="truckførerbevis ville åpnet 7 stillinger til")
        session.add(row)
        session.commit()
        row_id = run_id = row.id
    staff = world.headers["staff_a"]
    first = client.post(f"/candidates/{cid}/plan/tasks/from-suggestion/{row_id}", headers=staff)
    assert first.status_code == 201, first.text
    task = first.json()["task"]
    assert task["title"] == "Skaffe truckførerbevis" and task["owner_kind"] == "candidate"
    assert task["description"] == "Truckførerbevis ville åpnet 7 stillinger til."
    again = client.post(f"/candidates/{cid}/plan/tasks/from-suggestion/{row_id}", headers=staff)
    assert again.status_code == 200 and again.json()["task"]["id"] == task["id"]
    other = make_candidate(first_name="Other")["id"]
    assert client.post(f"/candidates/{other}/plan/tasks/from-suggestion/{run_id}", headers=staff).status_code == 404


def test_edits_keep_the_history_and_a_stale_version_is_refused(client, world, make_candidate):
    cid = make_candidate()["id"]
    staff = world.headers["staff_a"]
    task = client.post(f"/candidates/{cid}/plan/tasks", headers=staff, json={
        "title": "Søke på tre stillinger", "owner_kind": "candidate"}).json()
    changed = client.patch(f"/candidates/{cid}/plan/tasks/{task['id']}", headers=staff, json={
        "owner_kind": "consultant", "owner_user_id": world.users["consultant"].id, "due_on": "2027-01-15",
        "version": task["version"]})
    assert changed.status_code == 200, changed.text
    assert changed.json()["owner_name"] == "Consultant"
    stale = client.patch(f"/candidates/{cid}/plan/tasks/{task['id']}", headers=staff,
                         json={"title": "Noe annet", "version": task["version"]})
    assert stale.status_code == 409
    dropped = client.patch(f"/candidates/{cid}/plan/tasks/{task['id']}", headers=staff, json={"status": "dropped"})
    assert dropped.json()["status"] == "dropped"
    texts = [h["text"] for h in client.get(f"/candidates/{cid}/plan/history", headers=staff).json()]
    assert texts[0] == "Oppgave droppet: Søke på tre stillinger"
    assert texts[1] == ("Oppgave endret: Søke på tre stillinger (Frist: 15.01.2027; Ansvarlig: Kandidaten → "
                        "Consultant)")


def test_staff_of_another_project_see_nothing_of_the_plan(client, world, make_candidate):
    cid = make_candidate()["id"]
    client.post(f"/candidates/{cid}/plan", headers=world.headers["staff_a"])
    assert _plan(client, world, cid, "staff_b").status_code == 403
    assert client.get(f"/candidates/{cid}/plan/history", headers=world.headers["staff_b"]).status_code == 403
    assert client.post(f"/candidates/{cid}/plan/tasks", headers=world.headers["staff_b"],
                       json={"title": "X", "owner_kind": "candidate"}).status_code == 403
    assert _plan(client, world, cid, "employer").status_code == 403


def test_reviews_are_kept_and_the_next_one_is_due_for_the_contact_person(client, world, make_candidate, engine):
    cid = make_candidate(contact_person_id=world.users["staff_a"].id)["id"]
    staff = world.headers["staff_a"]
    future = client.post(f"/candidates/{cid}/plan/reviews", headers=staff, json={
        "held_on": (TODAY + timedelta(days=1)).isoformat()})
    assert future.status_code == 422 and future.json()["field"] == "held_on"
    held = client.post(f"/candidates/{cid}/plan/reviews", headers=staff, json={
        "held_on": (TODAY - timedelta(days=30)).isoformat(), "note": "Enige om renhold",
        "next_review_on": (TODAY - timedelta(days=3)).isoformat()})
    assert held.status_code == 201, held.text
    assert held.json()["review_overdue"] is True and held.json()["reviews"][0]["note"] == "Enige om renhold"
    due = client.get("/plan-reviews/due", headers=staff).json()
    assert [(r["candidate_id"], r["days_overdue"]) for r in due] == [(cid, 3)]
    assert client.get("/plan-reviews/due", headers=world.headers["consultant"]).json() == []


def test_tasks_due_lists_a_users_open_tasks_up_to_a_date_overdue_first(client, world, make_candidate, engine):
    cid = make_candidate(first_name="Due")["id"]
    staff = world.headers["staff_a"]
    me = world.users["staff_a"].id
    ids = {}
    for title, days in (("Om en uke", 7), ("Forfalt", -5), ("I dag", 0), ("Om en måned", 30)):
        ids[title] = client.post(f"/candidates/{cid}/plan/tasks", headers=staff, json={
            "title": title, "owner_kind": "staff", "owner_user_id": me,
            "due_on": (TODAY + timedelta(days=days)).isoformat()}).json()["id"]
    client.post(f"/candidates/{cid}/plan/tasks", headers=staff, json={
        "title": "Kandidatens", "owner_kind": "candidate", "due_on": (TODAY - timedelta(days=9)).isoformat()})
    client.post(f"/candidates/{cid}/plan/tasks/{ids['I dag']}/done", headers=staff)
    with Session(engine) as session:
        due = service.tasks_due(session, me, TODAY + timedelta(days=7))
    assert [(d.title, d.days_overdue, d.candidate_name) for d in due] == [
        ("Forfalt", 5, "Due Hassan"), ("Om en uke", -7, "Due Hassan")]
    answer = client.get("/plan-tasks/due", headers=staff, params={"until": TODAY.isoformat()}).json()
    assert [a["title"] for a in answer] == ["Forfalt"]
    assert client.get("/plan-tasks/due", headers=world.headers["consultant"]).json() == []


@dataclass
class CandidateSelf:
    """A principal bound to one candidate record, as the job seeker's own login (issue 15) will be."""

    candidate_id: int
    role: str = "candidate"
    user_id: int | None = None
    name: str = "Amina Hassan"
    project_id: int | None = None


def test_the_candidate_ticks_and_comments_on_their_own_tasks_only(client, world, make_candidate, engine):
    cid = make_candidate()["id"]
    other = make_candidate(first_name="Annen")["id"]
    staff = world.headers["staff_a"]
    own = client.post(f"/candidates/{cid}/plan/tasks", headers=staff, json={
        "title": "Ta med vitnemål", "owner_kind": "candidate"}).json()["id"]
    staffs = client.post(f"/candidates/{cid}/plan/tasks", headers=staff, json={
        "title": "Bestille tolk", "owner_kind": "staff"}).json()["id"]
    foreign = client.post(f"/candidates/{other}/plan/tasks", headers=staff, json={
        "title": "Annens oppgave", "owner_kind": "candidate"}).json()["id"]
    me = CandidateSelf(cid)
    with Session(engine) as session:
        service.tick_task(session, own, me, "Har levert det")
        service.add_comment(session, cid, own, CommentIn(text="Takk"), me)
        session.commit()
        for task_id in (staffs, foreign):
            try:
                service.tick_task(session, task_id, me)
            except Exception as exc:  # noqa: BLE001
                assert type(exc).__name__ == "Forbidden", exc
            else:
                raise AssertionError("the candidate ticked a task that is not theirs")
        for action in (lambda: service.add_task(session, cid, TaskIn(title="X", owner_kind="candidate"), me),
                       lambda: service.get_plan(session, other, me)):
            try:
                action()
            except Exception as exc:  # noqa: BLE001
                assert type(exc).__name__ == "Forbidden", exc
            else:
                raise AssertionError("the candidate did what only staff may")
        session.rollback()
    plan = _plan(client, world, cid).json()
    task = next(t for t in plan["tasks"] if t["id"] == own)
    assert task["status"] == "done" and [c["written_by"] for c in task["comments"]] == ["Kandidaten", "Kandidaten"]
    history = client.get(f"/candidates/{cid}/plan/history", headers=staff).json()
    assert history[0]["changed_by"] == "Kandidaten"
    assert not any("Amina" in h["changed_by"] for h in history)


def test_people_on_the_case(client, world, make_candidate, engine):
    cid = make_candidate(contact_person_id=world.users["consultant"].id)["id"]
    people = client.get(f"/candidates/{cid}/plan/people", headers=world.headers["staff_a"]).json()
    assert [(p["name"], p["why"]) for p in people] == [("Consultant", "kontaktperson"),
                                                        ("Staff A", "veileder i prosjektet")]
    with Session(engine) as session:
        session.get(User, world.users["staff_a"].id).active = False
        session.commit()
    people = client.get(f"/candidates/{cid}/plan/people", headers=world.headers["admin"]).json()
    assert [p["name"] for p in people] == ["Consultant"]
