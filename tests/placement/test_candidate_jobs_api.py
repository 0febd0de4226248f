"""Recorded jobs (`/candidates/{id}/jobs`): who may record them, bad input, audit, work status."""

import pytest

from tests.employers.conftest import employer_body


def jobs(client, world, cid, as_user="staff_a"):
    return client.get(f"/candidates/{cid}/jobs", headers=world.headers[as_user]).json()


def post(client, world, cid, as_user="staff_a", **body):
    body = {"employer_name": "Kiwi Grønland", "fte": 50, "start": "2026-11-01", **body}
    return client.post(f"/candidates/{cid}/jobs", json=body, headers=world.headers[as_user])


def test_staff_record_a_job_and_see_the_year_filling(client, world, make_candidate):
    c = make_candidate(wanted_fte=100)
    created = post(client, world, c["id"], title="Butikkmedarbeider", working_hours=["evening", "day", "evening"])
    assert created.status_code == 201, created.text
    assert created.json()["working_hours"] == ["day", "evening"] and created.json()["source"] == "recorded"
    body = jobs(client, world, c["id"])
    assert [j["employer_name"] for j in body["jobs"]] == ["Kiwi Grønland"]
    assert body["status"]["label"] == "I arbeid, ønsker mer" and body["status"]["year_filled_percent"] == 50.0
    # A second 50 % job at the same time fills the year.
    assert post(client, world, c["id"], as_user="consultant", employer_name="Rema 1000").status_code == 201
    assert jobs(client, world, c["id"])["status"]["label"] == "I arbeid, året er fylt"
    # Ending one job in the spring: the year is no longer full.
    job_id = body["jobs"][0]["id"]
    ended = client.put(f"/candidates/{c['id']}/jobs/{job_id}", headers=world.headers["staff_a"],
                       json={"employer_name": "Kiwi Grønland", "fte": 50, "start": "2026-11-01", "end": "2027-03-31"})
    assert ended.status_code == 200 and ended.json()["end"] == "2027-03-31"
    assert jobs(client, world, c["id"])["status"]["label"] == "I arbeid, ønsker mer"
    assert client.delete(f"/candidates/{c['id']}/jobs/{job_id}", headers=world.headers["admin"]).status_code == 204
    assert len(jobs(client, world, c["id"])["jobs"]) == 1
    log = client.get(f"/candidates/{c['id']}/access-log", headers=world.headers["admin"]).json()
    whats = " ".join(e["what"] for e in log)
    assert "registrert jobb" in whats and "jobber kandidaten har" in whats


def test_a_registered_employer_names_the_job(client, world, make_candidate):
    c = make_candidate()
    employer = client.post("/employers", json=employer_body("974760673"), headers=world.headers["consultant"]).json()
    created = post(client, world, c["id"], employer_name=None, employer_id=employer["id"])
    assert created.status_code == 201 and created.json()["employer_name"] == employer["name"]


@pytest.mark.parametrize(("body", "field"), [
    ({"fte": 60}, "fte"),  # above the wanted share (50)
    ({"start": "2026-11-01", "end": "2026-10-01"}, "end"),
    ({"employer_name": None}, "employer_name"),
    ({"employer_name": None, "employer_id": 999}, "employer_id"),
    ({"fte": 0}, "fte"),
    ({"working_hours": ["sometimes"]}, "working_hours.0"),
    ({"employer_name": "Kiwi\u0000"}, "employer_name"),
])
def test_bad_input_names_the_field_and_stores_nothing(client, world, make_candidate, body, field):
    c = make_candidate(wanted_fte=50)
    response = post(client, world, c["id"], **body)
    assert response.status_code == 422, response.text
    assert response.json()["field"] == field
    assert jobs(client, world, c["id"])["jobs"] == []


def test_jobs_beyond_the_wanted_share_or_two_at_once_are_refused(client, world, make_candidate):
    c = make_candidate(wanted_fte=100)
    assert post(client, world, c["id"], fte=25, start="2027-01-01", end="2027-06-30").status_code == 201
    assert post(client, world, c["id"], fte=25, start="2027-03-01").status_code == 201
    # A third job overlapping both in March breaks the at-most-2 rule, although 50 % is free.
    third = post(client, world, c["id"], fte=25, start="2027-02-01", end="2027-04-30")
    assert third.status_code == 422 and third.json()["field"] == "start" and "høyst 2" in third.json()["detail"]
    # After the first ends, a third job fits; but not one that takes the share above 100 %.
    assert post(client, world, c["id"], fte=80, start="2027-07-01").status_code == 422
    assert post(client, world, c["id"], fte=80, start="2027-07-01").json()["field"] == "fte"
    assert post(client, world, c["id"], fte=50, start="2027-07-01").status_code == 201
    assert len(jobs(client, world, c["id"])["jobs"]) == 3


def test_staff_of_another_project_and_employers_may_not(client, world, make_candidate):
    c = make_candidate()
    assert post(client, world, c["id"], as_user="staff_b").status_code == 403
    assert client.get(f"/candidates/{c['id']}/jobs", headers=world.headers["staff_b"]).status_code == 403
    assert client.get(f"/candidates/{c['id']}/jobs", headers=world.headers["employer"]).status_code == 403
    assert post(client, world, c["id"], as_user="employer").status_code == 403
    assert jobs(client, world, c["id"])["jobs"] == []


def test_a_started_placement_is_a_held_job(client, world, make_candidate):
    from tests.employers.conftest import vacancy_body
    h = world.headers["consultant"]
    c = make_candidate(wanted_fte=100)
    employer = client.post("/employers", json=employer_body("974760673"), headers=h).json()
    vacancy = client.post(f"/employers/{employer['id']}/vacancies", headers=h,
                          json=vacancy_body(start="2026-11-01", fte=50)).json()
    p = client.post("/placements", json={"candidate_id": c["id"], "vacancy_id": vacancy["id"], "on": "2026-11-01"},
                    headers=h).json()
    for to in ("presented", "interview_scheduled", "interview_held", "offer", "accepted", "started"):
        assert client.post(f"/placements/{p['id']}/transitions", json={"to": to, "on": "2026-11-02"},
                           headers=h).status_code == 200
    body = jobs(client, world, c["id"])
    assert [(j["source"], j["fte"]) for j in body["jobs"]] == [("placement", 50)]
    # Recorded jobs are checked against it: 60 % more would exceed the wanted 100 %.
    assert post(client, world, c["id"], fte=60, start="2026-12-01").json()["field"] == "fte"
