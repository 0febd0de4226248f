"""/docs and /redoc work without internet (the assets come from the installed package), the API
description says per operation who may call it, lists the certificate codes and what an external_id
replacement does, and the POST /api-keys example works on the demo data."""

import re

import pytest
from playwright.sync_api import expect

from api.demo import DEMO_PASSWORD, load_demo_data
from core.labels import CERTIFICATE
from tests.employers.conftest import ORG_A, employer_body
from tests.web.conftest import SCREENSHOTS, login


def test_docs_pages_load_their_assets_from_this_service(client):
    for path, asset in (("/docs", "/docs-assets/swagger-ui-bundle.js"), ("/redoc", "/docs-assets/redoc.standalone.js")):
        page = client.get(path)
        assert page.status_code == 200 and asset in page.text
        assert not re.search(r"""(src|href)=["']https?://""", page.text), "a script or style from another host"
        # FastAPI's docs page starts with an inline script: scripts stay open, framing and outside images not.
        assert page.headers["content-security-policy"] == "frame-ancestors 'none'; img-src 'self' data:; connect-src 'self'"
        script = client.get(asset)
        assert script.status_code == 200 and len(script.content) > 100_000
    assert client.get("/docs-assets/swagger-ui.css").status_code == 200


def test_the_description_says_who_may_call_each_operation(client):
    schema = client.get("/openapi.json").json()
    operations = [(path, method, op) for path, ops in schema["paths"].items() for method, op in ops.items()]
    missing = [f"{m.upper()} {p}" for p, m, op in operations if "**Tilgang:**" not in op.get("description", "")]
    assert missing == []
    assert "konsulent (`consultant`)" in schema["paths"]["/api-keys"]["post"]["description"]
    assert "veileder (`staff`)" not in schema["paths"]["/api-keys"]["post"]["description"]
    assert "åpen" in schema["paths"]["/auth/token"]["post"]["description"]
    assert "arbeidsgiver (`employer`)" in schema["paths"]["/employer/vacancies"]["post"]["description"]
    for code, name in CERTIFICATE.items():
        assert f"| `{code}` | {name} |" in schema["info"]["description"]
    for method, path in (("post", "/employer/vacancies"), ("put", "/employer/vacancies/{vacancy_id}")):
        text = schema["paths"][path][method]["description"]
        assert "et felt dere utelater, får standardverdien, ikke forrige verdi" in text


def test_the_api_key_example_works_on_the_demo_data(engine, client):
    load_demo_data(database_url=engine.url.render_as_string(hide_password=False), per_project=2)
    schema = client.get("/openapi.json").json()
    fields = schema["components"]["schemas"]["ApiKeyIn"]["properties"]
    example = {name: spec["examples"][0] for name, spec in fields.items()}
    token = client.post("/auth/token", data={"username": "konsulent", "password": DEMO_PASSWORD}).json()
    answer = client.post("/api-keys", json=example, headers={"Authorization": f"Bearer {token['access_token']}"})
    assert answer.status_code == 201, answer.text


@pytest.mark.browser
def test_docs_render_with_no_internet(page, live_server, client, world):
    """Every request to another host is refused, as at a customer without internet access."""
    client.post("/employers", json=employer_body(ORG_A, name="Renhold Øst AS"), headers=world.headers["consultant"])
    outside = []

    def only_this_service(route):
        if route.request.url.startswith(live_server):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page.context.route("**/*", only_this_service)
    login(page, "employer")
    page.get_by_role("link", name="dokumentasjon").click()
    # Swagger UI is a 1 MB script: on a loaded machine it takes a while to draw the page.
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("brobygger", timeout=30_000)
    page.get_by_text("Lag API-nøkkel for en arbeidsgiver").first.click()
    expect(page.locator(".opblock-description-wrapper").first).to_contain_text("Tilgang")
    page.screenshot(path=str(SCREENSHOTS / "docs-uten-internett.png"))  # the top: the page is very long
    page.goto("/redoc")
    expect(page.get_by_role("heading", name=re.compile("brobygger"))).to_be_visible(timeout=30_000)
    page.screenshot(path=str(SCREENSHOTS / "redoc-uten-internett.png"))
    assert outside == []
