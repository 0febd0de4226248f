"""A consultant watching a run reads the phase in words, never the solver's keys ("poeng: seconds 0.395")."""

import re

from matching.service import progress_text


def test_progress_is_norwegian_words_with_a_decimal_comma():
    scoring = progress_text({"phase": "scoring", "seconds": 0.395})
    assert scoring == "Regner ut hvor godt hver kandidat passer: ferdig på 0,4 sekunder"
    solving = progress_text({"phase": "solving", "level": 1, "seconds": 3.2, "objective": 10, "bound": 12})
    assert solving.startswith("Optimerer: har et forslag etter 3,2 sekunder")
    for text in (scoring, solving, progress_text({"phase": "unknown"})):
        assert not re.search(r"seconds|objective|bound|level|\d\.\d", text), text


def test_a_rerun_says_it_builds_on_the_previous_run():
    assert progress_text({"phase": "warm start", "seconds": 0.21}) == "Sammenligner med forrige kjøring: ferdig på 0,2 sekunder"
    assert progress_text({"phase": "warm repair", "seconds": 12.4}) == "Bygger videre på forrige kjøring: ferdig på 12 sekunder"
