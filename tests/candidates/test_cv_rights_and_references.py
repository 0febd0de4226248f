"""Consultants change what the agency works on (the CV: experience, education, references, wishes) and
nothing else: the rule sits in the candidate service, so every way in (API, pages, imports) obeys it.
References are kept with the candidate and go when the candidate is erased."""

import pytest
from sqlmodel import Session, select

from candidates.models import CandidateReference
from candidates.schemas import CandidateCreate, CandidateUpdate, ConsentIn, ReferenceIn
from candidates.service import add_consent, archive_candidate, create_candidate, update_candidate, withdraw_consent
from core.errors import Forbidden


@pytest.mark.parametrize("change", [
    {"phone": "+47 900 00 000"}, {"email": "ny@example.no"}, {"address": "Ny vei 1"}, {"first_name": "Nytt"},
    {"wanted_fte": 50}, {"certificates": []}, {"experience": [], "phone": "+47 900 00 000"},
])
def test_consultant_may_not_change_contact_details_or_profile(world, make_candidate, change):
    candidate = make_candidate()
    with Session(world.engine) as session:
        with pytest.raises(Forbidden) as refused:
            update_candidate(session, candidate["id"], CandidateUpdate(**change), world.principal("consultant"))
        assert "kontaktopplysninger" in refused.value.message


def test_consultant_changes_the_cv(world, make_candidate):
    candidate = make_candidate()
    consultant = world.principal("consultant")
    with Session(world.engine) as session:
        update_candidate(session, candidate["id"], CandidateUpdate(
            version=candidate["version"],
            experience=[{"employer_name": "Rent AS", "title": "Renholder", "occupation_code": "9112"}],
            education=[{"institution": "Skole", "title": "Grunnskole"}],
            references=[ReferenceIn(name="Per", relation="Leder", checked_on="2026-11-01", checked_by="Kari")],
            wishes=[{"kind": "sector", "value": "cleaning"}]), consultant)
        session.commit()
        stored = session.exec(select(CandidateReference)).all()
        assert [(r.name, r.checked_by) for r in stored] == [("Per", "Kari")]


def test_consultant_may_not_register_archive_or_record_consent(world, make_candidate):
    candidate = make_candidate()
    consultant = world.principal("consultant")
    consent_id = candidate["consents"][0]["id"] if candidate["consents"] else None
    with Session(world.engine) as session:
        with pytest.raises(Forbidden):
            create_candidate(session, CandidateCreate(project_id=world.project_a, first_name="A", last_name="B"),
                             consultant)
        with pytest.raises(Forbidden):
            archive_candidate(session, candidate["id"], consultant)
        with pytest.raises(Forbidden):
            add_consent(session, candidate["id"], ConsentIn(purpose="data_processing", given_on="2026-11-01"),
                        consultant)
        if consent_id:
            with pytest.raises(Forbidden):
                withdraw_consent(session, candidate["id"], consent_id, consultant)


def test_reference_checked_by_needs_a_date_and_a_reference_is_erased_with_the_candidate(client, world, make_candidate):
    candidate = make_candidate()
    bad = client.patch(f"/candidates/{candidate['id']}", headers=world.headers["staff_a"], json={
        "references": [{"name": "Per", "relation": "Leder", "checked_by": "Kari"}]})
    assert bad.status_code == 422 and "dato" in bad.text
    ok = client.patch(f"/candidates/{candidate['id']}", headers=world.headers["staff_a"], json={
        "references": [{"name": "Per Referansesen", "relation": "Leder", "phone": "+47 911 22 333",
                        "checked_on": "2026-11-01", "checked_by": "Kari"}]})
    assert ok.status_code == 200 and ok.json()["references"][0]["name"] == "Per Referansesen"
    assert client.post(f"/candidates/{candidate['id']}/erase", headers=world.headers["admin"]).status_code == 200
    with Session(world.engine) as session:
        assert session.exec(select(CandidateReference)).all() == []
