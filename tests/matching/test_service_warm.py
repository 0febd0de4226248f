"""Re-runs start from the previous run (warm start): which run, what is kept, and that a stored state
never fails a run. Two regions far apart (Oslo and Bergen), so the instance has two independent parts
where bundles matter: a veto in Oslo changes one part and leaves Bergen's as it was."""

import logging
from datetime import date

import numpy as np
import pytest
from sqlmodel import Session, select

from matching import service
from matching.models import MatchWarmStart
from matching.validate import validate_assignment
from tests.employers.conftest import employer_body, vacancy_body
from tests.matching.test_service_api import PLAN, make_ready


@pytest.fixture
def regions(client, world, make_candidate):
    """Oslo: Amina wants 100 % and three 50 % evening jobs could fill it. Bergen: Omar wants 100 % and
    two 50 % evening jobs fill it. Nobody commutes between the two."""
    h = world.headers["consultant"]
    common = dict(available_from=PLAN, working_hours=["day", "evening"], max_commute_km=30, certificates=[],
                  consents=[{"purpose": "presentation_to_employers", "given_on": "2026-10-01"}])
    people = {"amina": make_candidate(first_name="Amina", municipality_code="0301", **common),
              "omar": make_candidate(first_name="Omar", municipality_code="4601", **common)}
    for person in people.values():
        make_ready(client, world, person["id"])
    jobs = {}
    for org, place, names in (("974760673", "0301", ("o1", "o2", "o3")), ("923609016", "4601", ("b1", "b2"))):
        employer = client.post("/employers", json=employer_body(org), headers=h).json()
        for name in names:
            jobs[name] = client.post(f"/employers/{employer['id']}/vacancies", headers=h, json=vacancy_body(
                title=f"Renholder {name}", municipality_code=place, start=PLAN, fte=50, headcount=1,
                min_norwegian_level="A2")).json()["id"]
    return {"people": {k: v["id"] for k, v in people.items()}, "jobs": jobs}


def start(engine, world, who="consultant", **params) -> int:
    with Session(engine) as s:
        params.setdefault("plan_start", date.fromisoformat(PLAN))
        run = service.create_run(s, service.RunParams(time_limit=5, **params), world.principal(who))
        s.commit()
        run_id = run.id
    service.execute_run(engine, run_id)
    return run_id


def get_run(client, world, run_id, who="consultant") -> dict:
    run = client.get(f"/match-runs/{run_id}", headers=world.headers[who]).json()
    assert run["status"] == "done", run
    return run


def stored_states(engine) -> set[int]:
    with Session(engine) as s:
        return set(s.exec(select(MatchWarmStart.run_id)))


def veto(client, world, candidate_id, vacancy_id):
    assert client.post("/match-decisions", headers=world.headers["consultant"], json={
        "candidate_id": candidate_id, "vacancy_id": vacancy_id, "decision": "veto"}).status_code == 201


def test_a_rerun_after_a_veto_starts_from_the_previous_run(engine, client, world, regions):
    p = regions["people"]
    first = start(engine, world)
    run = get_run(client, world, first)
    assert run["stats"]["warm_start"] == 0 and run["stats"]["warm_cold_reason"] == "none"
    assert run["warm_start"]["from_run_id"] is None
    assert run["warm_start"]["text"] == ("Kjørt fra bunnen: ingen tidligere kjøring over de samme kandidatene og "
                                         "det samme planåret")
    assert stored_states(engine) == {first}
    amina_first = sorted(v for c, v in proposals(client, world, first) if c == p["amina"])
    assert len(amina_first) == 2  # two 50 % jobs fill her year

    veto(client, world, p["amina"], amina_first[0])
    second = start(engine, world)
    run = get_run(client, world, second)
    stats = run["stats"]
    assert stats["warm_start"] == 1 and stats["warm_from_run"] == first and stats["warm_cold_reason"] is None
    assert stats["warm_reused_components"] >= 1  # Bergen did not change
    assert run["params"]["warm_start"] is True
    summary = run["warm_start"]
    assert summary["from_run_id"] == first and summary["reused_components"] == stats["warm_reused_components"]
    assert summary["text"].startswith(f"Startet fra kjøring {first}: ")

    got = proposals(client, world, second)
    assert (p["amina"], amina_first[0]) not in got  # the veto holds
    assert sum(1 for c, _ in got if c == p["amina"]) == 2  # the third Oslo job takes its place
    with Session(engine) as s:
        problem = service.load_problem(s, service.RunParams(plan_start=date.fromisoformat(PLAN)))
    ci, vi = problem.candidate_index(), problem.vacancy_index()
    assert validate_assignment(problem, [(ci[str(c)], vi[str(v)]) for c, v in got]) == []
    assert stored_states(engine) == {second}  # the first run's state is gone


def test_the_same_previous_run_gives_the_same_proposals(engine, client, world, regions):
    """Same input, seed and budget, started from the same run: the same proposals (the README's promise)."""
    p = regions["people"]
    first = start(engine, world)
    with Session(engine) as s:
        first_state = s.get(MatchWarmStart, first).data
    veto(client, world, p["amina"], min(v for c, v in proposals(client, world, first) if c == p["amina"]))
    second = start(engine, world)
    with Session(engine) as s:  # put the first run's state back as the newest: the next run starts from it too
        s.delete(s.get(MatchWarmStart, second))
        s.add(MatchWarmStart(run_id=first, data=first_state))
        s.commit()
    third = start(engine, world)
    assert get_run(client, world, third)["stats"]["warm_from_run"] == first
    assert proposals(client, world, third) == proposals(client, world, second)


def test_a_run_asked_to_start_from_scratch_runs_cold(engine, client, world, regions):
    first = start(engine, world)
    second = start(engine, world, warm_start=False)
    run = get_run(client, world, second)
    assert run["params"]["warm_start"] is False
    assert run["stats"]["warm_start"] == 0 and run["stats"]["warm_from_run"] is None
    assert run["stats"]["warm_cold_reason"] == "off"
    assert run["warm_start"]["text"] == "Kjørt fra bunnen: valgt da kjøringen ble startet"
    # It still leaves its own state for the next run, which then starts from it.
    third = start(engine, world)
    assert get_run(client, world, third)["stats"]["warm_from_run"] == second
    assert first not in stored_states(engine)


def test_the_api_takes_warm_start_in_the_run_body(client, world, regions):
    h = world.headers["consultant"]
    answer = client.post("/match-runs", headers=h, json={"plan_start": PLAN, "time_limit": 1, "warm_start": False})
    assert answer.status_code == 202, answer.text
    assert answer.json()["params"]["warm_start"] is False and answer.json()["warm_start"] is None
    default = client.post("/match-runs", headers=h, json={"plan_start": PLAN, "time_limit": 1})
    assert default.json()["params"]["warm_start"] is True
    assert client.post("/match-runs", headers=h, json={"warm_start": "kanskje"}).status_code == 422


def test_only_the_newest_state_per_scope_is_kept(engine, client, world, regions):
    """Scope: the same candidates (the consultant's partner, or everyone for an admin) and plan year."""
    first = start(engine, world)
    second = start(engine, world)
    everyone = start(engine, world, who="admin")
    later_year = start(engine, world, plan_start=date(2027, 2, 1))
    assert stored_states(engine) == {second, everyone, later_year}
    # Another scope's state is never a starting point, even when it is the newest.
    assert get_run(client, world, everyone, "admin")["stats"]["warm_cold_reason"] == "none"
    assert get_run(client, world, later_year)["stats"]["warm_cold_reason"] == "none"
    assert get_run(client, world, second)["stats"]["warm_from_run"] == first
    everyone_again = start(engine, world, who="admin")
    assert stored_states(engine) == {second, later_year, everyone_again}


def _other_format() -> bytes:
    import io

    out = io.BytesIO()
    np.savez_compressed(out, chosen=np.arange(3))  # an archive, but not a state this version reads
    return out.getvalue()


@pytest.mark.parametrize("data", [b"not an archive at all", _other_format()], ids=["corrupt", "other-format"])
def test_a_state_that_does_not_load_falls_back_to_a_cold_run(engine, client, world, regions, caplog, data):
    first = start(engine, world)
    with Session(engine) as s:
        stored = s.get(MatchWarmStart, first) or MatchWarmStart(run_id=first, data=b"")
        stored.data = data
        s.add(stored)
        s.commit()
    with caplog.at_level(logging.ERROR, logger="brobygger.matching"):
        second = start(engine, world)
    run = get_run(client, world, second)
    assert run["stats"]["warm_start"] == 0 and run["stats"]["warm_cold_reason"] == "unreadable"
    assert run["stats"]["proposals"] == get_run(client, world, first)["stats"]["proposals"]
    assert run["warm_start"]["text"] == "Kjørt fra bunnen: det som var lagret fra forrige kjøring, kunne ikke leses"
    assert f"the state stored by run {first} does not load" in caplog.text


def test_a_state_the_solver_fails_on_falls_back_to_a_cold_run(engine, client, world, regions, monkeypatch, caplog):
    first = start(engine, world)
    assert first in stored_states(engine)  # a real state, which loads
    real = service.solve

    def solve(problem, **kwargs):
        if kwargs.get("warm") is not None:
            raise IndexError("a state that loads but does not fit")
        return real(problem, **kwargs)

    monkeypatch.setattr(service, "solve", solve)
    with caplog.at_level(logging.ERROR, logger="brobygger.matching"):
        run = get_run(client, world, start(engine, world))
    assert run["stats"]["warm_start"] == 0 and run["stats"]["warm_cold_reason"] == "unusable"
    assert run["stats"]["proposals"] == get_run(client, world, first)["stats"]["proposals"]
    assert f"starting from run {first} failed; solving from scratch" in caplog.text


def test_erasing_a_candidate_drops_the_stored_states(engine, client, world, regions):
    """A state holds who was proposed where, as the proposals (which erasure deletes) did."""
    first = start(engine, world)
    with Session(engine) as s:
        if s.get(MatchWarmStart, first) is None:
            s.add(MatchWarmStart(run_id=first, data=b"state"))
            s.commit()
    answer = client.post(f"/candidates/{regions['people']['amina']}/erase", headers=world.headers["admin"])
    assert answer.status_code == 200, answer.text
    assert stored_states(engine) == set()


def proposals(client, world, run_id) -> set[tuple[int, int]]:
    rows = client.get(f"/match-runs/{run_id}/proposals", headers=world.headers["consultant"]).json()
    return {(r["candidate_id"], r["vacancy_id"]) for r in rows}


def test_the_command_runs_from_scratch_when_asked_and_says_so(engine, world, regions, capsys):
    from api.cli import main

    url = engine.url.render_as_string(hide_password=False)
    common = ["match-run", "--start", PLAN, "--time-limit", "2", "--database-url", url]
    assert main([*common, "--cold"]) == 0
    assert capsys.readouterr().out.strip().endswith("Kjørt fra bunnen: valgt da kjøringen ble startet.")
    assert main(common) == 0
    assert "Startet fra kjøring 1: " in capsys.readouterr().out


def test_a_rerun_whose_changed_part_takes_the_big_component_path_is_stored(engine, client, world, regions,
                                                                           monkeypatch):
    """The big-component path (`_warm_big`) reports the run's gaps as pairs of percentages; the run
    must store them (it once failed after solving, on int() of a pair) and say how it started."""
    import matching.solve as solve_module

    monkeypatch.setattr(solve_module, "SIMPLEX_MAX_COLUMNS", 1)  # both regions count as big components
    p = regions["people"]
    first = start(engine, world)
    veto(client, world, p["amina"], min(v for c, v in proposals(client, world, first) if c == p["amina"]))
    second = start(engine, world)
    stats = get_run(client, world, second)["stats"]
    assert stats["warm_start"] == 1 and stats["warm_from_run"] == first
    coverage_gap, score_gap = stats["warm_final_gaps"]
    assert 0 <= coverage_gap <= 100 and 0 <= score_gap <= 100
    assert sum(1 for c, _ in proposals(client, world, second) if c == p["amina"]) == 2
