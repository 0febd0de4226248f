"""Browser tests: the app served by uvicorn on a free 127.0.0.1 port against the test database,
driven by Playwright in Debian's headless Chromium (no browser download: `executable_path` is set).
Screenshots of the main pages land in artifacts/screenshots/ for review."""

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.serving import serve_in_thread

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--lang=nb-NO"]  # the TECH-NOTES set; Norwegian date fields
SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
PASSWORD = "riktig-passord-123"  # tests/conftest.py's world users


def pytest_configure(config):
    config.addinivalue_line("markers", "browser: drives the pages in headless Chromium (Debian's chromium package)")


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium); .ci/run does.")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def live_server(engine) -> Iterator[str]:
    """The real app, lifespan and all, on its own port and thread, against this test's database."""
    from api.app import create_app

    # No scheduled jobs: at :20 each hour the NAV feed's would join the job list a test counts.
    with serve_in_thread(create_app(engine, worker=True, scheduled=False)) as address:
        yield address


@pytest.fixture
def page(browser, live_server):
    """A fresh browser context per test (no cookies shared between tests), Norwegian, laptop-sized."""
    context = browser.new_context(base_url=live_server, locale="nb-NO", timezone_id="Europe/Oslo",
                                  viewport={"width": 1366, "height": 850})
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


def login(page, username: str, password: str = PASSWORD, start: str = "/app/") -> None:
    page.goto(start)
    page.get_by_label("Brukernavn").fill(username)
    page.get_by_label("Passord").fill(password)
    page.get_by_role("button", name="Logg inn").click()
    page.wait_for_load_state()


def screenshot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True, timeout=30_000)  # long forms on a busy machine
