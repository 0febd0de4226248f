"""Staff take a referral through intake to admission, record an obstacle and resolve it, and end a
participation as completed or interrupted; every mistake beside its field. Desktop and 390 px."""

import re

import pytest
from playwright.sync_api import expect

from tests.web.conftest import login, screenshot
from tests.web.text_audit import problems, visible

pytestmark = pytest.mark.browser


def _clean(page) -> None:
    text, _ = visible(page.content())
    assert problems(text) == [], problems(text)


def test_referral_to_admission(page, client, world):
    login(page, "staff_a")
    page.get_by_role("link", name="Henvisninger").click()
    page.get_by_role("link", name="Ny henvisning").click()
    page.get_by_label(re.compile(r"^Fornavn")).fill("Leyla")
    page.get_by_role("button", name="Registrer henvisningen").click()  # no referrer
    expect(page.locator("#e-referrer_name")).to_contain_text("må fylles ut")
    expect(page.get_by_label(re.compile(r"^Fornavn"))).to_have_value("Leyla")
    page.get_by_label(re.compile(r"^Henviser")).fill("NAV Grünerløkka")
    page.get_by_role("button", name="Registrer henvisningen").click()  # no last name
    expect(page.locator("#e-last_name")).to_contain_text("må fylles ut")
    _clean(page)
    page.get_by_label(re.compile(r"^Etternavn")).fill("Ahmed")
    page.get_by_label("Lang nok botid i Norge").check()
    page.get_by_label("Motivert for arbeid").check()
    page.get_by_label("Henvist dato").fill("01.10.2026")
    page.get_by_label("Dato for inntakssamtalen").fill("05.10.2026")
    page.get_by_label("Notat fra inntakssamtalen").fill("Har barnehageplass fra november.")
    screenshot(page, "henvisning-ny")
    page.get_by_role("button", name="Registrer henvisningen").click()
    expect(page.get_by_role("status")).to_contain_text("henvisningen")
    expect(page.get_by_role("heading", level=1)).to_have_text("Henvisning: Leyla Ahmed")

    # Admitted without a start date: the message stands beside the field; then with it.
    page.get_by_label("Vedtak", exact=True).select_option(label="Tatt inn")
    page.get_by_role("button", name="Lagre vedtaket").click()
    expect(page.locator("#e-start_on")).to_contain_text("oppstartsdato er påkrevd")
    page.get_by_label("Vedtak", exact=True).select_option(label="Tatt inn")
    page.get_by_label("Oppstart (når personen tas inn)").fill("01.11.2026")
    page.get_by_role("button", name="Lagre vedtaket").click()
    expect(page.get_by_role("status")).to_contain_text("inntaksvedtaket")
    expect(page.locator("dl.facts")).to_contain_text("Tatt inn")
    expect(page.locator("dl.facts")).to_contain_text("oppstart 01.11.2026")
    _clean(page)
    screenshot(page, "henvisning-tatt-inn")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "henvisning-tatt-inn-390")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    stored = client.get("/referrals", headers=world.headers["staff_a"]).json()
    assert [(r["candidate_name"], r["decision"], r["criteria"]["residence"]) for r in stored] == [
        ("Leyla Ahmed", "admitted", True)]
    cid = stored[0]["candidate_id"]
    assert client.get(f"/candidates/{cid}", headers=world.headers["staff_a"]).json()["programme_status"] == "active"
    page.get_by_role("link", name="Leyla Ahmed").click()
    expect(page.locator("#program")).to_contain_text("I program")
    page.goto("/app/henvisninger")
    expect(page.get_by_role("row", name=re.compile("Leyla Ahmed"))).to_contain_text("Tatt inn")
    screenshot(page, "henvisninger-390")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_obstacle_recorded_and_resolved_health_without_details(page, client, world, make_candidate):
    cid = make_candidate(first_name="Samir", last_name="Nur")["id"]
    login(page, "staff_a")
    page.goto(f"/app/kandidater/{cid}")
    page.get_by_role("link", name="Registrer et hinder").click()
    page.get_by_label("Hinder", exact=True).select_option(label="Helse (bare at et hinder finnes)")
    page.get_by_label("Merknad").fill("Ryggplager")
    page.get_by_role("button", name="Registrer hinderet").click()
    expect(page.locator("#e-note")).to_contain_text("helse registreres bare som at et hinder finnes")
    _clean(page)
    page.get_by_label("Merknad").fill("")
    page.get_by_role("button", name="Registrer hinderet").click()
    expect(page.get_by_role("status")).to_contain_text("hinderet")
    page.get_by_role("link", name="Registrer et hinder").click()
    page.get_by_label("Hinder", exact=True).select_option(label="Barnepass")
    page.get_by_label("Hvem jobber med det").select_option(label="Annen tjeneste (f.eks. NAV)")
    page.get_by_label("Merknad").fill("Søkt barnehageplass")
    page.get_by_role("button", name="Registrer hinderet").click()
    obstacles = page.locator("#hindringer")
    expect(obstacles).to_contain_text("Helse (bare at et hinder finnes)")
    expect(obstacles).to_contain_text("Søkt barnehageplass")
    obstacles.get_by_role("button", name="Marker som løst i dag").first.click()
    expect(page.get_by_role("status")).to_contain_text("markert som løst")
    expect(page.locator("#hindringer .badge.ok")).to_have_count(1)
    _clean(page)
    page.locator("#hindringer").scroll_into_view_if_needed()
    screenshot(page, "hindringer")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "hindringer-390")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shown = client.get(f"/candidates/{cid}/obstacles", headers=world.headers["staff_a"]).json()
    assert [(o["kind"], o["note"], o["resolved_on"] is not None) for o in shown] == [
        ("health", None, True), ("childcare", "Søkt barnehageplass", False)]


def test_exit_completed_or_interrupted(page, client, world, make_candidate):
    cid = make_candidate(first_name="Hawa", last_name="Ali")["id"]
    login(page, "staff_a")
    page.goto(f"/app/kandidater/{cid}")
    page.get_by_role("link", name="Avslutt deltakelsen").click()
    page.get_by_label(re.compile("^Utfall eller årsak")).select_option(label="Annet")
    page.get_by_role("button", name="Avslutt deltakelsen").click()
    expect(page.locator("#e-reason_text")).to_contain_text("Beskriv årsaken")
    _clean(page)
    groups = page.locator("#f-reason optgroup")
    expect(groups).to_have_count(2)
    expect(groups.nth(0)).to_have_attribute("label", "Fullført (utfall)")
    expect(groups.nth(1)).to_have_attribute("label", "Avbrutt (årsak)")
    screenshot(page, "avslutning-feil")
    page.get_by_label(re.compile("^Utfall eller årsak")).select_option(label="Til arbeid")
    page.get_by_role("button", name="Avslutt deltakelsen").click()
    expect(page.get_by_role("status")).to_contain_text("avslutningen")
    expect(page.locator("#program")).to_contain_text("Fullført, Til arbeid")
    _clean(page)
    page.locator("#program").scroll_into_view_if_needed()
    screenshot(page, "avslutning-fullfort")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"/app/kandidater/{cid}/avslutning")
    screenshot(page, "avslutning-390")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert client.get(f"/candidates/{cid}/exits", headers=world.headers["staff_a"]).json()[0]["outcome"] == "completed"
