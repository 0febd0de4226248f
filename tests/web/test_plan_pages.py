"""The shared plan in the pages: make a plan, add a goal, turn a missing checklist item into a task
with one click (twice: still one task), add a task with a mistake shown beside its field, tick a
task, see the history, and find an overdue task on the dashboard. At laptop size and at 390 px."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from core.types import today as local_today
from readiness.service import default_definition_in
from tests.web.conftest import login, screenshot
from tests.web.text_audit import problems, visible

pytestmark = pytest.mark.browser


def _clean(page) -> None:
    text, _ = visible(page.content())
    assert problems(text) == [], problems(text)


def test_make_a_plan_goal_task_from_checklist_tick_and_history(page, client, world, make_candidate):
    cid = make_candidate(first_name="Hodan", last_name="Warsame", contact_person_id=world.users["staff_a"].id)["id"]
    items = default_definition_in().items
    staff_item = next(i for i in items if i.actor.value == "staff")
    login(page, "staff_a", start=f"/app/kandidater/{cid}")

    # From the candidate page to the plan, which does not exist yet.
    page.get_by_role("link", name="Lag handlingsplan").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Handlingsplan")
    page.get_by_role("button", name="Lag handlingsplan").click()
    expect(page.get_by_role("status")).to_have_text("Planen er laget.")

    # A goal: a sector without choosing one is refused beside the field, then saved.
    page.get_by_text("Legg til mål", exact=True).click()
    page.get_by_label("Type mål").select_option(label="Bransje")
    page.get_by_role("button", name="Legg til målet").click()
    expect(page.locator("#e-sector")).to_contain_text("Velg en bransje")
    _clean(page)
    page.get_by_label("Bransje", exact=True).select_option(label="Renhold")
    page.get_by_role("button", name="Legg til målet").click()
    expect(page.get_by_role("status")).to_have_text("Målet er lagt til.")
    expect(page.locator("ul.goals")).to_contain_text("Bransje: Renhold")

    # One click on a missing checklist item: a task for who must act; a second click makes no second task.
    button = page.locator("ul.sources li", has_text=staff_item.label).get_by_role("button", name="Lag oppgave i planen")
    button.click()
    expect(page.get_by_role("status")).to_contain_text("Oppgaven er lagt i planen")
    task = page.locator("li.task", has_text=staff_item.label)
    expect(task).to_contain_text("Staff A (veileder)")
    expect(task).to_contain_text((local_today() + timedelta(days=14)).strftime("%d.%m.%Y"))
    expect(page.locator("ul.sources li", has_text=staff_item.label).get_by_role("link", name="I planen")).to_be_visible()
    page.goto(f"/app/kandidater/{cid}")  # the candidate page says so too, and a second click there adds nothing
    expect(page.locator("#mangler").locator("..").locator("li", has_text=staff_item.label)
           .get_by_role("link", name="I planen")).to_be_visible()
    other = next(i for i in items if i.actor.value == "candidate")
    page.locator("ul.sources li", has_text=other.label).get_by_role("button", name="Lag oppgave i planen").click()
    expect(page.get_by_role("status")).to_contain_text("Oppgaven er lagt i handlingsplanen")
    plan = client.get(f"/candidates/{cid}/plan", headers=world.headers["staff_a"]).json()
    assert sorted(t["title"] for t in plan["tasks"]) == sorted([staff_item.label, other.label])
    clicked_twice = client.post(f"/candidates/{cid}/plan/tasks/from-checklist/{staff_item.key}",
                                headers=world.headers["staff_a"])
    assert clicked_twice.status_code == 200 and clicked_twice.json()["created"] is False

    # A task for someone who is not on the case is refused beside the field; one for the consultant is saved.
    page.goto(f"/app/kandidater/{cid}/plan")
    page.get_by_text("Legg til oppgave", exact=True).click()
    page.get_by_label("Hva skal gjøres").fill("Ringe Renhold Øst om praksisplass")
    page.get_by_label("Hvem eier oppgaven").select_option(label="Kandidaten")
    page.get_by_label("Ansvarlig").select_option(label="Consultant (konsulent)")
    page.get_by_label("Frist").fill((local_today() - timedelta(days=3)).strftime("%d.%m.%Y"))
    page.get_by_role("button", name="Legg til oppgaven").click()
    expect(page.locator("#e-owner_user_id")).to_contain_text("har ingen ansvarlig")
    expect(page.get_by_label("Hva skal gjøres")).to_have_value("Ringe Renhold Øst om praksisplass")
    _clean(page)
    page.get_by_label("Hvem eier oppgaven").select_option(label="Konsulent")
    page.get_by_role("button", name="Legg til oppgaven").click()
    expect(page.get_by_role("status")).to_have_text("Oppgaven er lagt til.")
    late = page.locator("li.task", has_text="Ringe Renhold Øst")
    expect(late.locator(".badge", has_text="Forfalt")).to_be_visible()

    # Tick the checklist task, with the history showing who did what.
    page.locator("li.task", has_text=staff_item.label).get_by_role("button", name="Kryss av som ferdig").click()
    expect(page.get_by_role("status")).to_have_text("Oppgaven er krysset av som ferdig.")
    expect(page.locator("li.task", has_text=staff_item.label)).to_contain_text("Ferdig")
    history = page.locator("#planhistorikk").locator("..")
    expect(history).to_contain_text(f"Oppgave ferdig: {staff_item.label}")
    expect(history).to_contain_text("Nytt mål: Bransje: Renhold")
    expect(history).to_contain_text("Planen ble laget")
    expect(history).to_contain_text("av Staff A")
    _clean(page)
    screenshot(page, "handlingsplan")
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the plan page is {width} px wide at 390 px"
    screenshot(page, "handlingsplan-390")

    # The consultant finds the overdue task on the dashboard.
    page.context.clear_cookies()
    page.set_viewport_size({"width": 1366, "height": 850})
    login(page, "consultant")
    section = page.locator("#planoppgaver")
    expect(section).to_contain_text("Ringe Renhold Øst om praksisplass")
    expect(section).to_contain_text("Hodan Warsame")
    expect(section.locator(".badge", has_text="3 d over")).to_be_visible()
    screenshot(page, "oversikt-planoppgaver")


def test_a_failed_review_points_to_its_own_next_review_field(page, client, world, make_candidate):
    # Two forms on the plan page have "Neste gjennomgang": after a failed "Registrer gjennomgangen" the
    # summary's link and the label lead to that form's field, not the other form's.
    cid = make_candidate(first_name="Hodan", last_name="Warsame", contact_person_id=world.users["staff_a"].id)["id"]
    login(page, "staff_a", start=f"/app/kandidater/{cid}/plan")
    page.get_by_role("button", name="Lag handlingsplan").click()
    page.get_by_text("Registrer en gjennomgang som er holdt", exact=True).click()
    form = page.locator("form", has=page.get_by_role("button", name="Registrer gjennomgangen"))
    form.get_by_label("Dato for gjennomgangen").fill("i går")
    form.get_by_label("Neste gjennomgang").fill("snart")
    form.get_by_role("button", name="Registrer gjennomgangen").click()
    ids = page.evaluate("() => [...document.querySelectorAll('[id]')].map(e => e.id)")
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    summary = page.locator("#feil")
    expect(summary).to_contain_text("Neste gjennomgang")
    form = page.locator("form", has=page.get_by_role("button", name="Registrer gjennomgangen"))
    field = form.get_by_label("Neste gjennomgang")
    expect(field).to_have_value("snart")  # kept, in this form
    expect(field).to_have_attribute("aria-invalid", "true")
    link = summary.get_by_role("link", name="Neste gjennomgang")
    target = link.get_attribute("href")
    assert form.locator(target).count() == 1, target  # the link's field is in the review form
    link.click()
    expect(field).to_be_focused()
    _clean(page)
    screenshot(page, "plan-gjennomgang-feil")
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "plan-gjennomgang-feil-390")
