"""The diversity barometer never lowers a score (issue 11, section 4): identical employers that
differ only in barometer profile give the same score; little experience of diversity becomes a
note for closer follow-up; a standing agreement still counts. And a missing police certificate
is a task on the proposal, not a hidden pair."""

from datetime import date

from sqlmodel import Session

from matching import service
from matching.eligibility import eligible_pairs
from matching.explain import pair_notes
from matching.scoring import score_pairs
from tests.employers.conftest import employer_body, vacancy_body
from tests.matching.test_service_api import PLAN, make_ready, proposals, run_now

ANSWERS = {
    "none": {"immigrant_employees": 0, "has_diversity_policy": False, "many_immigrant_applicants": False},
    "some": {"immigrant_employees": 2, "employees_total": 40},
    "experienced": {"immigrant_employees": 8, "employees_total": 40, "has_diversity_policy": True},
    "unknown": None,
}
ORGS = ("910000004", "910000012", "910000020", "910000039", "910000047")
FOLLOW_UP = "arbeidsgiver har lite erfaring med mangfold: planlegg tettere oppfølging"


def test_identical_employers_score_the_same_whatever_their_barometer_profile(engine, client, world, make_candidate):
    h = world.headers["consultant"]
    c = make_candidate(wanted_fte=100, available_from=PLAN, working_hours=["day", "evening"], certificates=[],
                       consents=[{"purpose": "presentation_to_employers", "given_on": "2026-10-01"}])
    make_ready(client, world, c["id"])
    vacancy_of = {}
    for (level, answers), org in zip(ANSWERS.items(), ORGS, strict=False):
        employer = client.post("/employers", json=employer_body(org, name=f"Renhold {level}"), headers=h).json()
        if answers is not None:
            survey = client.post(f"/employers/{employer['id']}/barometer", headers=h,
                                 json={"asked_on": "2026-11-01", "answers": answers})
            assert survey.json()["profile"]["level"] == level
        vacancy_of[level] = client.post(f"/employers/{employer['id']}/vacancies", headers=h, json=vacancy_body(
            start=PLAN, fte=25, headcount=1, min_norwegian_level="A2",
            police_certificate_required=level == "none")).json()["id"]
    # The same job at an employer with a standing agreement: the agreement may still count.
    agreed = client.post("/employers", json=employer_body(ORGS[4], name="Renhold avtale"), headers=h).json()
    client.post(f"/employers/{agreed['id']}/agreements", headers=h,
                json={"kind": "recurring_recruitment", "description": "Fast avtale", "start": "2026-01-01"})
    vacancy_of["agreement"] = client.post(f"/employers/{agreed['id']}/vacancies", headers=h, json=vacancy_body(
        start=PLAN, fte=25, headcount=1, min_norwegian_level="A2")).json()["id"]

    with Session(engine) as s:
        problem = service.load_problem(s, service.RunParams(plan_start=date.fromisoformat(PLAN)))
    pairs = eligible_pairs(problem)
    scores = score_pairs(problem, pairs)
    by_vacancy = {int(problem.vacancies.ids[v]): int(scores.total[i]) for i, v in enumerate(pairs.vac)}
    profiles = [by_vacancy[vacancy_of[level]] for level in ANSWERS]
    assert len(set(profiles)) == 1  # none, some, experienced and unknown: the same score
    assert by_vacancy[vacancy_of["agreement"]] > profiles[0]
    index = problem.vacancy_index()
    notes = {level: pair_notes(problem, 0, index[str(vacancy_of[level])]) for level in ANSWERS}
    # Little experience: closer follow-up; the police certificate it requires is a task, not a block.
    assert notes["none"] == ["politiattest må hentes før oppstart", FOLLOW_UP]
    assert notes["some"] == notes["experienced"] == notes["unknown"] == []

    # Through a run: the proposal carries both notes for the consultant.
    for level, vacancy_id in vacancy_of.items():
        if level not in ("none", "some"):
            client.post("/match-decisions", headers=h, json={"candidate_id": c["id"], "vacancy_id": vacancy_id,
                                                             "decision": "veto"})
    run_id = run_now(engine, world)
    stored = {v: row for (_, v), row in proposals(client, world, run_id).items()}
    assert set(stored) == {vacancy_of["none"], vacancy_of["some"]}
    assert stored[vacancy_of["none"]]["notes"] == ["politiattest må hentes før oppstart", FOLLOW_UP]
    assert "merk: politiattest må hentes før oppstart" in stored[vacancy_of["none"]]["explanation"]
    assert stored[vacancy_of["some"]]["notes"] == []
    # The requirement becomes a task in the candidate's next steps.
    steps = client.get(f"/candidates/{c['id']}/next-steps", headers=world.headers["staff_a"]).json()
    assert steps["before_start"] == ["Politiattest må hentes før oppstart (Renholder 50 %, kveld)"]
