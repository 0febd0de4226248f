"""Translation for the job seeker's pages: gettext catalogues through Babel.

The source language is plain bokmål: the msgids are the Norwegian sentences, so Norwegian needs no
catalogue. Every other language has selfservice/locale/<lang>/LC_MESSAGES/messages.po (committed),
compiled in memory when first used, so a fresh checkout needs no build step. New texts:
`pybabel extract -F babel.cfg -o selfservice/locale/messages.pot .` then
`pybabel update -i selfservice/locale/messages.pot -d selfservice/locale`; a test fails while any
msgid lacks an English translation."""

import gettext
import io
from functools import lru_cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from core.labels import field_of, message_nb

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DEFAULT = "nb"
# Each language named in itself: a person who cannot read the page can still find their own.
LANGUAGES = {"nb": "Norsk", "en": "English"}


def N_(message: str) -> str:  # noqa: N802 (gettext's name for "mark for translation, translate later")
    return message


def po_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / "messages.po"


@lru_cache
def _catalogue(language: str) -> gettext.NullTranslations:
    if language == DEFAULT or language not in LANGUAGES:
        return gettext.NullTranslations()
    with po_path(language).open("rb") as handle:
        catalog = read_po(handle, locale=language)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


class Translator:
    """`_` and `ngettext` for one request; `%(name)s` placeholders filled from keyword arguments."""

    def __init__(self, language: str | None):
        self.language = language if language in LANGUAGES else DEFAULT
        self._t = _catalogue(self.language)

    def gettext(self, message: str, **params) -> str:
        text = self._t.gettext(message)
        return text % params if params else text

    def has(self, message: str) -> bool:
        """Whether the chosen language has this text (Norwegian, the source, has every text)."""
        return self.language == DEFAULT or self._t.gettext(message) != message

    def ngettext(self, singular: str, plural: str, n: int, **params) -> str:
        return self._t.ngettext(singular, plural, n) % {"n": n, **params}


# ---------------------------------------------------------------- form errors and error pages

# The fields a job seeker's forms have, named as the form names them.
FIELD_WORDS = {"email": N_("E-post"), "phone": N_("Telefon"), "address": N_("Adresse"), "comment": N_("Kommentar"),
               "text": N_("Kommentar"), "other": N_("Annen jobb"), "sectors": N_("Jobbene du ønsker"),
               "purpose": N_("Hva samtykket gjelder"), "employer_id": N_("Arbeidsgiver"), "code": N_("Kode"),
               "new_password": N_("Nytt passord"), "language": N_("Språk")}
# pydantic's error types as plain words (core/labels.py has the same for staff, in Norwegian only).
_SIMPLE = {
    "missing": N_("må fylles ut"), "missing_argument": N_("må fylles ut"), "not_null": N_("må fylles ut"),
    "int_parsing": N_("må være et heltall"), "int_type": N_("må være et heltall"),
    "int_from_float": N_("må være et heltall"), "string_type": N_("må være tekst"),
    "string_pattern_mismatch": N_("har feil format"), "enum": N_("er ikke et av de gyldige valgene"),
    "literal_error": N_("er ikke et av de gyldige valgene"),
    "text_rule": N_("inneholder tegn som ikke kan brukes"), "string_unicode": N_("inneholder tegn som ikke kan brukes"),
    "date_parsing": N_("må være en dato (dd.mm.åååå)"), "date_type": N_("må være en dato (dd.mm.åååå)"),
}
NOT_VALID = N_("er ikke gyldig")


def _message(error: dict) -> tuple[str, dict]:
    kind, ctx, msg = error.get("type", ""), error.get("ctx") or {}, str(error.get("msg", ""))
    if kind in _SIMPLE:
        return _SIMPLE[kind], {}
    if kind == "string_too_short":
        if str(ctx.get("min_length")) == "1":
            return N_("må fylles ut"), {}
        return N_("må ha minst %(n)s tegn"), {"n": ctx.get("min_length")}
    if kind == "string_too_long":
        return N_("kan ha høyst %(n)s tegn"), {"n": ctx.get("max_length")}
    if kind == "value_error" and "email" in msg.lower():
        return N_("er ikke en gyldig e-postadresse"), {}
    return message_nb(error), {}  # our own validators' Norwegian; translated where the catalogue has it


def form_error(t: Translator, error: dict) -> str:
    """One pydantic error as the job seeker reads it, in their language: "E-post: er ikke en gyldig
    e-postadresse." A message the catalogue lacks is, in another language, the plain "is not valid"."""
    field = field_of(error.get("loc", ()))
    msgid, params = _message(error)
    if not t.has(msgid):
        msgid, params = NOT_VALID, {}
    message = t.gettext(msgid, **params)
    label = FIELD_WORDS.get(field.split(".")[0]) if field else None
    if label:
        return t.gettext("%(field)s: %(problem)s.", field=t.gettext(label), problem=message)
    return message[:1].upper() + message[1:] + "."


def page_text(t: Translator, message: str, otherwise: str) -> str:
    """A message for a page: translated, or, where the catalogue lacks it, `otherwise` (a msgid) in the
    job seeker's language rather than Norwegian they did not choose."""
    return t.gettext(message if t.has(message) else otherwise)
