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

    def ngettext(self, singular: str, plural: str, n: int, **params) -> str:
        return self._t.ngettext(singular, plural, n) % {"n": n, **params}
