"""The page a user sees when something nobody foresaw goes wrong: Norwegian, with the menu and a
reference to quote, at desktop and phone width."""

import re

import pytest
from playwright.sync_api import expect

from tests.serving import serve_in_thread
from tests.web.conftest import login, screenshot


@pytest.fixture
def breaking_server(engine):
    from api.app import create_app

    app = create_app(engine, worker=False)

    def broken():
        raise RuntimeError("secret internal detail")

    app.add_api_route("/app/feil-med-vilje", broken, include_in_schema=False)
    with serve_in_thread(app, log_level="critical") as address:
        yield address


@pytest.mark.browser
def test_an_unexpected_error_shows_a_norwegian_page_with_the_menu(browser, breaking_server, world):
    for name, viewport in (("feilside-500", {"width": 1366, "height": 850}), ("feilside-500-mobil", {"width": 390, "height": 800})):
        context = browser.new_context(base_url=breaking_server, locale="nb-NO", viewport=viewport)
        page = context.new_page()
        login(page, "consultant")
        response = page.goto("/app/feil-med-vilje")
        assert response.status == 500
        expect(page.get_by_role("heading", level=1)).to_have_text("Noe gikk galt.")
        expect(page.get_by_role("alert")).to_contain_text(re.compile(r"referanse [0-9a-f]{8}"))
        expect(page.get_by_role("navigation", name="Hovedmeny")).to_be_attached()
        assert "secret" not in page.content() and "Internal Server Error" not in page.content()
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        screenshot(page, name)
        page.get_by_role("link", name="Til forsiden").click()
        expect(page).not_to_have_url(re.compile("feil-med-vilje"))
        context.close()
