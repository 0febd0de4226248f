from datetime import timedelta

import pytest
from sqlmodel import Session, select

from accounts.models import ApiKey, AuthToken, User
from accounts.service import validate_organisation_number
from core.errors import Invalid
from core.types import utcnow
from tests.conftest import PASSWORD


def login(client, username, password=PASSWORD):
    return client.post("/auth/token", data={"username": username, "password": password})


def test_login_gives_a_working_token(client, world):
    response = login(client, "consultant")
    assert response.status_code == 200, response.text
    token = response.json()["access_token"]
    me = client.get("/auth/me", headers={"Authorization": f"Bearer {token}"})
    assert me.json()["role"] == "consultant"


def test_wrong_password_and_unknown_user_get_the_same_401(client, world):
    wrong = login(client, "consultant", "feil-passord-123")
    unknown = login(client, "ingen-slik", "feil-passord-123")
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json()["detail"] == unknown.json()["detail"]


def test_passwords_are_stored_as_argon2_hashes(client, world):
    with Session(world.engine) as s:
        user = s.exec(select(User).where(User.username == "admin")).one()
    assert user.password_hash.startswith("$argon2id$")
    assert PASSWORD not in user.password_hash


def test_no_credentials_is_401_and_bad_token_is_401(client, world):
    assert client.get("/candidates").status_code == 401
    assert client.get("/candidates", headers={"Authorization": "Bearer bbt_nonsense"}).status_code == 401


def test_expired_token_stops_working(client, world):
    headers = world.headers["consultant"]
    assert client.get("/auth/me", headers=headers).status_code == 200
    with Session(world.engine) as s:
        for token in s.exec(select(AuthToken)):
            token.expires_at = utcnow() - timedelta(seconds=1)
            s.add(token)
        s.commit()
    assert client.get("/auth/me", headers=headers).status_code == 401


def test_logout_revokes_the_token(client, world):
    token = login(client, "staff_a").json()["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    assert client.post("/auth/logout", headers=headers).status_code == 204
    assert client.get("/auth/me", headers=headers).status_code == 401


def test_api_key_is_shown_once_stored_as_hash_and_revocable(client, world):
    employer = {"organisation_number": "974760673", "name": "Renhold AS", "sector": "cleaning", "municipality_code": "0301"}
    assert client.post("/employers", json=employer, headers=world.headers["consultant"]).status_code == 201
    created = client.post(
        "/api-keys", json={"organisation_number": "974760673", "label": "ATS"}, headers=world.headers["consultant"]
    )
    assert created.status_code == 201, created.text
    key = created.json()["key"]
    with Session(world.engine) as s:
        row = s.exec(select(ApiKey)).one()
    assert key not in (row.key_hash, row.prefix) and len(row.key_hash) == 64
    listed = client.get("/api-keys", headers=world.headers["admin"]).json()
    assert "key" not in listed[0]

    me = client.get("/auth/me", headers={"X-API-Key": key})
    assert me.json() == {"name": me.json()["name"], "role": "employer", "user_id": None, "project_id": None,
                         "organisation_number": "974760673"}
    assert client.get("/candidates", headers={"X-API-Key": key}).status_code == 403

    revoked = client.post(f"/api-keys/{created.json()['id']}/revoke", headers=world.headers["admin"])
    assert revoked.status_code == 200
    assert client.get("/auth/me", headers={"X-API-Key": key}).status_code == 401


def test_only_admins_create_users(client, world):
    body = {"username": "ny.veileder", "password": "langt-nok-passord", "full_name": "Ny", "role": "staff",
            "project_id": world.project_a}
    assert client.post("/users", json=body, headers=world.headers["consultant"]).status_code == 403
    created = client.post("/users", json=body, headers=world.headers["admin"])
    assert created.status_code == 201, created.text
    assert body["password"] not in created.text and '"password"' not in created.text and "hash" not in created.text
    assert login(client, "ny.veileder", "langt-nok-passord").status_code == 200


@pytest.mark.parametrize(
    ("change", "field", "status"),
    [
        ({"role": "staff", "project_id": None}, "project_id", 422),
        ({"role": "staff", "project_id": 999}, "project_id", 404),
        ({"role": "employer", "organisation_number": "123456789"}, "organisation_number", 422),
        ({"role": "consultant", "username": "consultant"}, "username", 409),
        ({"role": "consultant", "username": "a b"}, "username", 422),
    ],
)
def test_user_creation_rules_name_the_field(client, world, change, field, status):
    body = {"username": "ny.bruker", "password": "langt-nok-passord", "full_name": "Ny", **change}
    response = client.post("/users", json=body, headers=world.headers["admin"])
    assert response.status_code == status, response.text
    assert response.json()["field"] == field
    with Session(world.engine) as s:
        assert len(s.exec(select(User)).all()) == 5  # nothing stored


def test_organisation_number_check_digit():
    assert validate_organisation_number("974760673") == "974760673"  # a real one (Brønnøysundregistrene)
    for bad in ("974760672", "97476067", "abcdefghi"):
        with pytest.raises(Invalid):
            validate_organisation_number(bad)


def test_cli_user_create(engine, world, capsys, monkeypatch):
    from api.cli import main

    url = str(engine.url.render_as_string(hide_password=False))
    code = main(["user", "create", "kari", "--role", "staff", "--project-id", str(world.project_a),
                 "--password", "et-langt-passord", "--database-url", url])
    assert code == 0
    assert "kari" in capsys.readouterr().out
    code = main(["user", "create", "kari", "--role", "staff", "--project-id", str(world.project_a),
                 "--password", "et-langt-passord", "--database-url", url])
    assert code == 2
    assert "username" in capsys.readouterr().err
