"""A consultant enters a vacancy an employer phoned in: the employer API's rules and wording review, the
occupation searched as you type or picked from the title's suggestions, every problem beside its field
with what was typed kept, and a confirmation when it is saved."""

import re

import pytest
from playwright.sync_api import expect

from tests.employers.conftest import ORG_A, employer_body
from tests.web.conftest import login, screenshot
from tests.web.text_audit import problems, visible

pytestmark = pytest.mark.browser


def test_consultant_registers_a_phoned_in_vacancy(page, client, world):
    employer = client.post("/employers", json=employer_body(ORG_A, name="Renhold Øst AS"),
                           headers=world.headers["consultant"]).json()
    login(page, "consultant")
    page.goto(f"/app/arbeidsgivere/{employer['id']}")
    page.get_by_role("link", name="Registrer stilling").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ny stilling hos Renhold Øst AS")

    # The occupation list is searchable: the whole classification is there to pick from.
    assert page.locator("datalist#yrker option[value^='9112 ']").count() == 1
    assert page.locator("datalist#yrker option").count() > 400

    # Everything wrong at once: no title, a share over 100, a seasonal job without an end, no hours.
    page.get_by_label("Stillingsprosent").fill("150")
    page.get_by_label("Type stilling").select_option(label="Sesong")
    page.get_by_label("Startdato").fill("01.06.2027")
    page.get_by_label("Beskrivelse").fill("Sommerrenhold på hotell.")
    page.get_by_role("button", name="Registrer stillingen").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Skjemaet har")
    for field, message in (("title", "må fylles ut"), ("fte", "kan være høyst 100"),
                           ("working_hours", "må ha minst ett valg"), ("end", "må ha en sluttdato")):
        expect(page.locator(f"#e-{field}")).to_contain_text(message)
    expect(page.get_by_label("Beskrivelse")).to_have_value("Sommerrenhold på hotell.")  # kept
    expect(page.get_by_label("Startdato")).to_have_value("01.06.2027")
    expect(page.get_by_label("Type stilling")).to_have_value("seasonal")
    text, _ = visible(page.content())
    assert problems(text) == [], problems(text)
    screenshot(page, "stilling-skjema-feil")
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "stilling-skjema-feil-mobil")
    page.set_viewport_size({"width": 1366, "height": 850})

    # The next try: the end date before the start, and a title the mapper cannot place on its own.
    page.get_by_label("Tittel").fill("Rengjøringshjelp")
    page.get_by_label("Stillingsprosent").fill("80")
    page.get_by_label("dag").check()
    page.get_by_label("Sluttdato").fill("31.05.2027")
    page.get_by_role("button", name="Registrer stillingen").click()
    expect(page.locator("#e-end")).to_contain_text("kan ikke være før startdato (01.06.2027)")

    page.get_by_label("Sluttdato").fill("31.08.2027")
    page.get_by_label("Beskrivelse").fill("Sommerrenhold på hotell. Vi søker en mann.")
    page.get_by_role("button", name="Registrer stillingen").click()
    expect(page.locator("#e-occupation_code")).to_contain_text("Velg et av forslagene")
    suggestions = page.get_by_role("group", name="Forslag ut fra tittelen")
    expect(suggestions.get_by_role("radio")).not_to_have_count(0)
    suggestions.get_by_role("radio").first.check()  # the likeliest: 9112
    page.get_by_role("button", name="Registrer stillingen").click()

    expect(page).to_have_url(re.compile(rf"/app/arbeidsgivere/{employer['id']}\?lagret=ny-stilling"))
    expect(page.get_by_role("status")).to_contain_text("Stillingen er registrert")
    row = page.locator("#stillinger tr", has_text="Rengjøringshjelp")
    expect(row).to_contain_text("Til gjennomgang")  # the wording review, as for the employer API
    expect(row).to_contain_text("Krav eller ønske om kjønn")
    expect(row).to_contain_text("80 %")
    screenshot(page, "stilling-registrert")
    stored = client.get("/vacancies", headers=world.headers["consultant"]).json()
    (vacancy,) = [v for v in stored if v["title"] == "Rengjøringshjelp"]
    assert vacancy["occupation_code"] == "9112" and vacancy["source"] == "consultant"
    assert vacancy["start"] == "2027-06-01" and vacancy["end"] == "2027-08-31"
    assert vacancy["working_hours"] == ["day"] and vacancy["pay_amount"] is None
