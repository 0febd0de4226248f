"""The administration in the pages: users (create with a temporary password shown once, change role),
projects (create, rename), a new checklist version published from the current one after its
differences are shown, and employers' API keys (shown once; revoking asks first and takes effect)."""

import pytest
from playwright.sync_api import expect

from tests.employers.conftest import employer_body, vacancy_body
from tests.web.conftest import login, screenshot
from tests.web.text_audit import problems, visible

pytestmark = pytest.mark.browser


def _clean(page) -> None:
    text, _ = visible(page.content())
    assert problems(text) == [], problems(text)


def _field(page, name: str):
    return page.locator(f"#f-{name.replace('.', '-')}")


def _narrow(page, name: str) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, name)
    page.set_viewport_size({"width": 1366, "height": 850})


def test_admin_creates_a_user_and_changes_the_role(page, client, world):
    login(page, "admin")
    page.goto("/app/brukere")
    page.get_by_role("link", name="Ny bruker").click()
    _field(page, "full_name").fill("Nina Veileder")
    _field(page, "role").select_option(label="Veileder")
    page.get_by_role("button", name="Opprett brukeren").click()
    expect(page.locator("#e-username")).to_be_visible()
    _field(page, "username").fill("nina.veileder")
    page.get_by_role("button", name="Opprett brukeren").click()
    expect(page.locator("#e-project_id")).to_contain_text("prosjekt")
    expect(_field(page, "full_name")).to_have_value("Nina Veileder")
    _clean(page)
    screenshot(page, "admin-ny-bruker-feil")
    _field(page, "project_id").select_option(label="Ny sjanse Oslo")
    page.get_by_role("button", name="Opprett brukeren").click()
    expect(page.get_by_role("status")).to_contain_text("nina.veileder er opprettet")
    temporary = page.locator(".secret code").inner_text()
    assert len(temporary) == 19
    screenshot(page, "admin-ny-bruker-passord")
    users = {u["username"]: u for u in client.get("/users", headers=world.headers["admin"]).json()}
    assert (users["nina.veileder"]["role"], users["nina.veileder"]["project_id"],
            users["nina.veileder"]["must_change_password"]) == ("staff", world.project_a, True)

    page.goto("/app/brukere")
    page.get_by_role("link", name="Endre rolle for nina.veileder").click()
    _field(page, "role").select_option(label="Konsulent")
    page.get_by_role("button", name="Lagre rollen").click()
    expect(page.get_by_role("status")).to_contain_text("Rollen til nina.veileder er endret")
    users = {u["username"]: u for u in client.get("/users", headers=world.headers["admin"]).json()}
    assert (users["nina.veileder"]["role"], users["nina.veileder"]["project_id"]) == ("consultant", None)
    # The last administrator cannot lose the role (the world has one admin).
    page.goto(f"/app/brukere/{world.users['admin'].id}/rolle")
    _field(page, "role").select_option(label="Konsulent")
    page.get_by_role("button", name="Lagre rollen").click()
    expect(page.locator("#e-role")).to_contain_text("deg selv")
    _narrow(page, "admin-brukere-390")


def test_admin_creates_and_renames_a_project(page, client, world):
    login(page, "admin")
    page.goto("/app/prosjekter")
    page.get_by_role("link", name="Nytt prosjekt").click()
    _field(page, "name").fill("Ny sjanse Oslo")  # taken
    _field(page, "programme").fill("Introduksjonsprogrammet")
    _field(page, "municipality_code").select_option(label="Bergen")
    page.get_by_role("button", name="Opprett prosjektet").click()
    expect(page.locator("#e-name")).to_contain_text("heter allerede")
    _field(page, "name").fill("Ny sjanse Bergen")
    page.get_by_role("button", name="Opprett prosjektet").click()
    expect(page.get_by_role("status")).to_contain_text("Prosjektet er lagret")
    page.get_by_role("link", name="Endre navn på Ny sjanse Bergen").click()
    _field(page, "name").fill("Ny sjanse Bergen 2027")
    page.get_by_role("button", name="Lagre").click()
    expect(page.get_by_role("status")).to_contain_text("Prosjektet er lagret")
    names = sorted(p["name"] for p in client.get("/projects", headers=world.headers["admin"]).json())
    assert names == ["Ny sjanse Bergen 2027", "Ny sjanse Drammen", "Ny sjanse Oslo"]
    _clean(page)
    screenshot(page, "admin-prosjekter")
    _narrow(page, "admin-prosjekter-390")


def test_admin_publishes_a_checklist_version_after_seeing_the_differences(page, client, world):
    before = client.get("/readiness/definitions/active", headers=world.headers["admin"]).json()
    first, second = before["items"][0], before["items"][1]
    login(page, "admin")
    page.goto("/app/sjekkliste")
    _field(page, "items.0.label").fill(first["label"] + " (med tolk)")
    _field(page, "items.0.weight").fill(str(first["weight"] + 1))
    _field(page, "items.1.remove").check()
    n = len(before["items"])
    _field(page, f"items.{n}.key").fill("bank_account")
    _field(page, f"items.{n}.label").fill("Har bankkonto")
    _field(page, f"items.{n}.weight").fill("2")
    _field(page, f"items.{n}.step").fill("2")
    _field(page, f"items.{n}.actor").select_option(label="Kandidaten")
    _field(page, f"items.{n}.kind").select_option(label="Teller i poengsummen")
    page.get_by_role("button", name="Se forskjellene").click()
    expect(page.locator("#nye-punkter")).to_contain_text("Har bankkonto")
    expect(page.locator("#fjernede-punkter")).to_contain_text(second["label"])
    expect(page.locator("#endrede-punkter")).to_contain_text(f"vekt {first['weight']} → {first['weight'] + 1}")
    _clean(page)
    screenshot(page, "admin-sjekkliste-forskjeller")
    assert client.get("/readiness/definitions/active", headers=world.headers["admin"]).json()["version"] == \
        before["version"]  # nothing published yet
    _narrow(page, "admin-sjekkliste-forskjeller-390")
    page.get_by_role("button", name=f"Ja, publiser versjon {before['version'] + 1}").click()
    expect(page.get_by_role("status")).to_contain_text(f"Versjon {before['version'] + 1} er publisert")
    after = client.get("/readiness/definitions/active", headers=world.headers["admin"]).json()
    keys = [i["key"] for i in after["items"]]
    assert after["version"] == before["version"] + 1 and "bank_account" in keys and second["key"] not in keys
    assert after["items"][0]["label"] == first["label"] + " (med tolk)"


def test_consultant_makes_an_api_key_sees_it_once_and_revokes_it(page, client, world):
    org = "974760673"
    assert client.post("/employers", json=employer_body(org, name="Renhold Øst AS"),
                       headers=world.headers["consultant"]).status_code == 201
    login(page, "consultant")
    page.goto("/app/arbeidsgivere")
    page.get_by_role("link", name="API-nøkler").click()
    page.get_by_role("button", name="Lag nøkkelen").click()
    expect(page.locator("#e-organisation_number")).to_be_visible()
    expect(page.locator("#e-label")).to_be_visible()
    _field(page, "organisation_number").select_option(label="Renhold Øst AS")
    _field(page, "label").fill("Rekrutteringssystem")
    page.get_by_role("button", name="Lag nøkkelen").click()
    key = page.locator("#nokkel").input_value()
    assert key.startswith("bbk_")
    _clean(page)
    screenshot(page, "api-nokkel-vist-en-gang")
    assert client.post("/employer/vacancies", json=vacancy_body(external_id="K1"),
                       headers={"X-API-Key": key}).status_code == 201
    page.goto("/app/api-nokler")
    expect(page.locator("#nokkel")).to_have_count(0)  # never shown again
    expect(page.get_by_role("cell", name="Rekrutteringssystem", exact=True)).to_be_visible()
    _narrow(page, "api-nokler-390")
    page.get_by_role("link", name="Trekk tilbake Rekrutteringssystem").click()
    page.get_by_role("button", name="Ja, trekk tilbake").click()
    expect(page.get_by_role("status")).to_contain_text("trukket tilbake")
    assert client.post("/employer/vacancies", json=vacancy_body(external_id="K2"),
                       headers={"X-API-Key": key}).status_code == 401
