"""After work practice or a trial period, the employer user gives a short assessment on Min side; staff
see it as evidence on the candidate's checklist item "Vurdering fra arbeidsgiver"."""

import pytest
from playwright.sync_api import expect

from tests.employers.conftest import ORG_A, ORG_B, employer_body
from tests.web.conftest import SCREENSHOTS, login, screenshot

pytestmark = pytest.mark.browser


def _fits(page, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width, "the page is wider than the phone"


def test_employer_assesses_work_practice_and_staff_see_it_on_the_checklist(page, client, world, make_candidate):
    consultant, staff = world.headers["consultant"], world.headers["staff_a"]
    employer = client.post("/employers", json=employer_body(ORG_A, name="Renhold Øst AS"), headers=consultant).json()
    other = client.post("/employers", json=employer_body(ORG_B, name="Annen AS"), headers=consultant).json()
    named = make_candidate(first_name="Amina", last_name="Hassan", consents=[
        {"purpose": "share_with_employer", "employer_id": employer["id"], "given_on": "2026-10-01"}])
    elsewhere = make_candidate(first_name="Bodil", last_name="Annensted")
    for candidate, at in ((named, employer), (elsewhere, other)):
        assert client.post(f"/candidates/{candidate['id']}/work-practice", headers=staff, json={
            "employer_id": at["id"], "kind": "practice_training", "start": "2026-10-05"}).status_code == 201

    login(page, "employer")
    page.get_by_role("link", name="Vurderinger").click()
    expect(page.get_by_role("row", name="Amina Hassan")).to_contain_text("Arbeidspraksis fra 05.10.2026")
    expect(page.locator("main")).not_to_contain_text("Annensted")  # another employer's practice
    page.get_by_role("link", name="Gi vurdering").click()
    page.get_by_role("button", name="Lagre vurderingen").click()
    expect(page.get_by_role("alert")).to_contain_text("Samarbeid: må fylles ut")
    expect(page.locator(".field.invalid").first).to_be_visible()  # errors beside the fields
    page.get_by_label("Oppmøte og punktlighet").select_option("4")
    page.get_by_label("Samarbeid").select_option("5")
    page.get_by_label("Arbeidskvalitet").select_option("3")
    page.get_by_label("Ja", exact=True).check()
    page.get_by_label("Kommentar").fill("Stabil og blid, bør øve på å spørre når noe er uklart.")
    page.set_viewport_size({"width": 390, "height": 844})
    _fits(page, 390)
    screenshot(page, "arbeidsgiver-vurdering-390")
    page.set_viewport_size({"width": 1366, "height": 850})
    page.get_by_role("button", name="Lagre vurderingen").click()
    expect(page.get_by_role("status")).to_contain_text("Vurderingen er lagret")
    expect(page.get_by_role("row", name="Amina Hassan")).to_contain_text("Ny vurdering")
    screenshot(page, "arbeidsgiver-vurderinger")
    assert page.goto(f"/app/min-side/vurderinger/{elsewhere['id']}").status == 404

    page.context.clear_cookies()
    login(page, "staff_a", start=f"/app/kandidater/{named['id']}")
    item = page.locator("#punkt-employer_assessment")
    evidence = item.get_by_role("list", name="Vurderinger fra arbeidsgiver")
    expect(evidence).to_contain_text("Renhold Øst AS")
    expect(evidence).to_contain_text("samarbeid 5/5")
    expect(evidence).to_contain_text("ville ansatt: Ja")
    expect(evidence).to_contain_text("bør øve på å spørre")
    page.set_viewport_size({"width": 1366, "height": 850})
    screenshot(page, "veileder-ser-arbeidsgivers-vurdering")
    page.set_viewport_size({"width": 390, "height": 844})
    item.screenshot(path=str(SCREENSHOTS / "veileder-ser-arbeidsgivers-vurdering-390.png"))
