"""An employer user submits, edits, closes and marks filled their own vacancies in the pages, with the
same rules and wording review as the API; a held vacancy shows why."""

import re

import pytest
from playwright.sync_api import expect

from tests.employers.conftest import ORG_A, employer_body
from tests.web.conftest import login, screenshot

pytestmark = pytest.mark.browser


def _fill(page, title: str, description: str = "") -> None:
    page.get_by_label("Tittel").fill(title)
    page.get_by_label("Yrke (STYRK-08)").fill("9112 Renholder")
    page.get_by_label("Beskrivelse").fill(description)
    page.get_by_label("Stillingsprosent").fill("50")
    page.get_by_label("Startdato").fill("01.02.2027")
    page.get_by_label("kveld").check()


def test_employer_submits_edits_closes_and_fills_vacancies(page, client, world):
    assert client.post("/employers", json=employer_body(ORG_A, name="Renhold Øst AS"),
                       headers=world.headers["consultant"]).status_code == 201
    login(page, "employer")
    page.get_by_role("link", name="Ny stilling").click()
    page.get_by_label("Tittel").fill("Renholder")
    page.get_by_label("Stillingsprosent").fill("")
    page.get_by_role("button", name="Send inn stillingen").click()
    expect(page.locator(".field.invalid").first).to_be_visible()  # the error beside the field, input kept
    expect(page.get_by_label("Tittel")).to_have_value("Renholder")
    screenshot(page, "arbeidsgiver-ny-stilling-feil")

    _fill(page, "Renholder kveld", "Vi søker en mann til kveldsrenhold.")
    page.get_by_role("button", name="Send inn stillingen").click()
    expect(page).to_have_url(re.compile(r"/app/min-side\?lagret=ny"))
    expect(page.get_by_role("status")).to_contain_text("holdes til gjennomgang")
    why = page.get_by_role("region", name=re.compile("holdes til gjennomgang"))
    expect(why).to_contain_text("«Vi søker en mann»")
    screenshot(page, "arbeidsgiver-stilling-holdt")

    row = page.get_by_role("row", name=re.compile("Renholder kveld"))
    row.get_by_role("link", name="Endre").click()
    expect(page.get_by_label("Tittel")).to_have_value("Renholder kveld")
    page.get_by_label("Beskrivelse").fill("Kveldsrenhold av kontorbygg. Norsk muntlig på B1-nivå.")
    page.get_by_role("button", name="Lagre endringene").click()
    expect(page.get_by_role("status")).to_contain_text("Endringene er lagret")
    expect(page.get_by_role("row", name=re.compile("Renholder kveld"))).to_contain_text("Åpen")

    page.get_by_role("row", name=re.compile("Renholder kveld")).get_by_role("link", name="Besatt").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Er stillingen besatt?")
    screenshot(page, "arbeidsgiver-bekreft-besatt")
    page.get_by_role("button", name="Ja, marker som besatt").click()
    expect(page.get_by_role("status")).to_contain_text("markert som besatt")
    expect(page.get_by_role("row", name=re.compile("Renholder kveld"))).to_contain_text("Besatt")

    page.get_by_role("link", name="Ny stilling").click()
    _fill(page, "Renholder helg")
    page.get_by_role("button", name="Send inn stillingen").click()
    page.get_by_role("row", name=re.compile("Renholder helg")).get_by_role("link", name="Lukk").click()
    page.get_by_role("button", name="Ja, lukk stillingen").click()
    expect(page.get_by_role("row", name=re.compile("Renholder helg"))).to_contain_text("Lukket")
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "arbeidsgiver-mine-stillinger-mobil")
    vacancies = client.get("/employer/vacancies", headers=world.headers["employer"]).json()
    assert {v["title"]: v["status"] for v in vacancies} == {"Renholder kveld": "filled", "Renholder helg": "closed"}
