"""One rule for all text that comes in, and a safe form of all text that goes out.

In: every input schema derives from `InputModel`, whose validator runs on every field before the
field's own rules. A string
- may not hold NUL, lone surrogates (half of a UTF-16 pair, which no encoder can write) or the
  non-characters U+FFFE/U+FFFF;
- may not hold other C0 control characters (U+0001-U+001F), except tab and newline in fields marked
  `MultiLineText` (notes, descriptions, summaries); there a Windows line break becomes a newline;
- is normalised to NFC (so "ø" typed on a Mac and on Windows is the same text, and searches match);
- made only of zero-width characters and spaces, counts as empty ("" or, where the field may be left
  out, as not given).
Spreadsheet imports and the CSV commands send their cells through the same rule (`clean_text`).

Out: `printable` turns any stored string into one every CSV, XLSX and JSON writer accepts, so data
stored before this rule (or written past the API) never breaks an export."""

import re
import typing
import unicodedata
from typing import Annotated, Any, ClassVar

from pydantic import BaseModel, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError


class _MultiLine:
    """Marker: a text field that may hold tab and newline."""

    def __repr__(self) -> str:
        return "MultiLine"


MULTILINE = _MultiLine()
MultiLineText = Annotated[str, MULTILINE]

ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\u180e"
_SURROGATE = re.compile("[\ud800-\udfff]")
_NONCHARACTER = re.compile("[\ufffe\uffff]")
_CONTROL_SINGLE = re.compile("[\x01-\x1f]")
_CONTROL_MULTI = re.compile("[\x01-\x08\x0b-\x1f]")  # tab (09) and newline (0a) allowed
_NOT_PRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


class TextRuleError(ValueError):
    pass


def _describe(char: str) -> str:
    return f"U+{ord(char):04X}"


def clean_text(value: str, *, multiline: bool = False) -> str:
    """The text rule. Raises TextRuleError with a Norwegian reason naming the character."""
    if "\x00" in value:
        raise TextRuleError("inneholder NUL-tegn (U+0000), som ikke er tillatt i tekst")
    if found := _SURROGATE.search(value):
        raise TextRuleError(f"inneholder et ugyldig tegn ({_describe(found.group())}, en halv UTF-16-surrogat)")
    if found := _NONCHARACTER.search(value):
        raise TextRuleError(f"inneholder et ugyldig tegn ({_describe(found.group())})")
    if multiline:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    if found := (_CONTROL_MULTI if multiline else _CONTROL_SINGLE).search(value):
        where = "" if multiline else " (linjeskift og tabulator er bare tillatt i fritekstfelt)"
        raise TextRuleError(f"inneholder et kontrolltegn ({_describe(found.group())}){where}")
    value = unicodedata.normalize("NFC", value)
    if not value.strip(ZERO_WIDTH + " \t\n\u00a0"):
        return ""
    return value


def printable(value: Any) -> Any:
    """For writing out: control characters, surrogates and non-characters become U+FFFD, so any
    stored string can be written to CSV, XLSX and JSON. Other values pass unchanged."""
    if isinstance(value, str) and _NOT_PRINTABLE.search(value):
        return _NOT_PRINTABLE.sub("\ufffd", value)
    return value


def _has_marker(annotation: Any) -> bool:
    if any(m is MULTILINE for m in getattr(annotation, "__metadata__", ())):
        return True
    return any(_has_marker(arg) for arg in typing.get_args(annotation))


def _is_dict(annotation: Any) -> bool:
    if typing.get_origin(annotation) is dict or annotation is dict:
        return True
    return any(_is_dict(arg) for arg in typing.get_args(annotation) if arg is not type(None))


class InputModel(BaseModel):
    """Base of every schema that takes input (API bodies, forms, imported rows): the text rule runs
    on every field, before the field's own validation, and a refusal names the field.
    Output schemas that inherit from an input schema set `text_rule = False` (stored data is shown
    as it is, never refused)."""

    text_rule: ClassVar[bool] = True
    # For a partial update (PATCH): the table it changes. A field that is a NOT NULL column there may
    # be left out, but not sent as null (which would reach the database as a 500).
    updates: ClassVar[Any] = None
    _not_null: ClassVar[frozenset[str]] = frozenset()
    _multiline: ClassVar[frozenset[str]] = frozenset()
    _dicts: ClassVar[frozenset[str]] = frozenset()
    _nullable: ClassVar[frozenset[str]] = frozenset()

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        fields = cls.model_fields
        cls._multiline = frozenset(n for n, f in fields.items()
                                   if _has_marker(f.annotation) or any(m is MULTILINE for m in f.metadata))
        cls._dicts = frozenset(n for n, f in fields.items() if _is_dict(f.annotation))
        cls._nullable = frozenset(n for n, f in fields.items() if not f.is_required() and f.default is None)
        if cls.updates is not None:
            columns = cls.updates.__table__.columns
            cls._not_null = frozenset(n for n in fields if n in columns and not columns[n].nullable
                                      and n not in ("id", "version"))

    @field_validator("*", mode="before")
    @classmethod
    def _text_rule(cls, value: Any, info: ValidationInfo) -> Any:
        if not cls.text_rule:
            return value
        name = info.field_name or ""
        if value is None and name in cls._not_null:
            raise PydanticCustomError("not_null", "kan ikke tømmes (null); utelat feltet for å beholde verdien")
        try:
            return cls._apply_rule(name, value)
        except TextRuleError as exc:
            raise PydanticCustomError("text_rule", str(exc)) from None

    @classmethod
    def _apply_rule(cls, name: str, value: Any) -> Any:
        multiline = name in cls._multiline
        if isinstance(value, str):
            cleaned = clean_text(value, multiline=multiline)
            return None if cleaned == "" and value != "" and name in cls._nullable else cleaned
        if isinstance(value, list | tuple):
            return [clean_text(v, multiline=multiline) if isinstance(v, str) else v for v in value]
        if isinstance(value, dict) and name in cls._dicts:
            return {(clean_text(k) if isinstance(k, str) else k): (clean_text(v, multiline=multiline)
                                                                   if isinstance(v, str) else v)
                    for k, v in value.items()}
        return value
