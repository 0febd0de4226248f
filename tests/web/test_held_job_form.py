"""Staff record a job the candidate found on their own in the pages (issue 11, section 3): mistakes
beside their fields with the input kept, the job then counts on the candidate page, and deleting it
asks first."""

import re

import pytest
from playwright.sync_api import expect

from tests.web.conftest import login, screenshot
from tests.web.text_audit import problems, visible

pytestmark = pytest.mark.browser


def test_record_a_job_found_on_their_own_and_delete_it(page, client, world, make_candidate):
    amina = make_candidate(first_name="Amina", last_name="Hassan", wanted_fte=100)
    login(page, "staff_a")
    page.goto(f"/app/kandidater/{amina['id']}")
    page.get_by_role("link", name=re.compile("Registrer en jobb kandidaten har funnet selv")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Jobber Amina har")

    page.get_by_label(re.compile(r"^Arbeidsgiver")).fill("Kiwi Grønland")
    page.get_by_label(re.compile(r"^Stillingsprosent")).fill("150")
    page.get_by_label(re.compile(r"^Første dag")).fill("01.11.2026")
    page.get_by_label(re.compile(r"^Siste dag")).fill("01.10.2026")
    page.get_by_role("button", name="Registrer jobben").click()
    expect(page.locator("#e-fte")).to_be_visible()
    expect(page.locator("#e-end")).to_contain_text("kan ikke være før")
    expect(page.locator("#feil")).to_contain_text("Siste dag")
    expect(page.get_by_label(re.compile(r"^Arbeidsgiver"))).to_have_value("Kiwi Grønland")  # kept
    text, _ = visible(page.content())
    assert problems(text) == [], problems(text)
    screenshot(page, "registrert-jobb-feil")

    page.get_by_label(re.compile(r"^Stillingsprosent")).fill("50")
    page.get_by_label(re.compile(r"^Siste dag")).fill("")
    page.get_by_label("kveld").check()
    page.get_by_role("button", name="Registrer jobben").click()
    expect(page.get_by_role("status")).to_contain_text("Jobben er registrert")
    expect(page.locator("#jobber")).to_contain_text("Kiwi Grønland")
    expect(page.locator("#jobber")).to_contain_text("50 %, 01.11.2026–løpende")
    expect(page.locator("#jobber")).to_contain_text("kveld")
    stored = client.get(f"/candidates/{amina['id']}/jobs", headers=world.headers["staff_a"]).json()
    assert [(j["employer_name"], j["fte"], j["end"]) for j in stored["jobs"]] == [("Kiwi Grønland", 50, None)]
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "registrert-jobb-390")
    page.set_viewport_size({"width": 1280, "height": 900})

    # The candidate page counts it: in work, wants more.
    page.goto(f"/app/kandidater/{amina['id']}")
    expect(page.locator("#arbeidsstatus")).to_contain_text("I arbeid, ønsker mer")

    # Deleting asks first; "Nei" keeps it.
    page.goto(f"/app/kandidater/{amina['id']}/jobber")
    page.locator("#jobber").get_by_role("link", name="Slett").click()
    expect(page.locator("#jobber")).to_contain_text("Det kan ikke angres")
    screenshot(page, "registrert-jobb-slett")
    page.get_by_role("button", name="Ja, slett").click()
    expect(page.get_by_role("status")).to_contain_text("Jobben er slettet")
    expect(page.locator("#jobber")).to_have_count(0)
    assert client.get(f"/candidates/{amina['id']}/jobs", headers=world.headers["staff_a"]).json()["jobs"] == []
