"""Norwegian words for the codes the domain stores, and the date formats people read."""

from datetime import date, datetime

from candidates.catalogue import SECTORS
from core.geography import UnknownMunicipality, get_municipality

# The catalogue itself is core/labels.py (pages, exports and API messages share it); the pages'
# templates reach it through this module as `labels.X`.
from core.labels import (  # noqa: F401 (the templates read them as labels.X)
    ACTOR,
    AGENDA_KIND,
    AGREEMENT_KIND,
    ANSWER,
    ANSWER_REASON,
    ASSESSMENT_FIELD,
    ASSESSMENT_SCALE,
    ATTITUDE,
    BAROMETER_ANSWER_TYPE,
    CERTIFICATE,
    CONSENT_PURPOSE,
    CONTACT_KIND,
    CONTRACT_TYPE,
    DECISION,
    EMPLOYER_STATUS,
    EXIT_OUTCOME,
    EXIT_STATE,
    FIELD,
    GOAL_KIND,
    HANDOVER_END_REASON,
    ITEM_KIND,
    ITEM_STATUS,
    MUST_COMPLETE,
    OBSTACLE_KIND,
    OBSTACLE_OWNER,
    PAY_UNIT,
    PLAN_EVENT,
    PRESENTABLE_FIELD,
    PROGRAMME_STATUS,
    REFERRAL_DECISION,
    REFERRER_KIND,
    ROLE,
    RUN_STATUS,
    SAVED,
    SOLVER_STATUS,
    STAGE,
    TASK_STATUS,
    UNLOCK_KIND,
    VACANCY_SOURCE,
    VACANCY_STATUS,
    WORKING_HOURS,
    WOULD_HIRE,
    YES_NO,
    field_label,
)
from core.labels import certificate as labels_certificate
from core.occupations import is_unit_group, occupation_title
from core.types import LOCAL_TZ

# Admin actions on a user: (button, confirmation question, what it does, done message).
USER_ACTION = {
    "deactivate": ("Deaktiver", "Deaktivere {name}?",
                   "Brukeren kan ikke logge inn før en administrator aktiverer den igjen. Alle innlogginger og "
                   "API-nøkler brukeren har laget slutter å virke med en gang, og nøklene kan ikke brukes igjen.",
                   "{name} er deaktivert."),
    "reset-password": ("Nullstill passord", "Nullstille passordet til {name}?",
                       "Du får et midlertidig passord som vises én gang. Brukeren logges ut overalt og må velge "
                       "et nytt passord ved neste innlogging.",
                       "Passordet til {name} er nullstilt."),
    "revoke-sessions": ("Avslutt innlogginger", "Avslutte alle innlogginger for {name}?",
                        "Alle innlogginger brukeren har nå, og API-nøklene brukeren har laget, slutter å virke med "
                        "en gang. Brukeren kan logge inn igjen; nøklene må lages på nytt.",
                        "Innlogginger og API-nøkler for {name} er avsluttet."),
    "activate": ("Aktiver", "Aktivere {name}?", "Brukeren kan logge inn igjen.", "{name} er aktivert igjen."),
}
SECTOR = SECTORS
MONTHS = ("jan", "feb", "mar", "apr", "mai", "jun", "jul", "aug", "sep", "okt", "nov", "des")


def municipality(code: str | None) -> str:
    if not code:
        return ""
    try:
        return get_municipality(code).name
    except UnknownMunicipality:
        return code


def certificate(code: str) -> str:
    return labels_certificate(code)


def d(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.astimezone(LOCAL_TZ).date() if value.tzinfo else value.date()
    return value.strftime("%d.%m.%Y")


def dt(value: datetime | None) -> str:
    if value is None:
        return ""
    if value.tzinfo is not None:
        value = value.astimezone(LOCAL_TZ)
    return value.strftime("%d.%m.%Y %H:%M")


def label(mapping: dict, code) -> str:
    return mapping.get(str(code), str(code)) if code is not None else ""


def num(value) -> str:
    """1.0 -> "1", 2.5 -> "2,5" (Norwegian decimal comma); other values as they are."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.1f}".replace(".", ",")


def date_input(value) -> str:
    """A date field's value as people type it: "2027-01-15" (stored) -> "15.01.2027"; typed text stays."""
    text = "" if value is None else str(value)
    try:
        return date.fromisoformat(text).strftime("%d.%m.%Y")
    except ValueError:
        return text


def wish(value: str) -> str:
    """A wish as people read it: a sector's name, an occupation's title (stored as its STYRK-08 code)."""
    if value in SECTOR:
        return SECTOR[value]
    if is_unit_group(value):
        return occupation_title(value)
    return value


def pair(code, mapping: dict) -> tuple[str, str]:
    """For a select's options: (code, what people read)."""
    return str(code), mapping.get(str(code), str(code))


def zip_names(ids, people) -> list[tuple[str, str]]:
    """For a select of people: (id, name, role)."""
    return [(i, p.name + (f", {p.role}" if getattr(p, "role", None) else "")) for i, p in zip(ids, people, strict=False)]


def datetime_input(value) -> str:
    """A time field's value as people type it: "2026-12-08T10:00" -> "08.12.2026 10:00"; typed text stays."""
    if isinstance(value, datetime):
        return dt(value)
    text = "" if value is None else str(value)
    try:
        return dt(datetime.fromisoformat(text))
    except ValueError:
        return text


WEEKDAYS = ("mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag")


def weekday(value: date) -> str:
    return WEEKDAYS[value.weekday()]


def hm(value: datetime | None) -> str:
    return value.astimezone(LOCAL_TZ).strftime("%H:%M") if value else ""


FILTERS = {"d": d, "datetime_input": datetime_input, "weekday": weekday, "hm": hm, "dt": dt, "municipality": municipality, "certificate": certificate, "num": num,
           "date_input": date_input, "pair": pair, "zip_names": zip_names}
