"""Consultants keep the customer register in the pages: register an employer (organisation number
checked), change it, add a contact person and a samarbeidsavtale; every mistake beside its field."""

import re

import pytest
from playwright.sync_api import expect

from tests.web.conftest import login, screenshot
from tests.web.text_audit import problems, visible

pytestmark = pytest.mark.browser


def _clean(page) -> None:
    text, _ = visible(page.content())
    assert problems(text) == [], problems(text)


def test_register_edit_contact_person_and_agreement(page, client, world):
    login(page, "consultant")
    page.goto("/app/arbeidsgivere")
    page.get_by_role("link", name="Registrer arbeidsgiver").click()
    page.get_by_label("Organisasjonsnummer").fill("974 760 674")  # wrong check digit
    page.get_by_label(re.compile(r"^Navn( \*)?$")).fill("Renhold Øst AS")
    page.get_by_label("Antall ansatte").fill("-5")
    page.get_by_role("button", name="Registrer arbeidsgiveren").click()
    expect(page.locator("#e-organisation_number")).to_contain_text("feil kontrollsiffer")
    expect(page.locator("#e-employees")).to_contain_text("må være minst 0")
    expect(page.locator("#e-sector")).to_contain_text("må fylles ut")
    expect(page.get_by_label(re.compile(r"^Navn( \*)?$"))).to_have_value("Renhold Øst AS")  # kept
    _clean(page)
    screenshot(page, "arbeidsgiver-registrer-feil")

    page.get_by_label("Organisasjonsnummer").fill("974 760 673")
    page.get_by_label("Antall ansatte").fill("120")
    page.get_by_label("Bransje").select_option(label="Renhold")
    page.get_by_label("Interesse for lønnstilskudd").select_option(label="Ja")
    page.get_by_role("button", name="Registrer arbeidsgiveren").click()
    expect(page.get_by_role("status")).to_contain_text("Arbeidsgiveren er registrert")
    expect(page.get_by_role("heading", level=1)).to_have_text("Renhold Øst AS")
    employer_url = page.url.split("?")[0]
    stored = client.get("/employers", headers=world.headers["consultant"]).json()
    assert [(e["organisation_number"], e["employees"], e["wage_subsidy_interest"]) for e in stored] == [
        ("974760673", 120, "yes")]

    # The same number again is refused beside the field.
    page.goto("/app/arbeidsgivere/ny")
    page.get_by_label("Organisasjonsnummer").fill("974760673")
    page.get_by_label(re.compile(r"^Navn( \*)?$")).fill("Dobbelt AS")
    page.get_by_label("Bransje").select_option(label="Renhold")
    page.get_by_role("button", name="Registrer arbeidsgiveren").click()
    expect(page.locator("#e-organisation_number")).to_contain_text("allerede registrert")

    page.goto(employer_url)
    page.get_by_role("link", name="Endre", exact=True).click()
    page.get_by_label(re.compile(r"^Navn( \*)?$")).fill("")
    page.get_by_role("button", name="Lagre endringene").click()
    expect(page.locator("#e-name")).to_contain_text("må fylles ut")
    _clean(page)
    page.get_by_label(re.compile(r"^Navn( \*)?$")).fill("Renhold Øst og Vest AS")
    page.get_by_label("Behov for tilkallingsvikarer").select_option(label="Ja")
    page.get_by_role("button", name="Lagre endringene").click()
    expect(page.get_by_role("status")).to_contain_text("Endringene er lagret")
    expect(page.get_by_role("heading", level=1)).to_have_text("Renhold Øst og Vest AS")
    expect(page.locator("dl.facts")).to_contain_text("Tilkallingsvikarer")
    expect(page.locator("dl.facts")).to_contain_text("Ja")

    page.get_by_role("link", name="Ny kontaktperson").click()
    page.get_by_label(re.compile(r"^Navn( \*)?$")).fill("Kari Leder")
    page.get_by_label("Telefon").fill("ring meg")
    page.get_by_label("E-post").fill("kari@")
    page.get_by_role("button", name="Legg til kontaktpersonen").click()
    expect(page.locator("#e-phone")).to_contain_text("har feil format")
    expect(page.locator("#e-email")).to_contain_text("er ikke en gyldig e-postadresse")
    _clean(page)
    page.get_by_label("Telefon").fill("+47 900 11 222")
    page.get_by_label("E-post").fill("kari@renholdost.no")
    page.get_by_role("button", name="Legg til kontaktpersonen").click()
    expect(page.get_by_role("status")).to_contain_text("Kontaktpersonen er lagt til")
    expect(page.locator("#kontaktpersoner")).to_contain_text("Kari Leder")

    page.get_by_role("link", name="Ny samarbeidsavtale").click()
    page.get_by_label("Type avtale").select_option(label="Praksisplass")
    page.get_by_label(re.compile(r"^Startdato")).fill("01.02.2027")
    page.get_by_label(re.compile(r"^Sluttdato")).fill("01.01.2027")
    page.get_by_role("button", name="Lagre avtalen").click()
    expect(page.locator("#e-end")).to_contain_text("kan ikke være før startdato (01.02.2027)")
    expect(page.locator("#e-description")).to_contain_text("må fylles ut")
    _clean(page)
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "samarbeidsavtale-feil-mobil")
    page.set_viewport_size({"width": 1366, "height": 850})
    page.get_by_label(re.compile(r"^Sluttdato")).fill("")
    page.get_by_label(re.compile(r"^Beskrivelse")).fill("To praksisplasser i renhold hvert halvår")
    page.get_by_role("button", name="Lagre avtalen").click()
    expect(page.get_by_role("status")).to_contain_text("Samarbeidsavtalen er lagret")
    expect(page.locator("#kontaktpersoner")).to_contain_text("Praksisplass: To praksisplasser i renhold hvert halvår")
    expect(page.locator("#kontaktpersoner")).to_contain_text(re.compile(r"01\.02\.2027–løpende"))
    screenshot(page, "arbeidsgiver-etter-skjemaer")
