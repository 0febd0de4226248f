"""Shared value types."""

from datetime import UTC, date, datetime, time
from enum import StrEnum
from typing import Annotated
from zoneinfo import ZoneInfo

from pydantic import AfterValidator, StringConstraints

# Timestamps are stored as aware UTC; calendar days are Norwegian days.
LOCAL_TZ = ZoneInfo("Europe/Oslo")


def utcnow() -> datetime:
    return datetime.now(UTC)


def today() -> date:
    return datetime.now(LOCAL_TZ).date()


def add_months(day: date, months: int) -> date:
    """The same day so many months on, or that month's last day (31 January + 1 month = 28/29 February)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def start_of_day(day: date) -> datetime:
    """Midnight in Norway at the start of `day`, as an aware datetime."""
    return datetime.combine(day, time.min, tzinfo=LOCAL_TZ)


class Role(StrEnum):
    admin = "admin"
    consultant = "consultant"
    staff = "staff"
    employer = "employer"
    candidate = "candidate"  # a job seeker, bound to their own candidate record (selfservice)


class CEFR(StrEnum):
    A1 = "A1"
    A2 = "A2"
    B1 = "B1"
    B2 = "B2"
    C1 = "C1"
    C2 = "C2"

    @property
    def rank(self) -> int:
        return list(CEFR).index(self) + 1


class WorkingHours(StrEnum):
    day = "day"
    evening = "evening"
    night = "night"
    weekend = "weekend"


def _known_municipality(value: str) -> str:
    from core.geography import UnknownMunicipality, normalise_code

    try:
        return normalise_code(value)  # an old (2020-2023) number becomes its 2024 number
    except UnknownMunicipality:
        raise ValueError(f"ukjent kommunenummer '{value}' (bruk 2024-nummer, f.eks. 0301 Oslo, 3301 Drammen)") from None


MunicipalityCode = Annotated[str, StringConstraints(pattern=r"^\d{4}$"), AfterValidator(_known_municipality)]


def _not_in_future(value: date) -> date:
    if value > today():
        from core.labels import date_nb

        raise ValueError(f"datoen ({date_nb(value)}) kan ikke være i fremtiden")
    return value


not_in_future = _not_in_future  # for a validator that applies the rule only in some cases

# A date that something already happened on: evidence, consent, an observation, a barometer round.
PastDate = Annotated[date, AfterValidator(_not_in_future)]


def not_before(value: date | None, info, earlier_field: str) -> date | None:
    """For a field validator: `value` may not be before the (already validated) `earlier_field`,
    so the error names the later field rather than the whole request."""
    earlier = info.data.get(earlier_field)
    if value is not None and earlier is not None and value < earlier:
        from core.labels import date_nb, field_label

        raise ValueError(f"kan ikke være før {field_label(earlier_field).lower()} ({date_nb(earlier)})")
    return value
