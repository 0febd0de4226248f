"""The consultant's day through the API: an interview called ahead of its date, a start with its period,
contacts with candidates alone and general employer contacts, counted in time and in the report."""

from datetime import timedelta

from core.types import today as local_today
from tests.employers.conftest import employer_body, vacancy_body


def _placement(client, world, make_candidate, **candidate):
    h = world.headers["consultant"]
    employer = client.post("/employers", json=employer_body("974760673"), headers=h).json()
    vacancy = client.post(f"/employers/{employer['id']}/vacancies", json=vacancy_body(start="2026-01-05"),
                          headers=h).json()
    c = make_candidate(**candidate)
    p = client.post("/placements", json={"candidate_id": c["id"], "vacancy_id": vacancy["id"], "on": "2026-01-05"},
                    headers=h).json()
    return c, employer, p


def step(client, world, pid, to, on, **extra):
    return client.post(f"/placements/{pid}/transitions", json={"to": to, "on": str(on), **extra},
                       headers=world.headers["consultant"])


def test_an_interview_is_called_to_ahead_of_its_date_but_held_only_when_it_has_happened(client, world, make_candidate):
    _, _, p = _placement(client, world, make_candidate)
    soon = local_today() + timedelta(days=5)
    assert step(client, world, p["id"], "presented", local_today()).status_code == 200
    scheduled = step(client, world, p["id"], "interview_scheduled", soon)
    assert scheduled.status_code == 200, scheduled.text
    held = step(client, world, p["id"], "interview_held", soon, with_consultant=True)
    assert held.status_code == 422 and held.json()["field"] == "on"
    assert "fremtiden" in held.json()["detail"]


def test_a_start_with_an_end_date_holds_the_job_for_that_period_and_sets_up_follow_ups(client, world, make_candidate):
    c, _, p = _placement(client, world, make_candidate)
    for to, on in [("presented", "2026-01-10"), ("offer", "2026-01-16"), ("accepted", "2026-01-17")]:
        assert step(client, world, p["id"], to, on).status_code == 200
    wrong = step(client, world, p["id"], "accepted", "2026-01-18", end="2026-06-30")
    assert wrong.status_code == 422
    early = step(client, world, p["id"], "started", "2026-02-01", end="2026-01-31")
    assert early.status_code == 422 and early.json()["field"] == "end"
    started = step(client, world, p["id"], "started", "2026-02-01", fte=60, with_wage_subsidy=True, end="2026-07-31")
    assert started.status_code == 200, started.text
    jobs = client.get(f"/candidates/{c['id']}/jobs", headers=world.headers["consultant"]).json()["jobs"]
    assert [(j["fte"], j["start"], j["end"]) for j in jobs] == [(60, "2026-02-01", "2026-07-31")]
    due = client.get("/placement-follow-ups?include_done=true", headers=world.headers["consultant"]).json()
    assert [(f["months"], f["due_on"]) for f in due] == [(3, "2026-05-01"), (6, "2026-08-01"), (12, "2027-02-01")]


def test_the_refusal_names_the_stages_in_norwegian(client, world, make_candidate):
    _, _, p = _placement(client, world, make_candidate)
    response = step(client, world, p["id"], "started", "2026-01-10")
    assert response.status_code == 409
    assert "«foreslått» til «begynt»" in response.json()["detail"] and "started" not in response.json()["detail"]


def test_contacts_with_a_candidate_alone_and_general_employer_contacts(client, world, make_candidate):
    h = world.headers["consultant"]
    c, employer, p = _placement(client, world, make_candidate)
    call = client.post("/contact-log", headers=h, json={
        "kind": "sms", "occurred_at": "2026-01-12T09:00:00+01:00", "duration_minutes": 4,
        "summary": "Minnet på intervjuet", "candidate_ids": [c["id"]]})
    assert call.status_code == 201, call.text
    assert call.json()["employer_id"] is None and call.json()["candidate_ids"] == [c["id"]]
    general = client.post("/contact-log", headers=h, json={
        "kind": "visit", "occurred_at": "2026-01-13T09:00:00+01:00", "duration_minutes": 60,
        "summary": "Omvisning", "employer_id": employer["id"]})
    assert general.status_code == 201 and general.json()["candidate_ids"] == []
    nobody = client.post("/contact-log", headers=h, json={
        "kind": "phone", "occurred_at": "2026-01-13T10:00:00+01:00", "duration_minutes": 5, "summary": "?"})
    assert nobody.status_code == 422 and nobody.json()["field"] == "candidate_ids"
    by_candidate = client.get("/contact-time?by=candidate", headers=h).json()
    by_employer = client.get("/contact-time?by=employer", headers=h).json()
    assert [(r["key"], r["minutes"]) for r in by_candidate] == [(c["id"], 4.0)]
    assert [(r["key"], r["minutes"]) for r in by_employer] == [(employer["id"], 60.0)]
    rows = client.get("/reports/results?date_from=2026-01-01", headers=h).json()
    counted = {(r["project"], r["metric"]): r["count"] for r in rows["rows"]} if isinstance(rows, dict) else {
        (r["project"], r["metric"]): r["count"] for r in rows}
    assert counted[("Ny sjanse Oslo", "employer_contacted_new")] == 1  # the general visit, in Oslo's project
