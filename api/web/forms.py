"""Reading form and query values leniently: an empty field is None, and a bad value is a message on
the page, never a 500 or a JSON error."""

from datetime import date, datetime

from pydantic import ValidationError

from core.errors import Invalid


def optional_int(value: str | None, field: str = "") -> int | None:
    if value is None or not str(value).strip():
        return None
    try:
        return int(str(value).strip())
    except ValueError:
        raise Invalid(f"«{value}» er ikke et tall.", field=field) from None


def optional_date(value: str | None, field: str = "") -> date | None:
    if value is None or not value.strip():
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise Invalid(f"«{value}» er ikke en dato (åååå-mm-dd).", field=field) from None


def optional_datetime(value: str | None, field: str = "") -> datetime | None:
    if value is None or not value.strip():
        return None
    try:
        return datetime.fromisoformat(value.strip())
    except ValueError:
        raise Invalid(f"«{value}» er ikke et tidspunkt.", field=field) from None


def blank_to_none(value: str | None) -> str | None:
    return value.strip() if value and value.strip() else None


def validation_message(exc: ValidationError) -> tuple[str, str | None]:
    """The first problem of a pydantic error, as (message, field)."""
    first = exc.errors()[0] if exc.errors() else {"msg": str(exc), "loc": ()}
    field = ".".join(str(p) for p in first.get("loc", ())) or None
    message = first.get("msg", "").removeprefix("Value error, ")
    return message, field
