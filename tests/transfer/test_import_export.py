"""Spreadsheet import (all or nothing, row-numbered errors) and export (round trip, safe cells)."""

import io

import openpyxl
from sqlmodel import Session, func, select

from candidates.models import Candidate
from employers.models import Employer, Vacancy

CANDIDATES = """project_id,first_name,last_name,email,municipality_code,norwegian_level,wanted_fte,working_hours,certificates,wish_sectors,languages
{p},Amina,Hassan,amina@example.no,0301,B1,50,day|evening,driving_licence_B|police_certificate@2026-10-01,cleaning|retail,somali|norsk
{p},Omar,Ali,,3005,A2,100,day,,warehouse,
"""


def count(engine, model) -> int:
    with Session(engine) as s:
        return s.exec(select(func.count()).select_from(model)).one()


def upload(client, headers, kind, content: bytes, name: str):
    return client.post(f"/import/{kind}", files={"file": (name, content)}, headers=headers)


def test_candidates_import_and_export_round_trip(client, world):
    h = world.headers["staff_a"]
    response = upload(client, h, "candidates", CANDIDATES.format(p=world.project_a).encode(), "kandidater.csv")
    assert response.status_code == 200, response.text
    assert response.json()["imported"] == 2
    listed = client.get("/candidates", headers=h).json()
    omar = next(c for c in listed if c["first_name"] == "Omar")
    assert omar["municipality_code"] == "3301"  # the old Drammen number became the 2024 one
    amina = client.get(f"/candidates/{next(c['id'] for c in listed if c['first_name'] == 'Amina')}", headers=h).json()
    assert {c["code"] for c in amina["certificates"]} == {"driving_licence_B", "police_certificate"}
    assert amina["working_hours"] == ["day", "evening"]

    exported = client.get("/export/candidates.csv", headers=h)
    text = exported.content.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("id;project_id;first_name;last_name")
    assert "exit_assessment" not in text and "note" not in text
    # What was exported imports again (without the id column) into another project's hands.
    book = openpyxl.load_workbook(io.BytesIO(client.get("/export/candidates.xlsx", headers=h).content))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0][:4] == ("id", "project_id", "first_name", "last_name") and len(rows) == 3
    again = upload(client, h, "candidates", client.get("/export/candidates.xlsx", headers=h).content, "igjen.xlsx")
    assert again.status_code == 200 and again.json()["imported"] == 2
    assert count(world.engine, Candidate) == 4


def test_a_file_with_errors_imports_nothing_and_names_each_row(client, world):
    bad = CANDIDATES.format(p=world.project_a) + f"{world.project_a},Nora,,,0301,D1,0,day,,,\n"
    response = upload(client, world.headers["staff_a"], "candidates", bad.encode(), "k.csv")
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert {(e["row"], e["field"]) for e in errors} >= {(4, "last_name"), (4, "norwegian_level"), (4, "wanted_fte")}
    assert response.json()["imported"] == 0 and count(world.engine, Candidate) == 0


def test_staff_cannot_import_into_another_project(client, world):
    response = upload(client, world.headers["staff_a"], "candidates", CANDIDATES.format(p=world.project_b).encode(), "k.csv")
    assert response.status_code == 422 and response.json()["errors"][0]["row"] == 2
    assert count(world.engine, Candidate) == 0


def test_norwegian_office_encodings(client, world):
    latin1 = CANDIDATES.format(p=world.project_a).replace(",", ";").replace("Hassan", "Bøe")
    response = upload(client, world.headers["staff_a"], "candidates", latin1.encode("cp1252"), "k.csv")
    assert response.status_code == 200, response.text
    assert "Bøe" in {c["last_name"] for c in client.get("/candidates", headers=world.headers["staff_a"]).json()}


def test_empty_wrong_and_broken_files_are_explained(client, world):
    h = world.headers["consultant"]
    assert upload(client, h, "employers", b"", "e.csv").json()["errors"][0]["message"] == "Filen er tom."
    assert "csv eller .xlsx" in upload(client, h, "employers", b"x", "e.pdf").json()["detail"]
    assert "regnearket" in upload(client, h, "employers", b"not a zip", "e.xlsx").json()["detail"]
    missing = upload(client, h, "employers", b"name,sector\nX,cleaning\n", "e.csv").json()
    assert missing["errors"][0]["row"] == 1 and "organisation_number" in missing["errors"][0]["field"]


def test_employers_and_vacancies_import_with_duplicates_refused(client, world):
    h = world.headers["consultant"]
    employers = ("organisation_number,name,sector,municipality_code\n974760673,Renhold AS,cleaning,0301\n"
                 "923609016,Lager AS,warehouse,3301\n")
    assert upload(client, h, "employers", employers.encode(), "e.csv").json()["imported"] == 2
    duplicate = upload(client, h, "employers", employers.encode(), "e.csv")
    assert duplicate.status_code == 422 and [e["row"] for e in duplicate.json()["errors"]] == [2, 3]
    vacancies = ("organisation_number,external_id,title,occupation_code,municipality_code,fte,contract_type,start,end,working_hours\n"
                 "974760673,V1,Renholder,9112,0301,50,permanent,2027-01-01,,evening\n"
                 "923609016,V2,Lagermedarbeider sommer,,3301,100,seasonal,2027-06-01,2027-08-31,day|weekend\n")
    response = upload(client, h, "vacancies", vacancies.encode(), "v.csv")
    assert response.status_code == 200, response.text
    assert count(world.engine, Vacancy) == 2 and count(world.engine, Employer) == 2
    assert upload(client, h, "vacancies", vacancies.encode(), "v.csv").json()["imported"] == 2  # external_id: updated
    assert count(world.engine, Vacancy) == 2
    exported = client.get("/export/vacancies.csv", headers=h).content.decode("utf-8-sig")
    assert "974760673;V1;Renholder;9112" in exported


def test_vacancy_import_with_a_code_outside_styrk08_imports_nothing(client, world):
    h = world.headers["consultant"]
    employers = "organisation_number,name,sector,municipality_code\n974760673,Renhold AS,cleaning,0301\n"
    assert upload(client, h, "employers", employers.encode(), "e.csv").json()["imported"] == 1
    vacancies = ("organisation_number,external_id,title,occupation_code,municipality_code,fte,contract_type,start,working_hours\n"
                 "974760673,V1,Renholder,9112,0301,50,permanent,2027-01-01,evening\n"
                 "974760673,V2,Vaskeriarbeider,9121,0301,50,permanent,2027-01-01,day\n"
                 "974760673,V3,Fagarbeider,,0301,50,permanent,2027-01-01,day\n")
    response = upload(client, h, "vacancies", vacancies.encode(), "v.csv")
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert [(e["row"], e["field"]) for e in errors] == [(3, "occupation_code"), (4, "occupation_code")]
    assert "8157" in errors[0]["message"]  # the suggestion from the title: Vaskeriarbeider is 8157 in STYRK-08
    assert count(world.engine, Vacancy) == 0


def test_exported_cells_never_run_as_formulas(client, world, make_candidate):
    make_candidate(last_name="=HYPERLINK(\"http://x\")")
    text = client.get("/export/candidates.csv", headers=world.headers["admin"]).content.decode("utf-8-sig")
    assert "'=HYPERLINK" in text
    book = openpyxl.load_workbook(io.BytesIO(client.get("/export/candidates.xlsx", headers=world.headers["admin"]).content))
    assert book.active["D2"].value.startswith("'=")


def test_who_may_import_and_export(client, world):
    assert upload(client, world.headers["consultant"], "candidates", b"x", "k.csv").status_code == 403
    assert upload(client, world.headers["staff_a"], "employers", b"x", "e.csv").status_code == 403
    assert client.get("/export/candidates.csv", headers=world.headers["employer"]).status_code == 403
    assert client.get("/export/employers.csv", headers=world.headers["staff_a"]).status_code == 403
    assert client.get("/export/employers.json", headers=world.headers["admin"]).status_code == 404


def test_cli_import_is_all_or_nothing(engine, world, tmp_path, capsys):
    from api.cli import main

    url = engine.url.render_as_string(hide_password=False)
    bad = tmp_path / "e.csv"
    bad.write_text("organisation_number,name,sector,municipality_code\n974760673,A,cleaning,0301\n123,B,cleaning,0301\n")
    assert main(["import", "employers", str(bad), "--database-url", url]) == 2
    assert "Rad 3" in capsys.readouterr().err and count(engine, Employer) == 0
    out = tmp_path / "e.xlsx"
    assert main(["export", "employers", "--out", str(out), "--database-url", url]) == 0 and out.exists()
