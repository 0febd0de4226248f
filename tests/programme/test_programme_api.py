"""Referral and intake, exits kept apart as completed or interrupted, obstacles (arenarydding), and
their bad input: a clear 4xx naming the field, nothing stored."""

from datetime import datetime, timedelta

from sqlmodel import Session, select

from candidates.models import Candidate
from programme.models import Obstacle, ProgrammeExit, Referral


def _refer(client, headers, **overrides):
    body = {"first_name": "Leyla", "last_name": "Ahmed", "referrer_kind": "nav_office",
            "referrer_name": "NAV Grünerløkka", "referred_on": "2026-10-01", "criteria_met": ["age", "residence"]}
    return client.post("/referrals", headers=headers, json=body | overrides)


def test_referral_registers_the_person_in_intake_and_admission_starts_the_programme(client, world):
    staff = world.headers["staff_a"]
    r = _refer(client, staff, interview_on="2026-10-05", interview_note="Motivert, har barnehageplass")
    assert r.status_code == 201, r.text
    referral = r.json()
    assert referral["decision"] == "pending" and referral["candidate_name"] == "Leyla Ahmed"
    assert referral["criteria"]["age"] is True and referral["criteria"]["social_assistance"] is False
    cid = referral["candidate_id"]
    assert client.get(f"/candidates/{cid}", headers=staff).json()["programme_status"] == "intake"
    decided = client.post(f"/referrals/{referral['id']}/decision", headers=staff, json={
        "decision": "admitted", "decided_on": "2026-10-10", "start_on": "2026-11-01"})
    assert decided.status_code == 200 and decided.json()["start_on"] == "2026-11-01"
    assert client.get(f"/candidates/{cid}", headers=staff).json()["programme_status"] == "active"
    # decided once: a second decision is refused, naming the field
    again = client.post(f"/referrals/{referral['id']}/decision", headers=staff, json={
        "decision": "refused", "decided_on": "2026-10-11", "refusal_reason": "no_show"})
    assert again.status_code == 409 and again.json()["field"] == "decision"
    # other projects' staff never see it
    assert client.get(f"/referrals/{referral['id']}", headers=world.headers["staff_b"]).status_code == 403
    assert client.get("/referrals", headers=world.headers["staff_b"]).json() == []
    assert client.get("/referrals", headers=world.headers["consultant"]).status_code == 403


def test_every_decision_and_its_bad_input(client, world, engine):
    staff = world.headers["staff_a"]
    ids = [_refer(client, staff, first_name=f"P{i}").json()["id"] for i in range(3)]

    def decide(rid, **body):
        return client.post(f"/referrals/{rid}/decision", headers=staff, json=body)

    no_start = decide(ids[0], decision="admitted", decided_on="2026-10-10")
    assert no_start.status_code == 422 and no_start.json()["field"] == "start_on"
    no_reason = decide(ids[1], decision="refused", decided_on="2026-10-10")
    assert no_reason.status_code == 422 and no_reason.json()["field"] == "refusal_reason"
    unknown = decide(ids[1], decision="refused", decided_on="2026-10-10", refusal_reason="lazy")
    assert unknown.status_code == 422 and unknown.json()["field"] == "refusal_reason"
    other_no_text = decide(ids[1], decision="refused", decided_on="2026-10-10", refusal_reason="other")
    assert other_no_text.status_code == 422 and other_no_text.json()["field"] == "refusal_text"
    before = decide(ids[1], decision="refused", decided_on="2026-09-01", refusal_reason="no_show")
    assert before.status_code == 422 and before.json()["field"] == "decided_on"
    with Session(engine) as s:  # nothing half-written
        assert all(r.decision == "pending" for r in s.exec(select(Referral)))
    assert decide(ids[1], decision="refused", decided_on="2026-10-10", refusal_reason="short_residence").status_code == 200
    assert decide(ids[2], decision="waiting_list", decided_on="2026-10-10").status_code == 200
    assert decide(ids[2], decision="admitted", decided_on="2026-10-20", start_on="2026-11-01").status_code == 200
    decisions = {r["id"]: r["decision"] for r in client.get("/referrals", headers=staff).json()}
    assert decisions == {ids[0]: "pending", ids[1]: "refused", ids[2]: "admitted"}
    assert [r["id"] for r in client.get("/referrals?decision=refused", headers=staff).json()] == [ids[1]]


def test_refused_and_never_admitted_people_follow_the_retention_rule(client, world, engine):
    from privacy.service import retention_due

    staff = world.headers["staff_a"]
    refused = _refer(client, staff, first_name="Avslått").json()
    client.post(f"/referrals/{refused['id']}/decision", headers=staff, json={
        "decision": "refused", "decided_on": "2026-10-02", "refusal_reason": "moved"})
    admitted = _refer(client, staff, first_name="Inntatt").json()
    client.post(f"/referrals/{admitted['id']}/decision", headers=staff, json={
        "decision": "admitted", "decided_on": "2026-10-02", "start_on": "2026-10-05"})
    with Session(engine) as s:  # both registered a year before they were referred
        for cid in (refused["candidate_id"], admitted["candidate_id"]):
            s.get(Candidate, cid).created_at = datetime.fromisoformat("2025-09-01T10:00:00+02:00")
        s.commit()
        decided = datetime.fromisoformat("2026-10-02T00:00:00+02:00")
        # counted from the latest referral or decision, not from the registration
        early = dict(retention_due(s, now=decided + timedelta(days=100), intake_days=180, inactive_days=3650))
        assert refused["candidate_id"] not in early
        due = dict(retention_due(s, now=datetime.now(decided.tzinfo) + timedelta(days=181), intake_days=180,
                                 inactive_days=3650))
        assert refused["candidate_id"] in due and admitted["candidate_id"] not in due


def test_exits_are_completed_or_interrupted_and_a_reason_from_the_wrong_group_is_refused(client, world, make_candidate, engine):
    staff = world.headers["staff_a"]
    cid = make_candidate()["id"]
    wrong = client.post(f"/candidates/{cid}/exits", headers=staff, json={
        "on": "2026-10-01", "outcome": "completed", "reason": "childbirth"})
    assert wrong.status_code == 422 and wrong.json()["field"] == "reason"
    assert "avbrutt" in wrong.json()["detail"]
    wrong_other_way = client.post(f"/candidates/{cid}/exits", headers=staff, json={
        "on": "2026-10-01", "outcome": "interrupted", "reason": "to_work"})
    assert wrong_other_way.status_code == 422 and wrong_other_way.json()["field"] == "reason"
    other = client.post(f"/candidates/{cid}/exits", headers=staff, json={
        "on": "2026-10-01", "outcome": "interrupted", "reason": "other"})
    assert other.status_code == 422 and other.json()["field"] == "reason_text"
    with Session(engine) as s:
        assert s.exec(select(ProgrammeExit)).all() == []
        assert s.get(Candidate, cid).programme_status == "active"
    ok = client.post(f"/candidates/{cid}/exits", headers=staff, json={
        "on": "2026-10-01", "outcome": "completed", "reason": "to_education"})
    assert ok.status_code == 201
    assert client.get(f"/candidates/{cid}", headers=staff).json()["programme_status"] == "completed"
    assert [x["reason"] for x in client.get(f"/candidates/{cid}/exits", headers=staff).json()] == ["to_education"]
    assert client.post(f"/candidates/{cid}/exits", headers=world.headers["consultant"], json={
        "on": "2026-10-02", "outcome": "interrupted", "reason": "moved"}).status_code == 403


def test_obstacles_health_is_only_that_it_exists(client, world, make_candidate, engine):
    staff, consultant = world.headers["staff_a"], world.headers["consultant"]
    cid = make_candidate()["id"]
    details = client.post(f"/candidates/{cid}/obstacles", headers=staff, json={
        "kind": "health", "found_on": "2026-10-01", "owner": "candidate", "note": "Ryggsmerter"})
    assert details.status_code == 422 and details.json()["field"] == "note"
    with Session(engine) as s:
        assert s.exec(select(Obstacle)).all() == []
    health = client.post(f"/candidates/{cid}/obstacles", headers=staff, json={
        "kind": "health", "found_on": "2026-10-01", "owner": "candidate"}).json()
    childcare = client.post(f"/candidates/{cid}/obstacles", headers=consultant, json={
        "kind": "childcare", "found_on": "2026-10-02", "owner": "other_service", "note": "Venter på barnehageplass"})
    assert childcare.status_code == 201
    early = client.post(f"/candidates/{cid}/obstacles/{health['id']}/resolve", headers=staff,
                        json={"resolved_on": "2026-09-01"})
    assert early.status_code == 422 and early.json()["field"] == "resolved_on"
    done = client.post(f"/candidates/{cid}/obstacles/{health['id']}/resolve", headers=staff, json={"resolved_on": "2026-11-01"})
    assert done.status_code == 200 and done.json()["resolved_on"] == "2026-11-01"
    shown = client.get(f"/candidates/{cid}/obstacles", headers=staff).json()
    assert [(o["kind"], o["resolved_on"]) for o in shown] == [("health", "2026-11-01"), ("childcare", None)]
    assert client.get(f"/candidates/{cid}/obstacles", headers=world.headers["staff_b"]).status_code == 403


def test_code_lists_are_versioned_and_old_records_keep_their_version(client, world, make_candidate):
    admin, staff = world.headers["admin"], world.headers["staff_a"]
    active = client.get("/programme/codes/active", headers=staff).json()
    assert active["version"] == 1
    assert {c["key"] for c in active["codes"] if c["kind"] == "refusal"} >= {
        "referred_elsewhere", "found_work_or_education", "self_supporting", "no_show", "moved", "no_childcare",
        "disability_benefit", "short_residence", "short_social_assistance", "no_need", "other"}
    cid = make_candidate()["id"]
    client.post(f"/candidates/{cid}/exits", headers=staff, json={"on": "2026-10-01", "outcome": "completed",
                                                                  "reason": "to_work"})
    new = client.post("/programme/codes", headers=admin, json={"codes": [
        {"kind": "refusal", "key": "no_need", "label": "Ikke behov"},
        {"kind": "completed", "key": "to_work", "label": "Til arbeid"},
        {"kind": "interrupted", "key": "moved", "label": "Flyttet"}]})
    assert new.status_code == 201 and new.json()["version"] == 2
    assert client.post("/programme/codes", headers=staff, json={"codes": []}).status_code == 403
    assert [v["version"] for v in client.get("/programme/codes", headers=staff).json()] == [1, 2]
    assert client.get(f"/candidates/{cid}/exits", headers=staff).json()[0]["code_list_version"] == 1
    # local criteria: a project adds its own, and a referral is assessed against both
    assert client.post(f"/projects/{world.project_a}/intake-criteria", headers=staff,
                       json={"key": "lives_in_oslo", "label": "Bor i Oslo"}).status_code == 201
    assert client.post(f"/projects/{world.project_b}/intake-criteria", headers=staff,
                       json={"key": "x", "label": "X"}).status_code == 403
    r = _refer(client, staff, criteria_met=["lives_in_oslo"]).json()
    assert r["criteria"]["lives_in_oslo"] is True
    bad = _refer(client, staff, criteria_met=["unknown_rule"])
    assert bad.status_code == 422 and bad.json()["field"] == "criteria_met"
