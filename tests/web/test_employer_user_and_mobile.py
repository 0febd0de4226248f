"""An employer user sees why a vacancy is held, error pages keep the menu and lead home, unknown
addresses under /app get a page; and every main page fits a 390 px phone with the menu inside the header."""

import re

import pytest
from playwright.sync_api import expect

from tests.employers.conftest import ORG_A, employer_body, vacancy_body
from tests.web.conftest import login, screenshot
from tests.web.test_long_lists_and_wide_screens import insert_jobs

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}


def test_employer_user_sees_why_a_vacancy_is_held_and_error_pages_lead_home(page, client, world):
    assert client.post("/employers", json=employer_body(ORG_A, name="Renhold Øst AS"),
                       headers=world.headers["consultant"]).status_code == 201
    held = client.post("/employer/vacancies", headers=world.headers["employer"], json=vacancy_body(
        title="Renholder", description="Vi søker en mann til kveldsrenhold."))
    assert held.status_code == 201 and held.json()["status"] == "held_for_review"

    login(page, "employer")
    expect(page).to_have_url(re.compile(r"/app/min-side$"))
    why = page.get_by_role("region", name=re.compile("holdes til gjennomgang"))
    expect(why).to_contain_text("Renholder")
    expect(why).to_contain_text("Krav eller ønske om kjønn")
    expect(why).to_contain_text("«Vi søker en mann»")
    expect(page.get_by_role("row", name=re.compile("Renholder"))).to_contain_text("Til gjennomgang")
    screenshot(page, "arbeidsgiver-holdt-stilling")

    # A page for other roles: 403 with the menu, and "Til forsiden" leads to the employer's own page.
    assert page.goto("/app/kandidater").status == 403
    menu = page.get_by_role("navigation", name="Hovedmeny")
    expect(menu.get_by_role("link", name="Mine stillinger")).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("Du er logget inn som arbeidsgiver")
    screenshot(page, "arbeidsgiver-403")
    page.get_by_role("link", name="Til forsiden").click()
    expect(page).to_have_url(re.compile(r"/app/min-side$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Renhold Øst AS")

    # An address that does not exist: a page with the menu, not the API's JSON.
    response = page.goto("/app/finnes-ikke")
    assert response.status == 404 and response.headers["content-type"].startswith("text/html")
    expect(page.get_by_role("heading", level=1)).to_have_text("Fant ikke siden.")
    expect(page.get_by_role("navigation", name="Hovedmeny")).to_be_visible()
    page.set_viewport_size(PHONE)
    screenshot(page, "arbeidsgiver-404-mobil")
    page.goto("/app/min-side")
    screenshot(page, "arbeidsgiver-holdt-stilling-mobil")


def _fits(page) -> None:
    """No sideways scrolling of the page, and every menu item inside the header and the screen."""
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width} px wide"
    outside = page.evaluate("""() => {
        const header = document.querySelector('header.top').getBoundingClientRect();
        return [...document.querySelectorAll('header.top a, header.top button')].filter(a => {
            const r = a.getBoundingClientRect();
            return r.left < header.left - 0.5 || r.right > Math.min(header.right, window.innerWidth) + 0.5
                || r.top < header.top - 0.5 || r.bottom > header.bottom + 0.5;
        }).map(a => a.textContent.trim());
    }""")
    assert outside == [], f"{page.url}: menu items outside the header: {outside}"


def _no_column_hidden(page) -> None:
    """Every cell of the page's tables on the screen: none behind a sideways scroll."""
    cut = page.evaluate("""() => [...document.querySelectorAll('main td')].filter(td => {
        const r = td.getBoundingClientRect();
        return r.width > 0 && (r.left < -0.5 || r.right > window.innerWidth + 0.5);
    }).map(td => td.textContent.trim().slice(0, 40))""")
    assert cut == [], f"{page.url}: cells outside the screen: {cut}"


def test_every_main_page_fits_a_phone(page, client, engine, world, make_candidate):
    candidate = make_candidate(first_name="Amina", last_name="Abdullahi-Mohammedsdottir")
    employer = client.post("/employers", json=employer_body(ORG_A, name="Renhold og Vaktmestertjenester Øst AS"),
                           headers=world.headers["consultant"]).json()
    client.post(f"/employers/{employer['id']}/vacancies", json=vacancy_body(), headers=world.headers["consultant"])
    client.post("/employer/vacancies", headers=world.headers["employer"], json=vacancy_body(
        title="Renholder", description="Vi søker en mann til kveldsrenhold."))  # held for review: a long status
    insert_jobs(engine, 3, created_by=world.users["admin"].id)  # the jobs page with rows, a failed one among them
    page.set_viewport_size(PHONE)
    pages = {
        "admin": ["/app/", "/app/kandidater", f"/app/kandidater/{candidate['id']}", "/app/arbeidsgivere",
                  f"/app/arbeidsgivere/{employer['id']}", "/app/matching", "/app/rapporter", "/app/brukere",
                  "/app/jobber", "/app/tavle", "/app/henvisninger", "/app/kontakter"],
        "staff_a": ["/app/", "/app/kandidater", f"/app/kandidater/{candidate['id']}", "/app/rapporter"],
        "employer": ["/app/min-side", "/app/finnes-ikke"],
    }
    stacked = {"/app/jobber", "/app/min-side"}  # tables whose rows stack on a phone
    for user, paths in pages.items():
        page.context.clear_cookies()
        login(page, user)
        for path in paths:
            page.goto(path)
            _fits(page)
            if path in stacked:
                _no_column_hidden(page)
                expect(page.locator("main td").first).to_be_visible()
    page.context.clear_cookies()
    login(page, "admin")
    screenshot(page, "mobil-oversikt-admin")
    page.goto(f"/app/kandidater/{candidate['id']}")
    screenshot(page, "mobil-kandidat")
    page.goto(f"/app/arbeidsgivere/{employer['id']}")
    screenshot(page, "mobil-arbeidsgiver")
    page.goto("/app/jobber")
    expect(page.get_by_text("Kolonnen «Fødselsdato» mangler i arket.")).to_be_visible()
    screenshot(page, "mobil-jobber")
    page.context.clear_cookies()
    login(page, "employer")
    expect(page.get_by_role("row", name=re.compile("Status Til gjennomgang"))).to_be_in_viewport()
    screenshot(page, "mobil-min-side")


def test_an_employers_long_list_pages_by_50_with_the_vacancies_still_in_play_first(page, client, world):
    assert client.post("/employers", json=employer_body(ORG_A, name="Renhold Øst AS"),
                       headers=world.headers["consultant"]).status_code == 201
    ids = []
    for i in range(53):  # Stilling 01 starts first
        made = client.post("/employer/vacancies", headers=world.headers["employer"], json=vacancy_body(
            title=f"Stilling {i + 1:02d}", start=f"2027-01-{i % 28 + 1:02d}" if i < 28 else f"2027-02-{i - 27:02d}"))
        assert made.status_code == 201
        ids.append(made.json()["id"])
    for vacancy_id in ids[:5]:  # the five that started first are closed
        assert client.post(f"/employer/vacancies/{vacancy_id}/close", headers=world.headers["employer"]).status_code == 200

    login(page, "employer")
    expect(page.get_by_role("status")).to_have_text("Viser 1–50 av 53 stillinger.")
    titles = page.locator("table.list tbody tr td:first-child")
    expect(titles).to_have_count(50)
    first_page = titles.all_inner_texts()
    assert first_page[:2] == ["Stilling 06", "Stilling 07"]  # open ones by start, the closed after them
    assert first_page[-2:] == ["Stilling 05", "Stilling 04"]  # closed, newest first
    screenshot(page, "arbeidsgiver-stillinger-side-1")
    page.get_by_role("navigation", name="Sider: stillinger").get_by_role("link", name="Neste").click()
    expect(page.get_by_role("status")).to_have_text("Viser 51–53 av 53 stillinger.")
    expect(titles).to_have_text(["Stilling 03", "Stilling 02", "Stilling 01"])
    expect(page.get_by_role("row", name=re.compile("Stilling 01"))).to_contain_text("Lukket")
    page.set_viewport_size(PHONE)
    _fits(page)
    screenshot(page, "arbeidsgiver-stillinger-side-2-mobil")
