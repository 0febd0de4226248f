"""HTML typed into a text field is shown as text on the pages, never run."""

import pytest

from tests.conftest import candidate_payload
from tests.web.conftest import login

pytestmark = pytest.mark.browser


def test_html_in_a_name_is_shown_as_text(page, client, world):
    html = '<script>alert("x")</script><b>fet</b>'
    c = client.post("/candidates", json=candidate_payload(world.project_a, last_name=html),
                    headers=world.headers["admin"]).json()
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    login(page, "admin")
    page.goto(f"/app/kandidater/{c['id']}")
    assert page.get_by_role("heading", level=1).inner_text().endswith(html)  # visible as typed
    assert "<script>alert" not in page.content() and dialogs == []
    page.goto("/app/kandidater")
    assert dialogs == []
