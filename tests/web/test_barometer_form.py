"""The barometer as a form: the active question set, follow-up questions shown when the answer calls
for them, a bad answer beside its question with the rest kept, and each round kept on the employer's page."""

import re

import pytest
from playwright.sync_api import expect

from tests.employers.conftest import ORG_A, employer_body
from tests.web.conftest import login, screenshot
from tests.web.text_audit import problems, visible

pytestmark = pytest.mark.browser


def test_consultant_fills_in_two_barometer_rounds(page, client, world):
    employer = client.post("/employers", json=employer_body(ORG_A, name="Renhold Øst AS"),
                           headers=world.headers["consultant"]).json()
    client.post(f"/employers/{employer['id']}/contacts", json={"name": "Kari Leder", "role": "daglig leder"},
                headers=world.headers["consultant"])
    login(page, "consultant")
    page.goto(f"/app/arbeidsgivere/{employer['id']}")
    page.get_by_role("link", name="Ny runde").click()

    policy = page.get_by_role("group", name=re.compile("mangfoldspolicy"))
    details = page.get_by_label(re.compile("Hva inneholder policyen"))
    expect(details).to_be_hidden()  # a follow-up: only when the policy question is answered yes
    policy.get_by_label("Ja").check()
    expect(details).to_be_visible()
    details.fill("Mål om 20 % innvandrerbakgrunn blant nyansatte.")
    page.get_by_label("Hvor mange ansatte med innvandrerbakgrunn har dere?").fill("ca 14")
    page.get_by_label("Hvor mange ansatte har dere i alt?").fill("120")
    page.get_by_role("group", name=re.compile("Hva tenker dere om å ansette")).get_by_label("4").check()
    page.get_by_label("Hvem dere snakket med").select_option(label="Kari Leder, daglig leder")
    page.get_by_role("button", name="Lagre runden").click()

    expect(page.locator("#e-answers-immigrant_employees")).to_contain_text("må være et tall")
    expect(page.get_by_role("alert")).to_contain_text("Hvor mange ansatte med innvandrerbakgrunn har dere?")
    expect(details).to_have_value("Mål om 20 % innvandrerbakgrunn blant nyansatte.")  # kept
    expect(page.get_by_label("Hvor mange ansatte har dere i alt?")).to_have_value("120")
    text, _ = visible(page.content())
    assert problems(text) == [], problems(text)
    screenshot(page, "barometer-feil")
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "barometer-feil-mobil")
    page.set_viewport_size({"width": 1366, "height": 850})

    page.get_by_label("Hvor mange ansatte med innvandrerbakgrunn har dere?").fill("14")
    page.get_by_role("button", name="Lagre runden").click()
    expect(page.get_by_role("status")).to_contain_text("Barometerrunden er lagret")
    section = page.locator("section[aria-labelledby=barometer]")
    expect(section).to_contain_text("Mål om 20 % innvandrerbakgrunn")
    expect(section).to_contain_text("4 av 5")

    # A second round: kept beside the first, the change over time visible.
    page.get_by_role("link", name="Ny runde").click()
    page.get_by_role("group", name=re.compile("mangfoldspolicy")).get_by_label("Nei").check()
    expect(details).to_be_hidden()
    page.get_by_role("group", name=re.compile("Hva tenker dere om å ansette")).get_by_label("5").check()
    page.get_by_role("button", name="Lagre runden").click()
    expect(page.get_by_role("status")).to_contain_text("Barometerrunden er lagret")
    expect(section).to_contain_text("Tidligere runder")
    surveys = client.get(f"/employers/{employer['id']}/barometer", headers=world.headers["consultant"]).json()
    assert len(surveys) == 2
    latest = max(surveys, key=lambda s: s["id"])
    assert latest["answers"] == {"has_diversity_policy": False, "attitude_to_hiring": 5}
    first = min(surveys, key=lambda s: s["id"])
    assert first["answers"]["immigrant_employees"] == 14 and first["answers"]["has_diversity_policy"] is True
    screenshot(page, "barometer-to-runder")
