"""Norway's postal code register: postal code -> municipality (2024 numbers), and municipality names.

The register ships in `core/data/postnummer.csv` (Posten/Bring, NLOD; see core/data/NOTICE.md) and is
read on first use. Posten revises it several times a year: `BROBYGGER_POSTAL_CODES_FILE` points at a
newer file with the same columns."""

from __future__ import annotations

import csv
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

SHIPPED = Path(__file__).parent / "data" / "postnummer.csv"


@dataclass(frozen=True)
class PostalCode:
    code: str
    place: str  # poststed
    municipality_code: str
    municipality_name: str


def _key(name: str) -> str:
    """Names compared without case, spaces, hyphens or accents ("Lillestrøm", "LILLESTRØM", "Aurskog-Høland")."""
    folded = unicodedata.normalize("NFC", name).casefold()
    return "".join(ch for ch in folded if ch.isalnum())


@lru_cache(maxsize=1)
def _load() -> tuple[dict[str, PostalCode], dict[str, str]]:
    from core.settings import get_settings

    path = Path(get_settings().postal_codes_file or SHIPPED)
    codes: dict[str, PostalCode] = {}
    names: dict[str, str] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter=";"):
            code = row["postnummer"].strip().zfill(4)
            entry = PostalCode(code, row["poststed"].strip(), row["kommunenummer"].strip().zfill(4),
                               row["kommunenavn"].strip())
            codes[code] = entry
            names.setdefault(_key(entry.municipality_name), entry.municipality_code)
    return codes, names


def lookup(code: str | None) -> PostalCode | None:
    """The postal code's entry, or None when the register has no such code."""
    if not code:
        return None
    code = str(code).strip()
    if not code.isdigit() or len(code) > 4:
        return None
    return _load()[0].get(code.zfill(4))


def municipality_by_name(name: str | None) -> str | None:
    """The municipality number for a municipality name as NAV writes it ("BERGEN", "Lillestrøm"), or None."""
    if not name:
        return None
    return _load()[1].get(_key(name))
