import pytest
from sqlmodel import Session, func, select

from candidates.models import Candidate, CandidateCertificate
from tests.conftest import candidate_payload


def count(engine, model=Candidate) -> int:
    with Session(engine) as s:
        return s.exec(select(func.count()).select_from(model)).one()


def test_staff_registers_and_reads_a_candidate(client, world, make_candidate):
    created = make_candidate()
    assert created["municipality_code"] == "0301"  # the project's, since none was given
    assert created["certificates"][0]["label"] == "Førerkort klasse B"
    assert {w["value"] for w in created["wishes"]} == {"cleaning", "renholder"}
    assert created["consents"][0]["purpose"] == "data_processing"
    assert created["consents"][0]["recorded_by"] == world.users["staff_a"].id
    fetched = client.get(f"/candidates/{created['id']}", headers=world.headers["consultant"])
    assert fetched.status_code == 200
    assert fetched.json()["experience"][0]["title"] == "Renholder"


def test_old_municipality_numbers_become_2024_numbers(client, world, make_candidate):
    assert make_candidate(municipality_code="3005")["municipality_code"] == "3301"  # Drammen


def test_update_changes_only_what_is_sent_and_lists_replace(client, world, make_candidate):
    c = make_candidate()
    response = client.patch(
        f"/candidates/{c['id']}",
        json={"wanted_fte": 50, "certificates": [{"code": "truck_licence", "issued_on": "2024-01-01"}]},
        headers=world.headers["staff_a"],
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["wanted_fte"] == 50 and body["norwegian_level"] == "B1"
    assert [x["code"] for x in body["certificates"]] == ["truck_licence"]
    assert body["version"] == c["version"] + 1


def test_stale_version_is_a_409_and_nothing_changes(client, world, make_candidate):
    c = make_candidate()
    first = client.patch(f"/candidates/{c['id']}", json={"version": c["version"], "wanted_fte": 60},
                         headers=world.headers["staff_a"])
    assert first.status_code == 200
    stale = client.patch(f"/candidates/{c['id']}", json={"version": c["version"], "wanted_fte": 40},
                         headers=world.headers["admin"])
    assert stale.status_code == 409
    assert stale.json()["field"] == "version"
    assert client.get(f"/candidates/{c['id']}", headers=world.headers["admin"]).json()["wanted_fte"] == 60


def test_archive_hides_from_list_and_restore_brings_back(client, world, make_candidate):
    c = make_candidate()
    assert client.post(f"/candidates/{c['id']}/archive", headers=world.headers["staff_a"]).json()["archived_at"]
    ids = [x["id"] for x in client.get("/candidates", headers=world.headers["staff_a"]).json()]
    assert c["id"] not in ids
    archived = client.get("/candidates?include_archived=true", headers=world.headers["staff_a"]).json()
    assert [x["archived"] for x in archived if x["id"] == c["id"]] == [True]
    client.post(f"/candidates/{c['id']}/restore", headers=world.headers["staff_a"])
    assert c["id"] in [x["id"] for x in client.get("/candidates", headers=world.headers["staff_a"]).json()]


def test_staff_see_only_their_own_project(client, world, make_candidate):
    mine = make_candidate("staff_a", "a")
    theirs = make_candidate("staff_b", "b", first_name="Omar")
    listed = client.get("/candidates", headers=world.headers["staff_a"]).json()
    assert [x["id"] for x in listed] == [mine["id"]]
    assert client.get("/candidates", headers=world.headers["consultant"]).json().__len__() == 2

    assert client.get(f"/candidates/{theirs['id']}", headers=world.headers["staff_a"]).status_code == 403
    patch = client.patch(f"/candidates/{theirs['id']}", json={"wanted_fte": 10}, headers=world.headers["staff_a"])
    assert patch.status_code == 403
    put = client.put(f"/candidates/{theirs['id']}/readiness/email_attachments",
                     json={"status": "in_progress"}, headers=world.headers["staff_a"])
    assert put.status_code == 403
    create = client.post("/candidates", json=candidate_payload(world.project_b), headers=world.headers["staff_a"])
    assert create.status_code == 403 and create.json()["field"] == "project_id"
    move = client.patch(f"/candidates/{mine['id']}", json={"project_id": world.project_b}, headers=world.headers["staff_a"])
    assert move.status_code == 403
    assert count(world.engine) == 2


def test_employers_and_consultants_cannot_register_candidates(client, world, make_candidate):
    make_candidate()
    assert client.get("/candidates", headers=world.headers["employer"]).status_code == 403
    assert client.get("/candidates/1", headers=world.headers["employer"]).status_code == 403
    body = candidate_payload(world.project_a)
    assert client.post("/candidates", json=body, headers=world.headers["consultant"]).status_code == 403


def test_unknown_candidate_is_404(client, world):
    assert client.get("/candidates/999", headers=world.headers["admin"]).status_code == 404


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"norwegian_level": "D1"}, "norwegian_level"),
        ({"wanted_fte": 0}, "wanted_fte"),
        ({"wanted_fte": 101}, "wanted_fte"),
        ({"available_from": "2027-05-01", "available_to": "2027-01-01"}, "available_to"),
        ({"certificates": [{"code": "pilot_licence"}]}, "certificates.0.code"),
        ({"certificates": [{"code": "truck_licence", "issued_on": "2027-01-01", "expires_on": "2026-01-01"}]},
         "certificates.0.expires_on"),
        ({"wishes": [{"kind": "sector", "value": "romfart"}]}, "wishes.0.value"),
        ({"wishes": [{"kind": "sector", "value": "cleaning"}, {"kind": "occupation", "value": "9121"}]},
         "wishes.1.value"),  # ISCO, not STYRK-08
        ({"wishes": [{"kind": "occupation", "value": "0000"}]}, "wishes.0.value"),
        ({"experience": [{"employer_name": "Vask AS", "title": "Vaskeri", "occupation_code": "9121"}]},
         "experience.0.occupation_code"),
        ({"working_hours": ["morning"]}, "working_hours.0"),
        ({"municipality_code": "301"}, "municipality_code"),
        ({"municipality_code": "0000"}, "municipality_code"),
        ({"max_commute_km": -1}, "max_commute_km"),
        ({"email": "ikke-en-epost"}, "email"),
        ({"first_name": "  "}, "first_name"),
    ],
)
def test_bad_candidate_input_is_a_422_naming_the_field_and_stores_nothing(client, world, change, field):
    response = client.post("/candidates", json=candidate_payload(world.project_a, **change), headers=world.headers["staff_a"])
    assert response.status_code == 422, response.text
    assert response.json()["field"] == field
    assert count(world.engine) == 0 and count(world.engine, CandidateCertificate) == 0


def test_occupation_wish_may_be_a_styrk08_code(client, world, make_candidate):
    c = make_candidate(wishes=[{"kind": "occupation", "value": "5223"}, {"kind": "occupation", "value": "Kokk"}],
                       experience=[{"employer_name": "Kiwi", "title": "Kasse", "occupation_code": "5223"}])
    assert [w["value"] for w in c["wishes"]] == ["5223", "Kokk"]
    assert c["experience"][0]["occupation_code"] == "5223"


def test_unknown_project_is_404(client, world):
    response = client.post("/candidates", json=candidate_payload(999), headers=world.headers["admin"])
    assert response.status_code == 404 and response.json()["field"] == "project_id"


def test_bad_update_leaves_the_candidate_as_it_was(client, world, make_candidate):
    c = make_candidate()
    bad = client.patch(f"/candidates/{c['id']}", json={"available_to": "2026-01-01"}, headers=world.headers["staff_a"])
    assert bad.status_code == 422 and bad.json()["field"] == "available_to"
    assert client.get(f"/candidates/{c['id']}", headers=world.headers["staff_a"]).json()["version"] == c["version"]


def test_list_filters(client, world, make_candidate):
    a = make_candidate(first_name="Amina")
    b = make_candidate(first_name="Bashir", wishes=[{"kind": "sector", "value": "warehouse"}])
    h = world.headers["admin"]

    def ids(query):
        response = client.get(f"/candidates?{query}", headers=h)
        assert response.status_code == 200, response.text
        return [x["id"] for x in response.json()]

    assert ids("wish=warehouse") == [b["id"]]
    assert ids("search=amin") == [a["id"]]
    assert ids(f"project_id={world.project_b}") == []
    assert ids("step=1") == sorted([a["id"], b["id"]])
    assert ids("formidlingsklar=true") == []
    assert ids("limit=1") == [a["id"]]
    assert client.get("/candidates?step=9", headers=h).status_code == 422


def test_consent_can_be_withdrawn_and_both_dates_are_kept(client, world, make_candidate):
    c = make_candidate()
    given = client.post(f"/candidates/{c['id']}/consents",
                        json={"purpose": "presentation_to_employers", "given_on": "2026-10-01"},
                        headers=world.headers["staff_a"])
    assert given.status_code == 201, given.text
    withdrawn = client.post(f"/candidates/{c['id']}/consents/{given.json()['id']}/withdraw", headers=world.headers["staff_a"])
    assert withdrawn.json()["given_on"] == "2026-10-01" and withdrawn.json()["withdrawn_on"]
    future = client.post(f"/candidates/{c['id']}/consents",
                         json={"purpose": "presentation_to_employers", "given_on": "2999-01-01"},
                         headers=world.headers["staff_a"])
    assert future.status_code == 422 and future.json()["field"] == "given_on"
