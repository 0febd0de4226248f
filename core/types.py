"""Shared value types."""

from datetime import UTC, date, datetime, time
from enum import StrEnum
from zoneinfo import ZoneInfo

# Timestamps are stored as aware UTC; calendar days are Norwegian days.
LOCAL_TZ = ZoneInfo("Europe/Oslo")


def utcnow() -> datetime:
    return datetime.now(UTC)


def today() -> date:
    return datetime.now(LOCAL_TZ).date()


def start_of_day(day: date) -> datetime:
    """Midnight in Norway at the start of `day`, as an aware datetime."""
    return datetime.combine(day, time.min, tzinfo=LOCAL_TZ)


class Role(StrEnum):
    admin = "admin"
    consultant = "consultant"
    staff = "staff"
    employer = "employer"


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
