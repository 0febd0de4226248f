"""The employer integration API: own organisation only, idempotent, validated, reviewed wording."""

import pytest
from sqlmodel import Session, func, select

from employers.models import Vacancy
from tests.employers.conftest import ORG_B, vacancy_body


def vacancies_in_db(world) -> int:
    with Session(world.engine) as s:
        return s.exec(select(func.count()).select_from(Vacancy)).one()


def test_employer_submits_lists_updates_and_closes(client, world, employers):
    key = employers["a"]["key"]
    created = client.post("/employer/vacancies", json=vacancy_body(), headers=key)
    assert created.status_code == 201, created.text
    v = created.json()
    assert v["status"] == "open" and v["occupation_title"] == "Renholder" and v["source"] == "employer_api"
    replaced = client.put(f"/employer/vacancies/{v['id']}", json=vacancy_body(fte=60), headers=key)
    assert replaced.json()["fte"] == 60 and replaced.json()["version"] == v["version"] + 1
    assert [x["id"] for x in client.get("/employer/vacancies", headers=key).json()] == [v["id"]]
    closed = client.post(f"/employer/vacancies/{v['id']}/close", headers=key)
    assert closed.json()["status"] == "closed"
    again = client.put(f"/employer/vacancies/{v['id']}", json=vacancy_body(), headers=key)
    assert again.status_code == 409


def test_title_is_mapped_to_an_occupation_with_its_confidence(client, world, employers):
    body = vacancy_body(title="Lagerarbeider, nattskift", occupation_code=None)
    v = client.post("/employer/vacancies", json=body, headers=employers["a"]["key"]).json()
    assert v["occupation_code"] == "4321" and 80 <= v["occupation_confidence"] <= 100
    shop = client.post("/employer/vacancies", json=vacancy_body(title="Salgsassistent", occupation_code=None),
                       headers=employers["a"]["key"]).json()
    assert (shop["occupation_code"], shop["occupation_title"]) == ("5223", "Butikkmedarbeider")


def test_unclear_title_asks_for_the_code_with_the_top_three_suggestions(client, world, employers):
    unclear = client.post("/employer/vacancies", json=vacancy_body(title="Fagarbeider", occupation_code=None),
                          headers=employers["a"]["key"])
    assert unclear.status_code == 422 and unclear.json()["field"] == "occupation_code"
    suggestions = unclear.json()["suggestions"]
    assert len(suggestions) == 3 and all(s["code"].isdigit() and len(s["code"]) == 4 and s["name"] for s in suggestions)
    assert suggestions[0]["code"] in unclear.json()["detail"]
    assert vacancies_in_db(world) == 0


@pytest.mark.parametrize("code", ["9121", "0000", "912", "9", "abcd", "91120"])
def test_a_code_that_is_no_styrk08_unit_group_is_refused_with_suggestions(client, world, employers, code):
    key = employers["a"]["key"]
    refused = client.post("/employer/vacancies", json=vacancy_body(occupation_code=code), headers=key)
    assert refused.status_code == 422 and refused.json()["field"] == "occupation_code"
    assert refused.json()["suggestions"][0]["code"] == "9112"  # from the title "Renholder 50 %, kveld"
    assert vacancies_in_db(world) == 0
    stored = client.post("/employer/vacancies", json=vacancy_body(), headers=key).json()
    replaced = client.put(f"/employer/vacancies/{stored['id']}", json=vacancy_body(occupation_code=code, fte=10),
                          headers=key)
    assert replaced.status_code == 422
    after = client.get(f"/employer/vacancies/{stored['id']}", headers=key).json()
    assert (after["occupation_code"], after["fte"]) == ("9112", stored["fte"])
    consultant = client.post(f"/employers/{employers['a']['id']}/vacancies", json=vacancy_body(occupation_code=code),
                             headers=world.headers["consultant"])
    assert consultant.status_code == 422 and consultant.json()["field"] == "occupation_code"
    assert vacancies_in_db(world) == 1


def test_occupations_serves_the_classification_with_search_levels_and_paging(client, world):
    h = world.headers["staff_a"]
    units = client.get("/occupations", headers=h).json()
    assert units["total"] == 406 and len(units["items"]) == 100
    assert all(len(item["code"]) == 4 for item in units["items"])
    rest = client.get("/occupations?offset=400&limit=100", headers=h).json()
    assert len(rest["items"]) == 6
    assert [client.get(f"/occupations?level={n}&limit=500", headers=h).json()["total"] for n in (1, 2, 3)] == [10, 43, 122]
    found = client.get("/occupations?q=kassemedarbeider", headers=h).json()["items"]
    assert [(i["code"], i["title"], i["name"]) for i in found] == [("5223", "Butikkmedarbeider", "Butikkmedarbeidere")]
    assert {i["code"] for i in client.get("/occupations?parent=911", headers=h).json()["items"]} == {"9111", "9112"}
    assert client.get("/occupations?level=5", headers=h).status_code == 422
    suggestions = client.get("/occupations/suggestions?title=Salgsassistent", headers=h).json()
    assert suggestions[0] == {"code": "5223", "name": "Butikkmedarbeider", "confidence": 100, "accepted": True}


def test_retried_submission_with_external_id_updates_instead_of_duplicating(client, world, employers):
    key = employers["a"]["key"]
    first = client.post("/employer/vacancies", json=vacancy_body(external_id="ATS-1"), headers=key)
    retry = client.post("/employer/vacancies", json=vacancy_body(external_id="ATS-1", headcount=3), headers=key)
    assert (first.status_code, retry.status_code) == (201, 200)
    assert retry.json()["id"] == first.json()["id"] and retry.json()["headcount"] == 3
    # Another organisation may use the same external id for its own vacancy.
    other = client.post("/employer/vacancies", json=vacancy_body(external_id="ATS-1"), headers=employers["b"]["key"])
    assert other.status_code == 201 and other.json()["id"] != first.json()["id"]
    assert vacancies_in_db(world) == 2


def test_one_employer_can_never_read_or_change_anothers_vacancies(client, world, employers):
    mine = client.post("/employer/vacancies", json=vacancy_body(), headers=employers["a"]["key"]).json()
    other_key = employers["b"]["key"]
    assert client.get(f"/employer/vacancies/{mine['id']}", headers=other_key).status_code == 404
    assert client.put(f"/employer/vacancies/{mine['id']}", json=vacancy_body(fte=10), headers=other_key).status_code == 404
    assert client.post(f"/employer/vacancies/{mine['id']}/close", headers=other_key).status_code == 404
    assert client.get("/employer/vacancies", headers=other_key).json() == []
    # The same through the employer's own user login (world's employer user belongs to organisation A).
    assert client.get("/employer/vacancies", headers=world.headers["employer"]).json()[0]["id"] == mine["id"]
    # Employers reach none of the consultant routes.
    for path in ("/employers", f"/employers/{employers['a']['id']}", "/vacancies", "/follow-ups", "/candidates"):
        assert client.get(path, headers=employers["a"]["key"]).status_code == 403, path
    after = client.get(f"/vacancies/{mine['id']}", headers=world.headers["consultant"]).json()
    assert after["fte"] == mine["fte"] and after["status"] == "open" and after["version"] == mine["version"]


def test_revoked_key_stops_at_once(client, world, employers):
    key = employers["a"]["key"]
    assert client.get("/employer/vacancies", headers=key).status_code == 200
    client.post(f"/api-keys/{employers['a']['key_id']}/revoke", headers=world.headers["admin"])
    assert client.get("/employer/vacancies", headers=key).status_code == 401
    assert client.post("/employer/vacancies", json=vacancy_body(), headers=key).status_code == 401
    assert vacancies_in_db(world) == 0


def test_keys_only_for_registered_employers(client, world):
    response = client.post("/api-keys", json={"organisation_number": ORG_B, "label": "x"}, headers=world.headers["admin"])
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("change", "field"),
    [({"occupation_code": "0000"}, "occupation_code"),
     ({"start": "2027-05-01", "end": "2027-01-01", "contract_type": "temporary"}, "end"),
     ({"headcount": 0}, "headcount"),
     ({"fte": 0}, "fte"), ({"fte": 101}, "fte"),
     ({"contract_type": "seasonal"}, "end"),
     ({"working_hours": []}, "working_hours"),
     ({"required_certificates": ["jetpack"]}, "required_certificates"),
     ({"pay_amount": 200}, "pay_unit"),
     ({"min_norwegian_level": "D1"}, "min_norwegian_level"),
     ({"municipality_code": "03"}, "municipality_code"),
     ({"status": "filled"}, "status")],
)
def test_bad_vacancy_input_is_4xx_naming_the_field_and_stores_nothing(client, world, employers, change, field):
    response = client.post("/employer/vacancies", json=vacancy_body(**change), headers=employers["a"]["key"])
    assert response.status_code == 422, response.text
    assert response.json()["field"] == field
    assert vacancies_in_db(world) == 0


def test_discriminatory_wording_is_held_for_review_until_a_consultant_decides(client, world, employers):
    key = employers["a"]["key"]
    held = client.post("/employer/vacancies", json=vacancy_body(description="Norsk som morsmål er et krav."),
                       headers=key).json()
    assert held["status"] == "held_for_review"
    assert "morsmål" in held["review_reasons"][0]
    assert client.get("/vacancies?status=open", headers=world.headers["consultant"]).json() == []
    released = client.post(f"/vacancies/{held['id']}/release", headers=world.headers["consultant"])
    assert released.json()["status"] == "open"
    assert client.post(f"/vacancies/{held['id']}/release", headers=world.headers["consultant"]).status_code == 409

    other = client.post("/employer/vacancies", json=vacancy_body(title="Vi søker en mann til lager",
                                                                 occupation_code="4321"), headers=key).json()
    assert other["status"] == "held_for_review"
    assert client.post(f"/vacancies/{other['id']}/reject", headers=world.headers["staff_a"]).status_code == 403
    assert client.post(f"/vacancies/{other['id']}/reject", headers=world.headers["consultant"]).json()["status"] == "closed"


def test_bulk_submission_reports_each_item_and_is_idempotent(client, world, employers):
    key = employers["a"]["key"]
    items = [
        vacancy_body(external_id="B-1"),
        vacancy_body(external_id="B-2", fte=0),
        vacancy_body(external_id="B-3", description="Kun menn."),
        vacancy_body(external_id="B-4", title="Sesongarbeid butikk", occupation_code="5223", contract_type="seasonal",
                     start="2027-06-01", end="2027-08-31", fte=100, working_hours=["day", "weekend"]),
        "ikke et objekt",
    ]
    first = client.post("/employer/vacancies/bulk", json=items, headers=key)
    assert first.status_code == 200, first.text
    body = first.json()
    assert (body["created"], body["held_for_review"], body["errors"]) == (2, 1, 2)
    assert [r["outcome"] for r in body["results"]] == ["created", "error", "held_for_review", "created", "error"]
    assert "fte" in str(body["results"][1]["errors"])
    wrong_code = client.post("/employer/vacancies/bulk", json=[vacancy_body(external_id="B-9", occupation_code="9121")],
                             headers=key).json()["results"][0]
    assert wrong_code["outcome"] == "error" and wrong_code["status_code"] == 422
    assert wrong_code["errors"][0]["loc"] == ["occupation_code"] and wrong_code["errors"][0]["suggestions"][0]["code"] == "9112"
    again = client.post("/employer/vacancies/bulk", json=items, headers=key).json()
    assert (again["created"], again["updated"]) == (0, 2)
    assert vacancies_in_db(world) == 3


def test_bulk_limit(client, world, employers):
    response = client.post("/employer/vacancies/bulk", json=[vacancy_body()] * 501, headers=employers["a"]["key"])
    assert response.status_code == 422 and vacancies_in_db(world) == 0


def test_openapi_lets_an_employer_integrate_from_docs_alone(client):
    spec = client.get("/openapi.json").json()
    submit = spec["paths"]["/employer/vacancies"]["post"]
    assert submit["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith("/VacancyIn")
    vacancy_schema = spec["components"]["schemas"]["VacancyIn"]
    assert vacancy_schema["examples"][0]["external_id"]
    assert "APIKeyHeader" in spec["components"]["securitySchemes"]
    bulk = spec["paths"]["/employer/vacancies/bulk"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert bulk["items"]["$ref"].endswith("/VacancyIn")
