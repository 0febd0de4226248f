"""The occupation classification (STYRK-08, all levels) and the mapping of employers' job titles."""

import collections

import pytest

from benchmarks.occupation_mapping import current_mapper, evaluate, load_labelled, without_own_synonyms_mapper
from core.occupations import (
    ACCEPTED_CONFIDENCE,
    all_occupations,
    code_for,
    get_occupation,
    groups,
    is_unit_group,
    map_title,
    path,
    relatedness,
    search,
    suggest,
    tokens,
)


def test_the_whole_classification_is_shipped_in_all_four_levels():
    levels = collections.Counter(g.level for g in groups().values())
    assert levels == {1: 10, 2: 43, 3: 122, 4: 407}
    # Every unit group hangs under a minor, a sub-major and a major group.
    assert all([g.level for g in path(o.code)] == [1, 2, 3, 4] for o in all_occupations())
    assert len(all_occupations()) == 406  # 0000 "uoppgitt" names no occupation
    assert [g.name for g in path("9112")] == ["Renholdere, hjelpearbeidere mv.", "Renholdere mv.", "Renholdere",
                                              "Renholdere i virksomheter"]


def test_codes_the_curated_list_had_wrong_are_what_styrk08_says():
    assert not is_unit_group("9121")  # ISCO-only
    assert get_occupation("9510").name == "Reklamedistributører mv."
    assert get_occupation("5230").name == "Billettselgere"
    assert not is_unit_group("0000") and not is_unit_group("912") and not is_unit_group("abcd")
    # The occupations those codes were used for now have their right codes.
    assert map_title("Kassemedarbeider").code == "5223"
    assert map_title("Vaskeriarbeider").code == "8157"
    assert map_title("Hotellmedarbeider").code == "9112"


def test_salgsassistent_is_a_shop_job_not_a_warehouse_job():
    match = map_title("Salgsassistent")
    assert match.code == "5223" and match.confidence >= ACCEPTED_CONFIDENCE
    assert map_title("salgsassistent 50 %, ekstrahjelp").code == "5223"


@pytest.mark.parametrize(("title", "words"), [
    ("Renholdere (m/k) deltid 50 %", ("renholder",)),
    ("Sommervikar butikk, helg", ("butikk",)),
    ("SFO-assistent", ("sfoassistent",)),
    ("Kafé-medarbeider", ("kafemedarbeider",)),
    ("Servitører søkes", ("servitør",)),
])
def test_titles_are_normalised_before_lookup(title, words):
    assert tokens(title) == words


@pytest.mark.parametrize(("title", "code"), [
    ("Nattrenholder", "9112"),  # compound: the head (last part) names the work
    ("Renholdsansatt", "9112"),  # a known first part + a generic head
    ("renhoder", "9112"),  # typo
    ("Taxi sjåfør", "8322"),  # a compound written apart
    ("Bussjåfør Ruter", "8331"),  # decorated with the employer's name
])
def test_compounds_typos_and_decorations_map_with_confidence(title, code):
    match = map_title(title)
    assert match.code == code and match.confidence >= ACCEPTED_CONFIDENCE


def test_a_title_naming_no_work_gets_no_confident_code():
    assert suggest("Sommervikar 100 %, ekstrahjelp") == ()
    assert code_for("Medarbeider") is None
    assert code_for("5223") == "5223" and code_for("9121") is None


def test_labelled_titles_map_above_the_floor_on_both_splits():
    """A real measurement on the labelled set (benchmarks/occupation_mapping.py prints the whole table).
    The floors sit a little under what was measured when the threshold was chosen (README)."""
    rows = load_labelled()
    assert len(rows) >= 300 and {r["split"] for r in rows} == {"dev", "holdout"}
    assert all(is_unit_group(r["code"]) for r in rows)
    for split in ("dev", "holdout"):
        report = evaluate([r for r in rows if r["split"] == split], current_mapper())
        accepted = report["thresholds"][ACCEPTED_CONFIDENCE]
        assert report["top1"] >= 0.95 and report["top3"] >= 0.97, (split, report["misses"])
        assert accepted["precision"] >= 0.98 and accepted["recall"] >= 0.93, (split, accepted)


def test_titles_the_synonyms_did_not_foresee_are_rarely_accepted_wrongly():
    """With every curated synonym a title contains taken out of the index, what is still accepted
    above the threshold is mostly right: a wrong code is worse than asking for one."""
    rows = [r for r in load_labelled() if r["split"] == "holdout"]
    accepted = evaluate(rows, without_own_synonyms_mapper())["thresholds"][ACCEPTED_CONFIDENCE]
    assert accepted["precision"] >= 0.9 and accepted["recall"] >= 0.3, accepted


def test_related_occupations_count_partly():
    assert relatedness("5223", "5223") == 1.0
    assert 0.5 < relatedness("5223", "9334") < 1.0  # curated similar work: shop and shelf stacking
    assert relatedness("9334", "5223") == relatedness("5223", "9334")  # symmetric
    assert 0.5 <= relatedness("9122", "9123") < relatedness("5223", "9334")  # only the same minor group 912
    assert relatedness("5223", "8332") == 0.0


def test_search_serves_every_level_with_text_search():
    assert len(search(level=1)) == 10 and len(search(level=2)) == 43 and len(search(level=3)) == 122
    assert len(search()) == 406
    found = {g["code"] for g in search("kassemedarbeider")}
    assert found == {"5223"}
    assert {g["code"] for g in search(parent="911")} == {"9111", "9112"}
    assert {"911", "515"} <= {g["code"] for g in search("renhold", level=3)}
