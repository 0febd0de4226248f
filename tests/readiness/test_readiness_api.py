import threading
from datetime import UTC, datetime, timedelta

from sqlmodel import Session, select

from core.errors import Conflict
from core.types import today as local_today
from readiness.models import ItemStatusEvent
from readiness.schemas import ItemUpdate
from readiness.scoring import ItemStatusValue
from readiness.service import default_definition_in, set_item_status

TODAY = local_today()


def put(client, world, cid, key, who="staff_a", **body):
    body.setdefault("status", "done")
    if body["status"] == "done":
        body.setdefault("evidence_date", str(TODAY - timedelta(days=1)))
        body.setdefault("document_ref", "Arkiv 26/1")
    return client.put(f"/candidates/{cid}/readiness/{key}", json=body, headers=world.headers[who])


def complete_all(client, world, cid):
    for item in default_definition_in().items:
        assert put(client, world, cid, item.key).status_code == 200


def test_new_candidate_starts_on_step_1_with_everything_missing(client, world, make_candidate):
    c = make_candidate()
    r = client.get(f"/candidates/{c['id']}/readiness", headers=world.headers["staff_a"]).json()
    assert r["score"] == 0 and r["step"] == 1 and not r["formidlingsklar"]
    assert r["step_label"] == "Grunnleggende forberedelser"
    assert len(r["reasons"]) == 10  # nine gates and the score
    assert r["exit_state"] == "unclarified"


def test_ticking_items_moves_the_candidate_to_formidlingsklar(client, world, make_candidate):
    c = make_candidate()
    complete_all(client, world, c["id"])
    r = client.get(f"/candidates/{c['id']}/readiness", headers=world.headers["consultant"]).json()
    assert r["formidlingsklar"] and r["step"] == 6 and r["score"] == 100
    item = next(i for i in r["items"] if i["key"] == "intake_assessment")
    assert item["verified_by"] == "Staff A" and item["document_ref"] == "Arkiv 26/1" and item["version"] == 1
    listed = client.get("/candidates?formidlingsklar=true", headers=world.headers["staff_a"]).json()
    assert [x["id"] for x in listed] == [c["id"]]


def test_consultants_update_readiness_and_employers_cannot_see_it(client, world, make_candidate):
    c = make_candidate()
    assert put(client, world, c["id"], "interview_technique", who="consultant").status_code == 200
    assert put(client, world, c["id"], "interview_technique", who="employer").status_code == 403
    assert client.get(f"/candidates/{c['id']}/readiness", headers=world.headers["employer"]).status_code == 403


def test_evidence_rules_give_422_naming_the_field(client, world, make_candidate):
    c = make_candidate()
    cid = c["id"]
    cases = [
        (put(client, world, cid, "no_such_item"), "item_key"),
        (put(client, world, cid, "intake_assessment", evidence_date=None), "evidence_date"),
        (put(client, world, cid, "intake_assessment", document_ref=""), "document_ref"),
        (put(client, world, cid, "intake_assessment", evidence_date=str(TODAY + timedelta(days=3))), "evidence_date"),
        (put(client, world, cid, "drug_free", status="not_relevant"), "note"),
    ]
    for response, field in cases:
        assert response.status_code == 422, response.text
        assert response.json()["field"] == field
    bad_status = put(client, world, cid, "drug_free", status="halfway")
    assert bad_status.status_code == 422 and "status" in bad_status.text
    history = client.get(f"/candidates/{cid}/readiness/history", headers=world.headers["staff_a"]).json()
    assert history == []  # nothing half-written


def test_every_change_is_kept_in_history(client, world, make_candidate):
    c = make_candidate()
    put(client, world, c["id"], "cv_and_references", status="in_progress")
    put(client, world, c["id"], "cv_and_references", who="consultant")
    history = client.get(f"/candidates/{c['id']}/readiness/history", headers=world.headers["staff_a"]).json()
    assert [(h["status"], h["changed_by"]) for h in history] == [("done", "Consultant"), ("in_progress", "Staff A")]
    assert all(h["definition_version"] == 1 for h in history)


def test_stale_expected_version_is_409(client, world, make_candidate):
    c = make_candidate()
    assert put(client, world, c["id"], "email_attachments", status="in_progress", expected_version=0).status_code == 200
    assert put(client, world, c["id"], "email_attachments", expected_version=1).status_code == 200
    stale = put(client, world, c["id"], "email_attachments", status="in_progress", expected_version=1)
    assert stale.status_code == 409 and stale.json()["field"] == "expected_version"


def test_concurrent_writers_never_silently_lose_an_update(engine, world, make_candidate):
    """Eight writers who all read version 0 race to record the same item: exactly one wins,
    the others get a conflict, and the history holds exactly the winner's change."""
    c = make_candidate()
    barrier = threading.Barrier(8)
    outcomes: list[str] = []

    def writer(n: int) -> None:
        with Session(engine) as s:
            barrier.wait()
            try:
                set_item_status(s, c["id"], "keeps_appointments",
                                ItemUpdate(status="in_progress", note=f"skriver {n}", expected_version=0),
                                world.principal("staff_a"))
                s.commit()
                outcomes.append("ok")
            except Conflict:
                outcomes.append("conflict")

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sorted(outcomes) == ["conflict"] * 7 + ["ok"]
    with Session(engine) as s:
        events = s.exec(select(ItemStatusEvent)).all()
    assert len(events) == 1


def test_a_new_definition_version_never_rewrites_old_assessments(client, world, make_candidate):
    c = make_candidate()
    put(client, world, c["id"], "intake_assessment")
    put(client, world, c["id"], "drug_free")
    v1 = client.get("/readiness/definitions/1", headers=world.headers["staff_a"]).json()

    new = default_definition_in().model_dump(mode="json")
    new["title"] = "Versjon 2: uten rusfri, med digital kompetanse"
    new["items"] = [i for i in new["items"] if i["key"] != "drug_free"] + [
        {"key": "digital_skills", "label": "Digitale ferdigheter", "kind": "weighted", "weight": 3,
         "actor": "candidate", "step": 2}
    ]
    assert client.post("/readiness/definitions", json=new, headers=world.headers["staff_a"]).status_code == 403
    created = client.post("/readiness/definitions", json=new, headers=world.headers["admin"])
    assert created.status_code == 201, created.text
    assert created.json()["version"] == 2

    assert client.get("/readiness/definitions/1", headers=world.headers["staff_a"]).json() == v1
    r = client.get(f"/candidates/{c['id']}/readiness", headers=world.headers["staff_a"]).json()
    keys = {i["key"]: i["status"] for i in r["items"]}
    assert r["definition_version"] == 2
    assert keys["intake_assessment"] == "done" and keys["digital_skills"] == "not_started"
    assert "drug_free" not in keys
    assert put(client, world, c["id"], "drug_free").json().get("field") == "item_key"
    history = client.get(f"/candidates/{c['id']}/readiness/history", headers=world.headers["staff_a"]).json()
    assert {h["item_key"]: h["definition_version"] for h in history} == {"drug_free": 1, "intake_assessment": 1}


def test_definition_with_duplicate_keys_is_rejected(client, world):
    new = default_definition_in().model_dump(mode="json")
    new["items"].append(new["items"][0])
    response = client.post("/readiness/definitions", json=new, headers=world.headers["admin"])
    assert response.status_code == 422 and "intake_assessment" in response.text


def test_documented_progress_between_two_dates(engine, client, world, make_candidate):
    mover = make_candidate(first_name="Mover")
    idle = make_candidate(first_name="Idle")
    other_project = make_candidate("staff_b", "b", first_name="Annen")
    staff = world.principal("admin")

    def record(cid, key, when):
        with Session(engine) as s:
            update = ItemUpdate(status=ItemStatusValue.done, evidence_date=when.date(), document_ref="dok")
            set_item_status(s, cid, key, update, staff, changed_at=when)
            s.commit()

    march = datetime(2026, 3, 10, 12, tzinfo=UTC)
    for key in ("intake_assessment", "vaccinations"):
        record(mover["id"], key, march)
    record(idle["id"], "intake_assessment", march)
    # In June the mover completes step 1 (drug-free) and gets a police certificate (a task before
    # the start, not a step); the other project's candidate ticks one item.
    june = datetime(2026, 6, 5, 9, tzinfo=UTC)
    record(mover["id"], "drug_free", june)
    record(mover["id"], "police_certificate", june)
    record(other_project["id"], "cv_and_references", june)

    def report(query, who="admin"):
        response = client.get(f"/readiness/progress?{query}", headers=world.headers[who])
        assert response.status_code == 200, response.text
        return response.json()

    june_report = report("date_from=2026-06-01&date_to=2026-06-30")
    by_id = {e["candidate_id"]: e for e in june_report["entries"]}
    assert set(by_id) == {mover["id"], other_project["id"]}
    assert by_id[mover["id"]]["step_from"] == 1 and by_id[mover["id"]]["step_to"] == 2
    assert by_id[mover["id"]]["completed_items"] == ["drug_free", "police_certificate"]
    assert by_id[other_project["id"]]["moved_up"] is False
    assert june_report["moved_up_a_step"] == 1 and june_report["completed_items"] == 3

    scoped = report("date_from=2026-06-01&date_to=2026-06-30", who="staff_a")
    assert [e["candidate_id"] for e in scoped["entries"]] == [mover["id"]]
    assert report("date_from=2026-07-01&date_to=2026-07-31")["entries"] == []
    march_report = report(f"date_from=2026-03-01&date_to=2026-03-31&project_id={world.project_a}")
    assert {e["candidate_id"] for e in march_report["entries"]} == {mover["id"], idle["id"]}

    reversed_dates = client.get("/readiness/progress?date_from=2026-06-30&date_to=2026-06-01", headers=world.headers["admin"])
    assert reversed_dates.status_code == 422 and reversed_dates.json()["field"] == "date_to"


def test_overview_counts_candidates_per_step(client, world, make_candidate):
    ready = make_candidate()
    make_candidate(first_name="Ny")
    complete_all(client, world, ready["id"])
    overview = client.get("/readiness/overview", headers=world.headers["staff_a"]).json()
    counts = {s["step"]: s["candidates"] for s in overview["steps"]}
    assert overview["candidates"] == 2 and overview["formidlingsklar"] == 1
    assert counts[1] == 1 and counts[6] == 1
    assert overview["missing_by_actor"]["staff"] == 9  # the new candidate's staff items
