"""The year strip on the candidate page draws the daily sum: two 50 % jobs fill the year, a summer and
a winter season sit side by side, and a job never floats above one that has ended. The demo data has
such bundles, so they show."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlmodel import Session, select

from api.demo import load_demo_data
from core.types import today
from placement.models import CandidateJob
from tests.web.conftest import login, screenshot

pytestmark = pytest.mark.browser


def _record(client, world, candidate_id, **body):
    answer = client.post(f"/candidates/{candidate_id}/jobs", json=body, headers=world.headers["staff_a"])
    assert answer.status_code == 201, answer.text


def _pieces(page):
    """The drawn band pieces: (job title, top, bottom) in SVG units, and the plot's bottom."""
    return page.evaluate("""() => {
        const svg = document.querySelector('section[aria-labelledby=jobber] svg.year');
        const plot = svg.querySelector('rect.plot');
        const bottom = +plot.getAttribute('y') + +plot.getAttribute('height');
        const pieces = [...svg.querySelectorAll('g.band')].map(g => {
            const r = g.querySelector('rect.band');
            return [g.querySelector('title').textContent, +r.getAttribute('y'),
                    +r.getAttribute('y') + +r.getAttribute('height'), +r.getAttribute('x')];
        });
        return {bottom, height: +plot.getAttribute('height'), pieces};
    }""")


def _labels_readable(page) -> None:
    """The strip's month and percent labels as drawn: readable, and the months not run together."""
    boxes = page.evaluate("""selector => [...document.querySelectorAll(selector)]
        .map(t => t.getBoundingClientRect()).filter(r => r.width > 0).map(r => [r.left, r.right, r.bottom - r.top])""",
                          "section[aria-labelledby=jobber] svg.year text.mlabel")
    percents = page.evaluate("""selector => [...document.querySelectorAll(selector)]
        .map(t => t.getBoundingClientRect().height)""", "section[aria-labelledby=jobber] svg.year text.pct")
    assert len(boxes) >= 6 and len(percents) == 3  # every other month named; 0 %, 50 %, 100 %
    assert min(h for _, _, h in boxes) >= 9 and min(percents) >= 7
    boxes.sort()
    assert all(a[1] <= b[0] for a, b in zip(boxes, boxes[1:], strict=False))


def test_bundles_and_an_ended_job_in_the_year_strip(page, client, world, make_candidate):
    day = today()
    halves = make_candidate(first_name="Amina", last_name="Hassan", wanted_fte=100)
    _record(client, world, halves["id"], employer_name="Kiosken", title="Kioskmedarbeider", fte=25,
            start=str(day - timedelta(days=20)), end=str(day + timedelta(days=60)))
    _record(client, world, halves["id"], employer_name="Renhold Øst", title="Renholder", fte=50,
            start=str(day - timedelta(days=10)))
    seasons = make_candidate(first_name="Omar", last_name="Ali", wanted_fte=100)
    _record(client, world, seasons["id"], employer_name="Fjordhotellet", title="Romrengjører", fte=100,
            start=str(day + timedelta(days=120)), end=str(day + timedelta(days=210)))
    _record(client, world, seasons["id"], employer_name="Skisenteret", title="Heisvakt", fte=100,
            start=str(day + timedelta(days=240)), end=str(day + timedelta(days=330)))

    login(page, "staff_a")
    page.goto(f"/app/kandidater/{halves['id']}")
    drawn = _pieces(page)
    half_pieces = sorted((p for p in drawn["pieces"] if "Renholder" in p[0]), key=lambda p: p[3])
    # Until the 25 % job ends the 50 % job stands on it; from then on it stands on the bottom, at 0-50 %.
    assert len(half_pieces) == 2
    assert half_pieces[0][2] < drawn["bottom"] - 1
    assert abs(half_pieces[1][2] - drawn["bottom"]) < 0.2
    assert abs(half_pieces[1][1] - (drawn["bottom"] - drawn["height"] / 2)) < 0.2
    expect(page.locator("section[aria-labelledby=jobber]")).to_contain_text("Renholder, Renhold Øst: 50 %")
    screenshot(page, "aarsstripe-25-og-50")

    page.goto(f"/app/kandidater/{seasons['id']}")
    drawn = _pieces(page)
    summer, winter = sorted(drawn["pieces"], key=lambda p: p[3])
    assert summer[1] == winter[1] and abs(summer[2] - drawn["bottom"]) < 0.2  # both full height, side by side
    _labels_readable(page)  # in the page's side column it is drawn at about 0.6
    screenshot(page, "aarsstripe-sommer-og-vinter")
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    _labels_readable(page)  # the strip shrinks to about half on a phone
    screenshot(page, "aarsstripe-sommer-og-vinter-mobil")


def test_the_demo_data_has_half_and_half_and_seasonal_bundles(engine):
    load_demo_data(database_url=engine.url.render_as_string(hide_password=False), per_project=4)
    with Session(engine) as session:
        jobs = list(session.exec(select(CandidateJob)))
    by_candidate: dict[int, list[CandidateJob]] = {}
    for job in jobs:
        by_candidate.setdefault(job.candidate_id, []).append(job)
    halves = [js for js in by_candidate.values() if sorted(j.fte for j in js) == [50, 50]
              and all(j.end is None for j in js)]
    seasons = [sorted(js, key=lambda j: j.start) for js in by_candidate.values()
               if len(js) == 2 and all(j.fte == 100 and j.end for j in js)]
    seasons = [(a, b) for a, b in seasons if a.end < b.start and 6 in (a.start.month, b.start.month)
               and b.end <= today() + timedelta(days=365)]  # both inside the year the strip draws
    assert len(halves) >= 2 and len(seasons) >= 2
