"""Who an employer may assess: work practice at their organisation, or a placement there at started;
never another organisation's."""


import pytest
from sqlmodel import Session

from accounts.service import Principal
from core.errors import NotFound
from core.types import Role
from core.types import today as local_today
from placement import assessments
from placement.schemas import EmployerAssessmentIn
from tests.employers.conftest import ORG_A, ORG_B, employer_body, vacancy_body

EMPLOYER = Principal(role=Role.employer, user_id=None, name="Leder Øst", organisation_number=ORG_A)


def test_a_trial_period_can_be_assessed_and_another_employers_cannot(client, world, engine, make_candidate):
    consultant = world.headers["consultant"]
    own = client.post("/employers", json=employer_body(ORG_A), headers=consultant).json()
    other = client.post("/employers", json=employer_body(ORG_B), headers=consultant).json()
    vacancy = client.post(f"/employers/{own['id']}/vacancies", json=vacancy_body(), headers=consultant).json()
    trial, presented, elsewhere = make_candidate(), make_candidate(), make_candidate()
    for candidate, stages in ((trial, ("presented", "offer", "accepted", "started")), (presented, ("presented",))):
        placement = client.post("/placements", headers=consultant, json={"candidate_id": candidate["id"],
                                                                         "vacancy_id": vacancy["id"]}).json()
        for stage in stages:
            assert client.post(f"/placements/{placement['id']}/transitions", headers=consultant,
                               json={"to": stage, "on": local_today().isoformat()}).status_code == 200
    assert client.post(f"/candidates/{elsewhere['id']}/work-practice", headers=world.headers["staff_a"], json={
        "employer_id": other["id"], "kind": "practice_training", "start": "2026-10-05"}).status_code == 201

    with Session(engine) as session:
        listed = assessments.to_assess(session, EMPLOYER)
        assert [(x.candidate_id, x.kind, x.name) for x in listed] == [(trial["id"], "trial", None)]
        data = EmployerAssessmentIn(punctuality=5, cooperation=4, work_quality=4, would_hire="maybe")
        assessments.give(session, trial["id"], data, EMPLOYER)
        for not_theirs in (presented["id"], elsewhere["id"]):
            with pytest.raises(NotFound):
                assessments.give(session, not_theirs, data, EMPLOYER)
        session.commit()
    with Session(engine) as session:
        staff = Principal(role=Role.admin, user_id=None, name="Admin")
        [row] = assessments.for_candidate(session, trial["id"], staff)
        assert (row.employer_id, row.would_hire, row.given_by_name) == (own["id"], "maybe", "Leder Øst")
