"""In a real browser: every main page works under the Content-Security-Policy with no violation in the
console; the admin's user page (at phone width) deactivates and resets with a confirmation, and a
user whose password was reset chooses a new one at the next login."""

import re
import time

import pytest
from playwright.sync_api import expect

from tests.employers.conftest import ORG_A
from tests.web.conftest import login, screenshot
from tests.web.test_pages import PLAN, market  # noqa: F401 (a fixture)

pytestmark = pytest.mark.browser
NEW_PASSWORD = "grønn-sykkel-på-taket"


def _watch_console(page) -> list[str]:
    problems = []
    page.on("console", lambda m: m.type == "error" and problems.append(f"{page.url}: {m.text}"))
    page.on("pageerror", lambda e: problems.append(f"{page.url}: {e}"))
    return problems


def _finished_run(client, world) -> int:
    h = world.headers["consultant"]
    run = client.post("/match-runs", json={"time_limit": 2, "plan_start": PLAN}, headers=h).json()
    deadline = time.monotonic() + 60
    while client.get(f"/match-runs/{run['id']}", headers=h).json()["status"] in ("queued", "running"):
        assert time.monotonic() < deadline
        time.sleep(0.3)
    return run["id"]


def test_every_page_works_under_the_csp_without_violations(page, client, world, market):  # noqa: F811
    run_id = _finished_run(client, world)
    employer_id = client.get("/employers", headers=world.headers["consultant"]).json()[0]["id"]
    problems = _watch_console(page)
    login(page, "admin")
    paths = ["/app/", "/app/kandidater", f"/app/kandidater/{market['amina']}", "/app/arbeidsgivere",
             f"/app/arbeidsgivere/{employer_id}", "/app/matching", f"/app/matching/{run_id}",
             f"/app/matching/{run_id}/kortlister", "/app/rapporter", "/app/brukere",
             f"/app/brukere/{world.users['staff_a'].id}/deactivate"]
    for path in paths:
        response = page.goto(path)
        assert response.status == 200, path
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"], path
        page.wait_for_load_state("networkidle")
    # The colour keys are SVG now, not inline styles: they still show the job's colour.
    page.goto(f"/app/matching/{run_id}")
    expect(page.locator("svg.swatch rect").first).to_have_attribute("fill", re.compile(r"^#"))
    # The error page's "Tilbake" works without an inline javascript: link.
    page.goto("/app/rapporter")
    assert page.goto("/app/kandidater/99999").status == 404
    page.get_by_role("link", name="Tilbake").click()
    expect(page).to_have_url(re.compile(r"/app/rapporter$"))
    problems[:] = [p for p in problems if "/app/kandidater/99999: Failed to load resource" not in p]  # asked for
    assert problems == [], problems

    # The policy is enforced (an inline script is refused and reported), so the empty list above means something.
    page.evaluate("() => { const s = document.createElement('script'); s.textContent = 'window.ran = 1';"
                  " document.body.appendChild(s); }")
    page.wait_for_timeout(200)
    assert page.evaluate("() => window.ran") is None
    assert any("Content Security Policy" in p for p in problems)


def test_admin_deactivates_and_resets_at_phone_width(browser, live_server, client, world):
    h = world.headers["consultant"]
    assert client.post("/employers", json={"organisation_number": ORG_A, "name": "Renhold AS", "sector": "cleaning",
                                           "municipality_code": "0301"}, headers=h).status_code == 201
    key = client.post("/api-keys", json={"organisation_number": ORG_A, "label": "ATS"}, headers=h).json()["key"]
    phone = browser.new_context(base_url=live_server, locale="nb-NO", viewport={"width": 390, "height": 844})
    phone.set_default_timeout(10_000)
    admin = phone.new_page()
    problems = _watch_console(admin)
    login(admin, "admin")
    admin.get_by_role("navigation", name="Hovedmeny").get_by_role("link", name="Brukere").click()
    expect(admin.get_by_role("heading", name=re.compile("Brukere"))).to_be_visible()
    assert admin.evaluate("() => document.documentElement.scrollWidth") <= 390  # nothing sideways
    screenshot(admin, "20-brukere-390px")

    consultant = admin.locator("li.user", has_text="consultant")
    consultant.get_by_role("link", name=re.compile("^Deaktiver")).click()
    expect(admin.get_by_role("heading")).to_contain_text("Deaktivere consultant?")
    admin.get_by_role("link", name="Avbryt").click()  # asking first: nothing happened
    assert client.get("/auth/me", headers=h).status_code == 200
    admin.locator("li.user", has_text="consultant").get_by_role("link", name=re.compile("^Deaktiver")).click()
    screenshot(admin, "21-bekreft-deaktiver-390px")
    admin.get_by_role("button", name="Ja, deaktiver").click()
    expect(admin.get_by_role("status")).to_contain_text("consultant er deaktivert")
    expect(admin.locator("li.user", has_text="consultant").locator(".badge.no")).to_have_text("Deaktivert")
    assert client.get("/auth/me", headers=h).status_code == 401
    assert client.get("/auth/me", headers={"X-API-Key": key}).status_code == 401

    admin.locator("li.user", has_text="staff_a").get_by_role("link", name=re.compile("^Nullstill passord")).click()
    admin.get_by_role("button", name="Ja, nullstill passord").click()
    temporary = admin.locator(".secret code").inner_text()
    assert re.fullmatch(r"[a-z2-9]{4}(-[a-z2-9]{4}){3}", temporary)
    screenshot(admin, "22-midlertidig-passord-390px")
    assert admin.evaluate("() => document.documentElement.scrollWidth") <= 390
    assert problems == [], problems

    # staff_a (on their own phone) logs in with the temporary password and must choose a new one first.
    own_phone = browser.new_context(base_url=live_server, locale="nb-NO", viewport={"width": 390, "height": 844})
    own_phone.set_default_timeout(10_000)
    person = own_phone.new_page()
    login(person, "staff_a", temporary)
    expect(person.get_by_role("heading", name="Velg nytt passord")).to_be_visible()
    expect(person.get_by_role("status")).to_contain_text("nullstilt av en administrator")
    person.get_by_label("Nåværende passord").fill(temporary)
    person.get_by_label("Nytt passord", exact=True).fill("passord12345")
    person.get_by_label("Gjenta nytt passord").fill("passord12345")
    person.get_by_role("button", name="Lagre nytt passord og logg inn").click()
    expect(person.locator("#new_password-error")).to_contain_text("for vanlig")
    person.get_by_label("Nåværende passord").fill(temporary)
    person.get_by_label("Nytt passord", exact=True).fill(NEW_PASSWORD)
    person.get_by_label("Gjenta nytt passord").fill(NEW_PASSWORD)
    person.get_by_role("button", name="Lagre nytt passord og logg inn").click()
    expect(person).to_have_url(re.compile(r"/app/$"))
    expect(person.get_by_role("heading", name=re.compile("Oversikt"))).to_be_visible()
    screenshot(person, "23-etter-nytt-passord-390px")
    assert client.post("/auth/token", data={"username": "staff_a", "password": NEW_PASSWORD}).status_code == 200
    own_phone.close()
    phone.close()
