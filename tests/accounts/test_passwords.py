"""Password rules wherever a password is set (creation, a user's change, after a reset): at least 12
characters, not common or easy to guess, not the username, at most 1024 bytes before any hashing."""

import json
import time

import pytest
from sqlmodel import Session, select

import accounts.service
from accounts.models import User
from accounts.passwords import check_password
from api.demo import DEMO_PASSWORD
from core.errors import Invalid
from tests.conftest import PASSWORD


def new_user(password: str, username: str = "kari.nordmann") -> dict:
    return {"username": username, "password": password, "full_name": "Kari Nordmann", "role": "consultant"}


@pytest.mark.parametrize(("password", "says"), [
    ("xQ7#mK2$pL9", "minst 12 tegn"),  # 11 random characters: strong, but too short
    ("passord12345", "for vanlig"),
    ("Sommer2024!!", "for vanlig"),  # a season and a year: guessed early
    ("qwertyuiop123", "for vanlig"),
    ("kari.nordmann-2026", "brukernavnet"),
    ("KARI.NORDMANN.KARI", "brukernavnet"),
    ("æ" * 513, "1024 byte"),  # 513 characters, 1026 bytes
])
def test_creating_a_user_refuses_weak_passwords_in_norwegian_naming_the_field(client, world, password, says):
    response = client.post("/users", json=new_user(password), headers=world.headers["admin"])
    assert response.status_code == 422, response.text
    assert response.json()["field"] == "password"
    assert says in response.json()["detail"]
    with Session(world.engine) as s:
        assert s.exec(select(User).where(User.username == "kari.nordmann")).first() is None


def test_a_strong_password_is_accepted(client, world):
    created = client.post("/users", json=new_user("grønn-sykkel-på-taket"), headers=world.headers["admin"])
    assert created.status_code == 201, created.text


def test_a_huge_password_is_refused_before_it_is_hashed(client, world, monkeypatch):
    hashed = []
    monkeypatch.setattr(accounts.service, "hash_password", lambda p: hashed.append(p) or "x")
    monkeypatch.setattr(accounts.service, "_verify", lambda stored, p: hashed.append(p) or False)
    huge = "a-" * 50_000  # 100 KB (over 1 MB the form parser itself answers 400)
    started = time.perf_counter()
    created = client.post("/users", json=new_user(huge), headers=world.headers["admin"])
    logged_in = client.post("/auth/token", data={"username": "admin", "password": huge})
    changed = client.post("/auth/password", json={"username": "admin", "current_password": PASSWORD,
                                                  "new_password": huge})
    assert [created.status_code, logged_in.status_code, changed.status_code] == [422, 422, 422]
    assert created.json()["field"] == logged_in.json()["field"] == "password"
    assert changed.json()["field"] == "new_password"
    assert hashed == [] and time.perf_counter() - started < 5


def test_text_no_hash_can_take_is_a_422_not_a_500(client, world):
    body = json.dumps(new_user("gyldig-start-\ud800-slutt"))  # a lone surrogate, escaped as JSON allows
    response = client.post("/users", content=body, headers={**world.headers["admin"], "Content-Type": "application/json"})
    assert response.status_code == 422 and response.json()["field"] == "password"


def test_the_cli_applies_the_same_rules(engine, world, capsys):
    from api.cli import main

    url = engine.url.render_as_string(hide_password=False)
    assert main(["user", "create", "ola", "--role", "consultant", "--password", "passord12345",
                 "--database-url", url]) == 2
    assert "password" in capsys.readouterr().err


def test_the_demo_password_follows_the_rules():
    for username in ("admin", "konsulent", "arbeidsgiver", "veileder.oslo", "veileder.trondheim"):
        assert check_password(DEMO_PASSWORD, username=username) == DEMO_PASSWORD
    with pytest.raises(Invalid):
        check_password("demo-passord", username="admin")  # the old one is refused now
