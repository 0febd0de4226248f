"""The candidate page says each thing once and does not contradict itself: one Samtykker card (with the
job seeker's own withdrawals), ids unique; the presentations card does not say "never presented" while
the candidate lists say "Presentert"; the partner's numbers read alike. Desktop and 390 px."""

import re
from collections import Counter

import pytest
from playwright.sync_api import expect

from core.types import today as local_today
from tests.employers.conftest import employer_body, vacancy_body
from tests.web.conftest import login, screenshot
from tests.web.text_audit import problems, visible

pytestmark = pytest.mark.browser


def _ids_unique(page) -> None:
    ids = Counter(page.evaluate("() => [...document.querySelectorAll('[id]')].map(e => e.id)"))
    assert [i for i, n in ids.items() if n > 1] == []


def _clean(page) -> None:
    text, _ = visible(page.content())
    assert problems(text) == [], problems(text)


def test_consents_once_and_presentations_as_the_lists_say(page, client, world, make_candidate):
    x = make_candidate(first_name="Selam", last_name="Haile",
                       consents=[{"purpose": "presentation_to_employers", "given_on": "2026-10-01"}])
    consultant = world.headers["consultant"]
    employer = client.post("/employers", headers=consultant, json=employer_body("974760673", name="Renhold Øst AS")).json()
    vacancy = client.post(f"/employers/{employer['id']}/vacancies", headers=consultant, json=vacancy_body()).json()
    placement = client.post("/placements", headers=consultant, json={"candidate_id": x["id"], "vacancy_id": vacancy["id"]})
    # Moved to "presented" on the candidate list, with no presentation recorded (as in the demo data).
    assert client.post(f"/placements/{placement.json()['id']}/transitions", headers=consultant,
                       json={"to": "presented", "on": local_today().isoformat()}).status_code == 200
    assert client.post(f"/placements/{placement.json()['id']}/transitions", headers=consultant,
                       json={"to": "interview_scheduled", "on": local_today().isoformat()}).status_code == 200

    login(page, "staff_a")
    page.goto(f"/app/kandidater/{x['id']}")
    expect(page.get_by_role("heading", name="Samtykker", exact=True)).to_have_count(1)
    expect(page.locator("#samtykker-kort")).to_contain_text("Presenteres for arbeidsgivere · Gitt 01.10.2026")
    given = page.locator("#samtykker-kort li[id^=samtykke-]").count()  # each with its own "Trekk tilbake"
    expect(page.locator("#samtykker-kort").get_by_role("link", name=re.compile("Trekk tilbake"))).to_have_count(given)
    expect(page.locator("#egen-side")).not_to_contain_text("Samtykker")
    expect(page.locator("#partnerens-tall")).to_have_text("Presentert for 1 · intervju hos 1 · tilbud fra 0")
    _ids_unique(page)
    _clean(page)
    screenshot(page, "kandidat-samtykker-en-gang")

    page.context.clear_cookies()
    login(page, "consultant")
    page.goto(f"/app/kandidater/{x['id']}")
    card = page.locator("#presentasjoner")
    expect(card).not_to_contain_text("ikke presentert for noen arbeidsgiver")
    expect(card).to_contain_text("Ingen presentasjoner registrert her; kandidatlistene viser at Selam er presentert "
                                 "for 1 arbeidsgiver.")
    expect(page.locator("#kandidatlister")).to_contain_text("Innkalt til intervju")
    _ids_unique(page)
    _clean(page)
    screenshot(page, "kandidat-presentasjoner-fra-listene")
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    card.screenshot(path=str(page_path("kandidat-presentasjoner-fra-listene-390")))

    # Presented through the presentations form: the card lists it, and the list no longer counts apart.
    other = client.post(f"/employers/{employer['id']}/vacancies", headers=consultant,
                        json=vacancy_body(title="Renholder natt")).json()
    assert client.post("/presentations", headers=consultant, json={
        "candidate_id": x["id"], "vacancy_id": other["id"], "fields": ["norwegian_level"]}).status_code == 201
    page.reload()
    expect(card.locator("li")).to_have_count(1)
    expect(card).not_to_contain_text("Ingen presentasjoner registrert her")
    expect(page.locator("#presentert-uten-registrering")).to_have_count(0)  # the same employer: recorded now


def page_path(name: str):
    from tests.web.conftest import SCREENSHOTS

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS / f"{name}.png"
