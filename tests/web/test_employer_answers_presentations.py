"""An employer user sees the candidates presented to their organisation (the name only where the
candidate consented) and answers in the pages; the consultant sees the answer on the candidate's page."""

import re

import pytest
from playwright.sync_api import expect

from tests.employers.conftest import ORG_A, ORG_B, employer_body, vacancy_body
from tests.web.conftest import login, screenshot

pytestmark = pytest.mark.browser


def _fits(page, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width, "the page is wider than the phone"


def test_employer_answers_a_presentation_and_the_consultant_sees_it(page, client, world, make_candidate):
    consultant = world.headers["consultant"]
    employer = client.post("/employers", json=employer_body(ORG_A, name="Renhold Øst AS"), headers=consultant).json()
    other = client.post("/employers", json=employer_body(ORG_B, name="Annen AS"), headers=consultant).json()
    vacancy = client.post(f"/employers/{employer['id']}/vacancies", json=vacancy_body(title="Renholder kveld"),
                          headers=consultant).json()
    consent = [{"purpose": "presentation_to_employers", "given_on": "2026-10-01"}]
    named = make_candidate(first_name="Amina", last_name="Hassan", consents=consent + [
        {"purpose": "share_with_employer", "employer_id": employer["id"], "given_on": "2026-10-01"}])
    anonymous = make_candidate(first_name="Bodil", last_name="Skjult", consents=consent)
    for candidate, to in ((named, {"vacancy_id": vacancy["id"]}), (anonymous, {"employer_id": employer["id"]}),
                          (anonymous, {"employer_id": other["id"]})):
        assert client.post("/presentations", headers=consultant, json={
            "candidate_id": candidate["id"], "fields": ["norwegian_level"], "summary": "Punktlig og erfaren.", **to,
        }).status_code == 201

    login(page, "employer")
    page.get_by_role("link", name="Presentasjoner").click()
    expect(page.get_by_role("heading", name="Amina Hassan")).to_be_visible()
    expect(page.get_by_role("heading", name="Kandidat (navnet vises ikke)")).to_have_count(1)  # not the other's
    expect(page.locator("main")).not_to_contain_text("Skjult")
    screenshot(page, "arbeidsgiver-presentasjoner")

    page.get_by_role("region", name="Amina Hassan").get_by_role("link", name="Svar på presentasjonen").click()
    page.get_by_label("Vil ha intervju", exact=True).check()
    page.get_by_label("Tidspunkt 1").fill("32.01.2027 10:00")
    page.get_by_role("button", name="Send svaret").click()
    expect(page.locator("#e-proposed_times-0")).to_contain_text("er ikke et tidspunkt")  # beside the field, kept
    expect(page.get_by_label("Tidspunkt 1")).to_have_value("32.01.2027 10:00")
    page.get_by_label("Tidspunkt 1").fill("12.01.2027 10:00")
    page.get_by_label("Tidspunkt 2").fill("13.01.2027 14:30")
    page.set_viewport_size({"width": 390, "height": 844})
    _fits(page, 390)
    screenshot(page, "arbeidsgiver-svar-390")
    page.set_viewport_size({"width": 1366, "height": 850})
    page.get_by_role("button", name="Send svaret").click()
    expect(page.get_by_role("status")).to_contain_text("Svaret er sendt")
    answered = page.get_by_role("region", name="Amina Hassan")
    expect(answered).to_contain_text("Vil ha intervju")
    expect(answered).to_contain_text("12.01.2027 10:00")
    screenshot(page, "arbeidsgiver-presentasjon-besvart")

    region = page.get_by_role("region", name="Kandidat (navnet vises ikke)")
    region.get_by_role("link", name="Svar på presentasjonen").click()
    page.get_by_label("Ikke nå", exact=True).check()
    page.get_by_label("Ikke nå: hvorfor").select_option(index=1)
    page.get_by_label("Kommentar").fill("Ta kontakt igjen i mars")
    page.get_by_role("button", name="Send svaret").click()
    expect(page.get_by_role("region", name="Kandidat (navnet vises ikke)")).to_contain_text("Ta kontakt igjen i mars")
    page.set_viewport_size({"width": 390, "height": 844})
    _fits(page, 390)
    screenshot(page, "arbeidsgiver-presentasjoner-390")

    other_row = client.get(f"/candidates/{anonymous['id']}/presentations", headers=consultant).json()
    foreign = next(p["id"] for p in other_row if p["employer_id"] == other["id"])
    assert page.goto(f"/app/min-side/presentasjoner/{foreign}/svar").status == 404  # another organisation's

    page.context.clear_cookies()
    page.set_viewport_size({"width": 1366, "height": 850})
    login(page, "consultant", start=f"/app/kandidater/{named['id']}")
    section = page.locator("#presentasjoner")
    expect(section).to_contain_text("Vil ha intervju")
    screenshot(page, "konsulent-ser-arbeidsgiverens-svar")


def test_employer_cannot_answer_without_choosing(page, client, world, make_candidate):
    consultant = world.headers["consultant"]
    employer = client.post("/employers", json=employer_body(ORG_A, name="Renhold Øst AS"), headers=consultant).json()
    candidate = make_candidate(consents=[{"purpose": "presentation_to_employers", "given_on": "2026-10-01"}])
    assert client.post("/presentations", headers=consultant, json={
        "candidate_id": candidate["id"], "employer_id": employer["id"], "fields": ["norwegian_level"]}).status_code == 201
    login(page, "employer", start="/app/min-side/presentasjoner")
    page.get_by_role("link", name="Svar på presentasjonen").click()
    page.get_by_role("button", name="Send svaret").click()
    expect(page.locator("#f-answer")).to_have_class(re.compile("invalid"))
