"""The consultant's whole day in the pages: a candidate found by name onto a vacancy's candidate list, moved
through presented, interview (with the consultant there), offer, start and a permanent contract; calls
and a meeting logged with the candidate and the employers; the follow-up done from the dashboard; time
spent; and the result report's rows for interviews, offers and contacts matching what was done."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from core.types import today
from tests.employers.conftest import employer_body, vacancy_body
from tests.web.conftest import login, screenshot

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}
# What the day below does, as the result report's rows count it (Oslo's project).
EXPECTED = {
    "Intervjuer innkalt til eller gjennomført": 1,
    "Intervjuer med konsulent til stede (intervjubistand)": 1,
    "Jobbtilbud mottatt": 1,
    "Jobbtilbud akseptert": 1,
    # The call about Amina to the cleaning company, and the general visit to the hotel (in Oslo, so it
    # counts for Oslo's project). The SMS to Amina alone contacted no employer.
    "Nye arbeidsgivere kontaktet": 2,
    "Arbeidsgivere kontaktet fra eksisterende register og partnere": 0,
}


def _fits_phone(page, name: str) -> None:
    size = page.viewport_size
    page.set_viewport_size(PHONE)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, name
    screenshot(page, f"{name}-mobil")
    page.set_viewport_size(size)


def _row(page, placement_id: int):
    return page.locator(f"#plassering-{placement_id}")


def move(page, placement_id: int, stage: str, **fields) -> None:
    """One move on the candidate list: open "Flytt videre", choose the step, fill what it asks, save."""
    row = _row(page, placement_id)
    if row.locator("details.move").get_attribute("open") is None:  # open after a refused try
        row.locator("details.move > summary").click()
    row.get_by_label("Neste steg").select_option(label=stage)
    for label, value in fields.items():
        field = row.get_by_label(label, exact=True)
        if value is True:
            field.check()
        else:
            field.fill(value)
    row.get_by_role("button", name="Lagre").click()
    expect(page.get_by_role("status")).to_contain_text("Kandidaten er flyttet")
    expect(_row(page, placement_id).locator(".badge.stage")).to_have_text(stage)


def schedule_interview(page, placement_id: int) -> None:
    """Call the candidate to an interview on the interview page, reached by the list's "Avtal intervju":
    a time ahead and a place; it lands on Min uke with the interview."""
    _row(page, placement_id).get_by_role("link", name="Avtal intervju").click()
    page.get_by_label("Tidspunkt").fill(f"{today() + timedelta(days=2):%d.%m.%Y} 10:00")
    page.get_by_label("Sted").fill("Renhold Øst AS, Storgata 1")
    page.get_by_role("button", name="Avtal intervjuet").click()
    expect(page.get_by_role("status")).to_contain_text("Intervjuet er avtalt")
    expect(page.locator(".k-interview")).to_contain_text("10:00")


def log_contact(page, *, kind: str, minutes: str, summary: str, candidate: str | None = None,
                employer: str | None = None, follow_up: str = "") -> None:
    page.goto("/app/kontakter")
    form = page.locator("#kontaktskjema")
    form.get_by_label("Type").select_option(label=kind)
    form.get_by_label("Minutter").fill(minutes)
    if candidate:
        form.get_by_role("combobox", name="Kandidater").fill(candidate[:5])
        page.get_by_role("option", name=re.compile(candidate)).click()
        expect(form.locator("ul.chosen")).to_contain_text(candidate)
    if employer:
        form.get_by_label("Arbeidsgiver").select_option(label=employer)
    form.get_by_label("Hva ble sagt").fill(summary)
    if follow_up:
        form.get_by_label("Neste oppfølging").fill(follow_up)
    form.get_by_role("button", name="Logg kontakten").click()
    expect(page.get_by_role("status")).to_contain_text("Kontakten er logget")


def _report_count(page, label: str) -> int:
    row = page.locator("table.report").first.locator("tr", has=page.get_by_text(label, exact=True))
    return int(row.locator("td.num").first.inner_text())


def test_from_candidate_list_to_permanent_job_and_the_report_agrees(page, client, world, make_candidate):
    h = world.headers["consultant"]
    employer = client.post("/employers", json=employer_body("974760673", name="Renhold Øst AS"), headers=h).json()
    hotel = client.post("/employers", json=employer_body("923609016", name="Hotell Fjordgløtt AS"), headers=h).json()
    season = client.post(f"/employers/{hotel['id']}/vacancies", json=vacancy_body(
        title="Romrengjører, sommer", contract_type="seasonal", start=str(today() + timedelta(days=150)),
        end=str(today() + timedelta(days=240)), fte=50), headers=h).json()
    vacancy = client.post(f"/employers/{employer['id']}/vacancies", json=vacancy_body(
        title="Renholder, kveld", start=str(today()), fte=50), headers=h).json()
    amina = make_candidate(first_name="Amina", last_name="Hassan")
    make_candidate(first_name="Amir", last_name="Berg")
    login(page, "consultant")
    day = today().strftime("%d.%m.%Y")

    # The report before: what the pages add is compared with it.
    report = f"/app/rapporter?fra={today().isoformat()}&til={today().isoformat()}"
    page.goto(report)
    before = {label: _report_count(page, label) for label in EXPECTED}

    # Onto the candidate list by name, searched as you type: never an id.
    page.goto(f"/app/stillinger/{vacancy['id']}")
    picker = page.locator("#legg-til")
    picker.get_by_label("Søk etter navn").fill("Ami")
    expect(page.get_by_role("option")).to_have_count(2)
    picker.get_by_label("Søk etter navn").fill("Amina Ha")
    expect(page.get_by_role("option")).to_have_count(1)
    page.get_by_role("option", name=re.compile("Amina Hassan")).click()
    expect(page.get_by_role("option")).to_have_count(0)
    picker.get_by_role("button", name="Sett på listen").click()
    expect(page.get_by_role("status")).to_contain_text("satt på kandidatlisten")
    row = page.locator("li.pl-row").first
    expect(row).to_contain_text("Amina Hassan")
    expect(row.locator(".badge.stage")).to_have_text("Foreslått")
    expect(row).to_contain_text(f"siden {day}")
    placement_id = int(row.get_attribute("id").removeprefix("plassering-"))
    screenshot(page, "kandidatliste")
    _fits_phone(page, "kandidatliste")

    # The move form offers only what the pipeline allows from here.
    options = _row(page, placement_id).get_by_label("Neste steg").locator("option").all_text_contents()
    assert options == ["Presentert"]
    closing = _row(page, placement_id).get_by_label("Årsak").locator("option").all_text_contents()
    assert closing == ["Velg …", "Uteble", "Takket nei", "Avsluttet"]

    log_contact(page, kind="Telefon", minutes="10", summary="Sendte CV og ringte om Amina",
                candidate="Amina Hassan", employer="Renhold Øst AS")
    page.goto(f"/app/stillinger/{vacancy['id']}")
    move(page, placement_id, "Presentert")
    schedule_interview(page, placement_id)
    log_contact(page, kind="SMS", minutes="5", summary="Forberedte Amina til intervjuet", candidate="Amina Hassan",
                follow_up=day)
    page.goto(f"/app/stillinger/{vacancy['id']}")
    move(page, placement_id, "Intervju gjennomført", **{"Konsulent var med (intervjubistand)": True})
    move(page, placement_id, "Tilbud")
    move(page, placement_id, "Takket ja")

    # A start asks for share, period and wage subsidy; without an end or "fast" it says so beside the field.
    row = _row(page, placement_id)
    row.locator("details.move > summary").click()
    row.get_by_label("Neste steg").select_option(label="Begynt")
    row.get_by_label("Stillingsprosent").fill("80")
    row.get_by_role("button", name="Lagre").click()
    expect(page.locator(f"#e-end-{placement_id}")).to_contain_text("siste dag")
    expect(_row(page, placement_id).get_by_label("Stillingsprosent")).to_have_value("80")
    target = page.locator("#feil a").first.get_attribute("href")  # the summary leads to the field
    expect(_row(page, placement_id).locator(target)).to_have_attribute("name", "end")
    screenshot(page, "kandidatliste-start-feil")
    _fits_phone(page, "kandidatliste-start-feil")
    move(page, placement_id, "Begynt", **{"Fast (ingen sluttdato)": True, "Med lønnstilskudd": True})
    expect(_row(page, placement_id)).to_contain_text("Oppfølging")
    move(page, placement_id, "Fast ansatt")
    assert _row(page, placement_id).get_by_label("Neste steg").count() == 0  # nothing onward from permanent

    log_contact(page, kind="Besøk", minutes="45", summary="Presenterte oss for hotellet", employer="Hotell Fjordgløtt AS")
    expect(page.locator("#logg-liste")).to_contain_text("generell kontakt")
    expect(page.locator("#logg-liste")).to_contain_text("Amina Hassan")
    assert "candidate" not in page.locator("#logg-liste").inner_text().lower()
    screenshot(page, "kontakter")
    _fits_phone(page, "kontakter")

    # The follow-up from the SMS is due today: done on the dashboard, with a note.
    page.goto("/app/")
    due = page.locator("#oppfolginger")
    expect(due).to_contain_text("Amina Hassan")
    screenshot(page, "oversikt-oppfolging-forfalt")
    _fits_phone(page, "oversikt-oppfolging-forfalt")
    due.get_by_text("Utført …").first.click()
    due.get_by_label("Merknad").first.fill("Hun møtte opp")
    due.get_by_role("button", name="Utført", exact=True).first.click()
    expect(page.get_by_role("status")).to_contain_text("registrert som utført")
    screenshot(page, "oversikt-oppfolginger")

    # Time spent: the candidate's 15 minutes (the call about her and the SMS), each employer's own.
    page.goto("/app/tid")
    expect(page.locator("#tid-kandidater")).to_contain_text("Amina Hassan")
    expect(page.locator("#tid-kandidater tr", has_text="Amina Hassan")).to_contain_text("15 min")
    expect(page.locator("#tid-arbeidsgivere tr", has_text="Hotell Fjordgløtt AS")).to_contain_text("45 min")
    expect(page.locator("#tid-arbeidsgivere tr", has_text="Renhold Øst AS")).to_contain_text("10 min")
    screenshot(page, "tid-brukt")
    _fits_phone(page, "tid-brukt")

    # Fler-fangst: she is also presented for a summer job. Her page shows both lists side by side and the
    # year with the job she holds (grey) and the one in progress.
    page.goto(f"/app/stillinger/{season['id']}")
    page.locator("#legg-til").get_by_label("Søk etter navn").fill("Amina Hassan")
    page.get_by_role("option", name=re.compile("Amina Hassan")).click()
    page.locator("#legg-til").get_by_role("button", name="Sett på listen").click()
    summer_id = int(page.locator("li.pl-row").first.get_attribute("id").removeprefix("plassering-"))
    move(page, summer_id, "Presentert")
    page.goto(f"/app/kandidater/{amina['id']}")
    lists = page.locator("#kandidatlister")
    expect(lists.locator("li.pl-row")).to_have_count(2)
    expect(lists).to_contain_text("Fast ansatt")
    expect(lists).to_contain_text("Presentert")
    expect(lists.locator("svg.year title", has_text="I prosess (presentert): Romrengjører, sommer")).to_have_count(1)
    screenshot(page, "kandidat-kandidatlister")
    _fits_phone(page, "kandidat-kandidatlister")
    screenshot(page, "kandidat-kandidatlister")

    page.goto("/app/tavle")
    expect(page.locator("#col-permanent")).to_contain_text("1")
    screenshot(page, "tavle")
    _fits_phone(page, "tavle")

    # The result report counts what was done in the pages.
    page.goto(report)
    added = {label: _report_count(page, label) - before[label] for label in EXPECTED}
    assert added == EXPECTED
    screenshot(page, "rapport-etter-dagen")

