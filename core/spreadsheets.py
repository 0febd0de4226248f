"""Reading and writing spreadsheet files (CSV and XLSX) the way Norwegian offices use them.
Row numbers are as a spreadsheet shows them (header = 1)."""

import csv
import io
from datetime import date, datetime

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font

MAX_BYTES = 10 * 1024 * 1024


class TableError(ValueError):
    pass


def decode(raw: bytes) -> str:
    """UTF-8 (with or without BOM), else Windows-1252 as Norwegian Excel saves CSV."""
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise TableError("Filen er ikke tekst i UTF-8 eller Windows-1252 (Latin-1). Lagre den som CSV (UTF-8).")


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_table(raw: bytes, filename: str) -> list[tuple[int, dict[str, str]]]:
    """(row number, {column: text}) for every non-empty row, from CSV or XLSX."""
    if not raw:
        raise TableError("Filen er tom.")
    if len(raw) > MAX_BYTES:
        raise TableError(f"Filen er for stor ({len(raw) // 1024 // 1024} MB; høyst {MAX_BYTES // 1024 // 1024} MB).")
    if filename.lower().endswith(".xlsx"):
        try:
            sheet = load_workbook(io.BytesIO(raw), read_only=True, data_only=True).worksheets[0]
        except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
            raise TableError(f"Kunne ikke lese regnearket: {type(exc).__name__}.") from None
        rows = [[_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    elif filename.lower().endswith(".csv"):
        text = decode(raw)
        sample = text[:4096]
        rows = list(csv.reader(io.StringIO(text), delimiter=";" if sample.count(";") > sample.count(",") else ","))
    else:
        raise TableError("Filen må være .csv eller .xlsx.")
    if not rows:
        raise TableError("Filen er tom.")
    header = [h.strip().lower() for h in rows[0]]
    result = []
    for number, cells in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in cells):
            continue
        result.append((number, {name: (cells[i].strip() if i < len(cells) else "") for i, name in enumerate(header) if name}))
    return result


def safe(value) -> object:
    """Text starting with = + - @ would run as a formula in a spreadsheet: make it plain text."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def write_csv(header: list[str], rows: list[list]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")  # Norwegian Excel opens ;-separated files directly
    writer.writerow(header)
    writer.writerows([[safe(v) for v in row] for row in rows])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")  # the BOM makes Excel read æøå right


def write_xlsx(*sheets: tuple[str, list[str], list[list]]) -> bytes:
    """One worksheet per (title, header, rows), with a bold header and readable column widths."""
    book = Workbook()
    book.remove(book.active)
    for title, header, rows in sheets:
        sheet = book.create_sheet(title[:31])
        sheet.append(header)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append([safe(v) for v in row])
        for column in sheet.columns:
            width = max(len(str(c.value or "")) for c in column)
            sheet.column_dimensions[column[0].column_letter].width = min(60, max(10, width + 2))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
