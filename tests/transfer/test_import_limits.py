"""Spreadsheet imports are bounded before they are parsed (core/limits.py): a hostile or huge file
gets a quick 413/422 with a Norwegian message, and nothing is imported."""

import io
import time
import zipfile

import pytest
from sqlmodel import Session, func, select

from candidates.models import Candidate
from core import limits
from tests.transfer.xlsx_bombs import bomb_xlsx

HUGE_SHEET = ('<row r="1"><c r="A1" t="inlineStr"><is><t>project_id</t></is></c></row>'
              '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>')


def count(engine) -> int:
    with Session(engine) as s:
        return s.exec(select(func.count()).select_from(Candidate)).one()


def upload(client, world, content: bytes, name: str = "k.csv"):
    return client.post("/import/candidates", files={"file": (name, content)}, headers=world.headers["admin"])


def test_a_tiny_xlsx_declaring_the_whole_sheet_is_refused_at_once(client, world):
    raw = bomb_xlsx(ref="A1:XFD1048576", cells=HUGE_SHEET)
    assert len(raw) < 2000
    started = time.perf_counter()
    response = upload(client, world, raw, "k.xlsx")
    assert time.perf_counter() - started < 10  # it used to allocate the declared area: MemoryError after 33 s
    assert response.status_code == 413 and "for mange rader" in response.json()["detail"]
    assert count(world.engine) == 0


def test_an_xlsx_whose_members_unpack_to_too_much_is_refused_before_reading(client, world):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"<" + b" " * (limits.MAX_UNCOMPRESSED_BYTES + 1))
    assert len(buffer.getvalue()) < 200_000  # a zip bomb
    response = upload(client, world, buffer.getvalue(), "k.xlsx")
    assert response.status_code == 413 and "pakkes ut" in response.json()["detail"]


def test_too_many_columns_in_an_xlsx(client, world):
    cells = "".join(f'<c r="{col}1" t="inlineStr"><is><t>c{n}</t></is></c>'
                    for n, col in enumerate(["A", "Z", "AZ", "BZ", "CZ"]))  # column 78 is past the limit
    response = upload(client, world, bomb_xlsx(ref="A1:CZ1", cells=f'<row r="1">{cells}</row>'), "k.xlsx")
    assert response.status_code == 413 and "kolonner" in response.json()["detail"]


@pytest.mark.parametrize("size", [20_000, 5 * 1024 * 1024])  # over our limit; over the csv module's own cap
def test_a_huge_csv_cell_is_refused_naming_the_row(client, world, size):
    content = f"project_id,first_name,last_name\n{world.project_a},Amina,Hassan\n{world.project_a},{'x' * size},H\n"
    response = upload(client, world, content.encode())
    assert response.status_code == 413, response.text
    assert "Rad 3" in response.json()["detail"] and "for lang" in response.json()["detail"]
    assert count(world.engine) == 0


def test_a_file_over_ten_megabytes_is_refused(client, world):
    response = upload(client, world, b"project_id\n" + b"1\n" * (5 * 1024 * 1024 + 1))
    assert response.status_code == 413 and "for stor" in response.json()["detail"]


def test_too_many_rows_in_a_csv(client, world, monkeypatch):
    monkeypatch.setattr("core.spreadsheets.MAX_ROWS", 50)
    content = "project_id,first_name,last_name\n" + f"{world.project_a},A,B\n" * 51
    response = upload(client, world, content.encode())
    assert response.status_code == 413 and "høyst 50" in response.json()["detail"]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_files_from_excel_are_read_correctly(client, world, encoding):
    """Excel's "Unicode text" is UTF-16 with a BOM and tabs; some tools leave the BOM out."""
    content = f"project_id\tfirst_name\tlast_name\n{world.project_a}\tÅse\tØvrebø\n"
    response = upload(client, world, content.encode(encoding))
    assert response.status_code == 200, response.text
    names = {c["last_name"] for c in client.get("/candidates", headers=world.headers["admin"]).json()}
    assert names == {"Øvrebø"}


def test_duplicate_headers_are_refused_naming_the_header(client, world):
    content = f"project_id,first_name,last_name,First_Name\n{world.project_a},Amina,Hassan,Nora\n"
    response = upload(client, world, content.encode())
    assert response.status_code == 422 and "«first_name»" in response.json()["detail"]
    assert count(world.engine) == 0


def test_error_reports_are_capped_with_the_total_count(client, world):
    rows = "".join(f"{world.project_a},,\n" for _ in range(3000))  # two errors per row
    response = upload(client, world, ("project_id,first_name,last_name\n" + rows).encode())
    body = response.json()
    assert response.status_code == 422 and len(response.content) < 100_000
    assert len(body["errors"]) == limits.MAX_REPORTED_ERRORS and body["error_count"] == 6000
    assert body["errors_note"] == f"Viser de første {limits.MAX_REPORTED_ERRORS} av 6000 feil."
