"""The run page lists a job the candidate already holds once, with one "Har allerede" tag (the chart's
band keeps it in its title). Desktop and 390 px."""

import pytest
from playwright.sync_api import expect

from tests.matching import test_service_api
from tests.matching.test_service_api import PLAN, run_now
from tests.web.conftest import login, screenshot

pytestmark = pytest.mark.browser
market = test_service_api.market  # the fixture: two 50 % jobs, one 100 % job, four candidates


def test_a_held_job_says_har_allerede_once(page, engine, client, world, market):
    amina = market["people"]["amina"]
    body = {"employer_name": "Rema 1000", "title": "Vaskeriarbeider", "fte": 50, "start": PLAN}
    assert client.post(f"/candidates/{amina}/jobs", json=body, headers=world.headers["consultant"]).status_code == 201
    run_id = run_now(engine, world)
    login(page, "consultant", start=f"/app/matching/{run_id}?sok=Amina")
    held = page.locator(f"#kandidat-{amina} li.held")
    expect(held).to_have_count(1)
    expect(held).to_contain_text("Vaskeriarbeider, Rema 1000 · 50 %")
    assert held.inner_text().count("Har allerede") == 1, held.inner_text()
    expect(page.locator(f"#kandidat-{amina} svg.year title", has_text="Har allerede: Vaskeriarbeider")).to_have_count(1)
    screenshot(page, "matching-har-allerede")
    page.set_viewport_size({"width": 390, "height": 844})
    page.locator(f"#kandidat-{amina}").screenshot(path=str(page_shot("matching-har-allerede-390")))


def page_shot(name: str):
    from tests.web.conftest import SCREENSHOTS

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS / f"{name}.png"
