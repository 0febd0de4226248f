"""A job seeker's own login reaches nothing but their own pages.

The walk's world (tests/privacy/walk.py) has X, Y and Z in every table. X gets a login of their own.
Every route of the app (API and pages) is then sent with X's token, as the walk sends it: each
answers 403 or 404, except the few routes tests/api/test_policies.py pins as open to a job seeker
(their pages under /app/meg, who am I, log out, the occupation list). X's own pages never show
anyone else, staff's notes or the exit assessment."""

from sqlmodel import Session

from api.app import create_app
from api.deps import PublicPolicy
from api.web.deps import SESSION_COOKIE, csrf_token_for
from candidates.models import Candidate
from tests.api.test_policies import _policies, api_routes
from tests.privacy.walk import SPECS, Caller, Spec, response_text, seed

# Texts staff write about X, planted by the walk's seed: X must not read them on their pages.
STAFF_NOTES = ("evidence.note", "evidence.verified_by", "evidence.document_ref", "consent.note", "consent_share.note",
               "event.note", "work_practice.note", "contact_only.summary", "contact_only.outcome",
               "contact_shared.summary", "contact_shared.outcome", "decision.note", "presentation.summary",
               "transition.note", "transition_start.note", "transition.reason", "follow_up.note")


def _open_to_job_seekers() -> set[str]:
    """Their own pages and the role-free routes, and the public ones (login, health)."""
    return {f"{method} {path}" for path, route in api_routes(create_app().routes) for method in route.methods
            if "candidate" in _policies(route.dependant)[0].roles or isinstance(_policies(route.dependant)[0], PublicPolicy)}


def _send_as(client, caller: Caller, token: str, method: str, spec: Spec):
    ids = caller.seeded
    resolve = lambda v: v(client, ids) if callable(v) else v  # noqa: E731
    client.cookies.clear()
    kwargs: dict = {"follow_redirects": False}
    if spec.path.startswith("/app"):
        client.cookies.set(SESSION_COOKIE, token)
        if method == "POST":
            kwargs["data"] = {**(resolve(spec.data) or {}), "csrf_token": csrf_token_for(token)}
    else:
        kwargs["headers"] = {"Authorization": f"Bearer {token}"}
        if spec.json is not None:
            kwargs["json"] = resolve(spec.json)
        if spec.files is not None:
            kwargs["files"] = resolve(spec.files)
    answer = client.request(method, caller.url(spec), **kwargs)
    client.cookies.clear()
    return answer


def test_a_job_seekers_token_reaches_nothing_but_their_own_pages(engine, client, world):
    seeded = seed(client, engine, world)
    with Session(engine) as session:  # staff's assessment at exit: never for the job seeker's eyes
        session.get(Candidate, seeded.ids["X"]).exit_assessment = "disability_benefit"
        session.commit()
    caller = Caller(client, engine, world, seeded)
    token = caller.web_tokens["web_candidate"]
    open_routes = _open_to_job_seekers()
    refused, reached = 0, []
    for key, spec in SPECS.items():
        method = key.split(" ", 1)[0]
        if key in open_routes or spec.as_ == "login_form":
            continue
        answer = _send_as(client, caller, token, method, spec)
        if answer.status_code in (403, 404):
            refused += 1
        else:
            reached.append(f"{key}: {answer.status_code}")
    assert reached == [], "a job seeker's token reached: " + "; ".join(reached)
    assert refused > 130  # every staff, employer and admin route

    others = [s for cid, strings in seeded.people.items() if cid != seeded.ids["X"] for s in strings]
    notes = [seeded.markers[m] for m in STAFF_NOTES]
    own_pages = [k for k in SPECS if k.startswith("GET /app/meg") and k in open_routes and "last-ned" not in k]
    assert len(own_pages) >= 7
    for key in own_pages:
        answer = _send_as(client, caller, token, "GET", SPECS[key])
        assert answer.status_code in (200, 404), key
        text = response_text(answer).lower()
        assert [s for s in others if s.lower() in text] == [], f"{key} shows another person"
        assert [n for n in notes if n.lower() in text] == [], f"{key} shows staff's notes"
        assert "uføretrygd" not in text and "uavklart" not in text, f"{key} shows the exit assessment"
