"""Every read or change of candidate data leaves an audit entry, on every route (API and pages).

The walk sends one request per route (tests/privacy/walk.py) against a world where candidates appear
in every table. After each request it asks: does the response show a candidate (their id under a
candidate key, their name, e-mail or a text planted about them, a link to their page, their id in the
path), or did the request change anything held about them (every row the erasure registry links to
them, before and after)? If so, an audit entry for that candidate must have been written. A route
with no request in SPECS fails the test unless it is listed in NOT_CANDIDATE_DATA."""

import json
import re

from sqlmodel import Session, func, select

from api.app import create_app
from candidates.models import Candidate
from core.audit import AuditEntry
from privacy.registry import HOLDINGS, rows_of
from tests.api.test_policies import api_routes
from tests.privacy.walk import NOT_CANDIDATE_DATA, SPECS, Caller, response_text, seed

CANDIDATE_KEYS = {"candidate_id", "candidate_ids"}


def route_keys() -> list[str]:
    return [f"{method} {path}" for path, route in api_routes(create_app().routes) for method in sorted(route.methods)]


def test_every_route_is_walked_or_listed_as_holding_no_candidate_data():
    keys = route_keys()
    missing = [k for k in keys if k not in SPECS and k not in NOT_CANDIDATE_DATA]
    assert missing == [], ("routes with no request in tests/privacy/walk.py SPECS (add one, or list the route in "
                           f"NOT_CANDIDATE_DATA with the reason): {missing}")
    stale = [k for k in list(SPECS) + list(NOT_CANDIDATE_DATA) if k not in keys]
    assert stale == [], f"requests for routes that no longer exist: {stale}"
    assert len(NOT_CANDIDATE_DATA) <= 6  # kept small: logging in and out only


def _fingerprint(session: Session, candidate_id: int) -> str:
    """Everything held about the candidate that a person enters or changes (not what a match run derives)."""
    rows = {}
    for holding in HOLDINGS:
        if not holding.derived:
            rows[holding.model.__tablename__] = [r.model_dump(mode="json") for r in session.exec(rows_of(holding, candidate_id))]
    return json.dumps(rows, sort_keys=True, default=str)


def _ids_under_candidate_keys(value, found: set[int]) -> set[int]:
    if isinstance(value, dict):
        for key, item in value.items():
            if key in CANDIDATE_KEYS:
                found.update(item if isinstance(item, list) else [item])
            else:
                _ids_under_candidate_keys(item, found)
    elif isinstance(value, list):
        for item in value:
            _ids_under_candidate_keys(item, found)
    return found


def _shown(response, url: str, people: dict[int, list[str]]) -> set[int]:
    text = response_text(response)
    shown = set()
    if response.content and "json" in response.headers.get("content-type", ""):  # a 204 says json but has no body
        shown |= _ids_under_candidate_keys(response.json(), set())
    for cid, strings in people.items():
        if any(s.lower() in text.lower() for s in strings):
            shown.add(cid)
        if re.search(rf"/kandidater/{cid}(?!\d)", text) or re.search(rf"/candidates/{cid}(?!\d)", url):
            shown.add(cid)
    return shown


def _audit_counts(session: Session) -> dict[int, int]:
    return dict(session.exec(select(AuditEntry.candidate_id, func.count()).group_by(AuditEntry.candidate_id)).all())


def test_every_route_that_shows_or_changes_candidate_data_audits_it(engine, client, world):
    seeded = seed(client, engine, world)
    caller = Caller(client, engine, world, seeded)
    problems, walked = [], 0
    for key, spec in SPECS.items():
        method = key.split(" ", 1)[0]
        with Session(engine) as session:
            tracked = list(session.exec(select(Candidate.id)))
            before = {cid: _fingerprint(session, cid) for cid in tracked}
            counts_before = _audit_counts(session)
        response = caller.send(method, spec)
        walked += 1
        assert response.status_code == spec.expect, (key, response.status_code, response.text[:400])
        url = caller.url(spec)
        with Session(engine) as session:
            counts_after = _audit_counts(session)
            created = set(session.exec(select(Candidate.id))) - set(tracked)
            changed = {cid for cid in tracked if _fingerprint(session, cid) != before[cid]}
        shown = _shown(response, url, seeded.people) & set(tracked)
        for cid in sorted(shown | changed | created):
            if counts_after.get(cid, 0) <= counts_before.get(cid, 0):
                why = "created" if cid in created else "changed" if cid in changed else "shown"
                problems.append(f"{key}: candidate {cid} {why} without an audit entry")
    assert problems == [], "\n".join(problems)
    assert walked == len(SPECS)
