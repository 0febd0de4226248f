"""The consultant's day in the pages, in Chromium: present a candidate with a live preview of what the
employer sees, record the employer's answer, schedule the interview (two tasks appear in "Min uke"),
tick a task off, make a task by hand choosing the candidate by name, and create and revoke the secret
calendar address. Each journey at laptop size and at 390 px, with screenshots."""

import re
from datetime import timedelta

import pytest
from icalendar import Calendar
from playwright.sync_api import expect

from core.types import today as local_today
from tests.employers.conftest import employer_body, vacancy_body
from tests.web.conftest import login, screenshot
from tests.web.text_audit import problems, visible

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}


def _clean(page) -> None:
    text, _ = visible(page.content())
    assert problems(text) == [], problems(text)


def _both_sizes(page, name: str) -> None:
    """A screenshot at laptop size and at 390 px; the page must not scroll sideways on the phone."""
    _clean(page)
    screenshot(page, name)
    size = page.viewport_size
    page.set_viewport_size(PHONE)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1, name
    screenshot(page, f"{name}-390")
    page.set_viewport_size(size)


@pytest.fixture
def office(client, world, make_candidate):
    h = world.headers["consultant"]
    east = client.post("/employers", json=employer_body("974760673", name="Renhold Øst AS", address="Storgata 1"),
                       headers=h).json()
    west = client.post("/employers", json=employer_body("923609016", name="Kantine Vest AS"), headers=h).json()
    vacancy = client.post(f"/employers/{east['id']}/vacancies", json=vacancy_body(title="Renholder, kveld"),
                          headers=h).json()
    candidate = make_candidate(first_name="Amina", last_name="Hassan", email="amina@example.no",
                               norwegian_level="B1", consents=[
                                   {"purpose": "presentation_to_employers", "given_on": "2026-10-01"}])
    consent = client.post(f"/candidates/{candidate['id']}/consents", headers=world.headers["staff_a"], json={
        "purpose": "share_with_employer", "employer_id": east["id"], "given_on": "2026-10-01"})
    assert consent.status_code == 201, consent.text
    return dict(east=east, west=west, vacancy=vacancy, candidate=candidate)


def test_present_with_preview_record_the_answer_schedule_the_interview_and_tick_off(page, client, world, office):
    cid = office["candidate"]["id"]
    login(page, "consultant")
    page.goto(f"/app/kandidater/{cid}")
    page.get_by_role("link", name="Presenter for en arbeidsgiver").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Presenter Amina Hassan")
    preview = page.locator("#forhandsvisning")

    # Unsolicited to an employer she has not consented to be named to: the preview hides the name.
    page.get_by_label("Arbeidsgiver", exact=True).select_option(label="Kantine Vest AS")
    expect(page.locator("#samtykke")).to_contain_text("Navnet vises ikke")
    expect(preview).to_contain_text("Kandidat (navnet vises ikke)")
    # For the vacancy at the employer she consented to: the name shows, at once.
    page.get_by_label("Stilling", exact=True).select_option(label="Renholder, kveld – Renhold Øst AS")
    expect(page.locator("#samtykke")).to_contain_text("Navnet vises")
    expect(preview.get_by_text("Amina Hassan")).to_be_visible()
    page.get_by_label("Ønsket stillingsandel").uncheck()
    page.get_by_label("Språk", exact=True).check()
    page.get_by_label("Presentasjon", exact=True).fill("Punktlig og erfaren med kveldsrenhold.")
    expect(preview.locator("[data-summary]")).to_have_text("Punktlig og erfaren med kveldsrenhold.")
    expect(preview.locator('[data-field="languages"]')).to_be_visible()
    expect(preview.locator('[data-field="wanted_fte"]')).to_be_hidden()
    expect(preview.locator('[data-field="norwegian_level"]')).to_contain_text("B1")
    _both_sizes(page, "presenter-forhandsvisning")

    page.get_by_role("button", name="Presenter for arbeidsgiveren").click()
    expect(page.get_by_role("status")).to_contain_text("Kandidaten er presentert")
    cards = page.locator("#presentasjoner")
    expect(cards).to_contain_text("Renhold Øst AS: Renholder, kveld")
    expect(cards).to_contain_text("Ingen svar registrert ennå")
    placement = client.get(f"/placements?candidate_id={cid}", headers=world.headers["consultant"]).json()[0]
    assert placement["stage"] == "presented"

    # The answer: "not now" without a reason is refused beside the field, with the choice kept.
    cards.get_by_role("link", name="Registrer svar").click()
    page.get_by_role("radio", name="Ikke nå").check()
    page.get_by_role("button", name="Lagre svaret").click()
    expect(page.locator("#e-answer_reason")).to_contain_text("påkrevd")
    expect(page.get_by_role("radio", name="Ikke nå")).to_be_checked()
    _clean(page)
    # It was "wants an interview", with two times proposed.
    first = local_today() + timedelta(days=5)
    page.get_by_label("Vil ha intervju").check()
    page.get_by_label("Tidspunkt 1").fill(f"{first:%d.%m.%Y} 10:00")
    page.get_by_label("Tidspunkt 2").fill(f"{first + timedelta(days=1):%d.%m.%Y} 14:30")
    _both_sizes(page, "presentasjon-svar")
    page.get_by_role("button", name="Lagre svaret").click()

    # Straight on to scheduling, the first proposed time filled in.
    expect(page.get_by_role("status")).to_contain_text("vil ha intervju")
    expect(page.get_by_label("Tidspunkt")).to_have_value(f"{first:%d.%m.%Y} 10:00")
    expect(page.get_by_label("Sted")).to_have_value("Renhold Øst AS, Storgata 1")
    page.get_by_label("Jeg blir med på intervjuet").check()
    _both_sizes(page, "intervju-avtal")
    page.get_by_role("button", name="Avtal intervjuet").click()

    # "Min uke" of the interview, with the two calls around it.
    expect(page.get_by_role("heading", level=1)).to_have_text("Min uke")
    expect(page.get_by_role("status")).to_contain_text("Intervjuet er avtalt")
    expect(page.locator(".k-interview")).to_contain_text("Intervju (du blir med)")
    expect(page.locator(".k-interview")).to_contain_text("10:00")
    prepare = page.locator(".k-task", has_text="Forbered kandidaten")
    expect(prepare).to_contain_text("Amina Hassan")
    assert client.get(f"/placements?candidate_id={cid}",
                      headers=world.headers["consultant"]).json()[0]["stage"] == "interview_scheduled"
    _both_sizes(page, "min-uke-intervju")

    # "Min dag" on the day before: tick "Forbered kandidaten" off in place.
    page.goto(f"/app/agenda?periode=dag&dag={first - timedelta(days=1):%d.%m.%Y}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Min dag")
    page.locator(".k-task", has_text="Forbered kandidaten").get_by_role("button", name="Gjort").click()
    expect(page.get_by_role("status")).to_contain_text("krysset av som gjort")
    done = page.locator(".k-task", has_text="Forbered kandidaten")
    expect(done).to_contain_text("Gjort")
    expect(done.get_by_role("button")).to_have_count(0)
    _both_sizes(page, "min-dag-krysset-av")
    page.goto(f"/app/kandidater/{cid}#presentasjoner")
    expect(page.locator("#presentasjoner")).to_contain_text("Vil ha intervju")
    page.locator("#presentasjoner").scroll_into_view_if_needed()
    _both_sizes(page, "kandidat-presentasjoner")


def test_make_a_task_by_hand_choosing_the_candidate_by_name(page, office):
    login(page, "consultant")
    page.goto("/app/agenda")
    page.get_by_role("link", name="Ny oppgave").click()
    page.get_by_label("Hva skal gjøres").fill("Hent politiattest")
    page.get_by_label("Kandidat").fill("Zorro")
    page.get_by_role("button", name="Lagre oppgaven").click()
    expect(page.locator("#e-candidate_name")).to_contain_text("Fant ingen kandidat")
    expect(page.get_by_label("Hva skal gjøres")).to_have_value("Hent politiattest")  # kept
    _clean(page)

    # Search as you type: the list fills from the names, and the one picked is used.
    field = page.get_by_label("Kandidat")
    field.fill("")
    field.press_sequentially("ami", delay=30)
    option = page.locator("#kandidatvalg option")
    expect(option).to_have_count(1)
    label = option.first.get_attribute("value")
    assert label == "Amina Hassan (Ny sjanse Oslo)"
    field.fill(label)
    expect(page.locator("#f-candidate_id")).to_have_value(str(office["candidate"]["id"]))
    page.get_by_label("Frist").fill((local_today() + timedelta(days=1)).strftime("%d.%m.%Y"))
    _both_sizes(page, "oppgave-ny")
    page.get_by_role("button", name="Lagre oppgaven").click()
    expect(page.get_by_role("status")).to_contain_text("Oppgaven er lagt i agendaen")
    task = page.locator(".k-task", has_text="Hent politiattest")
    expect(task).to_contain_text("Amina Hassan")
    _both_sizes(page, "oppgave-i-agendaen")


def test_create_and_revoke_the_calendar_address(page, office):
    login(page, "consultant")
    page.goto("/app/agenda")
    page.get_by_role("button", name="Lag kalenderadresse").click()
    address = page.get_by_label("Kalenderadresse")
    url = address.input_value()
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+/ical/[\w-]{40,}\.ics", url), url
    expect(page.get_by_role("status")).to_contain_text("vises bare nå")
    _both_sizes(page, "kalender-adresse")

    feed = page.request.get(url)
    assert feed.status == 200
    calendar = Calendar.from_ical(feed.body())
    assert str(calendar["X-WR-TIMEZONE"]) == "Europe/Oslo"

    page.goto("/app/agenda")  # the address is not shown again
    expect(page.locator("#kalender")).not_to_contain_text("/ical/")
    # A new address asks first (the old one stops working), then shows the new one once.
    page.get_by_role("link", name="Lag ny kalenderadresse").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Lage en ny kalenderadresse?")
    page.get_by_role("button", name="Ja, lag en ny adresse").click()
    newer = page.get_by_label("Kalenderadresse").input_value()
    assert newer != url and page.request.get(url).status == 404 and page.request.get(newer).status == 200
    url = newer
    page.goto("/app/agenda")
    page.get_by_role("link", name="Trekk tilbake kalenderadressen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Trekke tilbake kalenderadressen?")
    _both_sizes(page, "kalender-trekk-tilbake")
    page.get_by_role("button", name="Ja, trekk tilbake").click()
    expect(page.get_by_role("status")).to_contain_text("trukket tilbake")
    assert page.request.get(url).status == 404
    expect(page.get_by_role("button", name="Lag kalenderadresse")).to_be_visible()
