"""The dashboard and the candidate page tell "i arbeid, året er fylt" from "i arbeid, ønsker mer",
and the candidate page lists the jobs the candidate holds with the year drawn."""

import pytest
from playwright.sync_api import expect

from tests.web.conftest import login, screenshot

pytestmark = pytest.mark.browser


def test_work_status_on_the_dashboard_and_the_candidate_page(page, client, world, make_candidate):
    more = make_candidate(first_name="Amina", last_name="Hassan", wanted_fte=100)
    full = make_candidate(first_name="Omar", last_name="Ali", wanted_fte=50)
    h = world.headers["staff_a"]
    for c, fte in ((more, 50), (full, 50)):
        body = {"employer_name": "Kiwi Grønland", "title": "Butikkmedarbeider", "fte": fte, "start": "2026-11-01"}
        assert client.post(f"/candidates/{c['id']}/jobs", json=body, headers=h).status_code == 201

    login(page, "staff_a")
    expect(page.locator("#kpi-work-more")).to_contain_text("1 i arbeid, ønsker mer")
    expect(page.locator("#kpi-work-full")).to_contain_text("1 i arbeid, året er fylt")

    page.goto(f"/app/kandidater/{more['id']}")
    expect(page.locator("#arbeidsstatus")).to_contain_text("I arbeid, ønsker mer")
    expect(page.locator("#arbeidsstatus")).to_contain_text("50 %")
    jobs = page.get_by_role("region", name="Jobber kandidaten har")
    expect(jobs).to_contain_text("Butikkmedarbeider, Kiwi Grønland: 50 %")
    expect(jobs.locator("svg.year rect.band")).to_have_count(1)
    # The police certificate is a task before the start, not a requirement for formidlingsklar.
    expect(page.locator("#punkt-police_certificate")).to_contain_text("Før oppstart")
    screenshot(page, "kandidat-i-arbeid")

    page.goto(f"/app/kandidater/{full['id']}")
    expect(page.locator("#arbeidsstatus")).to_contain_text("I arbeid, året er fylt")
