"""Pure rules: occupation mapping, wording checks, the barometer profile."""

import pytest

from core.occupations import OCCUPATIONS, map_title
from employers.barometer import profile
from employers.wording import check_texts


@pytest.mark.parametrize(
    ("title", "code"),
    [("Erfaren renholder 50 % fast", "9112"), ("Lagerarbeider natt", "4321"), ("Assistent i barnehage", "5311"),
     ("Truckfører", "8344"), ("Bussjåfør Ruter", "8331"), ("Kassabetjent", "5230"), ("kokkeassistent", "9412")],
)
def test_titles_map_to_occupations(title, code):
    match = map_title(title)
    assert match.code == code and match.confidence >= 70


def test_unrelated_title_has_low_confidence():
    assert map_title("Senior dataingeniør maskinlæring").confidence < 70


def test_occupation_codes_are_unique_four_digit_styrk():
    codes = [o.code for o in OCCUPATIONS]
    assert len(codes) == len(set(codes)) and all(len(c) == 4 and c.isdigit() for c in codes)


@pytest.mark.parametrize(
    ("text", "rule"),
    [("Renholder søkes. Norsk som morsmål.", "mother_tongue"), ("Vi søker en mann til lageret", "gender"),
     ("Etnisk norsk ønskes", "ethnicity"), ("Søkere mellom 20 og 30 år", "age"), ("Ung og sprek medarbeider", "age"),
     ("Må være kristen", "religion"), ("Kun menn", "gender"), ("Native Norwegian speaker", "mother_tongue")],
)
def test_discriminatory_wording_is_found(text, rule):
    assert [h.rule for h in check_texts(text)] == [rule]


@pytest.mark.parametrize(
    "text",
    ["Butikkmedarbeider, norsk muntlig B1, kveld og helg", "Vi ønsker søkere med ulik bakgrunn",
     "Kvinner og menn oppfordres til å søke", "Arbeid med barn 3-6 år", "Førerkort klasse B kreves"],
)
def test_ordinary_wording_passes(text):
    assert check_texts(text) == []


@pytest.mark.parametrize(
    ("answers", "level"),
    [({}, "unknown"),
     ({"immigrant_employees": 0, "many_immigrant_applicants": False, "has_diversity_policy": False}, "none"),
     ({"immigrant_employees": 2, "employees_total": 100}, "some"),
     ({"immigrant_employees": 0, "has_diversity_policy": True}, "some"),
     ({"immigrant_employees": 14, "employees_total": 120, "has_diversity_policy": True}, "experienced"),
     ({"immigrant_employees": 3, "employees_total": 20, "attitude_to_hiring": 5}, "experienced"),
     ({"immigrant_employees": 3, "employees_total": 20, "attitude_to_hiring": 2}, "some")],
)
def test_barometer_profile_rule(answers, level):
    assert profile(answers).level == level
