"""A long name or label never makes an audit insert (or a "by" column) fail, and with it the read it
records. PostgreSQL refused 200-character names in varchar(200), so an employer whose API key had a
long label could not read its presentations."""

from datetime import date

from sqlmodel import Session, select

from accounts.service import Principal
from core.audit import AuditEntry
from core.types import Role
from core.types import today as local_today
from placement import presentations
from tests.employers.conftest import employer_body, vacancy_body

LONG = "Rekrutteringssystem " + "x" * 280  # 300 characters


def _presented(client, world, make_candidate, employer_name: str = "Arbeidsgiver AS"):
    h = world.headers["consultant"]
    employer = client.post("/employers", json=employer_body("974760673", name=employer_name), headers=h).json()
    vacancy = client.post(f"/employers/{employer['id']}/vacancies", json=vacancy_body(), headers=h).json()
    candidate = make_candidate(consents=[{"purpose": "presentation_to_employers", "given_on": "2026-10-01"}])
    assert client.post("/presentations", headers=h, json={
        "candidate_id": candidate["id"], "vacancy_id": vacancy["id"], "fields": ["norwegian_level"],
        "summary": "Punktlig."}).status_code == 201
    return employer, candidate


def test_an_employer_with_a_long_key_label_and_name_reads_its_presentations(client, world, make_candidate):
    employer, candidate = _presented(client, world, make_candidate, employer_name="Renhold " + "y" * 192)
    key = client.post("/api-keys", json={"organisation_number": "974760673", "label": LONG[:200]},
                      headers=world.headers["consultant"]).json()["key"]
    seen = client.get("/employer/presentations", headers={"X-API-Key": key})
    assert seen.status_code == 200 and len(seen.json()) == 1
    log = client.get(f"/candidates/{candidate['id']}/access-log", headers=world.headers["staff_a"]).json()
    read = [e for e in log if e["actor_role"] == "employer"]
    assert len(read) == 1 and LONG[:200] in read[0]["actor_name"] and employer["name"] in read[0]["what"]


def test_a_300_character_actor_name_is_recorded_in_full(engine, client, world, make_candidate):
    employer, candidate = _presented(client, world, make_candidate)
    actor = Principal(Role.employer, None, LONG, None, "974760673")
    with Session(engine) as s:
        rows = presentations.for_employer(s, employer["id"])
        from core import audit

        audit.record(s, actor, "read", "presentasjon for " + LONG, [row.candidate_id for row, _ in rows])
        s.commit()
        entry = s.exec(select(AuditEntry).where(AuditEntry.actor_name == LONG)).one()
    assert entry.candidate_id == candidate["id"] and len(entry.actor_name) == 300 and entry.what.endswith(LONG)


def test_long_names_in_by_columns_are_kept(engine, client, world, make_candidate):
    """Every place a user's name is copied (checklist, pipeline, register, barometer) takes a long one."""
    from employers.schemas import BarometerSurveyIn, EmployerCreate, StatusChangeIn
    from employers.service import change_status, create_employer, record_survey
    from placement.schemas import TransitionIn
    from placement.service import open_placement, transition
    from readiness.schemas import ItemUpdate
    from readiness.service import history, set_item_status

    candidate = make_candidate()
    vacancy_owner = client.post("/employers", json=employer_body("923609016"), headers=world.headers["consultant"]).json()
    vacancy = client.post(f"/employers/{vacancy_owner['id']}/vacancies", json=vacancy_body(),
                          headers=world.headers["consultant"]).json()
    admin = Principal(Role.admin, world.users["admin"].id, LONG, None, None)
    with Session(engine) as s:
        set_item_status(s, candidate["id"], "intake_assessment", ItemUpdate(status="done", evidence_date=date(2026, 10, 1),
                                                                            document_ref="Arkiv 1"), admin)
        placement = open_placement(s, candidate["id"], vacancy["id"], admin)
        transition(s, placement.id, TransitionIn(to="presented", on=local_today()), admin)
        employer = create_employer(s, EmployerCreate(**employer_body("974760673")), admin)
        change_status(s, employer.id, StatusChangeIn(status="contacted"), admin)
        record_survey(s, employer.id, BarometerSurveyIn(asked_on=date(2026, 10, 1), answers={"has_diversity_policy": True}), admin)
        s.commit()
        assert history(s, candidate["id"], admin)[0].verified_by == LONG
