"""Handover (tildeling) to a recruitment partner: consent first, one at a time, ended with a reason,
taken up again ("tatt inn igjen"), ended at once when the consent is withdrawn; consultants belong to
a partner; staff see what the partner is doing."""

from datetime import date

from sqlmodel import Session

from core.types import today as local_today
from matching import service as matching
from tests.conftest import hand_over


def _consent(client, world, cid, partner_id, as_user="staff_a"):
    response = client.post(f"/candidates/{cid}/consents", headers=world.headers[as_user], json={
        "purpose": "share_with_recruiter", "partner_id": partner_id, "given_on": "2026-09-01"})
    assert response.status_code == 201, response.text
    return response.json()


def _history(client, world, cid):
    return client.get(f"/candidates/{cid}/handovers", headers=world.headers["staff_a"]).json()


def test_a_handover_needs_the_consent_to_share_with_that_partner_first(client, world, make_candidate):
    cid = make_candidate(handed_over=False)["id"]
    staff = world.headers["staff_a"]
    refused = client.post(f"/candidates/{cid}/handovers", headers=staff, json={"partner_id": world.partner_a})
    assert refused.status_code == 422
    assert refused.json()["field"] == "partner_id" and "samtykket" in refused.json()["detail"]
    # Consent to share with partner B does not cover partner A.
    _consent(client, world, cid, world.partner_b)
    again = client.post(f"/candidates/{cid}/handovers", headers=staff, json={"partner_id": world.partner_a})
    assert again.status_code == 422 and again.json()["field"] == "partner_id"
    assert _history(client, world, cid) == []
    assert client.get(f"/candidates/{cid}", headers=world.headers["consultant"]).status_code == 403


def test_the_consent_must_name_the_partner(client, world, make_candidate):
    cid = make_candidate(handed_over=False)["id"]
    response = client.post(f"/candidates/{cid}/consents", headers=world.headers["staff_a"], json={
        "purpose": "share_with_recruiter", "given_on": "2026-09-01"})
    assert response.status_code == 422 and response.json()["field"] == "partner_id"
    unknown = client.post(f"/candidates/{cid}/consents", headers=world.headers["staff_a"], json={
        "purpose": "share_with_recruiter", "partner_id": 999, "given_on": "2026-09-01"})
    assert unknown.status_code == 404 and unknown.json()["field"] == "partner_id"


def test_one_standing_handover_at_a_time(client, world, make_candidate):
    cid = make_candidate()["id"]  # handed over to partner A
    _consent(client, world, cid, world.partner_b)
    second = client.post(f"/candidates/{cid}/handovers", headers=world.headers["staff_a"],
                         json={"partner_id": world.partner_b})
    assert second.status_code == 409
    assert second.json()["field"] == "partner_id"
    assert "bare være tildelt én rekrutteringspartner om gangen" in second.json()["detail"]
    assert "Bemanning A AS" in second.json()["detail"]
    same = client.post(f"/candidates/{cid}/handovers", headers=world.headers["staff_a"],
                       json={"partner_id": world.partner_a})
    assert same.status_code == 409
    history = _history(client, world, cid)
    assert len(history) == 1 and history[0]["partner_name"] == "Bemanning A AS" and history[0]["standing"]


def test_taken_back_with_a_reason_and_taken_in_again(client, world, make_candidate):
    cid = make_candidate()["id"]
    staff = world.headers["staff_a"]
    bad = client.post(f"/candidates/{cid}/handovers/end", headers=staff, json={"reason": "consent_withdrawn"})
    assert bad.status_code == 422 and bad.json()["field"] == "reason"
    ended = client.post(f"/candidates/{cid}/handovers/end", headers=staff,
                        json={"reason": "back_to_programme", "note": "Mer norsk først"})
    assert ended.status_code == 200, ended.text
    assert ended.json()["end_reason"] == "back_to_programme" and not ended.json()["standing"]
    nothing = client.post(f"/candidates/{cid}/handovers/end", headers=staff, json={"reason": "other"})
    assert nothing.status_code == 409
    # Now partner B may have the candidate (with consent); flagged as taken back in.
    _consent(client, world, cid, world.partner_b)
    moved = client.post(f"/candidates/{cid}/handovers", headers=staff, json={"partner_id": world.partner_b})
    assert moved.status_code == 201 and moved.json()["taken_back_in"] is True
    history = _history(client, world, cid)
    assert [h["partner_name"] for h in history] == ["Rekruttering B AS", "Bemanning A AS"]
    assert client.get(f"/candidates/{cid}", headers=world.headers["consultant"]).status_code == 403


def test_withdrawing_the_consent_ends_the_handover_at_once(client, world, make_candidate):
    cid = make_candidate()["id"]
    consultant = world.headers["consultant"]
    assert client.get(f"/candidates/{cid}", headers=consultant).status_code == 200
    consent = next(c for c in client.get(f"/candidates/{cid}", headers=world.headers["staff_a"]).json()["consents"]
                   if c["purpose"] == "share_with_recruiter")
    response = client.post(f"/candidates/{cid}/consents/{consent['id']}/withdraw", headers=world.headers["staff_a"])
    assert response.status_code == 200
    history = _history(client, world, cid)
    assert history[0]["end_reason"] == "consent_withdrawn" and not history[0]["standing"]
    assert client.get(f"/candidates/{cid}", headers=consultant).status_code == 403
    assert cid not in [c["id"] for c in client.get("/candidates", headers=consultant).json()]


def test_only_staff_of_the_project_and_admins_hand_over(client, world, make_candidate):
    cid = make_candidate(handed_over=False)["id"]
    _consent(client, world, cid, world.partner_a)
    for who, status in (("consultant", 403), ("staff_b", 403), ("employer", 403)):
        response = client.post(f"/candidates/{cid}/handovers", headers=world.headers[who],
                               json={"partner_id": world.partner_a})
        assert response.status_code == status, (who, response.text)
    assert _history(client, world, cid) == []


def test_consultants_belong_to_a_partner(client, world):
    admin = world.headers["admin"]
    partner = client.post("/partners", headers=admin, json={"name": "Byrå C AS", "organisation_number": "974760673"})
    assert partner.status_code == 201, partner.text
    pid = partner.json()["id"]
    user = client.post("/users", headers=admin, json={"username": "kons.c", "password": "gul-trikk-ved-fjorden",
                                                      "full_name": "Kari C", "role": "consultant", "partner_id": pid})
    assert user.status_code == 201 and user.json()["partner_id"] == pid
    staff = client.post("/users", headers=admin, json={"username": "staff.c", "password": "gul-trikk-ved-fjorden",
                                                       "full_name": "Per C", "role": "staff",
                                                       "project_id": world.project_a, "partner_id": pid})
    assert staff.status_code == 422 and staff.json()["field"] == "partner_id"
    moved = client.put(f"/users/{user.json()['id']}/partner?partner_id={world.partner_a}", headers=admin)
    assert moved.status_code == 200 and moved.json()["partner_id"] == world.partner_a
    names = [p["name"] for p in client.get("/partners", headers=world.headers["staff_a"]).json()]
    assert "Byrå C AS" in names


def test_staff_see_what_the_partner_is_doing(client, world, make_candidate, engine):
    from tests.employers.conftest import employer_body, vacancy_body

    cid = make_candidate()["id"]
    consultant = world.headers["consultant"]
    employer = client.post("/employers", headers=consultant, json=employer_body("974760673")).json()
    vacancy = client.post(f"/employers/{employer['id']}/vacancies", headers=consultant, json=vacancy_body()).json()
    placement = client.post("/placements", headers=consultant, json={"candidate_id": cid, "vacancy_id": vacancy["id"]})
    assert placement.status_code == 201, placement.text
    today = local_today().isoformat()
    for stage in ("presented", "interview_scheduled", "interview_held", "offer"):
        moved = client.post(f"/placements/{placement.json()['id']}/transitions", headers=consultant,
                            json={"to": stage, "on": today})
        assert moved.status_code == 200, moved.text
    activity = client.get(f"/candidates/{cid}/partner-activity", headers=world.headers["staff_a"])
    assert activity.status_code == 200
    body = activity.json()
    assert (body["presented"], body["interviews"], body["offers"]) == (1, 1, 1)
    assert body["placements"][0]["placement"]["stage"] == "offer"
    assert body["placements"][0]["employer_name"] == employer["name"]
    assert client.get(f"/candidates/{cid}/partner-activity", headers=world.headers["staff_b"]).status_code == 403


def test_a_consultants_match_run_takes_only_their_partners_candidates(engine, client, world, make_candidate):
    mine = make_candidate()["id"]
    theirs = make_candidate(handed_over=False)["id"]
    hand_over(client, world, theirs, partner="b")
    with Session(engine) as session:
        run = matching.create_run(session, matching.RunParams(plan_start=date(2027, 1, 1), time_limit=2),
                                  world.principal("consultant"))
        session.commit()
        assert run.params["partner_id"] == world.partner_a
        problem = matching.load_problem(session, matching.RunParams(plan_start=date(2027, 1, 1),
                                                                    partner_id=world.partner_a))
    assert str(mine) in problem.candidates.ids and str(theirs) not in problem.candidates.ids
