"""Pure rules: wording checks, the barometer profile (occupation mapping: tests/core/test_occupations.py)."""

import pytest

from employers.barometer import profile
from employers.wording import check_texts


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
