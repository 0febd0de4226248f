"""Reading and writing the CSV files of `brobygger match/shortlist/assign` (issue 4 contract).

Users keep these files in spreadsheets, so errors name the file and the row as the spreadsheet
shows it (the header is row 1, the first data row is row 2), in Norwegian. Files may start with
a UTF-8 byte order mark (Excel writes one); we write one too, so Excel shows æøå correctly.
Cells holding lists separate items with ';'. A file whose header uses ';' as the column
separator (Norwegian Excel) is read with ';' too; list cells must then be quoted.
"""

from __future__ import annotations

import csv
import math
import os
import re
import tempfile
from datetime import date

import numpy as np

from core.occupations import code_for

CANDIDATE_COLUMNS = ("candidate_id", "municipality", "max_commute_km", "desired_fte", "available_from",
                     "available_to", "norwegian_level", "certificates", "wishes", "experience", "hours",
                     "formidlingsklar")
VACANCY_COLUMNS = ("vacancy_id", "employer_id", "title", "occupation", "municipality", "fte", "start", "end",
                   "headcount", "hours", "required_certificates", "min_norwegian_level")
PAIR_COLUMNS = ("candidate_id", "vacancy_id", "score")

_CERT_CODE = re.compile(r"^[A-Za-z0-9_]+$")
_TRUE = {"true", "ja", "1", "yes", "sann"}
_FALSE = {"false", "nei", "0", "no", "usann"}


class CsvError(Exception):
    """A malformed input file; the message is for the user (Norwegian, with file and row)."""

    def __init__(self, path: str, row: int | None, message: str):
        self.path, self.row = path, row
        where = f"{os.path.basename(path)}, rad {row}" if row else os.path.basename(path)
        super().__init__(f"{where}: {message}")


# --- reading ---------------------------------------------------------------------------------


def _sniff_separator(path: str) -> str:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        header = fh.readline()
    return ";" if header.count(";") > header.count(",") else ","


def read_table(path: str, columns: tuple[str, ...], strip: bool = True):
    """The file as a DataFrame of strings (stripped), index = spreadsheet row number.
    Raises CsvError for unreadable files, missing columns and rows with too many cells."""
    import pandas as pd

    try:
        sep = _sniff_separator(path)
        frame = pd.read_csv(path, sep=sep, dtype=str, keep_default_na=False, encoding="utf-8-sig",
                            skip_blank_lines=False, engine="c")
    except FileNotFoundError:
        raise CsvError(path, None, "filen finnes ikke") from None
    except UnicodeDecodeError:
        raise CsvError(path, None, "filen er ikke UTF-8 (lagre som «CSV UTF-8»)") from None
    except pd.errors.EmptyDataError:
        raise CsvError(path, 1, "filen er tom; første rad skal være kolonnenavnene") from None
    except pd.errors.ParserError as exc:
        found = re.search(r"line (\d+), saw (\d+)", str(exc))
        if found:
            raise CsvError(path, int(found.group(1)), f"raden har {found.group(2)} celler, flere enn overskriften") from None
        raise CsvError(path, None, f"kan ikke lese filen som CSV ({exc})") from None
    frame.columns = [str(c).strip() for c in frame.columns]
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise CsvError(path, 1, f"mangler kolonne(r): {', '.join(missing)} (forventet: {', '.join(columns)})")
    frame = frame[list(columns)].fillna("")
    _text_rule(path, frame)
    if strip:
        frame = frame.apply(lambda column: column.str.strip())
    frame.index = frame.index + 2  # row 1 is the header
    # Blank lines are kept by the reader so row numbers stay right; drop them now.
    if len(frame):
        frame = frame[~(frame == "").all(axis=1)]
    return frame


def _text_rule(path: str, frame) -> None:
    """The text rule every input follows (core/text.py), row-numbered. Only cells that are not plain
    printable ASCII are looked at one by one, so 100,000-row files stay fast."""
    from core.text import TextRuleError, clean_text

    for column in frame.columns:
        unusual = frame[column].str.contains(r"[^\x20-\x7e]", regex=True)
        for index in frame.index[unusual.to_numpy()]:
            try:
                frame.at[index, column] = clean_text(frame.at[index, column])
            except TextRuleError as exc:
                raise CsvError(path, int(index) + 2, f"{column} {exc}") from None


def _items(cell: str) -> list[str]:
    return [item.strip() for item in cell.split(";") if item.strip()]


def _date(path: str, row: int, column: str, text: str, required: bool) -> date | None:
    if text == "":
        if required:
            raise CsvError(path, row, f"{column} mangler (dato på formen ÅÅÅÅ-MM-DD)")
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CsvError(path, row, f"{column} «{text}» er ikke en dato på formen ÅÅÅÅ-MM-DD") from None


def _percent(path: str, row: int, column: str, text: str) -> int:
    if not re.fullmatch(r"\d+", text) or not 1 <= int(text) <= 100:
        raise CsvError(path, row, f"{column} «{text}» skal være et helt prosenttall fra 1 til 100")
    return int(text)


def _number(path: str, row: int, column: str, text: str) -> float:
    try:
        value = float(text.replace(",", "."))
    except ValueError:
        raise CsvError(path, row, f"{column} «{text}» er ikke et tall") from None
    if not math.isfinite(value) or value < 0:
        raise CsvError(path, row, f"{column} «{text}» skal være et tall som er 0 eller større")
    return value


def _level(path: str, row: int, column: str, text: str) -> int:
    from matching.problem import norwegian_level_number

    try:
        return norwegian_level_number(text)
    except ValueError:
        raise CsvError(path, row, f"{column} «{text}» skal være A1, A2, B1, B2, C1, C2 eller tom") from None


def _hours(path: str, row: int, column: str, text: str) -> tuple[str, ...]:
    from matching.problem import HOURS

    values = tuple(h.lower() for h in _items(text))
    bad = [h for h in values if h not in HOURS]
    if bad:
        raise CsvError(path, row, f"{column}: ukjent verdi «{bad[0]}» (bruk day, evening, night, weekend)")
    return values


def _certificates(path: str, row: int, column: str, text: str) -> tuple[str, ...]:
    values = tuple(_items(text))
    bad = [c for c in values if not _CERT_CODE.match(c)]
    if bad:
        raise CsvError(path, row, f"{column}: ugyldig sertifikatkode «{bad[0]}» (f.eks. driving_licence_B)")
    return values


def _municipality(path: str, row: int, text: str) -> tuple[str, float, float]:
    from core.geography import UnknownMunicipality, get_municipality

    if not re.fullmatch(r"\d{4}", text):
        raise CsvError(path, row, f"municipality «{text}» skal være et firesifret kommunenummer (f.eks. 0301)")
    try:
        m = get_municipality(text)
    except UnknownMunicipality:
        raise CsvError(path, row, f"municipality «{text}» er ikke et kjent kommunenummer") from None
    return m.code, m.lat, m.lon


def _unique_id(path: str, row: int, column: str, text: str, seen: dict[str, int]) -> str:
    if text == "":
        raise CsvError(path, row, f"{column} mangler")
    if text in seen:
        raise CsvError(path, row, f"{column} «{text}» finnes allerede i rad {seen[text]}")
    seen[text] = row
    return text


def _codes(texts: list[str]) -> tuple[str, ...]:
    """STYRK-08 unit groups named by wishes (codes, or titles mapped with confidence)."""
    return tuple(dict.fromkeys(c for c in map(code_for, texts) if c))


def read_candidates(path: str) -> list:
    from matching.problem import HOURS, CandidateRecord

    frame = read_table(path, CANDIDATE_COLUMNS)
    seen: dict[str, int] = {}
    records = []
    for row, r in zip(frame.index.tolist(), frame.itertuples(index=False)):
        cid = _unique_id(path, row, "candidate_id", r.candidate_id, seen)
        code, lat, lon = _municipality(path, row, r.municipality)
        available_from = _date(path, row, "available_from", r.available_from, required=False) or date(1900, 1, 1)
        available_to = _date(path, row, "available_to", r.available_to, required=False)
        if available_to and available_to < available_from:
            raise CsvError(path, row, "available_to er før available_from")
        ready_text = r.formidlingsklar.lower()
        if ready_text not in _TRUE | _FALSE:
            raise CsvError(path, row, f"formidlingsklar «{r.formidlingsklar}» skal være true eller false")
        hours = _hours(path, row, "hours", r.hours) or HOURS  # empty: no restriction on hours
        records.append(CandidateRecord(
            id=cid, municipality=code, lat=lat, lon=lon,
            max_commute_km=_number(path, row, "max_commute_km", r.max_commute_km),
            desired_fte=_percent(path, row, "desired_fte", r.desired_fte),
            available_from=available_from, available_to=available_to,
            norwegian_level=_level(path, row, "norwegian_level", r.norwegian_level),
            certificates={c: None for c in _certificates(path, row, "certificates", r.certificates)},
            hours=hours, ready=ready_text in _TRUE,
            wishes=tuple(_items(r.wishes)), experience=tuple(_items(r.experience)),
            wish_codes=_codes(_items(r.wishes))))
    return records


def read_vacancies(path: str) -> list:
    from matching.problem import VacancyRecord

    frame = read_table(path, VACANCY_COLUMNS)
    seen: dict[str, int] = {}
    records = []
    for row, r in zip(frame.index.tolist(), frame.itertuples(index=False)):
        vid = _unique_id(path, row, "vacancy_id", r.vacancy_id, seen)
        code, lat, lon = _municipality(path, row, r.municipality)
        start = _date(path, row, "start", r.start, required=True)
        end = _date(path, row, "end", r.end, required=False)
        if end and end < start:
            raise CsvError(path, row, "end er før start")
        headcount = r.headcount or "1"
        if not re.fullmatch(r"\d+", headcount) or int(headcount) < 1:
            raise CsvError(path, row, f"headcount «{r.headcount}» skal være et helt tall 1 eller større")
        records.append(VacancyRecord(
            id=vid, employer_id=r.employer_id, title=r.title, occupation=r.occupation,
            occupation_code=code_for(r.occupation) or code_for(r.title) or "",
            municipality=code, lat=lat, lon=lon, fte=_percent(path, row, "fte", r.fte),
            start=start, end=end, headcount=int(headcount), hours=_hours(path, row, "hours", r.hours),
            required_certificates=_certificates(path, row, "required_certificates", r.required_certificates),
            min_norwegian_level=_level(path, row, "min_norwegian_level", r.min_norwegian_level)))
    return records


def read_pairs(path: str):
    """PAIRS.csv, vectorised (it can have millions of rows). Returns
    (candidate ids, vacancy ids, left index, right index, weights, score texts)."""
    import pandas as pd

    frame = read_table(path, PAIR_COLUMNS, strip=False)  # millions of rows: ids are taken as written
    rows = frame.index.to_numpy()
    for column in ("candidate_id", "vacancy_id", "score"):
        empty = (frame[column] == "").to_numpy()
        if empty.any():
            raise CsvError(path, int(rows[np.argmax(empty)]), f"{column} mangler")
    text = frame["score"]
    if text.str.contains(",", regex=False).any():
        text = text.str.replace(",", ".", regex=False)
    score = pd.to_numeric(text, errors="coerce").to_numpy(dtype=np.float64)
    bad = ~np.isfinite(score) | (score < 0)
    if bad.any():
        i = int(np.argmax(bad))
        raise CsvError(path, int(rows[i]), f"score «{frame['score'].iloc[i]}» skal være et tall som er 0 eller større")
    left, cand_ids = pd.factorize(frame["candidate_id"])
    right, vac_ids = pd.factorize(frame["vacancy_id"])
    key = left.astype(np.int64) * len(vac_ids) + right
    dup = pd.Series(key).duplicated().to_numpy()
    if dup.any():
        i = int(np.argmax(dup))
        first = int(rows[np.argmax(key == key[i])])
        raise CsvError(path, int(rows[i]), f"paret {frame['candidate_id'].iloc[i]}–{frame['vacancy_id'].iloc[i]} "
                                           f"finnes allerede i rad {first}")
    return list(cand_ids), list(vac_ids), left, right, score, frame["score"].to_numpy()


def integer_weights(score: np.ndarray) -> np.ndarray:
    """Scores as exact integers: scaled by the smallest power of ten that makes them whole
    (up to 10^6; beyond that they are rounded to six decimals)."""
    for digits in range(7):
        scaled = score * 10**digits
        if np.all(np.abs(scaled - np.rint(scaled)) < 1e-9 * np.maximum(1.0, np.abs(scaled))):
            return np.rint(scaled).astype(np.int64)
    return np.rint(score * 10**6).astype(np.int64)


# --- writing ---------------------------------------------------------------------------------


def write_csv(path: str, header: tuple[str, ...], rows) -> None:
    """Write atomically: a temporary file renamed into place, so a failure leaves no half file."""
    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=".brobygger-", suffix=".csv", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(header)
            writer.writerows(rows)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
