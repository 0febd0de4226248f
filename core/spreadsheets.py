"""Reading and writing spreadsheet files (CSV and XLSX) the way Norwegian offices use them.
Row numbers are as a spreadsheet shows them (header = 1)."""

import csv
import io
import zipfile
from collections.abc import Iterator
from datetime import date, datetime

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font

from core.limits import (
    MAX_CELL_CHARS,
    MAX_COLUMNS,
    MAX_FILE_BYTES,
    MAX_ROWS,
    MAX_UNCOMPRESSED_BYTES,
    MAX_ZIP_MEMBERS,
    MB,
    message,
)
from core.text import printable

MEDIA_TYPES = {"csv": "text/csv; charset=utf-8",
               "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


class TableError(ValueError):
    """The file cannot be read as a table (answered with 422)."""


class TableTooLarge(TableError):
    """The file passes one of the limits in core/limits.py (answered with 413)."""


def decode(raw: bytes) -> str:
    """UTF-8 (with or without BOM); UTF-16 or UTF-32 (Excel's "Unicode text"), told by the BOM or, for
    UTF-16 without one, by every other byte being zero; else Windows-1252 as Norwegian Excel saves CSV."""
    if raw.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        encodings: tuple[str, ...] = ("utf-32",)
    elif raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings = ("utf-16",)
    elif len(raw) >= 4 and raw[1:200:2].count(0) == len(raw[1:200:2]):
        encodings = ("utf-16-le",)
    elif len(raw) >= 4 and raw[0:200:2].count(0) == len(raw[0:200:2]):
        encodings = ("utf-16-be",)
    else:
        encodings = ("utf-8-sig", "cp1252")
    for encoding in encodings:
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" in text:
            raise TableError(message("nul_in_file"))
        return text
    raise TableError("Filen er ikke tekst i UTF-8 eller Windows-1252 (Latin-1), og heller ikke UTF-16. Lagre den som CSV (UTF-8).")


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
    """(row number, {column: text}) for every non-empty row, from CSV or XLSX. The limits in
    core/limits.py are checked before and while reading: nothing larger than them is ever built."""
    if not raw:
        raise TableError("Filen er tom.")
    if len(raw) > MAX_FILE_BYTES:
        raise TableTooLarge(message("file_too_large", size=len(raw) // MB, limit=MAX_FILE_BYTES // MB))
    name = filename.lower()
    if name.endswith(".xlsx"):
        rows = _xlsx_rows(raw)
    elif name.endswith(".csv"):
        rows = _csv_rows(decode(raw))
    else:
        raise TableError("Filen må være .csv eller .xlsx.")
    header_cells = next(rows, None)
    if header_cells is None:
        raise TableError("Filen er tom.")
    header = [h.strip().lower() for h in header_cells]
    seen: set[str] = set()
    for column in header:
        if column and column in seen:
            raise TableError(message("duplicate_header", name=column))
        seen.add(column)
    result = []
    for number, cells in enumerate(rows, start=2):
        if not any(c.strip() for c in cells):
            continue
        if number > MAX_ROWS + 1:
            raise TableTooLarge(message("too_many_rows", limit=MAX_ROWS))
        for cell in cells:
            if len(cell) > MAX_CELL_CHARS:
                raise TableTooLarge(message("cell_too_large", row=number, size=len(cell), limit=MAX_CELL_CHARS))
        result.append((number, {name: (cells[i].strip() if i < len(cells) else "") for i, name in enumerate(header) if name}))
    return result


def _too_wide(cells) -> bool:
    return len(cells) > MAX_COLUMNS and any(str(c).strip() for c in cells[MAX_COLUMNS:] if c is not None)


def _xlsx_rows(raw: bytes) -> Iterator[list[str]]:
    """Rows of the first sheet, streamed. The zip directory is checked first: what a sheet declares
    (its dimension, the members' sizes) is never trusted to allocate."""
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise TableError("Kunne ikke lese regnearket: filen er ikke en .xlsx-fil.") from None
    if len(members) > MAX_ZIP_MEMBERS:
        raise TableTooLarge(message("too_many_members", limit=MAX_ZIP_MEMBERS))
    if sum(m.file_size for m in members) > MAX_UNCOMPRESSED_BYTES:
        raise TableTooLarge(message("unpacked_too_large", limit=MAX_UNCOMPRESSED_BYTES // MB))
    try:
        book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise TableError(f"Kunne ikke lese regnearket: {type(exc).__name__}.") from None
    try:
        # max_row/max_col bound what openpyxl pads missing cells and rows to (it would otherwise use
        # the sheet's declared dimension); one row past each limit tells that the limit was passed.
        # A row past the last one allowed, even an empty one, means the sheet reaches further
        # (openpyxl pads only up to a row that is really there): refused without reading on.
        worksheet = book.worksheets[0]
        # The area the sheet declares (its <dimension>): refused at once when it passes a limit.
        if (worksheet.max_row or 0) > MAX_ROWS + 1:
            raise TableTooLarge(message("too_many_rows", limit=MAX_ROWS))
        if (worksheet.max_column or 0) > MAX_COLUMNS:
            raise TableTooLarge(message("too_many_columns", limit=MAX_COLUMNS))
        sheet = worksheet.iter_rows(max_row=MAX_ROWS + 2, max_col=MAX_COLUMNS + 1, values_only=True)
        for number, row in enumerate(sheet, start=1):
            if number > MAX_ROWS + 1:
                raise TableTooLarge(message("too_many_rows", limit=MAX_ROWS))
            if _too_wide(row):
                raise TableTooLarge(message("too_many_columns", limit=MAX_COLUMNS))
            yield [_text(v) for v in row[:MAX_COLUMNS]]
    except TableError:
        raise
    except Exception as exc:  # a broken sheet inside a valid zip
        raise TableError(f"Kunne ikke lese regnearket: {type(exc).__name__}.") from None
    finally:
        book.close()


def _csv_rows(text: str) -> Iterator[list[str]]:
    first_line = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first_line.count)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        for cells in reader:
            if _too_wide(cells):
                raise TableTooLarge(message("too_many_columns", limit=MAX_COLUMNS))
            yield cells
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):  # the csv module's own cap (128 KB) on one cell
            raise TableTooLarge(message("cell_too_large", row=reader.line_num, size=f"over {MAX_CELL_CHARS}",
                                        limit=MAX_CELL_CHARS)) from None
        raise TableError(f"Rad {reader.line_num}: kunne ikke lese CSV ({exc}).") from None


def safe(value) -> object:
    """Text starting with = + - @ would run as a formula in a spreadsheet: make it plain text.
    Characters no spreadsheet can hold (stored before the text rule, or past the API) are replaced."""
    value = printable(value)
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
