"""Admins deactivate and reactivate users, reset passwords (the user chooses a new one at the next
login) and end all of a user's sessions and API keys at once: in the API and the CLI."""

import pytest

from tests.conftest import PASSWORD
from tests.employers.conftest import ORG_A, employer_body

NEW_PASSWORD = "fire-tilfeldige-ord-her"


def login(client, username, password=PASSWORD):
    return client.post("/auth/token", data={"username": username, "password": password})


def bearer(response) -> dict[str, str]:
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


@pytest.fixture
def consultant_key(client, world) -> str:
    """An API key the consultant made (and so has seen)."""
    h = world.headers["consultant"]
    assert client.post("/employers", json=employer_body(ORG_A), headers=h).status_code == 201
    created = client.post("/api-keys", json={"organisation_number": ORG_A, "label": "ATS"}, headers=h)
    assert created.status_code == 201, created.text
    assert client.get("/auth/me", headers={"X-API-Key": created.json()["key"]}).status_code == 200
    return created.json()["key"]


def test_a_deactivated_users_tokens_and_keys_stop_at_once(client, world, consultant_key):
    second_session = bearer(login(client, "consultant"))
    uid = world.users["consultant"].id

    done = client.post(f"/users/{uid}/deactivate", headers=world.headers["admin"])
    assert done.status_code == 200, done.text
    assert done.json()["user"]["active"] is False
    assert done.json()["sessions_ended"] == 2 and done.json()["api_keys_revoked"] == 1
    for headers in (world.headers["consultant"], second_session, {"X-API-Key": consultant_key}):
        assert client.get("/auth/me", headers=headers).status_code == 401
    assert login(client, "consultant").status_code == 401  # and no new login

    back = client.post(f"/users/{uid}/activate", headers=world.headers["admin"])
    assert back.status_code == 200 and back.json()["active"] is True
    assert client.get("/auth/me", headers=bearer(login(client, "consultant"))).status_code == 200
    assert client.get("/auth/me", headers=world.headers["consultant"]).status_code == 401  # ended stays ended
    assert client.get("/auth/me", headers={"X-API-Key": consultant_key}).status_code == 401


def test_a_reset_password_must_be_replaced_at_the_next_login(client, world):
    uid = world.users["staff_a"].id
    reset = client.post(f"/users/{uid}/reset-password", headers=world.headers["admin"])
    assert reset.status_code == 200, reset.text
    temporary = reset.json()["temporary_password"]
    assert reset.json()["user"]["must_change_password"] is True
    assert client.get("/auth/me", headers=world.headers["staff_a"]).status_code == 401  # logged out everywhere
    assert login(client, "staff_a").status_code == 401  # the old password is gone

    answer = login(client, "staff_a", temporary)
    assert answer.status_code == 403
    assert answer.json()["password_change_required"] is True
    assert answer.json()["change_password"] == "/auth/password"
    assert "nytt passord" in answer.json()["detail"] and "access_token" not in answer.json()

    change = {"username": "staff_a", "current_password": temporary}
    weak = client.post("/auth/password", json={**change, "new_password": "passord12345"})
    assert weak.status_code == 422 and weak.json()["field"] == "new_password"
    assert "for vanlig" in weak.json()["detail"]
    wrong = client.post("/auth/password", json={"username": "staff_a", "current_password": "feil-passord-123",
                                                "new_password": NEW_PASSWORD})
    assert wrong.status_code == 401

    changed = client.post("/auth/password", json={**change, "new_password": NEW_PASSWORD})
    assert client.get("/auth/me", headers=bearer(changed)).json()["role"] == "staff"
    assert client.get("/auth/me", headers=bearer(login(client, "staff_a", NEW_PASSWORD))).status_code == 200
    assert login(client, "staff_a", temporary).status_code == 401
    listed = {u["username"]: u for u in client.get("/users", headers=world.headers["admin"]).json()}
    assert listed["staff_a"]["must_change_password"] is False


def test_a_user_changes_their_own_password_and_other_sessions_end(client, world):
    other_device = bearer(login(client, "consultant"))
    changed = client.post("/auth/password", json={"username": "consultant", "current_password": PASSWORD,
                                                  "new_password": NEW_PASSWORD})
    assert client.get("/auth/me", headers=bearer(changed)).status_code == 200
    assert client.get("/auth/me", headers=other_device).status_code == 401
    same = client.post("/auth/password", json={"username": "consultant", "current_password": NEW_PASSWORD,
                                               "new_password": NEW_PASSWORD})
    assert same.status_code == 422 and same.json()["field"] == "new_password"


def test_ending_all_sessions_and_keys_at_once(client, world, consultant_key):
    second_session = bearer(login(client, "consultant"))
    ended = client.post(f"/users/{world.users['consultant'].id}/revoke-sessions", headers=world.headers["admin"])
    assert ended.status_code == 200, ended.text
    assert (ended.json()["sessions_ended"], ended.json()["api_keys_revoked"]) == (2, 1)
    for headers in (world.headers["consultant"], second_session, {"X-API-Key": consultant_key}):
        assert client.get("/auth/me", headers=headers).status_code == 401
    assert login(client, "consultant").status_code == 200  # still active: may log in again
    assert client.get("/auth/me", headers=world.headers["admin"]).status_code == 200  # others untouched


def test_only_admins_act_on_users_and_not_on_themselves(client, world):
    uid = world.users["staff_a"].id
    for action in ("deactivate", "activate", "reset-password", "revoke-sessions"):
        assert client.post(f"/users/{uid}/{action}", headers=world.headers["consultant"]).status_code == 403
        assert client.post(f"/users/999/{action}", headers=world.headers["admin"]).status_code == 404
    own = client.post(f"/users/{world.users['admin'].id}/deactivate", headers=world.headers["admin"])
    assert own.status_code == 409 and "deg selv" in own.json()["detail"]
    assert client.get("/auth/me", headers=world.headers["admin"]).status_code == 200


def test_cli_deactivates_resets_and_ends_sessions(engine, client, world, capsys, consultant_key):
    from api.cli import main

    url = engine.url.render_as_string(hide_password=False)
    assert main(["user", "revoke-sessions", "consultant", "--database-url", url]) == 0
    assert "1 innlogginger og 1 API-nøkler" in capsys.readouterr().out
    assert client.get("/auth/me", headers={"X-API-Key": consultant_key}).status_code == 401

    assert main(["user", "deactivate", "staff_a", "--database-url", url]) == 0
    assert "deaktivert" in capsys.readouterr().out
    assert client.get("/auth/me", headers=world.headers["staff_a"]).status_code == 401
    assert login(client, "staff_a").status_code == 401
    assert main(["user", "activate", "staff_a", "--database-url", url]) == 0
    assert login(client, "staff_a").status_code == 200

    assert main(["user", "reset-password", "staff_b", "--database-url", url]) == 0
    printed = capsys.readouterr().out
    temporary = printed.split("vises bare nå): ")[1].split()[0]
    assert login(client, "staff_b", temporary).status_code == 403
    changed = client.post("/auth/password", json={"username": "staff_b", "current_password": temporary,
                                                  "new_password": NEW_PASSWORD})
    assert changed.status_code == 200

    assert main(["user", "deactivate", "ingen-slik", "--database-url", url]) == 2
    assert "username" in capsys.readouterr().err
