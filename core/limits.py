"""Every limit a user can meet, in one place, with the Norwegian message each gives.
The README's section "Grenser" lists them; change both together."""

MB = 1024 * 1024

# Requests (api/limits.py refuses them with 413 before they are read).
JSON_LIMIT = 2 * MB  # ordinary requests; a bulk of 500 vacancies is about 400 KB
UPLOAD_LIMIT = 11 * MB  # spreadsheet imports (the file itself may be at most MAX_FILE_BYTES)
# A stream of ads in NAV's format is read as it arrives (memory stays flat), so it may be long.
NAV_STREAM_LIMIT = 500 * MB

# Spreadsheet imports (core/spreadsheets.py): checked before and while reading, so a small file that
# declares a huge sheet (a "zip bomb" or A1:XFD1048576) is refused at once instead of filling memory.
MAX_FILE_BYTES = 10 * MB
MAX_UNCOMPRESSED_BYTES = 60 * MB  # all members of an XLSX file together, as its zip directory declares them
MAX_ZIP_MEMBERS = 200
MAX_ROWS = 50_000  # rows under the header
MAX_COLUMNS = 60
MAX_CELL_CHARS = 10_000  # the longest text field is 4,000; Excel's own limit is 32,767
MAX_REPORTED_ERRORS = 200  # an import answer lists at most this many errors, and gives the total count

# Bulk vacancy submissions through the employer API.
MAX_BULK_ITEMS = 500

MESSAGES = {
    "file_too_large": "Filen er for stor ({size} MB; høyst {limit} MB).",
    "unpacked_too_large": "Regnearket er for stort når det pakkes ut (over {limit} MB). Lagre bare arket med dataene.",
    "too_many_members": "Regnearket har for mange deler (over {limit}). Lagre det på nytt som en vanlig .xlsx-fil.",
    "too_many_rows": "Filen har for mange rader (høyst {limit} under overskriftene). Del den opp i flere filer.",
    "too_many_columns": "Filen har for mange kolonner (høyst {limit}).",
    "cell_too_large": "Rad {row}: en celle er for lang ({size} tegn; høyst {limit}).",
    "duplicate_header": "Kolonnen «{name}» finnes flere ganger i overskriftsraden. Fjern den ene.",
    "utf16_no_bom": "Filen ser ut til å være UTF-16 uten byte-rekkefølgemerke. Lagre den som CSV (UTF-8).",
    "nul_in_file": "Filen inneholder NUL-tegn og er ikke en tekstfil. Lagre den som CSV (UTF-8).",
    "errors_truncated": "Viser de første {shown} av {total} feil.",
}


def message(key: str, **values) -> str:
    return MESSAGES[key].format(**values)
