"""One text rule for every input (core/text.py): walked over every request body in the OpenAPI
document, so a new schema that forgets it fails here."""

import io
import json

import openpyxl
import pytest
from sqlalchemy import text
from sqlmodel import Session

from core.text import InputModel, clean_text, printable
from tests.conftest import candidate_payload

BAD = "Renhold\u0007AS"
ROLES = ("admin", "consultant", "employer", "staff_a")


def _resolve(schema: dict, doc: dict) -> dict:
    while "$ref" in schema:
        schema = doc["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def _options(schema: dict, doc: dict) -> list[dict]:
    schema = _resolve(schema, doc)
    return [_resolve(s, doc) for s in schema.get("anyOf", [schema]) if s.get("type") != "null"]


def text_cases(schema: dict, doc: dict, prefix: str = "", depth: int = 0):
    """(value to send, field the 422 must name) for every free-text string reachable in `schema`."""
    for option in _options(schema, doc):
        if option.get("type") == "string" and "enum" not in option and "const" not in option:
            yield BAD, prefix
        elif option.get("type") == "array" and depth < 4:
            item = _options(option.get("items", {}), doc)
            if any(i.get("type") == "string" and "enum" not in i for i in item):
                yield [BAD], prefix
            else:
                for value, field in text_cases(option.get("items", {}), doc, f"{prefix}.0", depth + 1):
                    yield [value], field
        elif option.get("type") == "object" and depth < 4:
            extra = option.get("additionalProperties")
            if isinstance(extra, dict) and any(o.get("type") == "string" for o in _options(extra, doc)):
                yield {"k": BAD}, prefix
            for name, sub in option.get("properties", {}).items():
                for value, field in text_cases(sub, doc, f"{prefix}.{name}" if prefix else name, depth + 1):
                    yield {name: value}, field


def test_every_text_field_of_every_request_body_refuses_control_characters(client, world):
    doc = client.get("/openapi.json").json()
    client.post("/employers", json={"organisation_number": "974760673", "name": "Renhold AS", "sector": "cleaning",
                                    "municipality_code": "0301"}, headers=world.headers["consultant"])
    provider = client.post("/nav-providers", json={"name": "ATS", "organisation_numbers": ["974760673"]},
                           headers=world.headers["consultant"]).json()
    provider_headers = {"Authorization": f"Bearer {provider['key']}"}
    checked, operations = 0, 0
    for path, methods in doc["paths"].items():
        for method, operation in methods.items():
            body = operation.get("requestBody", {}).get("content", {}).get("application/json")
            if body is None:
                continue
            operations += 1
            url = path.replace("{item_key}", "x").replace("{provider_id}", str(provider["id"]))
            for part in ("candidate_id", "employer_id", "person_id", "vacancy_id", "placement_id", "follow_up_id",
                         "decision_id", "run_id"):
                url = url.replace("{" + part + "}", "1")
            cases = list(text_cases(body["schema"], doc))
            assert cases or path.startswith("/match-runs"), f"{method} {path}: no text field found"
            for value, field in cases:
                if path.startswith("/nav-import/"):
                    response = client.request(method, url, json=value, headers=provider_headers)
                for role in ROLES if not path.startswith("/nav-import/") else ():
                    response = client.request(method, url, json=value, headers=world.headers[role])
                    if response.status_code not in (401, 403):
                        break
                if path.startswith("/nav-import/"):  # NAV's batch: one receipt, each ad's error in it
                    assert response.status_code == 201, (path, field, response.text)
                    found = [a for a in response.json()["ads"] if a.get("field") == field.removeprefix(".0.")]
                    messages = [a["message"] for a in found]
                    assert any("kontrolltegn (U+0007)" in m for m in messages), (method, path, field, response.text)
                    checked += 1
                    continue
                if isinstance(value, list) and body["schema"].get("type") == "array":  # bulk: per item
                    assert response.status_code == 200, (path, field, response.text)
                    errors = response.json()["results"][0]["errors"]
                    found = [e for e in errors if ".".join(map(str, e["loc"])) == field.removeprefix(".0.")]
                else:
                    assert response.status_code == 422, (method, path, field, response.status_code, response.text)
                    found = [e for e in response.json()["errors"] if e["field"] == field]
                messages = [e.get("message") or e.get("msg") for e in found]
                assert any("kontrolltegn (U+0007)" in m for m in messages), (method, path, field, response.text)
                checked += 1
    assert operations >= 30 and checked >= 100, (operations, checked)


def test_every_request_body_model_derives_from_the_input_base(client):
    from fastapi.routing import APIRoute
    from pydantic import BaseModel

    def models(annotation):
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            yield annotation
            for field in annotation.model_fields.values():
                yield from models(field.annotation)
        for arg in getattr(annotation, "__args__", ()):
            yield from models(arg)

    for route in client.app.routes:
        if isinstance(route, APIRoute):
            for param in route.dependant.body_params:
                for model in models(param.field_info.annotation):
                    assert issubclass(model, InputModel) and model.text_rule, (route.path, model.__name__)


@pytest.mark.parametrize(("value", "reason"), [
    ("Amina\x00", "NUL"), ("Amina\x1b[31m", "U+001B"), ("Amina\nHassan", "U+000A"), ("A\ud800", "U+D800"),
    ("A\uffff", "U+FFFF"),
])
def test_names_with_forbidden_characters_get_a_422_naming_the_field(client, world, value, reason):
    body = json.dumps(candidate_payload(world.project_a, first_name=value))  # ASCII: a lone surrogate as \ud800
    response = client.post("/candidates", content=body, headers={**world.headers["admin"],
                                                                 "Content-Type": "application/json"})
    assert response.status_code == 422 and response.json()["field"] == "first_name"
    assert reason in response.json()["detail"]


def test_lone_surrogate_in_raw_json_is_a_422_not_a_500(client, world):
    body = ('{"organisation_number": "974760673", "name": "Renhold \\ud800 AS", "sector": "cleaning", '
            '"municipality_code": "0301"}')
    response = client.post("/employers", content=body.encode(),
                           headers={**world.headers["consultant"], "Content-Type": "application/json"})
    assert response.status_code == 422 and response.json()["field"] == "name"


def test_multiline_fields_keep_newlines_and_tabs_and_text_is_nfc(client, world):
    h = world.headers["consultant"]
    employer = client.post("/employers", json={"organisation_number": "974760673", "name": "Cafe\u0301 Øst",
                                               "sector": "cleaning", "municipality_code": "0301",
                                               "notes": "Ring før 10.\r\n\tSpør etter Kari."}, headers=h)
    assert employer.status_code == 201, employer.text
    assert employer.json()["name"] == "Café Øst" and len(employer.json()["name"]) == 8  # composed é
    assert employer.json()["notes"] == "Ring før 10.\n\tSpør etter Kari."
    assert client.get("/employers?search=Café", headers=h).status_code == 200


def test_zero_width_only_values_count_as_empty(client, world):
    h = world.headers["admin"]
    required = client.post("/candidates", json=candidate_payload(world.project_a, last_name="\u200b\u200d"), headers=h)
    assert required.status_code == 422 and required.json()["field"] == "last_name"
    optional = client.post("/candidates", json=candidate_payload(world.project_a, address="\u200b \ufeff"), headers=h)
    assert optional.status_code == 201 and optional.json()["address"] is None


def test_import_rows_follow_the_same_rule(client, world):
    content = f"project_id,first_name,last_name\n{world.project_a},Amina,Has\u0007san\n".encode()
    response = client.post("/import/candidates", files={"file": ("k.csv", content)}, headers=world.headers["admin"])
    assert response.status_code == 422
    assert response.json()["errors"][0]["row"] == 2 and response.json()["errors"][0]["field"] == "last_name"
    assert "kontrolltegn" in response.json()["errors"][0]["message"]


def test_csv_commands_follow_the_same_rule(tmp_path, capsys):
    from api.cli import main

    events = tmp_path / "E.csv"
    events.write_text("date,project,candidate_id,event,ref\n2026-01-05,Oslo\u001b,c1,taken_in,\n", encoding="utf-8")
    assert main(["report", "kpi", "--events", str(events), "--out", str(tmp_path / "K.csv")]) == 2
    assert "rad 2" in capsys.readouterr().err
    from matching.csvio import CsvError, read_candidates

    candidates = tmp_path / "C.csv"
    candidates.write_text("candidate_id,municipality,max_commute_km,desired_fte,available_from,available_to,"
                          "norwegian_level,certificates,wishes,experience,hours,formidlingsklar\n"
                          "c\u00071,0301,30,100,2027-01-01,,B1,,cleaning,,day,true\n", encoding="utf-8")
    with pytest.raises(CsvError, match="rad 2.*kontrolltegn"):
        read_candidates(str(candidates))


def test_the_rule_itself():
    assert clean_text("Cafe\u0301") == "Caf\u00e9"
    assert clean_text("\u200b\u2060 ") == ""
    assert clean_text("a\r\nb", multiline=True) == "a\nb"
    assert printable("a\x07b\ud800") == "a\ufffdb\ufffd" and printable(5) == 5


def test_exports_never_fail_on_stored_data(client, world, make_candidate, engine):
    """Values stored past the API (before this rule, or by hand) are written out, not a 500."""
    candidate = make_candidate()
    h = world.headers["admin"]
    employer = client.post("/employers", json={"organisation_number": "974760673", "name": "Renhold AS",
                                               "sector": "cleaning", "municipality_code": "0301"},
                           headers=world.headers["consultant"]).json()
    vacancy = client.post(f"/employers/{employer['id']}/vacancies", headers=world.headers["consultant"], json={
        "title": "Renholder", "occupation_code": "9112", "municipality_code": "0301", "fte": 50,
        "contract_type": "permanent", "start": "2027-01-01", "working_hours": ["day"]})
    assert vacancy.status_code == 201, vacancy.text
    with Session(engine) as s:
        s.execute(text("UPDATE candidate SET last_name = :v WHERE id = :id"), {"v": "Has\u001bsan\u0007", "id": candidate["id"]})
        s.execute(text("UPDATE employer SET name = :v"), {"v": "Renhold\u0007AS"})
        s.execute(text("UPDATE vacancy SET title = :v"), {"v": "Renholder\u0007\u0008"})
        s.commit()
    for url in ("/export/candidates.xlsx", "/export/candidates.csv", "/export/employers.xlsx", "/export/employers.csv",
                "/export/vacancies.xlsx", "/export/vacancies.csv", "/reports/results.xlsx", "/reports/results.csv",
                f"/candidates/{candidate['id']}/data-export"):
        response = client.get(url, headers=h if "employers" not in url else world.headers["consultant"])
        assert response.status_code == 200, (url, response.status_code, response.text[:200])
        if url.endswith(".xlsx"):
            openpyxl.load_workbook(io.BytesIO(response.content))  # a valid workbook
    book = openpyxl.load_workbook(io.BytesIO(client.get("/export/candidates.xlsx", headers=h).content))
    assert book.active["D2"].value == "Has\ufffdsan\ufffd"
