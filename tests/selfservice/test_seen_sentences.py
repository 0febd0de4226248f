"""Mine data's access log reads as plain sentences for every verb and thing, in Norwegian and English:
no "i en liste over profilen din" (a list read names no thing), no double spaces, nothing left blank."""

from datetime import date

import pytest

from selfservice.i18n import Translator
from selfservice.service import OTHER_WHAT, VERB_WORDS, WHAT_WORDS, SeenBy, seen_sentence, seen_words

ACTIONS = [*VERB_WORDS, "something_new"]  # an action the words do not know yet: "brukte"
WHATS = [needle + " (side)" for needle, _ in WHAT_WORDS] + ["noe helt annet"]


@pytest.mark.parametrize("language", ["nb", "en"])
def test_every_verb_with_every_thing_is_a_plain_sentence(language):
    t = Translator(language)
    seen = set()
    for action in ACTIONS:
        for what in WHATS:
            for who in ("Systemansvarlig", ""):
                verb, thing = seen_words(action, what)
                line = SeenBy(who, verb, thing, date(2026, 12, 2))
                text = seen_sentence(t.gettext, line, "02.12.2026")
                seen.add(text)
                assert "i en liste over" not in text and "in a list of" not in text, text
                assert "  " not in text and "%(" not in text and text.endswith(" 02.12.2026"), text
                assert text.startswith(who or ("Du " if language == "nb" else "You ")), text
                if action == "list":  # the list's name tells the job seeker nothing: the sentence ends there
                    assert text.removesuffix(" 02.12.2026").endswith(
                        "så navnet ditt i en liste" if language == "nb" else "saw your name in a list"), text
                else:
                    assert t.gettext(thing) in text and thing in [w for _, w in WHAT_WORDS] + [OTHER_WHAT]
    assert "Systemansvarlig så navnet ditt i en liste 02.12.2026" in seen or language == "en"
    assert "Du så planen din 02.12.2026" in seen or language == "en"
    assert "Systemansvarlig saw your name in a list 02.12.2026" in seen or language == "nb"
