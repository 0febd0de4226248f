"""A date typed in the right form that does not exist (31.02.2026) is told so, not "must be a date
(dd.mm.åååå)", which the person already wrote."""

from datetime import date

import pytest
from pydantic import TypeAdapter, ValidationError

from api.web.forms import optional_date
from core.errors import Invalid
from core.labels import message_nb


@pytest.mark.parametrize("typed", ["31.02.2026", "32.01.2026", "31.13.2026"])
def test_a_day_that_does_not_exist_is_told_so_in_the_pages(typed):
    with pytest.raises(Invalid) as refused:
        optional_date(typed, "start")
    assert refused.value.message == f"«{typed}» er ikke en dato som finnes (sjekk dag og måned)."
    assert refused.value.field == "start"


def test_a_date_in_another_form_still_gets_the_form_to_use():
    with pytest.raises(Invalid) as refused:
        optional_date("neste uke", "start")
    assert "dd.mm.åååå" in refused.value.message
    assert optional_date("1.2.2026") == date(2026, 2, 1)


def test_the_api_says_the_same_for_a_day_that_does_not_exist():
    with pytest.raises(ValidationError) as refused:
        TypeAdapter(date).validate_python("2026-02-31")
    assert message_nb(refused.value.errors()[0]) == "er ikke en dato som finnes (sjekk dag og måned)"
