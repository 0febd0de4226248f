"""STYRK-08, the Norwegian standard classification of occupations, in all four levels, with the
project's curated titles, sectors, synonyms and "similar work" relations.

Read from the CSV files in `data/` on first use and cached (see data/NOTICE.md for sources and
licences). Pure data and functions: vacancies, candidates' wishes and the matching service use it."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

# Levels: 1 major group (1 digit), 2 sub-major (2), 3 minor (3), 4 unit group (4 digits).
LEVELS = (1, 2, 3, 4)
# "Uoppgitt / yrker som ikke kan identifiseres": in the classification, but names no occupation.
UNSPECIFIED = "0000"


@dataclass(frozen=True)
class OccupationGroup:
    """A group on any level of STYRK-08."""

    code: str
    level: int
    name: str  # SSB's name
    parent: str | None


@dataclass(frozen=True)
class Occupation:
    """A unit group (four digits): the level vacancies and wishes are coded on."""

    code: str
    title: str  # the project's short singular title where curated, else SSB's name
    name: str  # SSB's name
    nav_name: str  # NAV's name (differs in wording for 59 groups)
    nav_category: str  # NAV's occupation category, "level 1 / level 2"
    sector: str | None  # a key of candidates.catalogue.SECTORS where curated
    synonyms: tuple[str, ...]

    @property
    def minor_group(self) -> str:
        return self.code[:3]


def _rows(name: str) -> list[dict[str, str]]:
    text = files("core.occupations").joinpath("data", name).read_text(encoding="utf-8")
    return [{k.strip(): (v or "").strip() for k, v in row.items()} for row in csv.DictReader(text.splitlines(), delimiter=";")]


@cache
def groups() -> dict[str, OccupationGroup]:
    """Every group on every level, by code (10 + 43 + 122 + 407)."""
    return {r["code"]: OccupationGroup(r["code"], int(r["level"]), r["name"], r["parentCode"] or None)
            for r in _rows("styrk08_ssb_klass_v319_all_levels.csv")}


@cache
def _occupations() -> dict[str, Occupation]:
    curated = {r["code"]: r for r in _rows("synonyms.csv")}
    unknown = set(curated) - {c for c, g in groups().items() if g.level == 4}
    if unknown:  # a typo in the curated data must not silently invent a code
        raise ValueError(f"synonyms.csv names codes that are not STYRK-08 unit groups: {sorted(unknown)}")
    result = {}
    for r in _rows("styrk08_units_merged.csv"):
        own = curated.get(r["code"], {})
        result[r["code"]] = Occupation(
            code=r["code"], title=own.get("title") or r["ssb_name"], name=r["ssb_name"], nav_name=r["nav_name"],
            nav_category=f"{r['nav_category_level1']} / {r['nav_category_level2']}",
            sector=own.get("sector") or None,
            synonyms=tuple(s.strip() for s in own.get("synonyms", "").split("|") if s.strip()),
        )
    return result


def all_occupations() -> tuple[Occupation, ...]:
    """The unit groups that name an occupation (406: all but 0000 "uoppgitt"), in code order."""
    return tuple(o for c, o in sorted(_occupations().items()) if c != UNSPECIFIED)


def is_unit_group(code: str | None) -> bool:
    return code is not None and code != UNSPECIFIED and code in _occupations()


def get_occupation(code: str) -> Occupation:
    """The unit group with this code; KeyError when there is none."""
    if code == UNSPECIFIED:
        raise KeyError(code)
    return _occupations()[code]


def occupation_title(code: str) -> str:
    """The title to show for a stored code (the code itself for one no longer in the classification)."""
    unit = _occupations().get(code)
    return unit.title if unit is not None and code != UNSPECIFIED else code


def occupations_in_sector(sector: str) -> tuple[Occupation, ...]:
    return tuple(o for o in all_occupations() if o.sector == sector)


def path(code: str) -> list[OccupationGroup]:
    """The groups from the major group down to `code`."""
    chain, group = [], groups().get(code)
    while group is not None:
        chain.append(group)
        group = groups().get(group.parent) if group.parent else None
    return chain[::-1]


@cache
def similar_work() -> dict[str, frozenset[str]]:
    """Curated "similar work" relation between unit groups (symmetric)."""
    related: dict[str, set[str]] = {}
    for r in _rows("similar_work.csv"):
        a, b = r["code"], r["similar_code"]
        if not (is_unit_group(a) and is_unit_group(b)):
            raise ValueError(f"similar_work.csv names a code that is not a STYRK-08 unit group: {a}, {b}")
        related.setdefault(a, set()).add(b)
        related.setdefault(b, set()).add(a)
    return {k: frozenset(v) for k, v in related.items()}


# How much of the occupation component a related occupation earns (1.0 is the same unit group).
SIMILAR_WORK_CREDIT = 0.75
SAME_MINOR_GROUP_CREDIT = 0.6


def relatedness(a: str, b: str) -> float:
    """1 for the same unit group, partial credit for curated similar work or the same minor group
    (three digits), else 0."""
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    if b in similar_work().get(a, ()):
        return SIMILAR_WORK_CREDIT
    if a[:3] == b[:3] and a != UNSPECIFIED and b != UNSPECIFIED:
        return SAME_MINOR_GROUP_CREDIT
    return 0.0


def search(query: str | None = None, level: int | None = None, parent: str | None = None) -> list[dict]:
    """Groups for GET /occupations: by level (default unit groups), under a parent code, and matching
    a text (in code, names, title or synonyms; case-insensitive)."""
    wanted_level = level or 4
    needle = (query or "").strip().casefold()
    units = _occupations()
    result = []
    for code, group in sorted(groups().items()):
        if group.level != wanted_level or code == UNSPECIFIED:
            continue
        if parent and not code.startswith(parent):
            continue
        unit = units.get(code) if group.level == 4 else None
        texts = [code, group.name] + ([unit.title, unit.nav_name, *unit.synonyms] if unit else [])
        if needle and not any(needle in t.casefold() for t in texts):
            continue
        entry = {"code": code, "level": group.level, "name": group.name, "parent": group.parent}
        if unit:
            entry |= {"title": unit.title, "nav_name": unit.nav_name, "nav_category": unit.nav_category,
                      "sector": unit.sector, "synonyms": list(unit.synonyms)}
        result.append(entry)
    return result
