"""An error nobody foresaw: a 500 in Norwegian with a reference to quote, the menu on pages, and
never a traceback, an exception's own text or Starlette's English "Internal Server Error"."""

import logging
import re

from fastapi.testclient import TestClient

from api.app import create_app
from api.web.deps import SESSION_COOKIE


def _app_that_breaks(engine):
    app = create_app(engine, worker=False)

    def broken():
        raise RuntimeError("secret internal detail")

    app.add_api_route("/breaks", broken)
    app.add_api_route("/app/breaks", broken, include_in_schema=False)
    return app


def test_an_unexpected_error_is_a_norwegian_500_with_a_reference_and_no_traceback(engine, world, caplog):
    with TestClient(_app_that_breaks(engine), raise_server_exceptions=False) as client, \
            caplog.at_level(logging.ERROR, logger="brobygger.api"):
        api = client.get("/breaks", headers=world.headers["consultant"])
        assert api.status_code == 500 and api.headers["content-type"].startswith("application/json")
        reference = re.search(r"referanse ([0-9a-f]{8})", api.json()["detail"]).group(1)
        assert "En feil hos oss stoppet dette" in api.json()["detail"] and "secret" not in api.text
        assert reference in caplog.text and "secret internal detail" in caplog.text  # the log has the details

        client.cookies.set(SESSION_COOKIE, world.headers["consultant"]["Authorization"].split()[1])
        page = client.get("/app/breaks")
        assert page.status_code == 500 and page.headers["content-type"].startswith("text/html")
        assert "Noe gikk galt." in page.text and "referanse" in page.text
        assert 'aria-label="Hovedmeny"' in page.text  # the menu is there: the user can go on
        for leak in ("secret", "Traceback", "Internal Server Error", "RuntimeError"):
            assert leak not in page.text
