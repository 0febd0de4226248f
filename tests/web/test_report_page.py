"""The result report on the page: a missing percent is explained, the chart shows the numbers the table
has, decimals have a comma, and the median keeps its half day."""

import re
from datetime import UTC, date, datetime, time, timedelta

import pytest
from playwright.sync_api import expect
from sqlmodel import Session, select

from candidates.models import Candidate
from core.types import LOCAL_TZ, today
from readiness.models import ItemStatusEvent
from tests.employers.conftest import ORG_A, employer_body, vacancy_body
from tests.web.conftest import login, screenshot
from tests.web.test_pages import make_ready

pytestmark = pytest.mark.browser


def _on_local_day(moment: datetime, day: date) -> datetime:
    """`moment` moved to noon (Oslo time) on `day`, aware or naive as it was. Whole days back from a
    time late in the evening can land on another local date across a clock change (this test
    failed at 23:43 on 4 December: 41 days back was 00:43 summer time, a day later than meant)."""
    noon = datetime.combine(day, time(12), tzinfo=LOCAL_TZ).astimezone(UTC)
    return noon if moment.tzinfo else noon.replace(tzinfo=None)


def _offer(client, world, candidate_id: int, vacancy_id: int, offer_on, start_on=None) -> None:
    h = world.headers["consultant"]
    placed = client.post("/placements", json={"candidate_id": candidate_id, "vacancy_id": vacancy_id,
                                              "on": str(offer_on - timedelta(days=4))}, headers=h)
    assert placed.status_code == 201, placed.text
    steps = [("presented", 3), ("interview_scheduled", 2), ("interview_held", 1), ("offer", 0)]
    moves = [(stage, offer_on - timedelta(days=back)) for stage, back in steps]
    if start_on:
        moves += [("accepted", start_on), ("started", start_on)]
    for stage, on in moves:
        answer = client.post(f"/placements/{placed.json()['id']}/transitions", json={"to": stage, "on": str(on)},
                             headers=h)
        assert answer.status_code == 200, answer.text


def test_report_explains_missing_percent_and_keeps_decimals(page, client, world, make_candidate):
    day = today()
    employer = client.post("/employers", json=employer_body(ORG_A), headers=world.headers["consultant"]).json()
    vacancy = client.post(f"/employers/{employer['id']}/vacancies", json=vacancy_body(fte=100, start=str(day)),
                          headers=world.headers["consultant"])
    assert vacancy.status_code == 201, vacancy.text
    waits = []
    for n, (back, start) in enumerate(((40, day - timedelta(days=9)), (41, None))):
        c = make_candidate(first_name=f"Kandidat{n}", last_name="Test", wanted_fte=100)
        make_ready(client, world, c["id"])
        with Session(world.engine) as session:  # taken in 60 days ago, formidlingsklar `back` days ago
            for event in session.exec(select(ItemStatusEvent).where(ItemStatusEvent.candidate_id == c["id"])):
                event.changed_at = _on_local_day(event.changed_at, day - timedelta(days=back))
                session.add(event)
            row = session.get(Candidate, c["id"])
            row.created_at = row.created_at - timedelta(days=60)
            session.add(row)
            session.commit()
        _offer(client, world, c["id"], vacancy.json()["id"], day - timedelta(days=22), start)
        waits.append(back - 22)
    assert sorted(waits) == [18, 19]  # the median is 18.5 days

    login(page, "consultant")
    # A period after both were handed over: they were in the process, so there is a base and a percent
    # (this used to show no percent while still counting their offers).
    page.goto(f"/app/rapporter?fra={day - timedelta(days=25)}&til={day}")
    report = page.get_by_role("region", name="Resultatrapport til oppdragsgiver")
    offers = report.get_by_role("row", name=re.compile("Jobbtilbud mottatt"))
    expect(offers).to_contain_text("2")
    expect(offers).to_contain_text("100 %")
    expect(report.get_by_role("row", name=re.compile("Kandidater deltatt"))).to_contain_text("2")
    expect(report.get_by_role("row", name=re.compile("Overført til rekrutteringspartner i perioden"))).to_contain_text("0")
    # The chart draws the table's numbers: the offers bar says 2, not 0.
    chart = report.locator("figure.chart").first
    expect(chart.locator("g.bar", has_text="Jobbtilbud mottatt").locator("text.val")).to_have_text("2")

    outcome = report.locator("#utfall").get_by_role("row", name=re.compile("Ny sjanse Oslo"))
    expect(outcome.locator("td").last).to_have_text("18,5")  # the median, not truncated to 18
    coverage = outcome.locator("td").nth(2).inner_text()
    assert re.fullmatch(r"\d+,\d %", coverage), coverage  # a decimal comma, as Norwegians write it
    screenshot(page, "rapport-i-prosess")
    # A period before anyone was in the process: no base, so no percent, and the page says why.
    page.goto(f"/app/rapporter?fra={day - timedelta(days=200)}&til={day - timedelta(days=100)}")
    report = page.get_by_role("region", name="Resultatrapport til oppdragsgiver")
    expect(report.get_by_role("row", name=re.compile("Jobbtilbud mottatt"))).to_contain_text("–*")
    expect(report).to_contain_text("Ingen prosent: prosentene regnes av kandidatene som var i formidlingsprosessen i perioden")
    screenshot(page, "rapport-uten-prosent")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "rapport-uten-prosent-mobil")
