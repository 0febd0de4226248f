"""Every route declares who may call it."""

from fastapi.routing import APIRoute

from api.app import create_app
from api.deps import Policy, PublicPolicy


def api_routes(routes, prefix: str = "") -> list[tuple[str, APIRoute]]:
    """All APIRoutes with their full paths, also inside included routers (FastAPI >= 0.16x nests them,
    keeping the prefix an outer router adds on the include rather than on the route)."""
    found = []
    for route in routes:
        if isinstance(route, APIRoute):
            found.append((prefix + route.path, route))
        elif hasattr(route, "original_router"):
            context = getattr(route, "include_context", None)
            inner = prefix + (context.prefix if context else "")
            found.extend(api_routes(route.original_router.routes, inner))
    return found


def _policies(dependant) -> list:
    """The distinct policy objects a route depends on, however many paths lead to each."""
    unique = {}
    for policy in _all_policies(dependant):
        unique.setdefault(id(policy), policy)
    return list(unique.values())


def _all_policies(dependant) -> list:
    found = [dependant.call] if isinstance(dependant.call, (Policy, PublicPolicy)) else []
    for sub in dependant.dependencies:
        found.extend(_all_policies(sub))
    return found


def test_every_route_declares_exactly_one_policy():
    app = create_app()
    routes = api_routes(app.routes)
    assert len(routes) > 20
    missing = [f"{sorted(r.methods)} {path}" for path, r in routes if len(_policies(r.dependant)) != 1]
    assert missing == [], f"routes without exactly one declared policy: {missing}"


def test_only_login_and_health_are_public():
    app = create_app()
    public = sorted(
        {path for path, r in api_routes(app.routes) if isinstance(_policies(r.dependant)[0], PublicPolicy)}
    )
    # the web login form and its password change, the API login and password change (both check the
    # current password, throttled like a login), a job seeker's first login with an invitation code
    # (throttled like a login), health, and the calendar feed (a calendar cannot log in: its secret,
    # revocable address stands for the login, agenda.service.feed_owner)
    assert public == ["/app/logg-inn", "/app/logg-inn/invitasjon", "/app/logg-inn/nytt-passord", "/auth/password",
                      "/auth/token", "/health", "/ical/{token}.ics"]


def test_employers_are_kept_out_of_candidate_routes():
    app = create_app()
    for path, route in api_routes(app.routes):
        if path.startswith(("/candidates", "/readiness", "/app/kandidater", "/app/matching")):
            (policy,) = _policies(route.dependant)
            assert "employer" not in policy.roles, path
            assert "candidate" not in policy.roles, path


def test_job_seekers_reach_only_their_own_pages_and_role_free_routes():
    """A job seeker's token is refused by the policy of every route but their own pages (/app/meg),
    logging out, who am I, and the occupation classification (no personal data)."""
    app = create_app()
    open_to_them = sorted({path for path, r in api_routes(app.routes) if "candidate" in _policies(r.dependant)[0].roles})
    assert open_to_them == ["/", "/app/logg-ut", "/app/meg", "/app/meg/avtaler", "/app/meg/avtaler/{key}.ics",
                            "/app/meg/data", "/app/meg/data/last-ned", "/app/meg/jobber", "/app/meg/plan",
                            "/app/meg/plan/{task_key}", "/app/meg/profil", "/app/meg/profil/onsker",
                            "/app/meg/samtykker", "/app/meg/samtykker/{consent_id}/trekk", "/app/meg/sprak",
                            "/auth/logout", "/auth/me", "/occupations", "/occupations/suggestions"]
