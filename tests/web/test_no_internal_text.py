"""No page under /app shows internal keys, English validation text or ISO dates for the demo data:
every page each demo role can reach by following links, a match run's pages, and the error pages that
bad input, a missing page or a forbidden page give."""

import re

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from accounts.models import User
from accounts.service import Principal
from api.demo import DEMO_PASSWORD, load_demo_data
from core.types import Role
from tests.web.text_audit import problems, visible

MAX_PAGES_PER_ROLE = 60
USERNAMES = ("admin", "konsulent", "arbeidsgiver")  # shown on the user page: data, not codes


@pytest.fixture
def demo(engine, client):
    load_demo_data(database_url=engine.url.render_as_string(hide_password=False), per_project=8)
    from matching.service import RunParams, create_run, execute_run

    with Session(engine) as session:
        # The consultant's run: both the consultant (their partner's runs only) and the admin see it.
        user = session.exec(select(User).where(User.username == "konsulent")).one()
        run = create_run(session, RunParams(time_limit=3), Principal(Role.consultant, user.id, user.full_name,
                                                                     partner_id=user.partner_id))
        session.commit()
        run_id = run.id
    execute_run(engine, run_id)
    return run_id


def _login(client: TestClient, username: str) -> str:
    client.cookies.clear()
    form = client.get("/app/logg-inn").text
    token = re.search(r'name="login_csrf" value="([^"]+)"', form).group(1)
    answer = client.post("/app/logg-inn", data={"username": username, "password": DEMO_PASSWORD,
                                                "login_csrf": token}, follow_redirects=False)
    assert answer.status_code == 303, answer.text
    page = client.get("/app/min-side" if username == "arbeidsgiver" else "/app/").text
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def _shape(path: str) -> str:
    """One page per kind: /app/kandidater/12 and /app/kandidater/13 are the same page with other data."""
    return re.sub(r"\d+", "N", path.split("#")[0].split("?")[0]) + ("?" if "?" in path else "")


def _crawl(client: TestClient, start: list[str]) -> dict[str, list[str]]:
    seen, queue, found = set(), list(start), {}
    while queue and len(seen) < MAX_PAGES_PER_ROLE:
        path = queue.pop(0)
        if _shape(path) in seen or path.split("?")[0].endswith((".csv", ".xlsx")):
            continue
        seen.add(_shape(path))
        answer = client.get(path)
        assert answer.status_code < 500, path
        if "text/html" not in answer.headers.get("content-type", ""):
            continue
        text, links = visible(answer.text)
        if bad := problems(text, data=USERNAMES):
            found[path] = bad
        queue += links
    return found


def test_no_internal_keys_or_english_on_any_page(client, demo):
    for username in ("konsulent", "veileder.oslo", "admin", "arbeidsgiver", "kandidat"):
        _login(client, username)
        start = (["/app/min-side"] if username == "arbeidsgiver" else ["/app/meg"] if username == "kandidat" else
                 ["/app/", f"/app/matching/{demo}", f"/app/matching/{demo}/kortlister", "/app/tavle", "/app/stillinger/1"])
        found = _crawl(client, start)
        assert found == {}, f"{username} reads internal codes or English: {found}"


BAD_INPUT = [
    # (user, method, path, form): each answer must be a Norwegian page, never a code, English or JSON
    ("veileder.oslo", "GET", "/app/matching", None),  # another role's page: 403
    ("arbeidsgiver", "GET", "/app/", None),
    ("konsulent", "GET", "/app/kandidater/abc", None),
    ("konsulent", "GET", "/app/finnes-ikke", None),
    ("konsulent", "GET", "/app/kandidater?trinn=tre", None),
    ("konsulent", "GET", "/app/rapporter?fra=2026-12-01&til=2026-01-01", None),
    ("konsulent", "GET", "/app/rapporter?fra=32.13.2026", None),
    ("konsulent", "POST", "/app/arbeidsgivere/1/logg", {"kind": "phone", "summary": "", "duration_minutes": "5"}),
    ("konsulent", "POST", "/app/arbeidsgivere/1/logg", {"kind": "fax", "summary": "Ringte", "duration_minutes": "x"}),
    ("konsulent", "POST", "/app/arbeidsgivere/1/logg", {"kind": "phone", "summary": "Ringte", "duration_minutes": "0"}),
    ("konsulent", "POST", "/app/matching/beslutning", {"candidate_id": "abc", "vacancy_id": "1", "decision": "pin"}),
    ("konsulent", "POST", "/app/matching", {"time_limit": "mye", "seed": "0"}),
    ("konsulent", "POST", "/app/plasseringer/1/flytt", {"to": "teleport", "on": "i går"}),
    ("konsulent", "POST", "/app/plasseringer/1/flytt", {"to": "permanent", "on": "01.01.2020"}),
    ("konsulent", "POST", "/app/plasseringer/1/avslutt", {"grunn": "", "on": "32.13.2026"}),
    ("konsulent", "POST", "/app/stillinger/1/kandidater", {"navn": "Finnes Ikke Noensinne"}),
    ("konsulent", "POST", "/app/kontakter", {"kind": "sms", "duration_minutes": "0", "summary": "",
                                             "occurred_at": "i morgen", "employer_id": "x"}),
    ("konsulent", "GET", "/app/tid?fra=32.13.2026", None),
    ("konsulent", "POST", "/app/oppfolging/ansettelse/999999", {"still_employed": "true"}),
]


def test_error_pages_are_norwegian_pages_with_the_menu(client, demo):
    current, csrf = None, ""
    for username, method, path, form in BAD_INPUT:
        if username != current:
            csrf, current = _login(client, username), username
        answer = client.request(method, path, data={**form, "csrf_token": csrf} if form is not None else None,
                                follow_redirects=False)
        assert answer.status_code in (403, 404, 409, 422), (path, answer.status_code)
        assert answer.headers["content-type"].startswith("text/html"), (path, answer.text[:200])
        text, _ = visible(answer.text)
        assert problems(text) == [], (path, problems(text), text[-400:])
        assert 'aria-label="Hovedmeny"' in answer.text, f"{path}: the error page lost the menu"
        if answer.status_code == 403:  # "Til forsiden" leads to a page this person may see
            home = re.search(r'<a href="([^"]+)">Til forsiden', answer.text).group(1)
            assert client.get(home).status_code == 200, home
