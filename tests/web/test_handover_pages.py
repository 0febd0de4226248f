"""Staff hand a candidate over to a recruitment partner on the candidate page: without the consent
the refusal stands beside the partner field; with it the candidate is handed over, the partner's
consultant sees them, and taking them back asks first, with a reason. Works at 390 px."""


import pytest
from playwright.sync_api import expect

from core.types import today as local_today
from tests.web.conftest import login, screenshot
from tests.web.text_audit import problems, visible

pytestmark = pytest.mark.browser


def _clean(page) -> None:
    text, _ = visible(page.content())
    assert problems(text) == [], problems(text)


def test_hand_over_refused_without_consent_then_handed_over_and_taken_back(page, client, world, make_candidate):
    cid = make_candidate(handed_over=False, first_name="Hodan", last_name="Warsame")["id"]
    login(page, "staff_a")
    page.goto(f"/app/kandidater/{cid}")
    expect(page.locator("#tildeling-seksjon")).to_contain_text("Ikke tildelt noen rekrutteringspartner")
    page.get_by_label("Tildel til rekrutteringspartner").select_option(label="Bemanning A AS")
    page.get_by_role("button", name="Tildel til rekrutteringspartner").click()
    expect(page.locator("#e-partner_id")).to_contain_text("har ikke samtykket til å deles med Bemanning A AS")
    expect(page.get_by_label("Tildel til rekrutteringspartner")).to_have_value(str(world.partner_a))  # kept
    _clean(page)
    screenshot(page, "tildeling-uten-samtykke")
    assert client.get(f"/candidates/{cid}/handovers", headers=world.headers["staff_a"]).json() == []

    client.post(f"/candidates/{cid}/consents", headers=world.headers["staff_a"], json={
        "purpose": "share_with_recruiter", "partner_id": world.partner_a, "given_on": "2026-09-01"})
    page.get_by_role("button", name="Tildel til rekrutteringspartner").click()
    expect(page.get_by_role("status")).to_contain_text("Kandidaten er tildelt Bemanning A AS")
    expect(page.locator("#tildelinger")).to_contain_text("Bemanning A AS")
    assert client.get(f"/candidates/{cid}", headers=world.headers["consultant"]).status_code == 200
    _clean(page)
    screenshot(page, "tildeling-tildelt")

    page.get_by_role("link", name="Ta tilbake fra Bemanning A AS").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ta tilbake Hodan Warsame")
    page.get_by_role("button", name="Ja, ta tilbake fra Bemanning A AS").click()
    expect(page.locator("#e-reason")).to_contain_text("må fylles ut")
    page.get_by_label("Årsak").select_option(label="Tilbake til programmet")
    page.get_by_label("Merknad").fill("Trenger mer norsk")
    screenshot(page, "tildeling-ta-tilbake")
    page.get_by_role("button", name="Ja, ta tilbake fra Bemanning A AS").click()
    expect(page.get_by_role("status")).to_contain_text("tatt tilbake")
    expect(page.locator("#tildelinger")).to_contain_text("Tilbake til programmet")
    assert client.get(f"/candidates/{cid}", headers=world.headers["consultant"]).status_code == 403
    _clean(page)


def test_the_candidate_page_shows_staff_the_partners_work_on_a_phone(page, client, world, make_candidate):
    from tests.employers.conftest import employer_body, vacancy_body

    cid = make_candidate(first_name="Selam", last_name="Haile")["id"]
    consultant = world.headers["consultant"]
    employer = client.post("/employers", headers=consultant, json=employer_body("974760673", name="Renhold Øst AS")).json()
    vacancy = client.post(f"/employers/{employer['id']}/vacancies", headers=consultant, json=vacancy_body()).json()
    placement = client.post("/placements", headers=consultant, json={"candidate_id": cid, "vacancy_id": vacancy["id"]})
    client.post(f"/placements/{placement.json()['id']}/transitions", headers=consultant,
                json={"to": "presented", "on": local_today().isoformat()})
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, "staff_a")
    page.goto(f"/app/kandidater/{cid}")
    expect(page.locator("#partnerens-arbeid")).to_contain_text("Renhold Øst AS")
    expect(page.locator("#partnerens-arbeid")).to_contain_text("Presentert")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    _clean(page)
    screenshot(page, "tildeling-partnerens-arbeid-390")
