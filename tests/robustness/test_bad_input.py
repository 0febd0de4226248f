"""The bad input catalogue: malformed and hostile input at every entry point (API, file import, CLI)
gets a clear error or is stored and shown safely."""

import pytest
from sqlmodel import Session, func, select

from candidates.models import Candidate
from tests.conftest import candidate_payload


def count(engine) -> int:
    with Session(engine) as s:
        return s.exec(select(func.count()).select_from(Candidate)).one()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"wanted_fte": "hundre"}, "wanted_fte"),  # wrong type
        ({"wanted_fte": 10**12}, "wanted_fte"),  # huge value
        ({"max_commute_km": 1e308}, "max_commute_km"),
        ({"first_name": "x" * 10_000}, "first_name"),  # huge string
        ({"languages": ["norsk"] * 5 + [None]}, "languages.5"),
        ({"available_from": "i morgen"}, "available_from"),
        ({"certificates": "driving_licence_B"}, "certificates"),
    ],
)
def test_api_wrong_types_and_huge_values(client, world, body, field):
    payload = {**candidate_payload(world.project_a), **body}
    response = client.post("/candidates", json=payload, headers=world.headers["admin"])
    assert response.status_code == 422 and response.json()["field"] == field
    assert count(world.engine) == 0


@pytest.mark.parametrize(
    ("content", "content_type"),
    [(b"", "application/json"), (b"{not json", "application/json"), (b"\xff\xfe\x00garbage", "application/json"),
     (b"[1, 2, 3]", "application/json"), (b"first_name=Amina", "application/x-www-form-urlencoded")],
)
def test_api_malformed_bodies(client, world, content, content_type):
    response = client.post("/candidates", content=content,
                           headers={**world.headers["admin"], "Content-Type": content_type})
    assert response.status_code == 422 and response.json()["detail"]
    assert count(world.engine) == 0


def test_sql_in_text_is_stored_verbatim(client, world):
    hostile = "Robert'); DROP TABLE candidate;--"
    c = client.post("/candidates", json=candidate_payload(world.project_a, first_name=hostile),
                    headers=world.headers["admin"]).json()
    assert client.get(f"/candidates/{c['id']}", headers=world.headers["admin"]).json()["first_name"] == hostile
    listed = client.get("/candidates?search=DROP TABLE", headers=world.headers["admin"]).json()
    assert [x["id"] for x in listed] == [c["id"]] and count(world.engine) == 1  # the table is still there


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("k.csv", b"", "tom"),
        ("k.csv", b"project_id,first_name,last_name\n", "ingen rader"),
        ("k.xlsx", b"PK\x03\x04 not really a workbook", "regnearket"),
        ("k.txt", b"project_id\n1\n", ".csv eller .xlsx"),
        ("k.csv", b"\x00\x01\x02\x81" * 100, "UTF-8 eller Windows-1252"),
        ("k.csv", b"first_name;last_name\nAmina;Hassan\n", "project_id"),
    ],
)
def test_file_import_bad_files_are_explained_and_import_nothing(client, world, name, content, message):
    response = client.post("/import/candidates", files={"file": (name, content)}, headers=world.headers["admin"])
    assert response.status_code == 422 and message in response.text
    assert count(world.engine) == 0


def test_cli_bad_files(tmp_path, capsys):
    from api.cli import main

    empty, binary = tmp_path / "empty.csv", tmp_path / "binary.csv"
    empty.write_bytes(b"")
    binary.write_bytes(bytes(range(256)) * 10)
    out = tmp_path / "K.csv"
    for events in (empty, binary, tmp_path / "missing.csv"):
        assert main(["report", "kpi", "--events", str(events), "--out", str(out)]) == 2
        assert not out.exists()
    errors = capsys.readouterr().err
    assert "tom" in errors and "rad" in errors and "kan ikke lese" in errors
