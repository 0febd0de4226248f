"""The matching page's list of runs and a run's page fit a 390 px phone: the runs table stacks its rows
(one fact a line, each with its column name in front) instead of running past the right edge. Desktop and
390 px."""

import pytest
from playwright.sync_api import expect

from tests.matching import test_service_api
from tests.matching.test_service_api import run_now
from tests.web.conftest import login, screenshot

pytestmark = pytest.mark.browser
market = test_service_api.market  # the fixture: two 50 % jobs, one 100 % job, four candidates

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 850}


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def runs_table_fits_its_box(page) -> bool:
    """On a phone a card's table scrolls sideways in its own box (app.css), so the page stays within the
    screen while columns hide past the card's edge: the runs table must not need that scroll."""
    return page.locator("section[aria-labelledby=kjoringer] table").evaluate("t => t.scrollWidth <= t.clientWidth")


def test_the_runs_table_and_a_run_fit_a_phone(page, engine, world, market):
    run_id = run_now(engine, world)
    login(page, "consultant", start="/app/matching")
    row = page.locator("section[aria-labelledby=kjoringer] table tbody tr").first
    expect(row.get_by_role("link", name=str(run_id))).to_be_visible()
    screenshot(page, "matching-kjoringer")
    assert fits_the_screen(page), "the matching page is wider than the laptop screen"

    page.set_viewport_size(PHONE)
    screenshot(page, "matching-kjoringer-390")
    assert fits_the_screen(page), "the matching page is wider than the phone"
    assert runs_table_fits_its_box(page), "the runs table scrolls sideways on the phone"
    labels = row.locator("td").evaluate_all("cells => cells.map(c => c.dataset.label)")
    assert labels == ["Nr.", "Startet", "Status", "Forslag", "Avstand til beste mulige (dekning / kvalitet)"]

    page.goto(f"/app/matching/{run_id}")
    expect(page.locator("#run-status")).to_have_text("Ferdig")
    assert fits_the_screen(page), "the run page is wider than the phone"
    screenshot(page, "matching-kjoring-390")
    page.set_viewport_size(LAPTOP)
    assert fits_the_screen(page), "the run page is wider than the laptop screen"
