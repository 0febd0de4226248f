"""Long lists page by 50 with the search and filters kept (the candidate list stopped at 300 before, the
jobs at 100); at 1366 px the admin's menu is one line and the board says its columns scroll sideways."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlmodel import Session

from core.types import utcnow
from jobs.models import Job
from tests.web.conftest import login, screenshot

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}


def _word(i: int) -> str:
    """Distinct first names of letters only: Aa, Ab, ... Ba, ..."""
    return "Kand" + chr(65 + i // 26) + chr(97 + i % 26)


def insert_jobs(engine, count: int, created_by: int | None = None) -> None:
    """Finished jobs straight into the table (no worker takes them): imports with a long file name,
    every third one failed with a message, as a busy year leaves them."""
    with Session(engine) as s:
        start = utcnow() - timedelta(days=count)
        for i in range(count):
            failed = i % 3 == 0
            s.add(Job(kind="import", scope="import", state="failed" if failed else "done", created_by=created_by,
                      created_at=start + timedelta(days=i), progress=100,
                      params={"filename": f"kandidater-fra-nav-kontoret-grunerlokka-uke-{i + 1}.xlsx"},
                      result={} if failed else {"imported": 120 + i}, progress_message="Ferdig",
                      error="Kolonnen «Fødselsdato» mangler i arket." if failed else None))
        s.commit()


def test_candidate_list_pages_by_50_keeping_the_search_and_filter(page, world, make_candidate):
    wanted = [_word(i) for i in range(55)]
    for first in wanted:
        make_candidate(first_name=first, last_name="Sidetest", handed_over=False)
    for first in ("Amina", "Jonas", "Olena"):
        make_candidate(first_name=first, last_name="Annen", handed_over=False)

    login(page, "admin", start="/app/kandidater")
    expect(page.get_by_role("status")).to_have_text("Viser 1–50 av 58 kandidater.")
    page.get_by_label("Navn", exact=True).fill("Sidetest")
    page.get_by_label("Formidlingsklar").select_option("nei")
    page.get_by_role("button", name="Filtrer").click()
    expect(page.get_by_role("status")).to_have_text("Viser 1–50 av 55 kandidater.")
    names = page.locator("table.list tbody tr td:first-child a")
    expect(names).to_have_count(50)
    first_page = names.all_inner_texts()
    pages = page.get_by_role("navigation", name="Sider: kandidater")
    expect(pages.get_by_role("link", name="Side 1, denne siden")).to_have_attribute("aria-current", "page")
    expect(pages.get_by_role("link", name="Forrige")).to_have_count(0)  # nothing before page 1
    screenshot(page, "kandidater-side-1")

    pages.get_by_role("link", name="Neste").click()
    expect(page).to_have_url(re.compile(r"/app/kandidater\?sok=Sidetest&.*klar=nei&.*side=2$"))
    expect(page.get_by_role("status")).to_have_text("Viser 51–55 av 55 kandidater.")
    expect(names).to_have_count(5)
    assert sorted(first_page + names.all_inner_texts()) == sorted(f"Sidetest, {w}" for w in wanted)
    expect(page.get_by_label("Navn", exact=True)).to_have_value("Sidetest")  # the search is still there
    expect(page.get_by_label("Formidlingsklar")).to_have_value("nei")
    page.set_viewport_size(PHONE)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "kandidater-side-2-mobil")

    pages.get_by_role("link", name="Forrige").click()
    expect(page.get_by_role("status")).to_have_text("Viser 1–50 av 55 kandidater.")
    assert names.all_inner_texts() == first_page
    pages.get_by_role("link", name="Side 2").click()
    expect(page.get_by_role("status")).to_have_text("Viser 51–55 av 55 kandidater.")


def test_jobs_page_by_50_newest_first(page, engine, world):
    insert_jobs(engine, 53, created_by=world.users["admin"].id)
    login(page, "admin", start="/app/jobber")
    expect(page.get_by_role("status")).to_have_text("Viser 1–50 av 53 jobber, nyeste først.")
    rows = page.locator("table.stack tbody tr")
    expect(rows).to_have_count(50)
    page.get_by_role("navigation", name="Sider: jobber").get_by_role("link", name="Neste").click()
    expect(page.get_by_role("status")).to_have_text("Viser 51–53 av 53 jobber, nyeste først.")
    expect(rows).to_have_count(3)
    expect(rows.first).to_contain_text("uke-3.xlsx")  # the oldest three
    expect(rows.last).to_contain_text("uke-1.xlsx")


def _one_line(page) -> None:
    """Every menu item on one line, none broken inside ("Min dag"), and a header of one line's height."""
    boxes = page.evaluate("""() => [...document.querySelectorAll('header.top nav a, header.top .who button')]
        .map(a => { const r = a.getBoundingClientRect();
                    return [a.textContent.trim(), Math.round(r.top), Math.round(r.height), Math.round(r.right)]; })""")
    header = page.evaluate("document.querySelector('header.top').getBoundingClientRect().height")
    tops = {top for name, top, _, _ in boxes if name != "Logg ut"}
    assert max(tops) - min(tops) <= 1, f"menu on more than one line: {boxes}"
    assert all(height < 36 for _, _, height, _ in boxes), f"a menu item breaks inside: {boxes}"
    assert all(right <= 1366 for _, _, _, right in boxes), boxes
    assert header < 60, f"header is {header} px high"


def test_admin_menu_is_one_line_at_1366_and_the_board_says_it_scrolls_sideways(page, world):
    login(page, "admin")
    assert page.viewport_size["width"] == 1366
    _one_line(page)
    menu = page.get_by_role("navigation", name="Hovedmeny")
    expect(menu.get_by_role("link")).to_have_count(11)
    screenshot(page, "meny-admin-1366")

    menu.get_by_role("link", name="Tavle").click()
    hint = page.get_by_text("Rull sideveis for flere kolonner")
    expect(hint).to_be_visible()
    board, wrap = page.locator("#tavle"), page.locator(".board-wrap")
    assert board.evaluate("b => b.scrollWidth > b.clientWidth")  # eight columns do not fit
    expect(wrap).to_have_class(re.compile(r"\bmore-right\b"))
    expect(wrap).not_to_have_class(re.compile(r"\bmore-left\b"))
    assert wrap.evaluate("w => getComputedStyle(w, '::after').opacity") == "1"  # the shadow at the right edge
    screenshot(page, "tavle-1366")
    board.evaluate("b => { b.scrollLeft = b.scrollWidth; }")
    expect(wrap).to_have_class(re.compile(r"\bmore-left\b"))
    expect(wrap).not_to_have_class(re.compile(r"\bmore-right\b"))

    # On a phone the columns stack: nothing to scroll, no hint.
    page.set_viewport_size(PHONE)
    expect(hint).to_be_hidden()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
