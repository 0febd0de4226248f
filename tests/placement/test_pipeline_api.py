"""From proposal to a permanent job and a year of follow-up."""

import pytest

from tests.employers.conftest import employer_body, vacancy_body


@pytest.fixture
def vacancy(client, world):
    h = world.headers["consultant"]
    employer = client.post("/employers", json=employer_body("974760673"), headers=h).json()
    return client.post(f"/employers/{employer['id']}/vacancies", json=vacancy_body(start="2026-01-05"), headers=h).json()


def step(client, world, pid, to, on, **extra):
    return client.post(f"/placements/{pid}/transitions", json={"to": to, "on": on, **extra},
                       headers=world.headers["consultant"])


def test_from_proposal_to_permanent_job_and_follow_up(client, world, make_candidate, vacancy):
    h = world.headers["consultant"]
    c = make_candidate()
    p = client.post("/placements", json={"candidate_id": c["id"], "vacancy_id": vacancy["id"], "on": "2026-01-05"}, headers=h).json()
    assert p["stage"] == "proposed" and "presented" in p["next_stages"]
    for to, on, extra in [("presented", "2026-01-10", {}), ("interview_scheduled", "2026-01-12", {}),
                          ("interview_held", "2026-01-15", {"with_consultant": True}), ("offer", "2026-01-16", {}),
                          ("accepted", "2026-01-17", {}), ("started", "2026-02-01", {"with_wage_subsidy": True, "fte": 50})]:
        response = step(client, world, p["id"], to, on, **extra)
        assert response.status_code == 200, response.text
    started = response.json()
    assert started["started_on"] == "2026-02-01" and started["with_wage_subsidy"] is True and started["fte"] == 50
    assert client.get(f"/candidates/{c['id']}", headers=h).json()["programme_status"] == "in_work"
    readiness = client.get(f"/candidates/{c['id']}/readiness", headers=h).json()
    assert readiness["step"] == 7

    due = client.get("/placement-follow-ups?due_by=2026-05-01", headers=h).json()
    assert [(f["months"], f["due_on"]) for f in due] == [(3, "2026-05-01")]
    done = client.post(f"/placement-follow-ups/{due[0]['id']}", headers=h, json={
        "done_on": "2026-05-02", "still_employed": True, "fte": 50, "with_wage_subsidy": True})
    assert done.status_code == 200 and done.json()["still_employed"] is True
    permanent = step(client, world, p["id"], "permanent", "2026-08-01", fte=80)
    assert permanent.json()["with_wage_subsidy"] is False and permanent.json()["fte"] == 80
    all_follow_ups = client.get("/placement-follow-ups?include_done=true", headers=h).json()
    assert [f["months"] for f in all_follow_ups] == [3, 6, 12] and all_follow_ups[2]["due_on"] == "2027-02-01"
    history = client.get(f"/placements/{p['id']}", headers=world.headers["staff_a"]).json()["events"]
    assert [e["to_stage"] for e in history] == ["proposed", "presented", "interview_scheduled", "interview_held",
                                                "offer", "accepted", "started", "permanent"]
    assert history[3]["with_consultant"] is True and history[1]["recorded_by_name"] == "Consultant"


@pytest.mark.parametrize(
    ("moves", "bad", "status", "field"),
    [([], {"to": "started", "on": "2026-01-10"}, 409, "to"),
     ([("presented", "2026-01-10")], {"to": "accepted", "on": "2026-01-11"}, 409, "to"),
     ([("presented", "2026-01-10")], {"to": "interview_scheduled", "on": "2026-01-09"}, 422, "on"),
     ([], {"to": "chance_lost", "on": "2026-01-10", "reason": "sick"}, 422, "reason"),
     ([], {"to": "rejected", "on": "2026-01-10", "reason": "Ikke aktuell"}, 409, "to"),
     ([("presented", "2026-01-10")], {"to": "rejected", "on": "2026-01-11"}, 422, "reason"),
     ([("chance_lost", "2026-01-10")], {"to": "presented", "on": "2026-01-11"}, 409, "to"),
     ([], {"to": "presented", "on": "2999-01-01"}, 422, "on")],
)
def test_impossible_transitions_are_refused_clearly(client, world, make_candidate, vacancy, moves, bad, status, field):
    c = make_candidate()
    p = client.post("/placements", json={"candidate_id": c["id"], "vacancy_id": vacancy["id"], "on": "2026-01-05"},
                    headers=world.headers["consultant"]).json()
    for to, on in moves:
        extra = {"reason": "declined"} if to == "chance_lost" else {}
        assert step(client, world, p["id"], to, on, **extra).status_code == 200
    response = step(client, world, p["id"], **bad)
    assert response.status_code == status, response.text
    assert response.json()["field"] == field
    after = client.get(f"/placements/{p['id']}", headers=world.headers["consultant"]).json()
    assert len(after["events"]) == 1 + len(moves)  # nothing half-written


def test_staff_follow_their_own_candidates_but_do_not_move_the_pipeline(client, world, make_candidate, vacancy):
    mine, theirs = make_candidate(), make_candidate("staff_b", "b")
    for c in (mine, theirs):
        client.post("/placements", json={"candidate_id": c["id"], "vacancy_id": vacancy["id"], "on": "2026-01-05"},
                    headers=world.headers["consultant"])
    seen = client.get("/placements", headers=world.headers["staff_a"]).json()
    assert [p["candidate_id"] for p in seen] == [mine["id"]]
    assert step(client, world, seen[0]["id"], "presented", "2026-01-10").status_code == 200
    staff_move = client.post(f"/placements/{seen[0]['id']}/transitions", json={"to": "interview_scheduled",
                             "on": "2026-01-11"}, headers=world.headers["staff_a"])
    assert staff_move.status_code == 403
    assert client.get("/placements", headers=world.headers["employer"]).status_code == 403


def test_candidate_events_and_work_practice(client, world, make_candidate, vacancy):
    c = make_candidate()
    h = world.headers["staff_a"]
    need = client.post(f"/candidates/{c['id']}/events", json={"kind": "need_uncovered", "on": "2026-01-05",
                                                               "detail": "norwegian"}, headers=h)
    assert need.status_code == 201
    no_detail = client.post(f"/candidates/{c['id']}/events", json={"kind": "need_uncovered", "on": "2026-01-05"}, headers=h)
    assert no_detail.status_code == 422 and "detail" in no_detail.text
    removed = client.post(f"/candidates/{c['id']}/events", json={"kind": "removed_from_process", "on": "2026-01-06",
                                                                 "note": "Flytter"}, headers=h)
    assert removed.status_code == 201
    assert client.get(f"/candidates/{c['id']}", headers=h).json()["programme_status"] == "paused"
    client.post(f"/candidates/{c['id']}/events", json={"kind": "taken_back_in", "on": "2026-02-01"}, headers=h)
    assert client.get(f"/candidates/{c['id']}", headers=h).json()["programme_status"] == "active"
    practice = client.post(f"/candidates/{c['id']}/work-practice", headers=h, json={
        "employer_id": vacancy["employer_id"], "kind": "wage_subsidy", "start": "2026-03-01", "end": "2026-08-31",
        "subsidy_percent": 50})
    assert practice.status_code == 201
    missing = client.post(f"/candidates/{c['id']}/work-practice", headers=h, json={
        "employer_id": vacancy["employer_id"], "kind": "wage_subsidy", "start": "2026-03-01"})
    assert missing.status_code == 422 and "subsidy_percent" in missing.text
    assert [e["kind"] for e in client.get(f"/candidates/{c['id']}/events", headers=h).json()] == [
        "need_uncovered", "removed_from_process", "taken_back_in"]


def test_accepting_a_proposal_opens_the_placement(engine, client, world, make_candidate, vacancy):
    c = make_candidate()
    decision = client.post("/match-decisions", json={"candidate_id": c["id"], "vacancy_id": vacancy["id"],
                                                     "decision": "accept"}, headers=world.headers["consultant"])
    assert decision.status_code == 201
    placements = client.get(f"/placements?candidate_id={c['id']}", headers=world.headers["consultant"]).json()
    assert [(p["vacancy_id"], p["stage"]) for p in placements] == [(vacancy["id"], "proposed")]
