"""The job seeker's pages are built for translation, and English is shipped complete: every text the
pages and selfservice mark for translation has an English translation with the same placeholders."""

import re
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from selfservice.i18n import Translator, po_path
from tests.selfservice.test_own_pages import NEW_PASSWORD, _csrf, accept, invite

ROOT = Path(__file__).resolve().parents[2]
METHODS = [("selfservice/**.py", "python"), ("api/web/meg.py", "python"), ("api/web/__init__.py", "python"),
           ("api/web/templates/meg_*.html", "jinja2")]
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


def test_a_job_seeker_who_chose_english_gets_english_error_pages_and_form_messages(client, world, make_candidate):
    x = make_candidate()
    assert accept(client, invite(client, world, x["id"]), language="en").status_code == 303
    missing = client.get("/app/meg/finnes-ikke")
    assert missing.status_code == 404
    assert "We could not find the page." in missing.text and "To the front page" in missing.text
    assert 'lang="en"' in missing.text and "Fant ikke siden" not in missing.text
    staff_page = client.get("/app/kandidater")  # a staff page: its Norwegian words are not shown to them
    assert staff_page.status_code == 403 and "You do not have access to this page." in staff_page.text
    assert "Dette er bare for" not in staff_page.text
    bad = client.post("/app/meg/profil", data={"csrf_token": _csrf(client), "email": "ikke-en-adresse"})
    assert bad.status_code == 422 and "E-mail: is not a valid email address." in bad.text
    phone = client.post("/app/meg/profil", data={"csrf_token": _csrf(client), "phone": "ring meg"})
    assert phone.status_code == 422 and "Phone: has the wrong format." in phone.text
    expired = client.post("/app/meg/profil", data={"csrf_token": "feil", "email": "a@example.no"})
    assert expired.status_code == 403 and "The form has expired" in expired.text
    # In Norwegian the same pages stay Norwegian.
    client.post("/app/meg/sprak", data={"csrf_token": _csrf(client), "language": "nb"})
    assert "Fant ikke siden." in client.get("/app/meg/finnes-ikke").text
    bad = client.post("/app/meg/profil", data={"csrf_token": _csrf(client), "email": "ikke-en-adresse"})
    assert "E-post: er ikke en gyldig e-postadresse." in bad.text


def test_english_invitation_page_errors(client, world, make_candidate):
    code = invite(client, world, make_candidate()["id"])
    short = accept(client, code, "kort", language="en")
    assert short.status_code == 422 and "The password must have at least 12 characters." in short.text
    unlike = accept(client, code, NEW_PASSWORD, again="noe-annet-helt-annet", language="en")
    assert unlike.status_code == 422 and "Passordene er ikke like" not in unlike.text


def test_a_bad_comment_on_a_plan_task_is_a_message_in_english_not_an_error(client, world, make_candidate):
    x = make_candidate()
    mine = client.post(f"/candidates/{x['id']}/plan/tasks", headers=world.headers["staff_a"], json={
        "title": "Søk på tre butikkjobber", "owner_kind": "candidate"}).json()["id"]
    assert accept(client, invite(client, world, x["id"]), language="en").status_code == 303
    answer = client.post(f"/app/meg/plan/plan-{mine}", data={"csrf_token": _csrf(client), "comment": "ring\x07meg"})
    assert answer.status_code == 422 and "Comment: contains characters that cannot be used." in answer.text


def test_the_english_catalogue_keeps_its_header():
    # gettext reads the charset and the plural rule from it; `tools/update_translations.py` used to
    # write the catalogue without one.
    text = po_path("en").read_text(encoding="utf-8")
    header = text[:text.index('\n\n', text.index('msgid ""'))]
    assert '"Content-Type: text/plain; charset=utf-8\\n"' in header
    assert '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"' in header
    assert '"Language: en\\n"' in header
