"""Employers see candidates only as presentations: chosen fields, no contact details or notes, and the
name only while the candidate consents to be shared with that employer."""

import pytest

from tests.employers.conftest import employer_body, vacancy_body


@pytest.fixture
def setup(client, world, make_candidate):
    h = world.headers["consultant"]
    ids = {}
    for name, org in (("a", "974760673"), ("b", "923609016")):
        employer = client.post("/employers", json=employer_body(org), headers=h).json()
        vacancy = client.post(f"/employers/{employer['id']}/vacancies", json=vacancy_body(), headers=h).json()
        key = client.post("/api-keys", json={"organisation_number": org, "label": "x"}, headers=h).json()["key"]
        ids[name] = {"employer": employer["id"], "vacancy": vacancy["id"], "key": {"X-API-Key": key}}
    candidate = make_candidate(first_name="Amina", last_name="Hassan", email="amina@example.no",
                               consents=[{"purpose": "presentation_to_employers", "given_on": "2026-10-01"}])
    return ids, candidate


def present(client, world, candidate, vacancy, fields=("norwegian_level", "certificates", "experience")):
    return client.post("/presentations", headers=world.headers["consultant"], json={
        "candidate_id": candidate["id"], "vacancy_id": vacancy, "fields": list(fields),
        "summary": "Erfaren med renhold, punktlig."})


def test_the_employer_sees_only_what_was_chosen_and_no_name_without_consent(client, world, setup):
    ids, candidate = setup
    assert present(client, world, candidate, ids["a"]["vacancy"]).status_code == 201
    seen = client.get("/employer/presentations", headers=ids["a"]["key"]).json()
    assert len(seen) == 1
    view = seen[0]
    assert view["name"] is None and set(view["details"]) == {"norwegian_level", "certificates", "experience"}
    text = str(view)
    for secret in ("amina@example.no", "+47", "Hassan", "document_ref", "candidate_id"):
        assert secret not in text
    assert view["details"]["certificates"][0] == {"label": "Førerkort klasse B", "expires_on": None}
    assert client.get("/employer/presentations", headers=ids["b"]["key"]).json() == []  # the other employer

    consent = client.post(f"/candidates/{candidate['id']}/consents", headers=world.headers["staff_a"], json={
        "purpose": "share_with_employer", "employer_id": ids["a"]["employer"], "given_on": "2026-11-01"}).json()
    assert client.get("/employer/presentations", headers=ids["a"]["key"]).json()[0]["name"] == "Amina Hassan"
    client.post(f"/candidates/{candidate['id']}/consents/{consent['id']}/withdraw", headers=world.headers["staff_a"])
    assert client.get("/employer/presentations", headers=ids["a"]["key"]).json()[0]["name"] is None

    log = client.get(f"/candidates/{candidate['id']}/access-log", headers=world.headers["staff_a"]).json()
    assert any(e["actor_role"] == "employer" and e["action"] == "read" for e in log)  # innsyn shows the employer


def test_withdrawn_consent_or_presentation_removes_the_candidate(client, world, setup):
    ids, candidate = setup
    presented = present(client, world, candidate, ids["a"]["vacancy"]).json()
    client.post(f"/presentations/{presented['id']}/withdraw", headers=world.headers["consultant"])
    assert client.get("/employer/presentations", headers=ids["a"]["key"]).json() == []
    present(client, world, candidate, ids["a"]["vacancy"])
    consent_id = next(c["id"] for c in client.get(f"/candidates/{candidate['id']}", headers=world.headers["staff_a"])
                      .json()["consents"] if c["purpose"] == "presentation_to_employers")
    client.post(f"/candidates/{candidate['id']}/consents/{consent_id}/withdraw", headers=world.headers["staff_a"])
    assert client.get("/employer/presentations", headers=ids["a"]["key"]).json() == []
    again = present(client, world, candidate, ids["a"]["vacancy"])
    assert again.status_code == 422 and again.json()["field"] == "candidate_id"


@pytest.mark.parametrize("fields", [["email"], ["phone"], ["exit_assessment"], ["notes"], []])
def test_contact_details_and_notes_can_never_be_chosen(client, world, setup, fields):
    ids, candidate = setup
    response = present(client, world, candidate, ids["a"]["vacancy"], fields=fields)
    assert response.status_code == 422 and response.json()["field"].startswith("fields")


def test_consent_to_share_names_its_employer(client, world, setup):
    _, candidate = setup
    missing = client.post(f"/candidates/{candidate['id']}/consents", headers=world.headers["staff_a"],
                          json={"purpose": "share_with_employer", "given_on": "2026-11-01"})
    assert missing.status_code == 422 and missing.json()["field"] == "employer_id"
    unknown = client.post(f"/candidates/{candidate['id']}/consents", headers=world.headers["staff_a"],
                          json={"purpose": "share_with_employer", "employer_id": 999, "given_on": "2026-11-01"})
    assert unknown.status_code == 404
