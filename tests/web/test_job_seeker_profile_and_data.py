"""The job seeker's Profil shows every field's problem at once, each beside its field, with what they
typed kept; Mine data says who saw them in plain sentences (a list read: "så navnet ditt i en liste").
Desktop and 390 px."""

import re

import pytest
from playwright.sync_api import expect

from tests.selfservice.test_own_pages import NEW_PASSWORD, accept, invite
from tests.web.conftest import login, screenshot

pytestmark = pytest.mark.browser


def test_profile_shows_every_error_at_once_and_mine_data_reads_plainly(page, client, world, make_candidate):
    x = make_candidate(first_name="Hodan", last_name="Warsame")
    assert accept(client, invite(client, world, x["id"])).status_code == 303
    # Staff see the job seeker's name in a list: one plain sentence on Mine data.
    assert client.get("/candidates", headers=world.headers["staff_a"]).status_code == 200
    client.cookies.clear()
    login(page, f"kandidat.{x['id']}", NEW_PASSWORD, start="/app/meg")

    page.get_by_role("link", name="Profil").first.click()
    page.get_by_label("Telefon").fill("hei")
    page.get_by_label("E-post").fill("feil@")
    page.get_by_role("button", name="Lagre", exact=True).click()
    expect(page.locator("#feil-phone")).to_contain_text("Telefon")
    expect(page.locator("#feil-email")).to_contain_text("E-post")
    expect(page.get_by_label("Telefon")).to_have_value("hei")
    expect(page.get_by_label("E-post")).to_have_value("feil@")
    expect(page.get_by_label("Telefon")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("E-post")).to_have_attribute("aria-invalid", "true")
    screenshot(page, "meg-profil-to-feil")
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "meg-profil-to-feil-390")
    page.get_by_label("Telefon").fill("+47 900 12 345")
    page.get_by_label("E-post").fill("hodan@example.no")
    page.get_by_role("button", name="Lagre", exact=True).click()
    expect(page.get_by_role("status")).to_have_text("Lagret.")

    page.get_by_role("link", name="Mine data").first.click()
    seen = page.locator("ul.seen")
    expect(seen).to_contain_text(re.compile(r"Staff A så navnet ditt i en liste \d\d\.\d\d\.\d{4}"))
    expect(seen).not_to_contain_text("i en liste over")
    screenshot(page, "meg-data-390")
    page.set_viewport_size({"width": 1366, "height": 850})
    screenshot(page, "meg-data")
