"""Staff register and edit a candidate in the pages (contact details, profile, certificates, the CV with
occupations searched as you type, references, consents, archive); consultants change only the CV; the
CV downloads as a one-page PDF that holds nothing a presentation may not show."""

import io
import re

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader
from sqlmodel import Session, select

from api.web.deps import SESSION_COOKIE
from core.audit import AuditEntry
from tests.web.conftest import login, screenshot
from tests.web.text_audit import problems, visible

pytestmark = pytest.mark.browser


def _clean(page) -> None:
    text, _ = visible(page.content())
    assert problems(text) == [], problems(text)


def _field(page, name: str):
    return page.locator(f"#f-{name.replace('.', '-')}")


def test_staff_register_edit_cv_consent_and_archive(page, client, world):
    login(page, "staff_a")
    page.goto("/app/kandidater")
    page.get_by_role("link", name="Registrer kandidat").click()
    _field(page, "first_name").fill("Kari")
    _field(page, "last_name").fill("Abdullahi")
    _field(page, "email").fill("kari@")
    _field(page, "wanted_fte").fill("150")
    _field(page, "available_from").fill("31.02.2027")
    page.get_by_role("button", name="Registrer kandidaten").click()
    expect(page.locator("#e-email")).to_be_visible()
    expect(page.locator("#e-wanted_fte")).to_contain_text("100")
    expect(page.locator("#e-available_from")).to_contain_text("ikke en dato som finnes")  # 31.02 does not exist
    expect(_field(page, "first_name")).to_have_value("Kari")  # kept
    expect(_field(page, "available_from")).to_have_value("31.02.2027")
    _clean(page)
    screenshot(page, "kandidat-registrer-feil")

    _field(page, "email").fill("kari.abdullahi@example.no")
    _field(page, "wanted_fte").fill("50")
    _field(page, "available_from").fill("01.02.2027")
    _field(page, "phone").fill("+47 900 11 222")
    _field(page, "norwegian_level").select_option("B1")
    _field(page, "languages").fill("somali, arabisk")
    page.get_by_label("kveld").check()
    _field(page, "consents.0.given_on").fill("01.11.2026")
    page.get_by_role("button", name="Registrer kandidaten").click()
    expect(page.get_by_role("status")).to_contain_text("Kandidaten er registrert")
    expect(page.get_by_role("heading", level=1)).to_have_text("Kari Abdullahi")
    candidate_id = int(re.search(r"/kandidater/(\d+)", page.url).group(1))
    # Dates are typed and shown as dd.mm.åååå everywhere (native date fields render mm/dd/yyyy here).
    assert page.locator("input[type=date]").count() == 0
    expect(page.locator("input[name=evidence_date]").first).to_have_attribute("placeholder", "dd.mm.åååå")
    stored = client.get(f"/candidates/{candidate_id}", headers=world.headers["admin"]).json()
    assert (stored["wanted_fte"], stored["available_from"], stored["languages"], stored["working_hours"]) == (
        50, "2027-02-01", ["somali", "arabisk"], ["evening"])
    assert [c["purpose"] for c in stored["consents"]] == ["data_processing"]

    # Profile: Norskprøve and a certificate with dates; an expiry before the issue date is refused.
    page.get_by_role("link", name="Endre kontakt og profil").click()
    _field(page, "norskprove.test_date").fill("15.10.2026")
    _field(page, "norskprove.oral").select_option("B1")
    _field(page, "certificates.0.code").select_option(label="Førerkort klasse B")
    _field(page, "certificates.0.issued_on").fill("01.06.2020")
    _field(page, "certificates.0.expires_on").fill("01.06.2019")
    page.get_by_role("button", name="Lagre endringene").click()
    expect(page.locator("#e-certificates-0-expires_on")).to_be_visible()
    _clean(page)
    _field(page, "certificates.0.expires_on").fill("01.06.2071")
    page.get_by_role("button", name="Lagre endringene").click()
    expect(page.get_by_role("status")).to_contain_text("Kontaktopplysninger og profil er lagret")

    # The CV: experience with an occupation found by typing, education, a reference, wishes.
    page.get_by_role("link", name="Endre CV").click()
    _field(page, "experience.0.title").fill("Renholder")
    _field(page, "experience.0.employer_name").fill("Rent Bygg AS")
    occupation = _field(page, "experience.0.occupation_code")
    occupation.press_sequentially("renhold", delay=30)
    expect(page.locator("#yrker-e0 option").first).to_have_attribute("value", re.compile(r"^\d{4} "))
    offered = page.locator("#yrker-e0 option").evaluate_all("os => os.map(o => o.value)")
    assert any(v.startswith("9112 ") for v in offered), offered
    occupation.fill(next(v for v in offered if v.startswith("9112 ")))
    _field(page, "experience.0.start").fill("01.03.2024")
    _field(page, "experience.0.is_work_practice").check()
    _field(page, "education.0.title").fill("Grunnskole")
    _field(page, "education.0.institution").fill("Voksenopplæringen")
    _field(page, "education.0.completed").check()
    _field(page, "references.0.name").fill("Per Leder")
    _field(page, "references.0.relation").fill("Leder på praksisplassen")
    _field(page, "references.0.phone").fill("+47 911 22 333")
    _field(page, "references.0.checked_by").fill("Kari Veileder")  # no date: refused beside the field
    page.get_by_label("Renhold", exact=True).check()
    _field(page, "wishes.0.value").press_sequentially("butikkmedarb", delay=30)
    expect(page.locator("#yrker-w0 option").first).to_have_attribute("value", re.compile(r"^\d{4} "))
    _field(page, "wishes.0.value").fill(page.locator("#yrker-w0 option").first.get_attribute("value"))
    page.get_by_role("button", name="Lagre endringene").click()
    expect(page.locator("#e-references-0-checked_by")).to_contain_text("dato")
    expect(_field(page, "experience.0.title")).to_have_value("Renholder")
    _clean(page)
    screenshot(page, "kandidat-cv-feil")
    _field(page, "references.0.checked_on").fill("20.11.2026")
    page.get_by_role("button", name="Lagre endringene").click()
    expect(page.get_by_role("status")).to_contain_text("CV-en er lagret")
    stored = client.get(f"/candidates/{candidate_id}", headers=world.headers["admin"]).json()
    assert stored["experience"][0]["occupation_code"] == "9112" and stored["experience"][0]["is_work_practice"]
    assert stored["references"][0] | {"id": 0} == {"id": 0, "name": "Per Leder", "relation": "Leder på praksisplassen",
                                                   "phone": "+47 911 22 333", "email": None,
                                                   "checked_on": "2026-11-20", "checked_by": "Kari Veileder",
                                                   "note": None}
    kinds = sorted((w["kind"], w["value"]) for w in stored["wishes"])
    assert kinds[1] == ("sector", "cleaning") and kinds[0][0] == "occupation" and kinds[0][1].isdigit()
    expect(page.locator("#cv").locator("..")).to_contain_text("Per Leder")
    _clean(page)
    screenshot(page, "kandidat-side-med-cv")

    # Consent: presentation to employers, then withdrawn (asks first).
    page.get_by_role("link", name="Registrer samtykke").click()
    _field(page, "purpose").select_option(label="Presenteres for arbeidsgivere")
    _field(page, "given_on").fill("20.11.2026")
    page.get_by_role("button", name="Lagre samtykket").click()
    expect(page.get_by_role("status")).to_contain_text("Samtykket er registrert")
    page.get_by_role("link", name="Trekk tilbake Presenteres for arbeidsgivere").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Trekke tilbake")
    screenshot(page, "kandidat-samtykke-trekk")
    page.get_by_role("button", name="Ja, trekk tilbake").click()
    expect(page.get_by_role("status")).to_contain_text("Samtykket er trukket tilbake")
    stored = client.get(f"/candidates/{candidate_id}", headers=world.headers["admin"]).json()
    assert [c["withdrawn_on"] is not None for c in stored["consents"]] == [False, True]

    # The page at 390 px, then archive (asks first).
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "kandidat-side-390")
    page.goto(f"/app/kandidater/{candidate_id}/cv")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "kandidat-cv-390")
    page.goto(f"/app/kandidater/{candidate_id}")
    page.get_by_role("link", name="Arkiver").click()
    page.get_by_role("button", name="Ja, arkiver").click()
    expect(page.get_by_role("status")).to_contain_text("Kandidaten er arkivert")
    assert client.get(f"/candidates/{candidate_id}", headers=world.headers["admin"]).json()["archived_at"]


def test_consultant_changes_the_cv_but_not_contact_details_or_consents(page, client, world, make_candidate):
    candidate = make_candidate(phone="+47 900 00 001")
    login(page, "consultant")
    page.goto(f"/app/kandidater/{candidate['id']}")
    expect(page.get_by_role("link", name="Endre kontakt og profil")).to_have_count(0)
    expect(page.get_by_role("link", name="Registrer samtykke")).to_have_count(0)
    page.get_by_role("link", name="Endre CV").click()
    _field(page, "education.0.title").fill("Fagbrev renhold")
    _field(page, "education.0.institution").fill("Oslo voksenopplæring")
    page.get_by_role("button", name="Lagre endringene").click()
    expect(page.get_by_role("status")).to_contain_text("CV-en er lagret")
    response = page.goto(f"/app/kandidater/{candidate['id']}/endre")
    assert response.status == 403
    # The service refuses, whatever the way in: the API's PATCH too.
    api = client.patch(f"/candidates/{candidate['id']}", json={"phone": "+47 999 99 999"},
                       headers=world.headers["consultant"])
    assert api.status_code == 403 and "kontaktopplysninger" in api.json()["detail"].lower()
    ok = client.patch(f"/candidates/{candidate['id']}", json={"references": [{"name": "Ola", "relation": "Lærer"}]},
                      headers=world.headers["consultant"])
    assert ok.status_code == 200, ok.text
    assert client.post(f"/candidates/{candidate['id']}/consents", headers=world.headers["consultant"],
                       json={"purpose": "data_processing", "given_on": "2026-11-01"}).status_code == 403


def test_cv_pdf_shows_the_cv_and_nothing_a_presentation_may_not(client, world, make_candidate):
    candidate = make_candidate(
        email="amina.cv@example.no", phone="+47 912 34 567", address="Hemmeligveien 7",
        experience=[{"employer_name": "Rent Bygg AS", "title": "Renholder", "start": "2024-03-01",
                     "is_work_practice": True, "description": "Intern merknad xq7"}],
        education=[{"institution": "Voksenopplæringen", "title": "Grunnskole", "completed": True}],
        certificates=[{"code": "driving_licence_B", "issued_on": "2020-06-01", "document_ref": "Arkivsak 4471"}],
        languages=["somali", "arabisk"], norwegian_level="B1", wanted_fte=50, working_hours=["evening"])
    client.patch(f"/candidates/{candidate['id']}", headers=world.headers["staff_a"], json={
        "references": [{"name": "Per Referansesen", "relation": "Leder", "phone": "+47 911 22 333"}]})
    client.cookies.set(SESSION_COOKIE, world.headers["consultant"]["Authorization"].removeprefix("Bearer "))
    response = client.get(f"/app/kandidater/{candidate['id']}/cv.pdf")
    client.cookies.clear()
    assert response.status_code == 200 and response.headers["content-type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    for shown in ("Amina Hassan", "Arbeidserfaring", "Renholder, Rent Bygg AS", "praksisplass", "Grunnskole",
                  "fullført", "Førerkort klasse B", "B1", "somali, arabisk", "50 %", "kveld", "Referanser",
                  "forespørsel"):
        assert shown in text, (shown, text)
    # Only what a presentation may show (PresentableField): no contact details, document references,
    # descriptions, referees, consents, wishes, schools or the Norskprøve's details.
    for hidden in ("amina.cv@example.no", "912 34 567", "Hemmeligveien", "Arkivsak", "xq7", "Per Referansesen",
                   "911 22 333", "samtykke", "Samtykke", "fødselsnummer", "helse", "Renhold,", "Ønsker",
                   "Voksenopplæringen", "Norskprøve"):
        assert hidden not in text, (hidden, text)
    with Session(world.engine) as session:
        entries = session.exec(select(AuditEntry).where(AuditEntry.candidate_id == candidate["id"])).all()
    assert [(e.action, e.actor_role) for e in entries if e.what == "CV (PDF)"] == [("export", "consultant")]
