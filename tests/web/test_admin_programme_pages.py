"""The programme's lists in the pages: an admin publishes a new version of the reason codes after the
differences are shown, staff add a local intake criterion to their project, an admin registers a
recruitment partner and puts a consultant in it, and staff see their candidates' unresolved obstacles
on the dashboard. Every mistake beside its field; desktop and 390 px."""

import re

import pytest
from playwright.sync_api import expect

from tests.web.conftest import login, screenshot
from tests.web.text_audit import problems, visible

pytestmark = pytest.mark.browser


def _clean(page) -> None:
    text, _ = visible(page.content())
    assert problems(text) == [], problems(text)


def _field(page, name: str):
    return page.locator(f"#f-{name.replace('.', '-')}")


def _narrow(page, name: str) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, name)
    page.set_viewport_size({"width": 1366, "height": 850})


def test_admin_publishes_a_new_version_of_the_reason_codes(page, client, world):
    active = client.get("/programme/codes/active", headers=world.headers["admin"]).json()
    keys = [(c["kind"], c["key"]) for c in active["codes"]]
    no_show = keys.index(("refusal", "no_show"))
    childbirth = keys.index(("interrupted", "childbirth"))
    new = len(keys)  # the first empty row: refusal reasons come first on the page
    login(page, "admin")
    page.goto("/app/brukere")
    page.get_by_role("link", name="Kodelister").click()
    expect(page.locator("h1")).to_contain_text("kodelister")
    expect(_field(page, f"codes.{no_show}.label")).to_have_value("Møtte ikke")
    _field(page, f"codes.{no_show}.label").fill("Møtte ikke til inntakssamtalen")
    _field(page, f"codes.{new}.label").fill("Fikk plass på kurs")
    _field(page, f"codes.{new}.key").fill("Kurs!")
    _field(page, f"codes.{childbirth}.remove").check()
    page.get_by_role("button", name="Se forskjellene").click()
    expect(page.locator(f"#e-codes-{new}-key")).to_be_visible()
    expect(_field(page, f"codes.{new}.label")).to_have_value("Fikk plass på kurs")
    expect(_field(page, f"codes.{no_show}.label")).to_have_value("Møtte ikke til inntakssamtalen")
    _clean(page)
    screenshot(page, "kodelister-feil")
    _field(page, f"codes.{new}.key").fill("")  # made from the name
    page.get_by_role("button", name="Se forskjellene").click()
    expect(page.locator("#nye-koder")).to_contain_text("Fikk plass på kurs")
    expect(page.locator("#nye-navn")).to_contain_text("Møtte ikke → Møtte ikke til inntakssamtalen")
    expect(page.locator("#fjernede-koder")).to_contain_text("Fødsel")
    _clean(page)
    screenshot(page, "kodelister-forskjeller")
    _narrow(page, "kodelister-forskjeller-390")
    # Nothing is published before the question is answered.
    assert client.get("/programme/codes/active", headers=world.headers["admin"]).json()["version"] == 1
    page.get_by_role("button", name="Ja, publiser versjon 2").click()
    expect(page.get_by_role("status")).to_contain_text("Versjon 2 er publisert")
    now = client.get("/programme/codes/active", headers=world.headers["admin"]).json()
    labels = {(c["kind"], c["key"]): c["label"] for c in now["codes"]}
    assert now["version"] == 2
    assert labels[("refusal", "no_show")] == "Møtte ikke til inntakssamtalen"
    assert labels[("refusal", "fikk_plass_pa_kurs")] == "Fikk plass på kurs"
    assert ("interrupted", "childbirth") not in labels
    assert len([k for k in labels if k[0] == "criterion"]) == 8  # the national criteria kept
    _narrow(page, "kodelister-390")
    # A group left with no code at all is refused, said at the top of the codes.
    for n, c in enumerate(now["codes"]):
        if c["kind"] == "completed":
            _field(page, f"codes.{n}.remove").check()
    page.get_by_role("button", name="Se forskjellene").click()
    expect(page.locator("#e-codes")).to_contain_text("fullført: utfall har ingen")
    _clean(page)


def test_staff_add_a_local_intake_criterion(page, client, world):
    login(page, "staff_a")
    page.goto("/app/henvisninger")
    page.get_by_role("link", name="Prosjektets inntakskriterier").click()
    expect(page.locator("h1")).to_contain_text("Ny sjanse Oslo")
    page.get_by_role("button", name="Legg til kriteriet").click()
    expect(page.locator("#e-label")).to_be_visible()
    _clean(page)
    screenshot(page, "inntakskriterier-feil")
    _field(page, "label").fill("Bor i bydelen")
    page.get_by_role("button", name="Legg til kriteriet").click()
    expect(page.get_by_role("status")).to_contain_text("Kriteriet er lagt til")
    expect(page.locator("#lokale-kriterier")).to_contain_text("Bor i bydelen")
    # The same name again: said beside the field.
    _field(page, "label").fill("Bor i bydelen")
    page.get_by_role("button", name="Legg til kriteriet").click()
    expect(page.locator("#e-label")).to_contain_text("har allerede et kriterium med dette navnet")
    _clean(page)
    _narrow(page, "inntakskriterier-390")
    stored = client.get(f"/projects/{world.project_a}/intake-criteria", headers=world.headers["staff_a"]).json()
    assert [(c["key"], c["label"]) for c in stored] == [("bor_i_bydelen", "Bor i bydelen")]
    # The checklist of a new referral to the project has it.
    page.goto("/app/henvisninger/ny")
    expect(page.get_by_label("Bor i bydelen")).to_be_visible()
    # Staff of another project cannot see or add to it.
    assert client.get(f"/projects/{world.project_a}/intake-criteria",
                      headers=world.headers["staff_b"]).status_code == 403
    page.context.clear_cookies()
    login(page, "staff_b", start=f"/app/prosjekter/{world.project_a}/inntakskriterier")
    expect(page.locator("h1")).not_to_contain_text("Ny sjanse Oslo")


def test_admin_registers_a_partner_and_moves_a_consultant(page, client, world):
    login(page, "admin")
    page.goto("/app/brukere")
    consultant = page.locator("li.user", has_text="consultant")
    expect(consultant).to_contain_text("Partner: Bemanning A AS")
    page.get_by_role("link", name="Rekrutteringspartnere").click()
    expect(page.locator("body")).to_contain_text("Consultant")
    _field(page, "name").fill("Jobbpartner Vest AS")
    _field(page, "organisation_number").fill("123")
    page.get_by_role("button", name="Registrer partneren").click()
    expect(page.locator("#e-organisation_number")).to_contain_text("9 siffer")
    expect(_field(page, "name")).to_have_value("Jobbpartner Vest AS")
    _clean(page)
    screenshot(page, "partnere-feil")
    _field(page, "organisation_number").fill("923 609 016")
    page.get_by_role("button", name="Registrer partneren").click()
    expect(page.get_by_role("status")).to_contain_text("Partneren er registrert")
    expect(page.locator("body")).to_contain_text("Jobbpartner Vest AS")
    _narrow(page, "partnere-390")

    page.goto("/app/brukere")
    page.get_by_role("link", name="Endre partner for consultant").click()
    expect(page.locator("body")).to_contain_text("ser bare kandidatene som er tildelt")
    _field(page, "partner_id").select_option(label="Jobbpartner Vest AS")
    screenshot(page, "bruker-partner")
    page.get_by_role("button", name="Lagre partneren").click()
    expect(page.get_by_role("status")).to_contain_text("consultant hører nå til Jobbpartner Vest AS")
    expect(page.locator("li.user", has_text="consultant")).to_contain_text("Partner: Jobbpartner Vest AS")
    users = {u["username"]: u for u in client.get("/users", headers=world.headers["admin"]).json()}
    partners = {p["name"]: p["id"] for p in client.get("/partners", headers=world.headers["admin"]).json()}
    assert users["consultant"]["partner_id"] == partners["Jobbpartner Vest AS"]
    _narrow(page, "brukere-partner-390")
    # Only consultants belong to a partner: the staff member's change is refused beside the field.
    page.goto(f"/app/brukere/{world.users['staff_a'].id}/partner")
    _field(page, "partner_id").select_option(label="Bemanning A AS")
    page.get_by_role("button", name="Lagre partneren").click()
    expect(page.locator("#e-partner_id")).to_contain_text("Bare konsulenter")


def test_staff_see_unresolved_obstacles_on_the_dashboard(page, client, world, make_candidate):
    mine = make_candidate(first_name="Hodan", last_name="Warsame", handed_over=False)
    solved = make_candidate(first_name="Tesfay", last_name="Kidane", handed_over=False)
    other = make_candidate(as_user="staff_b", project="b", first_name="Olga", last_name="Petrova", handed_over=False)
    body = {"kind": "childcare", "found_on": "2026-10-01", "owner": "staff"}
    for cid, as_user in ((mine["id"], "staff_a"), (solved["id"], "staff_a"), (other["id"], "staff_b")):
        response = client.post(f"/candidates/{cid}/obstacles", headers=world.headers[as_user], json=body)
        assert response.status_code == 201, response.text
    health = client.post(f"/candidates/{mine['id']}/obstacles", headers=world.headers["staff_a"],
                         json={"kind": "health", "found_on": "2026-10-05", "owner": "other_service"})
    assert health.status_code == 201, health.text
    done = client.get(f"/candidates/{solved['id']}/obstacles", headers=world.headers["staff_a"]).json()[0]
    assert client.post(f"/candidates/{solved['id']}/obstacles/{done['id']}/resolve", headers=world.headers["staff_a"],
                       json={"resolved_on": "2026-10-10"}).status_code == 200

    login(page, "staff_a")
    section = page.locator("#hindringer")
    expect(section).to_contain_text("Hindringer som ikke er løst")
    expect(section.locator("li")).to_have_count(2)
    expect(section).to_contain_text("Barnepass, funnet 01.10.2026")
    expect(section).to_contain_text("Helse (bare at et hinder finnes)")
    expect(section).not_to_contain_text("Tesfay")  # resolved
    expect(section).not_to_contain_text("Olga")  # another project's
    _clean(page)
    screenshot(page, "oversikt-hindringer")
    _narrow(page, "oversikt-hindringer-390")
    section.get_by_role("link", name="Hodan Warsame").first.click()
    expect(page).to_have_url(re.compile(rf"/app/kandidater/{mine['id']}#hindringer$"))
