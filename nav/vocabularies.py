"""NAV's controlled values for job ads, as the import API accepts them, and what each means here.

The value lists are those of NAV's pam-ansettelseskodeverk as pam-import-api validates them
(github.com/navikt/pam-import-api, github.com/navikt/pam-ansettelseskodeverk, MIT, "Copyright NAV"),
written out here; the mapping to brobygger's own values is the project's."""

import json

EXTENT = ("Heltid", "Deltid")
ENGAGEMENT_TYPE = ("Engasjement", "Fast", "Feriejobb", "Prosjekt", "Selvstendig næringsdrivende", "Sesong",
                   "Vikariat", "Trainee", "Lærling", "Åremål", "Frilanser", "Annet")
JOB_ARRANGEMENT = ("Skift", "Turnus", "Vakt")
WORKDAY = ("Lørdag", "Søndag", "Ukedager")
WORKHOURS = ("Dagtid", "Kveld", "Natt")
WORK_LANGUAGE = ("Norsk", "Engelsk", "Skandinavisk", "Samisk")
SECTOR = ("Privat", "Offentlig")
REMOTE = ("Hjemmekontor", "Hybridkontor", "Hjemmekontor ikke mulig")
EURES_FLAG = ("true", "false")
PRIVACY = ("SHOW_ALL", "INTERNAL_NOT_SHOWN")

# Properties that only take these values (NAV: "Properties that support only valid values").
CONTROLLED: dict[str, tuple[str, ...]] = {
    "extent": EXTENT, "engagementtype": ENGAGEMENT_TYPE, "jobarrangement": JOB_ARRANGEMENT, "workday": WORKDAY,
    "workhours": WORKHOURS, "workLanguage": WORK_LANGUAGE, "sector": SECTOR, "remote": REMOTE,
    "euresflagg": EURES_FLAG,
}
# These may carry several values as a stringified JSON list: "[\"Dagtid\",\"Kveld\"]".
MULTI_VALUED = ("workday", "workhours", "workLanguage")

# Receipt and status values of the import API.
ERROR_TYPES = ("PARSE_ERROR", "MISSING_PARAMETER", "INVALID_VALUE", "CONFLICT", "NOT_FOUND", "UNKNOWN")
REJECTION_REASONS = ("NOT_APPROVED_BY_LABOUR_INSPECTION", "NO_EMPLOYMENT", "DUPLICATE", "DISCRIMINATING",
                     "REJECT_BECAUSE_CAPACITY", "FOREIGN_JOB", "COLLECTION_JOB", "UNKNOWN")

# engagementtype -> brobygger's contract type. None: employment, but its period is not known from the value
# (a consultant fills it in). Not employment at all: refused (NAV's own reason NO_EMPLOYMENT).
CONTRACT_TYPE: dict[str, str | None] = {
    "Fast": "permanent", "Sesong": "seasonal", "Feriejobb": "seasonal", "Vikariat": "temporary",
    "Engasjement": "temporary", "Prosjekt": "temporary", "Åremål": "temporary",
    "Trainee": None, "Lærling": None, "Annet": None,
}
NOT_EMPLOYMENT = ("Frilanser", "Selvstendig næringsdrivende")

WORKHOURS_TO_OURS = {"Dagtid": "day", "Kveld": "evening", "Natt": "night"}
WEEKEND = ("Lørdag", "Søndag")
JOB_ARRANGEMENT_TO_OURS = {"Skift": "shift", "Turnus": "rota", "Vakt": "on_duty"}
SECTOR_TO_OURS = {"Privat": "private", "Offentlig": "public"}


def values_of(prop: str, raw: object) -> list[str]:
    """A property's values: one plain value, or several in a stringified JSON list (or a real list)."""
    if raw is None:
        return []
    if isinstance(raw, list):
        return [str(v).strip() for v in raw if str(v).strip()]
    text = str(raw).strip()
    if prop in MULTI_VALUED and text.startswith("["):
        try:
            parsed = json.loads(text)
        except ValueError:
            return [text]
        if isinstance(parsed, list):
            return [str(v).strip() for v in parsed if str(v).strip()]
    return [text] if text else []


def published() -> dict[str, list[str]]:
    """What GET .../properties/values answers: the controlled properties and their values."""
    return {prop: list(values) for prop, values in CONTROLLED.items()}
