"""Data protection: the audit trail and innsyn, erasure that keeps reported figures, retention, portability."""

import json
from datetime import timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session, func, select

from candidates.models import Candidate, CandidateCertificate
from core.audit import AuditEntry
from core.types import utcnow
from privacy.service import apply_retention


def test_every_read_and_change_is_logged_and_answers_innsyn(client, world, make_candidate):
    c = make_candidate()
    client.get(f"/candidates/{c['id']}", headers=world.headers["consultant"])
    client.get(f"/candidates/{c['id']}/readiness", headers=world.headers["consultant"])
    client.put(f"/candidates/{c['id']}/readiness/email_attachments", json={"status": "in_progress"},
               headers=world.headers["staff_a"])
    client.get("/candidates", headers=world.headers["admin"])
    log = client.get(f"/candidates/{c['id']}/access-log", headers=world.headers["staff_a"]).json()
    seen = [(e["actor_name"], e["action"], e["what"]) for e in reversed(log)]
    assert seen == [("Staff A", "create", "profil"), ("Admin", "update", "samtykke: share_with_recruiter"),
                    ("Admin", "update", f"tildelt rekrutteringspartner {world.partner_a}"), ("Consultant", "read", "profil"),
                    ("Consultant", "read", "sjekkliste"), ("Staff A", "update", "sjekklistepunkt email_attachments"),
                    ("Admin", "list", "kandidatliste")]
    assert client.get(f"/candidates/{c['id']}/access-log", headers=world.headers["staff_b"]).status_code == 403
    assert client.get(f"/candidates/{c['id']}/access-log", headers=world.headers["consultant"]).status_code == 403


def test_the_audit_log_is_append_only_in_the_database(engine, client, world, make_candidate):
    make_candidate(handed_over=False)
    for statement in ("UPDATE auditentry SET actor_name = 'x'", "DELETE FROM auditentry"):
        with pytest.raises(DBAPIError, match="append-only"):
            with engine.begin() as conn:
                conn.execute(text(statement))
    with Session(engine) as s:
        assert s.exec(select(func.count()).select_from(AuditEntry)).one() == 1


def test_erasure_removes_the_person_and_keeps_the_figures(engine, client, world, make_candidate):
    h = world.headers["admin"]
    c = make_candidate(first_name="Amina", last_name="Hassan", email="amina@example.no")
    client.put(f"/candidates/{c['id']}/readiness/intake_assessment", headers=world.headers["staff_a"],
               json={"status": "done", "evidence_date": "2026-10-01", "document_ref": "Journal 12", "note": "Helse ok"})
    client.post(f"/candidates/{c['id']}/events", json={"kind": "need_uncovered", "on": "2026-10-02",
                                                        "detail": "norwegian", "note": "Trenger norskkurs"}, headers=h)
    before = client.get("/reports/results", headers=h).json()["rows"]

    assert client.post(f"/candidates/{c['id']}/erase", headers=world.headers["staff_a"]).status_code == 403
    erased = client.post(f"/candidates/{c['id']}/erase", headers=h)
    assert erased.status_code == 200
    body = erased.json()
    assert (body["first_name"], body["last_name"], body["email"], body["phone"]) == ("Anonymisert", f"#{c['id']}", None, None)
    assert body["certificates"] == [] and body["wishes"] == [] and body["experience"] == []
    history = client.get(f"/candidates/{c['id']}/readiness/history", headers=h).json()
    assert history[0]["status"] == "done" and history[0]["note"] is None and history[0]["document_ref"] is None
    assert client.get(f"/candidates/{c['id']}/events", headers=h).json()[0]["note"] is None
    assert client.get("/reports/results", headers=h).json()["rows"] == before  # the figures stay
    assert client.post(f"/candidates/{c['id']}/erase", headers=h).status_code == 409
    with Session(engine) as s:
        assert s.exec(select(func.count()).select_from(CandidateCertificate)).one() == 0
        actions = [e.action for e in s.exec(select(AuditEntry).where(AuditEntry.candidate_id == c["id"]))]
    assert "erase" in actions and "create" in actions  # the trail of who saw the person stays


def test_retention_anonymises_the_not_taken_in_and_the_inactive(engine, world, make_candidate):
    never = make_candidate(first_name="Inntak", programme_status="intake")
    active = make_candidate(first_name="Aktiv")
    with Session(engine) as s:
        actor = world.principal("admin")
        soon = apply_retention(s, actor, now=utcnow() + timedelta(days=200), intake_days=180, inactive_days=730)
        assert [cid for cid, _ in soon] == [never["id"]]
        s.rollback()
        dry = apply_retention(s, actor, now=utcnow() + timedelta(days=800), intake_days=180, inactive_days=730,
                              dry_run=True)
        assert [cid for cid, _ in dry] == [never["id"], active["id"]]
        assert s.get(Candidate, active["id"]).erased_at is None  # a dry run changes nothing
        apply_retention(s, actor, now=utcnow() + timedelta(days=800), intake_days=180, inactive_days=730)
        s.commit()
        assert {s.get(Candidate, cid).first_name for cid in (never["id"], active["id"])} == {"Anonymisert"}
        assert apply_retention(s, actor, now=utcnow() + timedelta(days=900), intake_days=180, inactive_days=730) == []


def test_cli_retention(engine, world, make_candidate, capsys):
    from api.cli import main

    make_candidate(programme_status="intake")
    url = engine.url.render_as_string(hide_password=False)
    assert main(["retention", "--dry-run", "--database-url", url]) == 0
    assert "0 kandidater ville blitt anonymisert" in capsys.readouterr().out  # created today: not due yet


def test_portability_export_has_everything_about_the_person(client, world, make_candidate):
    c = make_candidate()
    client.post(f"/candidates/{c['id']}/events", json={"kind": "first_interview", "on": "2026-10-02"},
                headers=world.headers["staff_a"])
    response = client.get(f"/candidates/{c['id']}/data-export", headers=world.headers["staff_a"])
    assert response.status_code == 200 and "attachment" in response.headers["content-disposition"]
    data = json.loads(response.content)
    assert data["candidate"]["first_name"] == "Amina" and data["events"][0]["kind"] == "first_interview"
    assert {"readiness", "readiness_history", "work_practice", "placements", "seen_by"} <= set(data)
    assert any(s["action"] == "create" for s in data["seen_by"])


def test_secrets_are_never_logged_or_returned(client, world, caplog):
    import logging

    caplog.set_level(logging.DEBUG)
    client.post("/auth/token", data={"username": "admin", "password": "riktig-passord-123"})
    client.post("/auth/token", data={"username": "admin", "password": "feil-passord-hemmelig"})
    client.post("/employers", json={"organisation_number": "974760673", "name": "X", "sector": "cleaning",
                                    "municipality_code": "0301"}, headers=world.headers["admin"])
    key = client.post("/api-keys", json={"organisation_number": "974760673", "label": "x"},
                      headers=world.headers["admin"]).json()["key"]
    response = client.get("/users", headers=world.headers["admin"])
    users = response.text
    assert "riktig-passord-123" not in caplog.text and "feil-passord-hemmelig" not in caplog.text
    assert key not in caplog.text and key not in client.get("/api-keys", headers=world.headers["admin"]).text
    # The only field about passwords is the flag saying an admin has reset one; no hash, no secret.
    assert {k for u in response.json() for k in u if "password" in k} == {"must_change_password"}
    assert "password_hash" not in users and "argon2" not in users and "riktig-passord-123" not in users
