"""The job seeker's pages are built for translation, and English is shipped complete: every text the
pages and selfservice mark for translation has an English translation with the same placeholders."""

import re
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from selfservice.i18n import Translator, po_path

ROOT = Path(__file__).resolve().parents[2]
METHODS = [("selfservice/**.py", "python"), ("api/web/meg.py", "python"), ("api/web/templates/meg_*.html", "jinja2")]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None}


def _msgids() -> set:
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(str(ROOT), METHODS, keywords=KEYWORDS):
        found.add(message if isinstance(message, str) else tuple(message))
    return found


def _placeholders(text: str) -> set[str]:
    return set(re.findall(r"%\((\w+)\)s", text))


def test_every_text_of_the_job_seekers_pages_has_an_english_translation():
    found = _msgids()
    assert len(found) > 150
    with po_path("en").open("rb") as handle:
        catalogue = read_po(handle, locale="en")
    missing, placeholders = [], []
    for msgid in sorted(found, key=str):
        message = catalogue.get(msgid[0] if isinstance(msgid, tuple) else msgid)
        strings = message.string if message else None
        if not message or message.fuzzy or not strings or (isinstance(strings, tuple) and not all(strings)):
            missing.append(msgid)
            continue
        for source, target in zip(msgid if isinstance(msgid, tuple) else (msgid,),
                                  strings if isinstance(strings, tuple) else (strings,), strict=False):
            if _placeholders(source) != _placeholders(target):
                placeholders.append((source, target))
    assert missing == [], ("texts without English (run tools/update_translations.py and translate them in "
                           f"selfservice/locale/en/LC_MESSAGES/messages.po): {missing}")
    assert placeholders == []


def test_norwegian_is_the_source_and_english_is_translated():
    assert Translator("nb").gettext("Min plan") == "Min plan"
    assert Translator("en").gettext("Min plan") == "My plan"
    assert Translator("en").ngettext("%(what)s ville åpnet %(n)s stilling.", "%(what)s ville åpnet %(n)s stillinger.",
                                     7, what="Forklift licence") == "Forklift licence would open 7 jobs."
    assert Translator("xx").language == "nb"
