"""Shared fixtures. Every test that takes `engine` (directly or through `client`) is a database
test: it runs on SQLite by default, and on PostgreSQL when BROBYGGER_TEST_DATABASE_URL is set
(`.ci/run` does both). An unreachable PostgreSQL fails the run; it never skips."""

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session

from accounts.models import Partner, User
from accounts.service import Principal, hash_password, issue_token
from core.db import make_engine, metadata
from core.projects import Project
from core.types import Role
from migrations.models import import_models

TEST_DATABASE_URL = os.environ.get("BROBYGGER_TEST_DATABASE_URL")
PASSWORD = "riktig-passord-123"


def pytest_collection_modifyitems(items):
    for item in items:
        if "engine" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.db)


def pytest_report_header(config):
    return f"database tests run on: {'PostgreSQL ' + TEST_DATABASE_URL if TEST_DATABASE_URL else 'SQLite'}"


@pytest.fixture(scope="session")
def migrated_database(tmp_path_factory) -> str:
    """Run the real migrations once per test session; tests then get copies or truncated tables."""
    from migrations.runner import upgrade_head

    import_models()
    if TEST_DATABASE_URL:
        engine = make_engine(TEST_DATABASE_URL)
        with engine.begin() as conn:  # a clean slate: whatever an earlier run left is dropped
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        engine.dispose()
        upgrade_head(TEST_DATABASE_URL)
        return TEST_DATABASE_URL
    path = tmp_path_factory.mktemp("template") / "template.db"
    upgrade_head(f"sqlite:///{path}")
    return str(path)


@pytest.fixture
def engine(migrated_database, tmp_path) -> Iterator[Engine]:
    if TEST_DATABASE_URL:
        engine = make_engine(TEST_DATABASE_URL)
        # DELETE and restarting the sequences: a tenth of TRUNCATE's time on these small tables
        # (0.02 s against 0.18 s for 71 tables, measured), and the ids start at 1 as after TRUNCATE.
        # The replica role switches triggers off for this transaction: the audit log's append-only
        # trigger (which TRUNCATE never fired) and the foreign-key checks.
        deletes = "; ".join(f'DELETE FROM "{t.name}"' for t in reversed(metadata.sorted_tables))
        with engine.begin() as conn:
            conn.execute(text("SET LOCAL session_replication_role = replica"))
            conn.execute(text(deletes))
            # The job queue's messages (huey's tables, made by the first app that starts): an earlier
            # test's unsent "job 1 is ready" must not reach this test's job 1.
            conn.execute(text("DO $$ DECLARE s record; BEGIN "
                              "IF to_regclass('huey_task') IS NOT NULL THEN DELETE FROM huey_task; "
                              "DELETE FROM huey_schedule; END IF; "
                              "FOR s IN SELECT sequencename FROM pg_sequences WHERE schemaname = 'public' LOOP "
                              "EXECUTE format('ALTER SEQUENCE %I RESTART', s.sequencename); END LOOP; END $$"))
    else:
        path = tmp_path / "test.db"
        shutil.copy(migrated_database, path)
        engine = make_engine(f"sqlite:///{path}")
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine) -> Iterator[Session]:
    with Session(engine) as session:
        yield session


@pytest.fixture(scope="session")
def password_hash() -> str:
    return hash_password(PASSWORD)  # Argon2 is slow on purpose: hash once per run


@dataclass
class World:
    """Two projects, two recruitment partners and one user of each role, with ready-made bearer
    headers. The consultant belongs to partner A and sees the candidates handed over to it."""

    engine: Engine
    project_a: int
    project_b: int
    users: dict[str, User]
    headers: dict[str, dict[str, str]]
    partner_a: int = 0
    partner_b: int = 0

    def principal(self, name: str) -> Principal:
        user = self.users[name]
        return Principal(Role(user.role), user.id, user.full_name, user.project_id, user.organisation_number,
                         partner_id=user.partner_id)


@pytest.fixture
def world(engine, password_hash) -> World:
    with Session(engine) as s:
        a = Project(name="Ny sjanse Oslo", programme="Kvalifiseringsprogrammet", municipality_code="0301")
        b = Project(name="Ny sjanse Drammen", programme="Introduksjonsprogrammet", municipality_code="3301")
        partner_a, partner_b = Partner(name="Bemanning A AS"), Partner(name="Rekruttering B AS")
        s.add_all([a, b, partner_a, partner_b])
        s.flush()
        specs = {
            "admin": dict(role="admin"),
            "consultant": dict(role="consultant", partner_id=partner_a.id),
            "staff_a": dict(role="staff", project_id=a.id),
            "staff_b": dict(role="staff", project_id=b.id),
            "employer": dict(role="employer", organisation_number="974760673"),
        }
        users, headers = {}, {}
        for name, spec in specs.items():
            user = User(username=name, full_name=name.replace("_", " ").title(), password_hash=password_hash, **spec)
            s.add(user)
            s.flush()
            token, _ = issue_token(s, user, ttl_minutes=60)
            users[name] = user
            headers[name] = {"Authorization": f"Bearer {token}"}
        s.commit()
        for user in users.values():
            s.refresh(user)
            s.expunge(user)
        return World(engine, a.id, b.id, users, headers, partner_a.id, partner_b.id)


@pytest.fixture
def client(engine) -> Iterator[TestClient]:
    from api.app import create_app

    # A job worker inside, as `serve` with SQLite; no scheduled jobs (they would join the job lists tests count).
    with TestClient(create_app(engine, worker=True, scheduled=False)) as client:
        yield client


def candidate_payload(project_id: int, **overrides) -> dict:
    payload = {
        "project_id": project_id,
        "first_name": "Amina",
        "last_name": "Hassan",
        "email": "amina@example.no",
        "phone": "+47 900 12 345",
        "norwegian_level": "B1",
        "languages": ["somali", "norsk"],
        "wanted_fte": 100,
        "available_from": "2027-01-01",
        "working_hours": ["day", "evening"],
        "max_commute_km": 25,
        "certificates": [{"code": "driving_licence_B", "issued_on": "2020-05-01"}],
        "wishes": [{"kind": "sector", "value": "cleaning"}, {"kind": "occupation", "value": "renholder"}],
        "experience": [{"employer_name": "Renhold AS", "title": "Renholder", "start": "2025-01-01", "end": "2025-06-30"}],
        "consents": [{"purpose": "data_processing", "given_on": "2026-09-01"}],
    }
    payload.update(overrides)
    return payload


def hand_over(client, world, candidate_id: int, *, as_user: str = "admin", partner: str = "a") -> dict:
    """Record the candidate's consent to share with the partner, then hand the candidate over to it
    (by default to partner A, the world's consultant's)."""
    partner_id = world.partner_a if partner == "a" else world.partner_b
    headers = world.headers[as_user]
    consent = client.post(f"/candidates/{candidate_id}/consents", headers=headers, json={
        "purpose": "share_with_recruiter", "partner_id": partner_id, "given_on": "2026-09-01"})
    assert consent.status_code == 201, consent.text
    response = client.post(f"/candidates/{candidate_id}/handovers", headers=headers, json={"partner_id": partner_id})
    assert response.status_code == 201, response.text
    return response.json()


@pytest.fixture
def make_candidate(client, world):
    """A candidate registered by staff and, unless `handed_over=False`, handed over (with consent) to
    partner A, so the world's consultant sees it."""
    def make(as_user: str = "staff_a", project: str = "a", handed_over: bool = True, **overrides) -> dict:
        project_id = world.project_a if project == "a" else world.project_b
        response = client.post("/candidates", json=candidate_payload(project_id, **overrides), headers=world.headers[as_user])
        assert response.status_code == 201, response.text
        if handed_over:
            hand_over(client, world, response.json()["id"])
        return response.json()

    return make
