"""Consultants see only the candidates handed over to their recruitment partner, and only while the
handover stands: walked through every route and page of the app (tests/privacy/walk.py SPECS).

The world: X and Y handed over to partner A (the consultant's), Z to partner B, and two more
candidates ready to be matched, Bea handed over to partner B and Una handed over to nobody. An admin's
match run proposes all of them. Then consultant A sends every request in SPECS (API by token, pages by
cookie) with every candidate the request names replaced by Bea, and then by Una: a request about the
candidate must be refused (403/404), and no answer (lists, exports, match-run proposals, shortlists,
contact log, pages) may show them."""

import copy
import re

import pytest
from sqlmodel import Session

from api.web.deps import SESSION_COOKIE, csrf_token_for
from matching import service as matching
from readiness.service import default_definition_in
from tests.conftest import candidate_payload, hand_over
from tests.privacy.test_audit_every_route import _shown
from tests.privacy.walk import PLAN, SPECS, Caller, response_text, seed

# Requests that change the walk's own state in ways that would stop later requests from being
# meaningful (logging out, the walk user's password) are still sent; these only need the user's session.
SKIP = {"POST /auth/logout", "POST /app/logg-ut", "POST /auth/token", "GET /app/logg-inn", "POST /app/logg-inn",
        "GET /app/logg-inn/nytt-passord", "POST /app/logg-inn/nytt-passord", "POST /auth/password"}


def _ready(client, world, cid: int) -> None:
    for item in default_definition_in().items:
        response = client.put(f"/candidates/{cid}/readiness/{item.key}", headers=world.headers["admin"], json={
            "status": "done", "evidence_date": "2026-11-01", "document_ref": "Arkiv 1"})
        assert response.status_code == 200, response.text


@pytest.fixture
def walked(engine, client, world):
    s = seed(client, engine, world)
    consents = [{"purpose": "presentation_to_employers", "given_on": "2026-10-01"}]
    bea = client.post("/candidates", headers=world.headers["staff_a"], json=candidate_payload(
        world.project_a, first_name="Beatrix", last_name="Bpartnersen", email="beatrix@example.no",
        available_from=PLAN, wanted_fte=50, working_hours=["evening"], consents=consents)).json()
    una = client.post("/candidates", headers=world.headers["staff_a"], json=candidate_payload(
        world.project_a, first_name="Unni", last_name="Utildeltsen", email="unni@example.no",
        available_from=PLAN, wanted_fte=50, working_hours=["evening"], consents=consents)).json()
    for cid in (bea["id"], una["id"]):
        _ready(client, world, cid)
    hand_over(client, world, bea["id"], partner="b")
    # An admin's run takes every candidate; a log entry about Bea by someone at partner B's side.
    with Session(engine) as session:
        run = matching.create_run(session, matching.RunParams(plan_start=matching.date.fromisoformat(PLAN),
                                                              time_limit=3), world.principal("admin"))
        session.commit()
        run_id = run.id
    matching.execute_run(engine, run_id)
    proposed = {p["candidate_id"] for p in client.get(f"/match-runs/{run_id}/proposals",
                                                       headers=world.headers["admin"]).json()}
    assert {bea["id"], una["id"]} <= proposed, "the admin's run must propose both, or the walk proves nothing"
    client.post(f"/employers/{s.ids['employer']}/log", headers=world.headers["admin"], json={
        "kind": "phone", "occurred_at": "2026-10-12T10:00:00+01:00", "duration_minutes": 5,
        "summary": "Ringte om Beatrix", "candidate_ids": [bea["id"]], "next_follow_up": "2026-10-13"})
    for cid in (bea["id"], una["id"]):  # in the pipeline, presented and decided on, by an admin
        admin = world.headers["admin"]
        assert client.post("/placements", headers=admin, json={"candidate_id": cid, "vacancy_id": s.ids["vacancy_b"]}
                           ).status_code == 201
        assert client.post("/presentations", headers=admin, json={
            "candidate_id": cid, "vacancy_id": s.ids["vacancy_b"], "fields": ["languages"], "summary": "Kort"}
                           ).status_code == 201
        assert client.post("/match-decisions", headers=admin, json={
            "candidate_id": cid, "vacancy_id": s.ids["vacancy"], "decision": "veto"}).status_code == 201
    s.ids |= {"run": run_id, "latest_run": run_id}
    s.people |= {bea["id"]: ["Beatrix Bpartnersen", "beatrix@example.no", "Ringte om Beatrix"],
                 una["id"]: ["Unni Utildeltsen", "unni@example.no"]}
    return s, bea["id"], una["id"]


def _as_consultant(caller: Caller, world, spec, method: str, ids: dict):
    """Send the spec as consultant A: API by bearer token, pages by cookie."""
    client = caller.client
    seeded = copy.copy(caller.seeded)
    seeded.ids = ids
    resolve = lambda v: v(client, seeded) if callable(v) else v  # noqa: E731
    kwargs: dict = {"follow_redirects": False}
    path = spec.path.format(**{k: v for k, v in ids.items() if not isinstance(v, dict)})
    token = world.headers["consultant"]["Authorization"].removeprefix("Bearer ")
    client.cookies.clear()
    if spec.as_.startswith("web"):
        client.cookies.set(SESSION_COOKIE, token)
        if method == "POST":
            kwargs["data"] = {**(resolve(spec.data) or {}), "csrf_token": csrf_token_for(token)}
    else:
        kwargs["headers"] = world.headers["consultant"]
        if spec.json is not None:
            kwargs["json"] = resolve(spec.json)
        if spec.files is not None:
            kwargs["files"] = resolve(spec.files)
    response = client.request(method, path, **kwargs)
    client.cookies.clear()
    return path, response


def _names_candidate(spec, method: str, target: int, ids: dict, caller: Caller) -> bool:
    """Whether the request itself is about the target (in its path or its body)."""
    raw = spec.path
    if any(f"{{{k}}}" in raw for k in ("X", "Y", "Z")):
        return True
    for body in (spec.json, spec.data):
        seeded = copy.copy(caller.seeded)
        seeded.ids = ids
        value = body(caller.client, seeded) if callable(body) else body
        if value is not None and re.search(rf"(?<!\d){target}(?!\d)", str(value)) and "candidate" in str(value):
            return True
    return False


@pytest.mark.parametrize("who", ["handed_to_b", "handed_to_nobody"])
def test_consultant_of_partner_a_never_sees_another_partners_or_unhanded_candidate(engine, client, world, walked,
                                                                                     who):
    s, bea, una = walked
    target = bea if who == "handed_to_b" else una
    caller = Caller(client, engine, world, s)
    ids = {**s.ids, "X": target, "Y": target, "Z": target}
    leaks, allowed = [], []
    for key, spec in SPECS.items():
        method = key.split(" ", 1)[0]
        if key in SKIP or spec.as_ in ("employer_key", "web_employer", "login_form"):
            continue
        path, response = _as_consultant(caller, world, spec, method, ids)
        about_target = _names_candidate(spec, method, target, ids, caller)
        empty_list = response.status_code == 200 and response.text.strip() == "[]"  # a filter that finds nothing
        # 422 where a form picks candidates by name: the name is not found among those A may see.
        if about_target and response.status_code not in (403, 404, 422) and not empty_list:
            allowed.append((key, path, response.status_code, response.text[:200]))
        if response.status_code < 400 or response.status_code in (409, 422):
            shown = _shown(response, path if not about_target else "", {target: s.people[target]})
            if target in shown:
                leaks.append((key, path, response.status_code, response_text(response)[:300]))
    assert allowed == [], f"requests about the candidate that consultant A was allowed: {allowed}"
    assert leaks == [], f"answers that showed the candidate to consultant A: {leaks}"


def test_the_consultant_sees_the_candidate_only_while_the_handover_stands(client, world, make_candidate):
    candidate = make_candidate()  # handed over to partner A
    cid = candidate["id"]
    consultant = world.headers["consultant"]
    assert client.get(f"/candidates/{cid}", headers=consultant).status_code == 200
    assert cid in [c["id"] for c in client.get("/candidates", headers=consultant).json()]
    ended = client.post(f"/candidates/{cid}/handovers/end", headers=world.headers["staff_a"],
                        json={"reason": "back_to_programme"})
    assert ended.status_code == 200, ended.text
    refused = client.get(f"/candidates/{cid}", headers=consultant)
    assert refused.status_code == 403
    assert "tildelt" in refused.json()["detail"]
    assert cid not in [c["id"] for c in client.get("/candidates", headers=consultant).json()]
    # Taken back in: visible again, flagged.
    again = client.post(f"/candidates/{cid}/handovers", headers=world.headers["staff_a"],
                        json={"partner_id": world.partner_a})
    assert again.status_code == 201 and again.json()["taken_back_in"] is True
    assert client.get(f"/candidates/{cid}", headers=consultant).status_code == 200


def test_a_consultant_sees_only_match_runs_over_their_own_partners_candidates(engine, client, world):
    """Another partner's run, or an admin's run over everyone, shows totals about candidates the
    consultant may not see: it is not listed, and opening it answers 404 in the API and the pages."""
    from accounts.models import User
    from accounts.service import issue_token

    runs = {}
    for who in ("admin", "consultant"):
        with Session(engine) as session:
            run = matching.create_run(session, matching.RunParams(plan_start=matching.date.fromisoformat(PLAN),
                                                                  time_limit=1), world.principal(who))
            session.commit()
            runs[who] = run.id
    with Session(engine) as session:  # a consultant at partner B
        other = User(username="konsulent.b", full_name="Konsulent B", role="consultant", partner_id=world.partner_b,
                     password_hash=world.users["consultant"].password_hash)
        session.add(other)
        session.flush()
        token, _ = issue_token(session, other, ttl_minutes=60)
        session.commit()
    b = {"Authorization": f"Bearer {token}"}
    a = world.headers["consultant"]
    assert [r["id"] for r in client.get("/match-runs", headers=a).json()] == [runs["consultant"]]
    assert client.get("/match-runs", headers=b).json() == []
    assert {r["id"] for r in client.get("/match-runs", headers=world.headers["admin"]).json()} == set(runs.values())
    for path in ("", "/proposals", "/shortlists", "/unlock", "/changes"):
        assert client.get(f"/match-runs/{runs['consultant']}{path}", headers=b).status_code == 404, path
        assert client.get(f"/match-runs/{runs['admin']}{path}", headers=a).status_code == 404, path
        assert client.get(f"/match-runs/{runs['consultant']}{path}", headers=a).status_code == 200, path
    client.cookies.set(SESSION_COOKIE, token)
    assert client.get(f"/app/matching/{runs['consultant']}").status_code == 404
    assert f"/app/matching/{runs['consultant']}" not in client.get("/app/matching").text
