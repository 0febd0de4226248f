"""The candidate list's closing form asks first and keeps what was typed; the employer page logs a call
about candidates chosen by name and shows names, not ids; pickers work without script too."""

import re

import pytest
from playwright.sync_api import expect

from core.types import today
from tests.employers.conftest import employer_body, vacancy_body
from tests.web.conftest import login, screenshot

pytestmark = pytest.mark.browser


@pytest.fixture
def listed(client, world, make_candidate):
    h = world.headers["consultant"]
    employer = client.post("/employers", json=employer_body("974760673", name="Kiwi Grønland"), headers=h).json()
    vacancy = client.post(f"/employers/{employer['id']}/vacancies", json=vacancy_body(
        title="Butikkmedarbeider", start=str(today())), headers=h).json()
    c = make_candidate(first_name="Omar", last_name="Ali")
    p = client.post("/placements", json={"candidate_id": c["id"], "vacancy_id": vacancy["id"]}, headers=h).json()
    return dict(employer=employer, vacancy=vacancy, candidate=c, placement=p)


def test_closing_asks_first_and_says_why_beside_the_field(page, listed):
    login(page, "consultant")
    page.goto(f"/app/stillinger/{listed['vacancy']['id']}")
    row = page.locator(f"#plassering-{listed['placement']['id']}")
    row.locator("details.close > summary").click()
    row.get_by_label("Årsak").select_option(label="Uteble")
    row.get_by_label("Forklaring").fill("Kom ikke til møtet")
    row.get_by_role("button", name="Avslutt").click()
    row = page.locator(f"#plassering-{listed['placement']['id']}")
    expect(row.locator(f"#e-bekreft-{listed['placement']['id']}")).to_contain_text("kan ikke angres")
    expect(row.get_by_label("Forklaring")).to_have_value("Kom ikke til møtet")
    expect(row.get_by_label("Årsak")).to_have_value("no_show")
    expect(row.locator(".badge.stage")).to_have_text("Foreslått")
    screenshot(page, "kandidatliste-avslutt-bekreft")
    row.get_by_label(re.compile("Det kan ikke angres")).check()
    row.get_by_role("button", name="Avslutt").click()
    expect(page.get_by_role("status")).to_contain_text("flyttet")
    row = page.locator(f"#plassering-{listed['placement']['id']}")
    expect(row.locator(".badge.stage")).to_have_text("Mistet sjansen")
    assert row.locator("details").count() == 0  # nothing more to do on this list


def test_the_employer_page_logs_a_call_about_a_candidate_chosen_by_name(page, listed):
    login(page, "consultant")
    page.goto(f"/app/arbeidsgivere/{listed['employer']['id']}")
    form = page.locator("form.quicklog")
    form.get_by_role("combobox", name="Gjelder kandidater").fill("Omar")
    page.get_by_role("option", name=re.compile("Omar Ali")).click()
    form.get_by_label("Hva ble sagt").fill("Ringte om Omar")
    form.get_by_role("button", name="Logg kontakten").click()
    expect(page.get_by_role("status")).to_contain_text("logget")
    log = page.locator("#logg-liste")
    expect(log).to_contain_text("om Omar Ali")
    expect(page.locator("#stillinger")).to_contain_text("Butikkmedarbeider")
    screenshot(page, "arbeidsgiver-logg-med-navn")


def test_a_typed_name_without_script_is_found_or_explained(client, world, listed, make_candidate):
    from api.web.deps import SESSION_COOKIE, csrf_token_for

    make_candidate(first_name="Omar", last_name="Berg")
    token = world.headers["consultant"]["Authorization"].removeprefix("Bearer ")
    client.cookies.set(SESSION_COOKIE, token)
    url = f"/app/stillinger/{listed['vacancy']['id']}/kandidater"
    two = client.post(url, data={"csrf_token": csrf_token_for(token), "navn": "Omar"}, follow_redirects=False)
    assert two.status_code == 422 and "Flere kandidater passer" in two.text and 'value="Omar"' in two.text
    one = client.post(url, data={"csrf_token": csrf_token_for(token), "navn": "omar berg"}, follow_redirects=False)
    assert one.status_code == 303
    page = client.get(one.headers["location"])
    assert "Omar Berg" in page.text and "Kandidaten er satt på kandidatlisten" in page.text


def test_board_contacts_and_time_with_the_demo_data(page, engine):
    from api.demo import DEMO_PASSWORD, load_demo_data

    load_demo_data(database_url=engine.url.render_as_string(hide_password=False), per_project=4)
    login(page, "konsulent", DEMO_PASSWORD)
    for path, name, shows in (("/app/tavle", "tavle-demo", "#tavle .tile"),
                              ("/app/kontakter", "kontakter-demo", "#logg-liste li"),
                              ("/app/tid", "tid-brukt-demo", "#tid-kandidater tbody tr")):
        page.set_viewport_size({"width": 1366, "height": 850})
        page.goto(path)
        assert page.locator(shows).count() > 0, path
        screenshot(page, name)
        page.set_viewport_size({"width": 390, "height": 844})
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, path
        screenshot(page, f"{name}-mobil")
