"""Re-runs in the pages: the new-run form offers to start from the previous run (ticked by default,
saying that a run from scratch may differ slightly), and the run page says where it started from.
Desktop and 390 px."""

import pytest
from playwright.sync_api import expect

from tests.matching.test_service_warm import regions, start  # noqa: F401 (the fixture)
from tests.web.conftest import login, screenshot

pytestmark = pytest.mark.browser


def start_in_form(page, warm: bool) -> None:
    page.goto("/app/matching")
    page.get_by_label("Planåret starter").fill("01.01.2027")
    page.get_by_label("Tid for løseren (sekunder)").fill("2")
    page.get_by_label("Start fra forrige kjøring (raskere etter noen få beslutninger)").set_checked(warm)
    page.get_by_role("button", name="Start matching").click()
    expect(page.locator("#run-status")).to_have_text("Ferdig", timeout=60_000)


def test_the_form_offers_a_warm_start_and_the_run_page_says_where_it_started(page, engine, world, regions):  # noqa: F811
    first = start(engine, world)
    login(page, "consultant", start="/app/matching")
    box = page.get_by_label("Start fra forrige kjøring (raskere etter noen få beslutninger)")
    expect(box).to_be_checked()
    hint = page.locator("#h-warm_start")
    expect(hint).to_contain_text("fra bunnen kan gi litt andre forslag")
    expect(box).to_have_attribute("aria-describedby", "h-warm_start")
    screenshot(page, "matching-ny-kjoring-varmstart")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "matching-ny-kjoring-varmstart-390")
    page.set_viewport_size({"width": 1366, "height": 850})

    start_in_form(page, warm=True)
    line = page.locator("#warm-start")
    expect(line).to_contain_text(f"Startet fra kjøring {first}: ")
    expect(line).to_contain_text("uendret og gjenbrukt")
    expect(line.get_by_role("link", name=f"kjøring {first}")).to_have_attribute("href", f"/app/matching/{first}")
    screenshot(page, "matching-kjoring-varmstart")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "matching-kjoring-varmstart-390")
    page.set_viewport_size({"width": 1366, "height": 850})

    start_in_form(page, warm=False)
    expect(page.locator("#warm-start")).to_have_text("Kjørt fra bunnen: valgt da kjøringen ble startet.")
    screenshot(page, "matching-kjoring-fra-bunnen")
