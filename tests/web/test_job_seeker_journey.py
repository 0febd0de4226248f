"""A job seeker's journey on a phone (360 and 390 px wide): staff invite, the job seeker chooses a
password with the code and logs in, ticks a task, downloads the interview as a calendar file,
withdraws a consent (the consultant sees it at once), downloads their data and reads the pages in
English. Screenshots of every page in artifacts/screenshots/meg-*.png."""

import json
import re

import pytest
from playwright.sync_api import expect

from core.types import today as local_today
from tests.employers.conftest import ORG_A, employer_body, vacancy_body
from tests.web.conftest import login, screenshot

pytestmark = pytest.mark.browser
PHONES = ({"width": 360, "height": 780}, {"width": 390, "height": 844})
PASSWORD = "blå-ferje-mot-nesodden-7"


def _world_with_an_interview(client, world, make_candidate) -> dict:
    x = make_candidate(first_name="Hodan", last_name="Warsame", wishes=[{"kind": "sector", "value": "cleaning"}],
                       consents=[{"purpose": "data_processing", "given_on": "2026-09-01"},
                                 {"purpose": "presentation_to_employers", "given_on": "2026-10-01"}])
    for key in ("intake_assessment", "police_certificate", "cv_and_references"):
        assert client.put(f"/candidates/{x['id']}/readiness/{key}", headers=world.headers["staff_a"], json={
            "status": "done", "evidence_date": "2026-11-01", "document_ref": "Arkiv 1"}).status_code == 200
    employer = client.post("/employers", json=employer_body(ORG_A, name="Renhold Øst AS", address="Storgata 5, Oslo"),
                           headers=world.headers["consultant"]).json()
    vacancy = client.post(f"/employers/{employer['id']}/vacancies", json=vacancy_body(title="Renholder kveld"),
                          headers=world.headers["consultant"]).json()
    consultant = world.headers["consultant"]
    assert client.post("/presentations", headers=consultant, json={
        "candidate_id": x["id"], "vacancy_id": vacancy["id"], "fields": ["norwegian_level"]}).status_code == 201
    placement = client.post("/placements", headers=consultant, json={"candidate_id": x["id"],
                                                                     "vacancy_id": vacancy["id"]}).json()
    for stage in ("presented", "interview_scheduled"):
        if placement["stage"] == stage:  # a placement for a candidate already presented starts as presented
            continue
        assert client.post(f"/placements/{placement['id']}/transitions", headers=consultant,
                           json={"to": stage, "on": local_today().isoformat()}).status_code == 200
    return x


def _fits(page, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width, "the page is wider than the phone"


def test_a_job_seeker_from_invitation_to_data_download_on_a_phone(browser, live_server, page, client, world,
                                                                   make_candidate):
    x = _world_with_an_interview(client, world, make_candidate)

    # Staff invite on the candidate's page and read the code from the outbox.
    login(page, "staff_a")
    page.goto(f"/app/kandidater/{x['id']}")
    page.get_by_role("button", name="Inviter til egen side").click()
    expect(page.get_by_role("status")).to_contain_text("Koden er laget")
    message = page.locator("#utboks blockquote").inner_text()
    code = re.search(r"koden (\S{4}-\S{4}-\S{4}-\S{4})", message).group(1)
    username = re.search(r"Brukernavnet ditt er (\S+)\.", message).group(1)
    page.locator("#egen-side").screenshot(path=str(_shot("meg-00-veileder-utboks")))

    for number, phone in enumerate(PHONES):
        context = browser.new_context(base_url=live_server, locale="nb-NO", timezone_id="Europe/Oslo", viewport=phone,
                                      accept_downloads=True, has_touch=True, is_mobile=True)
        context.set_default_timeout(10_000)
        me = context.new_page()
        width = phone["width"]
        if number == 0:  # the first time: the code from the outbox, a new password
            me.goto(f"/app/logg-inn/invitasjon?kode={code}")
            expect(me.get_by_role("heading", level=1)).to_have_text("Velkommen til din egen side")
            me.get_by_label("Nytt passord").fill(PASSWORD)
            me.get_by_label("Skriv passordet en gang til").fill(PASSWORD)
            screenshot(me, "meg-01-invitasjon")
            me.get_by_role("button", name="Lagre passord og logg inn").click()
            expect(me).to_have_url(re.compile(r"/app/meg$"))
            me.get_by_role("button", name="Logg ut").click()
        login(me, username, PASSWORD)  # then as any day: user name and password
        expect(me).to_have_url(re.compile(r"/app/meg$"))
        expect(me.get_by_role("heading", level=1)).to_have_text("Hei, Hodan!")
        expect(me.get_by_role("region", name="Dette har du gjort")).to_contain_text("01.11.2026")
        _fits(me, width)
        screenshot(me, f"meg-02-min-vei-{width}")

        me.get_by_role("navigation", name="Sidene dine").get_by_role("link", name="Min plan").click()
        task = me.locator("#oppgave-email_attachments")
        if number == 0:
            task.get_by_label("Jeg har gjort dette").check()
            task.get_by_label("Kommentar til veilederen (valgfritt)").fill("Sendte søknad med vedlegg i går.")
            task.get_by_role("button", name=re.compile("Lagre")).click()
            expect(me.get_by_role("status")).to_contain_text("Veilederen din ser det nå")
        expect(me.locator("#oppgave-email_attachments")).to_contain_text("Du krysset av")
        _fits(me, width)
        screenshot(me, f"meg-03-min-plan-{width}")

        me.get_by_role("link", name="Avtaler").click()
        expect(me.get_by_role("heading", level=2)).to_contain_text("Jobbintervju: Renhold Øst AS")
        expect(me.locator(".appointment")).to_contain_text("Storgata 5, Oslo")
        with me.expect_download() as download:
            me.get_by_role("link", name="Legg til i kalenderen").click()
        ics = open(download.value.path(), encoding="utf-8").read()
        assert "BEGIN:VCALENDAR" in ics and "SUMMARY:Jobbintervju: Renhold Øst AS" in ics
        assert f"DTSTART;VALUE=DATE:{local_today():%Y%m%d}" in ics and "LOCATION:Storgata 5\\, Oslo" in ics
        _fits(me, width)
        screenshot(me, f"meg-04-avtaler-{width}")

        me.get_by_role("link", name="Jobber").click()
        expect(me.get_by_role("region", name="Arbeidsgivere som har fått høre om deg")).to_contain_text(
            "Renhold Øst AS: Renholder kveld")
        _fits(me, width)
        screenshot(me, f"meg-05-jobber-{width}")

        me.get_by_role("link", name="Samtykker").click()
        consent = me.locator(".consent", has_text="Vi kan fortelle arbeidsgivere om deg")
        if number == 0:
            consent.get_by_text("Trekk samtykket", exact=True).click()  # asks first
            screenshot(me, "meg-06-samtykke-sporsmal")
            consent.get_by_role("button", name="Ja, trekk samtykket").click()
            expect(me.get_by_role("status")).to_contain_text("Samtykket er trukket")
            # The consultant sees it at once on the candidate's page.
            staff = browser.new_context(base_url=live_server, locale="nb-NO", viewport={"width": 1366, "height": 850})
            consultant = staff.new_page()
            login(consultant, "consultant")
            consultant.goto(f"/app/kandidater/{x['id']}")
            expect(consultant.locator("#samtykker-kort")).to_contain_text(
                f"Presenteres for arbeidsgivere · Trukket {local_today():%d.%m.%Y}")
            expect(consultant.locator("#kandidatens-plan").locator("..")).to_contain_text(
                "Sendte søknad med vedlegg i går.")
            consultant.locator("#samtykker-kort").screenshot(path=str(_shot("meg-07-konsulent-ser-trukket")))
            consultant.locator("#egen-side").locator("..").screenshot(path=str(_shot("meg-07-konsulent-egen-side")))
            staff.close()
        expect(me.locator(".consent.withdrawn")).to_contain_text("Trukket")
        _fits(me, width)
        screenshot(me, f"meg-06-samtykker-{width}")

        me.get_by_role("link", name="Mine data").click()
        expect(me.get_by_role("region", name="Hvem har sett opplysningene dine")).to_contain_text("Staff A så profilen din")
        with me.expect_download() as download:
            me.get_by_role("link", name="Last ned mine data").click()
        data = json.loads(open(download.value.path(), encoding="utf-8").read())
        assert data["candidate"]["first_name"] == "Hodan"
        _fits(me, width)
        screenshot(me, f"meg-08-mine-data-{width}")

        me.get_by_role("link", name="Profil").click()
        expect(me.get_by_label("E-post")).to_have_value("amina@example.no")
        _fits(me, width)
        screenshot(me, f"meg-09-profil-{width}")
        context.close()

    # In English, kept for the next visit.
    context = browser.new_context(base_url=live_server, locale="nb-NO", viewport=PHONES[1])
    me = context.new_page()
    login(me, username, PASSWORD)
    me.get_by_label("Språk").select_option("en")
    me.get_by_role("button", name="Bytt språk").click()
    expect(me.get_by_role("heading", level=1)).to_have_text("Hi, Hodan!")
    screenshot(me, "meg-10-english")
    me.get_by_role("link", name="Jobs").click()
    expect(me.get_by_role("heading", level=1)).to_have_text("Jobs that may suit you")
    # An address that does not exist: the error page is English too, with their own menu.
    me.goto("/app/meg/finnes-ikke")
    expect(me.get_by_role("heading", level=1)).to_have_text("We could not find the page.")
    expect(me.get_by_role("link", name="To the front page")).to_be_visible()
    _fits(me, PHONES[1]["width"])
    screenshot(me, "meg-11-english-404")
    context.close()


def _shot(name: str):
    from tests.web.conftest import SCREENSHOTS

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS / f"{name}.png"
