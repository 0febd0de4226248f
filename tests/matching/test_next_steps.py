"""'What would unlock more jobs' next to the checklist, after a real match run."""

from tests.employers.conftest import employer_body, vacancy_body
from tests.matching.test_service_api import PLAN, market, run_now  # noqa: F401 (fixture)


def test_next_steps_shows_the_unlock_suggestion_after_a_run(engine, client, world, market):  # noqa: F811
    h = world.headers["consultant"]
    employer = client.post("/employers", json=employer_body("915979564"), headers=h).json()
    for _ in range(2):  # jobs nobody can take yet: they need a truck licence
        job = client.post(f"/employers/{employer['id']}/vacancies", headers=h, json=vacancy_body(
            title="Truckfører", occupation_code="8344", start=PLAN, fte=50, headcount=1, working_hours=["day"],
            required_certificates=["truck_licence"]))
        assert job.status_code == 201, job.text
    run_id = run_now(engine, world)
    unlock = client.get(f"/match-runs/{run_id}/unlock", headers=h).json()
    assert unlock, "the run suggests what would unlock more jobs"
    candidate_id = unlock[0]["candidate_id"]
    steps = client.get(f"/candidates/{candidate_id}/next-steps", headers=world.headers["staff_a"])
    assert steps.status_code == 200, steps.text  # was a 500: table rows passed where the response model expected its own
    body = steps.json()
    assert body["from_run_id"] == run_id
    assert body["unlock"] == [u for u in unlock if u["candidate_id"] == candidate_id]
