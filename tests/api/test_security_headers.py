"""Security headers on pages and API answers, and templates that need no inline script or style, so
the Content-Security-Policy holds without 'unsafe-inline'."""

import re
from pathlib import Path

import pytest

TEMPLATES = Path(__file__).resolve().parents[2] / "api" / "web" / "templates"


def _page_session(client, username="consultant", password="riktig-passord-123"):
    form = client.get("/app/logg-inn")
    token = re.search(r'name="login_csrf" value="([^"]+)"', form.text).group(1)
    done = client.post("/app/logg-inn", data={"username": username, "password": password, "login_csrf": token},
                       follow_redirects=False)
    assert done.status_code == 303


def _assert_secure(response, *, personal: bool = True):
    csp = response.headers["Content-Security-Policy"]
    directives = dict((d.strip().split(" ", 1) + [""])[:2] for d in csp.split(";"))
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    if personal:
        assert response.headers["Cache-Control"] == "no-store"


def test_pages_and_api_answers_with_personal_data_carry_the_headers(client, world, make_candidate):
    candidate = make_candidate()
    h = world.headers["consultant"]
    for path in (f"/candidates/{candidate['id']}", "/candidates", f"/candidates/{candidate['id']}/readiness"):
        response = client.get(path, headers=h)
        assert response.status_code == 200, path
        _assert_secure(response)
    _assert_secure(client.get("/app/logg-inn"))
    _page_session(client)
    for path in ("/app/", "/app/kandidater", f"/app/kandidater/{candidate['id']}", "/app/arbeidsgivere"):
        response = client.get(path)
        assert response.status_code == 200, path
        _assert_secure(response)
    _assert_secure(client.get("/app/finnes-ikke"))  # error pages too
    assert client.get("/auth/me").headers["Cache-Control"] == "no-store"


def test_static_files_may_be_cached_and_docs_are_not_framed(client):
    css = client.get("/app/static/app.css")
    assert css.status_code == 200 and css.headers.get("Cache-Control") != "no-store"
    assert css.headers["X-Content-Type-Options"] == "nosniff"
    docs = client.get("/docs")
    assert "frame-ancestors 'none'" in docs.headers["Content-Security-Policy"]


@pytest.mark.parametrize("template", sorted(p.name for p in TEMPLATES.glob("*.html")))
def test_templates_have_no_inline_script_style_or_handler(template):
    text = (TEMPLATES / template).read_text()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text), "inline <script>"
    assert "<style" not in text, "inline <style>"
    assert not re.search(r"\sstyle\s*=", text), "style attribute"
    assert not re.search(r"\son[a-z]+\s*=", text), "inline event handler"
    assert "javascript:" not in text, "javascript: URL"
