"""The pages in a real browser: log in and out, tick a checklist item with evidence, log an employer
call, run a match and accept a proposal; roles and CSRF as the API has them."""

import re

import pytest
from playwright.sync_api import expect

from readiness.service import default_definition_in
from tests.employers.conftest import ORG_A, ORG_B, employer_body, vacancy_body
from tests.web.conftest import login, screenshot

pytestmark = pytest.mark.browser
PLAN = "2027-01-01"


def make_ready(client, world, candidate_id: int) -> None:
    for item in default_definition_in().items:
        body = {"status": "done", "evidence_date": "2026-11-01", "document_ref": "Arkiv 1"}
        assert client.put(f"/candidates/{candidate_id}/readiness/{item.key}", json=body,
                          headers=world.headers["staff_a"]).status_code == 200


def test_login_roles_and_logout(page, client, world, make_candidate):
    own = make_candidate(first_name="Amina", last_name="Hassan")
    make_candidate(first_name="Other", last_name="Project", project="b", as_user="staff_b")

    page.goto("/app/kandidater")  # not logged in: to the login form, and back here afterwards
    expect(page).to_have_url(re.compile(r"/app/logg-inn\?neste=/app/kandidater"))
    screenshot(page, "00-logg-inn")
    login(page, "staff_a", "feil-passord-123", start="/app/kandidater")
    expect(page.get_by_role("alert")).to_contain_text("Feil brukernavn eller passord")

    page.get_by_label("Brukernavn").fill("staff_a")
    page.get_by_label("Passord").fill("riktig-passord-123")
    page.get_by_label("Passord").press("Enter")  # the keyboard is enough
    expect(page).to_have_url(re.compile(r"/app/kandidater$"))
    session_cookie = next(c for c in page.context.cookies() if c["name"] == "brobygger_session")
    assert session_cookie["httpOnly"] and session_cookie["sameSite"] == "Strict"

    # Staff see their own project only, and no consultant pages.
    expect(page.get_by_role("link", name="Hassan, Amina")).to_be_visible()
    expect(page.get_by_text("Project, Other")).to_have_count(0)
    expect(page.get_by_role("navigation", name="Hovedmeny").get_by_role("link", name="Matching")).to_have_count(0)
    assert page.goto("/app/matching").status == 403
    assert page.goto(f"/app/kandidater/{own['id'] + 1}").status == 403  # the other project's candidate

    # The cookie is the API's bearer token; logging out revokes it there too.
    headers = {"Authorization": f"Bearer {session_cookie['value']}"}
    assert client.get("/auth/me", headers=headers).status_code == 200
    page.goto("/app/")
    page.get_by_role("button", name="Logg ut").click()
    expect(page.get_by_role("status")).to_contain_text("Du er logget ut")
    assert client.get("/auth/me", headers=headers).status_code == 401
    page.goto("/app/kandidater")
    expect(page).to_have_url(re.compile(r"/app/logg-inn"))


def test_tick_a_checklist_item_with_evidence(page, client, world, make_candidate):
    candidate = make_candidate(first_name="Amina", last_name="Hassan")
    login(page, "staff_a")
    screenshot(page, "01-oversikt-veileder")
    page.goto("/app/kandidater")
    page.get_by_label("Navn").fill("Hass")
    page.get_by_role("button", name="Filtrer").click()
    page.get_by_role("link", name="Hassan, Amina").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Amina Hassan")

    item = page.locator("#punkt-police_certificate")
    item.get_by_text("Oppdater").click()
    item.get_by_role("radio", name="Ferdig").check()
    item.get_by_role("button", name="Lagre politiattest").click()  # no date and no document: refused, kept open
    item = page.locator("#punkt-police_certificate")
    expect(item.get_by_role("alert")).to_contain_text("dato")
    item.get_by_role("radio", name="Ferdig").check()
    item.get_by_label("Dato for dokumentasjonen").fill("02.11.2026")
    item.get_by_role("textbox", name=re.compile("^Dokument")).fill("Politiattest 26/1234")
    item.get_by_role("button", name="Lagre politiattest").click()

    expect(page.get_by_role("status")).to_contain_text("Lagret: Politiattest")
    item = page.locator("#punkt-police_certificate")
    expect(item).to_contain_text("Ferdig")
    expect(item).to_contain_text("Politiattest 26/1234")
    expect(page.locator(".timeline")).to_contain_text("Politiattest: Ferdig")
    screenshot(page, "02-kandidat")

    readiness = client.get(f"/candidates/{candidate['id']}/readiness", headers=world.headers["staff_a"]).json()
    stored = next(i for i in readiness["items"] if i["key"] == "police_certificate")
    assert stored["status"] == "done" and stored["document_ref"] == "Politiattest 26/1234"
    assert stored["verified_by"] == "Staff A"
    page.goto("/app/kandidater")
    screenshot(page, "03-kandidater")


def test_a_form_post_without_the_csrf_token_is_refused(page, make_candidate):
    candidate = make_candidate()
    login(page, "staff_a")
    response = page.request.post(f"/app/kandidater/{candidate['id']}/sjekkliste/drug_free",
                                 form={"status": "done", "evidence_date": "2026-11-01", "csrf_token": "gjettet"})
    assert response.status == 403
    page.goto(f"/app/kandidater/{candidate['id']}")
    expect(page.locator("#punkt-drug_free")).to_contain_text("Ikke startet")


def test_log_an_employer_call(page, client, world):
    employer = client.post("/employers", json=employer_body(ORG_A, name="Renhold Øst AS"),
                           headers=world.headers["consultant"]).json()
    login(page, "consultant")
    page.get_by_role("navigation", name="Hovedmeny").get_by_role("link", name="Arbeidsgivere").click()
    screenshot(page, "04-arbeidsgivere")
    page.get_by_role("link", name="Renhold Øst AS").click()
    expect(page.locator("#employer-status")).to_have_text("Potensiell")

    page.get_by_label("Hva ble sagt").fill("Ringte daglig leder om to kandidater til kveldsrenhold.")
    page.get_by_label("Minutter").fill("7")
    page.get_by_label("Utfall").fill("Vil ha CV-er")
    page.get_by_label("Neste oppfølging").fill("15.01.2030")
    page.get_by_role("button", name="Logg kontakten").click()

    expect(page.get_by_role("status")).to_contain_text("Kontakten er logget")
    expect(page.locator("#logg-liste")).to_contain_text("Telefon, 7 min: Ringte daglig leder")
    expect(page.locator("#logg-liste")).to_contain_text("oppfølging 15.01.2030")
    expect(page.locator("#employer-status")).to_have_text("Kontaktet")  # the first contact moves it on
    screenshot(page, "05-arbeidsgiver")
    log = client.get(f"/employers/{employer['id']}/log", headers=world.headers["consultant"]).json()
    assert [(e["kind"], e["duration_minutes"], e["outcome"]) for e in log] == [("phone", 7, "Vil ha CV-er")]


@pytest.fixture
def market(client, world, make_candidate):
    """Amina wants 100 % and works evenings only; Omar wants 50 %, days or evenings. Two 50 % evening jobs
    at two employers and a 50 % summer job: the best plan gives Amina both evening jobs (a 50 % + 50 %
    year) and Omar the summer."""
    consents = [{"purpose": "presentation_to_employers", "given_on": "2026-10-01"}]
    common = dict(available_from=PLAN, max_commute_km=30, certificates=[], consents=consents)
    people = {"amina": make_candidate(first_name="Amina", last_name="Hassan", wanted_fte=100,
                                      working_hours=["evening"], **common),
              "omar": make_candidate(first_name="Omar", last_name="Ali", wanted_fte=50,
                                     working_hours=["day", "evening"], **common)}
    for person in people.values():
        make_ready(client, world, person["id"])
    h = world.headers["consultant"]
    employers = [client.post("/employers", json=employer_body(org, name=name), headers=h).json()
                 for org, name in ((ORG_A, "Renhold Øst AS"), (ORG_B, "Kontorrenhold Vest AS"))]
    for employer in employers:
        assert client.post(f"/employers/{employer['id']}/vacancies", headers=h, json=vacancy_body(
            start=PLAN, fte=50, headcount=1, working_hours=["evening"], min_norwegian_level="A2")).status_code == 201
    assert client.post(f"/employers/{employers[0]['id']}/vacancies", headers=h, json=vacancy_body(
        title="Sommervikar renhold 50 %", contract_type="seasonal", start="2027-06-01", end="2027-08-31", fte=50,
        headcount=1, working_hours=["day"], min_norwegian_level="A2")).status_code == 201
    return {k: v["id"] for k, v in people.items()}


def test_run_a_match_and_accept_a_proposal(page, client, world, market):
    login(page, "consultant")
    page.get_by_role("navigation", name="Hovedmeny").get_by_role("link", name="Matching").click()
    page.get_by_label("Planåret starter").fill(PLAN)
    page.get_by_label("Tid for løseren (sekunder)").fill("2")
    page.get_by_role("button", name="Start matching").click()

    expect(page).to_have_url(re.compile(r"/app/matching/\d+$"))
    expect(page.locator("#run-status")).to_have_text("Ferdig", timeout=60_000)  # the page polls, then reloads
    run_id = int(page.url.rsplit("/", 1)[1])

    amina = page.locator(f"#kandidat-{market['amina']}")
    expect(amina).to_contain_text("dekker 100 %")
    expect(amina.locator("svg.year rect.band")).to_have_count(2)  # 50 % + 50 %, drawn one above the other
    omar = page.locator(f"#kandidat-{market['omar']}")
    expect(omar.locator("svg.year rect.band")).to_have_count(1)
    expect(omar).to_contain_text("Sommervikar renhold 50 %")
    omar.get_by_text("Forklaring").first.click()
    expect(omar.locator("table.components")).to_contain_text("yrkesønske")
    screenshot(page, "06-matchkjoring")

    omar.get_by_role("button", name="Godta").click()
    omar = page.locator(f"#kandidat-{market['omar']}")
    expect(omar.locator(".badge.d-accept")).to_have_text("Godtatt")
    expect(omar.get_by_role("button", name="Godta")).to_be_disabled()
    decisions = client.get("/match-decisions", headers=world.headers["consultant"]).json()
    assert [(d["candidate_id"], d["decision"], d["run_id"]) for d in decisions] == [(market["omar"], "accept", run_id)]

    page.get_by_role("link", name="Kortlister per stilling").click()
    expect(page.get_by_role("heading", name="Kortlister per stilling")).to_be_visible()
    expect(page.locator(".card").first).to_contain_text("poeng")
    screenshot(page, "07-kortlister")

    page.goto(f"/app/kandidater/{market['omar']}")
    expect(page.locator("#forslag")).to_contain_text(f"Forslag i matchkjøring {run_id}")
    page.goto("/app/")
    expect(page.locator(".chart").nth(1)).to_contain_text("Godtatt forslag")
    screenshot(page, "08-oversikt-konsulent")
    page.goto("/app/matching")
    screenshot(page, "09-matching")
    page.goto("/app/rapporter")
    expect(page.locator("#resultatrapport")).to_be_visible()
    screenshot(page, "10-rapporter")


def test_an_employer_user_sees_no_candidate_pages(page, client, world, make_candidate):
    make_candidate()
    client.post("/employers", json=employer_body(ORG_A, name="Renhold Øst AS"), headers=world.headers["consultant"])
    login(page, "employer")
    expect(page).to_have_url(re.compile(r"/app/min-side$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Renhold Øst AS")
    for path in ("/app/", "/app/kandidater", "/app/kandidater/1", "/app/matching", "/app/arbeidsgivere"):
        response = page.goto(path)
        assert response.status == 403, path
        expect(page.get_by_role("alert")).to_contain_text("Du er logget inn som arbeidsgiver")


def test_download_the_funders_report(page, client, world, make_candidate):
    import io

    import openpyxl

    candidate = make_candidate(first_name="Amina", last_name="Hassan")
    client.post(f"/candidates/{candidate['id']}/events", json={"kind": "interview_training", "on": "2026-11-01"},
                headers=world.headers["staff_a"])
    login(page, "consultant")
    page.goto("/app/rapporter?fra=2026-01-01")
    report = page.get_by_role("region", name="Resultatrapport til oppdragsgiver")
    expect(report.get_by_role("heading", name="Ny sjanse Oslo")).to_be_visible()
    expect(report.get_by_role("row", name=re.compile("Kandidater deltatt"))).to_contain_text("100 %")
    screenshot(page, "11-resultatrapport")
    with page.expect_download() as download_info:
        report.get_by_role("link", name="Last ned Excel (XLSX)").click()
    book = openpyxl.load_workbook(io.BytesIO(download_info.value.path().read_bytes()))
    assert book.sheetnames == ["Resultattabell", "Utfall"]
    assert book["Resultattabell"]["A2"].value == "Ny sjanse Oslo"
    with page.expect_download() as download_info:
        report.get_by_role("link", name="Last ned CSV").click()
    assert "Kandidater deltatt (i prosess i perioden);1;100" in download_info.value.path().read_text(encoding="utf-8-sig")
