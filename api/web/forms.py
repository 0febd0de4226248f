"""The one way a page handles a form.

`submit(...)`: the posted values are parsed into the API's own schema (the same rules, the same 422s),
the same service function as the API's is called, and then either
- it worked: commit, and a redirect to a page that says what was saved, or
- something is wrong: roll back, and the form again with every value as typed and each message beside
  its field (pydantic's English and the domain's messages both in Norwegian, see core/labels.py).

Form field names are the schema's field names; rows of a list are `experience.0.title`,
`experience.1.title`, ... (a row left empty is ignored). Dates may be typed as dd.mm.åååå.

Also here: reading single query or form values leniently (an empty field is None, a bad value a message
on the page, never a 500 or a JSON error)."""

import re
import types
import typing
from collections.abc import Callable
from datetime import date, datetime

from fastapi import Request
from fastapi.responses import RedirectResponse
from pydantic import BaseModel, ValidationError
from sqlmodel import Session
from starlette.datastructures import FormData

from core.errors import Conflict, DomainError, Invalid, NotFound
from core.labels import NO_SUCH_DATE, field_of, message_nb, sentence

# ---------------------------------------------------------------- single values


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
        return date.fromisoformat(_iso(value.strip()))
    except ValueError as exc:
        if "out of range" in str(exc) or "must be in" in str(exc):  # 31.02.2026: right format, no such day
            raise Invalid(f"«{value}» {NO_SUCH_DATE}.", field=field) from None
        raise Invalid(f"«{value}» er ikke en dato (dd.mm.åååå).", field=field) from None


def optional_datetime(value: str | None, field: str = "") -> datetime | None:
    if value is None or not value.strip():
        return None
    try:
        return datetime.fromisoformat(_iso(value.strip()))
    except ValueError:
        raise Invalid(f"«{value}» er ikke et tidspunkt (dd.mm.åååå tt:mm).", field=field) from None


def blank_to_none(value: str | None) -> str | None:
    return value.strip() if value and value.strip() else None


def validation_message(exc: ValidationError) -> tuple[str, str | None]:
    """The first problem of a pydantic error, as (Norwegian sentence naming the field, field)."""
    errors = errors_from(exc)
    field, message = next(iter(errors.items()), ("", "er ikke gyldig"))
    return sentence(field, message) + ".", field or None


# ---------------------------------------------------------------- whole forms

_NB_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})(?:[ T](\d{1,2})[:.](\d{2}))?$")
_DECIMAL_COMMA = re.compile(r"^-?\d+,\d+$")


def _iso(text: str) -> str:
    """"24.12.2026" -> "2026-12-24" (and with a time); anything else unchanged."""
    m = _NB_DATE.match(text)
    if not m:
        return text
    day, month, year, hour, minute = m.groups()
    iso = f"{year}-{int(month):02d}-{int(day):02d}"
    return iso + (f"T{int(hour):02d}:{minute}" if hour else "")


class FormInvalid(Exception):
    """Messages per field ("" for the form as a whole), Norwegian, ready to show."""

    def __init__(self, errors: dict[str, str], status_code: int = 422):
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors
        self.status_code = status_code


async def posted(request: Request) -> FormData:
    """The posted form (a dependency, so sync routes can use it; FastAPI has parsed it already)."""
    return await request.form()


def _unwrap(annotation):
    """Optional[X] -> X."""
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        return args[0] if len(args) == 1 else annotation
    return annotation


def _list_item(annotation):
    inner = _unwrap(annotation)
    if typing.get_origin(inner) is list:
        return typing.get_args(inner)[0] if typing.get_args(inner) else str
    return None


def _is_model(annotation) -> bool:
    return isinstance(_unwrap(annotation), type) and issubclass(_unwrap(annotation), BaseModel)


def _clean(value: str) -> str:
    value = value.strip()
    value = _iso(value)
    return value.replace(",", ".") if _DECIMAL_COMMA.match(value) else value


def form_values(form: FormData, schema: type[BaseModel]) -> dict[str, str | list[str]]:
    """The form as typed: one string per field, a list for multi-valued fields (checkboxes, multi-selects)."""
    values: dict[str, str | list[str]] = {}
    for key in form:
        if key in ("csrf_token",):
            continue
        field = schema.model_fields.get(key)
        item = _list_item(field.annotation) if field else None
        many = form.getlist(key)
        if item is not None and not _is_model(item):
            values[key] = [str(v) for v in many if str(v).strip()]
        else:
            values[key] = str(many[-1]) if many else ""
    return values


def _build(schema: type[BaseModel], values: dict, prefix: str, edits: set[str] | None) -> dict:
    """The schema's input from the flat form values: blanks left out (defaults apply), or None when the
    form edits that field; rows of sub-models collected from `name.N.field`; unticked boxes False."""
    data: dict = {}
    for name, field in schema.model_fields.items():
        key = prefix + name
        item = _list_item(field.annotation)
        edited = edits is None or name in edits if not prefix else True
        if item is not None and _is_model(item):
            rows: dict[int, dict] = {}
            pattern = re.compile(re.escape(key) + r"\.(\d+)\.")
            for k in values:
                m = pattern.match(k)
                if m:
                    rows.setdefault(int(m.group(1)), {})
            built = []
            for n in sorted(rows):
                row_prefix = f"{key}.{n}."
                if not any(str(v).strip() for k, v in values.items() if k.startswith(row_prefix)
                           and not isinstance(v, list)):
                    continue  # an empty row: the form's "add one more" line left blank
                built.append((n, _build(_unwrap(item), values, row_prefix, None)))
            if built or (edits is not None and name in edits):
                data[name] = [row for _, row in built]
                data.setdefault("__rows__", {})[name] = [n for n, _ in built]
            continue
        if _is_model(field.annotation):
            sub_prefix = key + "."
            if any(k.startswith(sub_prefix) and str(v).strip() for k, v in values.items()):
                data[name] = _build(_unwrap(field.annotation), values, sub_prefix, None)
            elif edits is not None and name in edits:
                data[name] = None
            continue
        if key not in values:
            if _unwrap(field.annotation) is bool and edits is not None and (name in edits or prefix):
                data[name] = False  # an unticked checkbox sends nothing
            elif item is not None and ((edits is not None and name in edits and not prefix) or field.is_required()):
                data[name] = []  # no box ticked: an empty list ("må ha minst ett valg" where one is needed)
            continue
        raw = values[key]
        if isinstance(raw, list):
            data[name] = [_clean(v) for v in raw]
        elif raw.strip() == "":
            if edits is not None and edited and not field.is_required():
                data[name] = None
        else:
            data[name] = _clean(raw)
    return data


def _strip_rows(data: dict) -> tuple[dict, dict[str, list[int]]]:
    rows = {}

    def walk(d, path=""):
        if isinstance(d, dict):
            for name, numbers in d.pop("__rows__", {}).items():
                rows[path + name] = numbers
            for k, v in d.items():
                walk(v, f"{path}{k}.")
        elif isinstance(d, list):
            for i, v in enumerate(d):
                walk(v, f"{path[:-1]}.{i}.")

    walk(data)
    return data, rows


def _form_name(field: str, rows: dict[str, list[int]]) -> str:
    """A schema location back to the form's name: the 2nd row built may have been the form's row 3."""
    parts = field.split(".")
    for i, part in enumerate(parts):
        if part.isdigit():
            numbers = rows.get(".".join(parts[:i]))
            if numbers and int(part) < len(numbers):
                parts[i] = str(numbers[int(part)])
    return ".".join(parts)


def errors_from(exc: ValidationError, rows: dict[str, list[int]] | None = None) -> dict[str, str]:
    errors: dict[str, str] = {}
    for e in exc.errors():
        field = _form_name(field_of(e.get("loc", ())), rows or {})
        errors.setdefault(field, message_nb(e))
    return errors


def parse(schema: type[BaseModel], values: dict, *, edits: set[str] | None = None, extra: dict | None = None):
    """The schema's model from the form values, or FormInvalid with every problem by field.
    `edits`: for a change form, the fields it shows (a blank one clears the field, an unticked box is
    False, an empty list empties it); None for a form that creates (blanks take the default)."""
    data, rows = _strip_rows(_build(schema, values, "", edits))
    data.update(extra or {})
    try:
        return schema.model_validate(data)
    except ValidationError as exc:
        raise FormInvalid(errors_from(exc, rows)) from None


def domain_errors(exc: DomainError) -> FormInvalid:
    status = 409 if isinstance(exc, Conflict) else 404 if isinstance(exc, NotFound) and not exc.field else 422
    return FormInvalid({exc.field or "": exc.message}, status)


def submit(session: Session, action: Callable[[], object], *, success: str | Callable[[object], str],
           again: Callable[[dict[str, str], int], object]):
    """Run `action` (parse the form and call the service), commit and redirect to `success`; or roll
    back and answer `again(errors, status)`: the same form, values kept, messages beside the fields."""
    try:
        result = action()
        session.commit()
    except FormInvalid as exc:
        session.rollback()
        return again(exc.errors, exc.status_code)
    except (Invalid, Conflict) as exc:
        session.rollback()
        invalid = domain_errors(exc)
        return again(invalid.errors, invalid.status_code)
    except NotFound as exc:
        if not exc.field:  # the thing the page is about is gone: the ordinary 404 page
            raise
        session.rollback()
        return again({exc.field: exc.message}, 422)
    target = success(result) if callable(success) else success
    return RedirectResponse(target, status_code=303)


def flatten(data, prefix: str = "") -> dict[str, str | list[str]]:
    """A stored record as form values (the inverse of parsing): dates as dd.mm.åååå where the field is
    a date, lists of rows as `name.N.field`."""
    out: dict[str, str | list[str]] = {}
    if isinstance(data, BaseModel):
        data = data.model_dump()
    for key, value in data.items():
        name = prefix + key
        if isinstance(value, dict):
            out.update(flatten(value, name + "."))
        elif isinstance(value, list) and value and isinstance(value[0], dict | BaseModel):
            for i, row in enumerate(value):
                out.update(flatten(row, f"{name}.{i}."))
        elif isinstance(value, list):
            out[name] = [str(v.value if hasattr(v, "value") else v) for v in value]
        elif value is None:
            out[name] = ""
        elif isinstance(value, bool):
            out[name] = "true" if value else ""
        elif isinstance(value, datetime):
            out[name] = value.isoformat(timespec="minutes")
        elif isinstance(value, date):
            out[name] = value.isoformat()
        else:
            out[name] = str(value.value if hasattr(value, "value") else value)
    return out
