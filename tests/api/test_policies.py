"""Every route declares who may call it."""

from fastapi.routing import APIRoute

from api.app import create_app
from api.deps import Policy, PublicPolicy


def api_routes(routes) -> list[APIRoute]:
    """All APIRoutes, also inside included routers (FastAPI >= 0.16x nests them)."""
    found = []
    for route in routes:
        if isinstance(route, APIRoute):
            found.append(route)
        elif hasattr(route, "original_router"):
            found.extend(api_routes(route.original_router.routes))
    return found


def _policies(dependant) -> list:
    found = [dependant.call] if isinstance(dependant.call, (Policy, PublicPolicy)) else []
    for sub in dependant.dependencies:
        found.extend(_policies(sub))
    return found


def test_every_route_declares_exactly_one_policy():
    app = create_app()
    routes = api_routes(app.routes)
    assert len(routes) > 20
    missing = [f"{sorted(r.methods)} {r.path}" for r in routes if len(_policies(r.dependant)) != 1]
    assert missing == [], f"routes without exactly one declared policy: {missing}"


def test_only_login_and_health_are_public():
    app = create_app()
    public = sorted(
        r.path for r in api_routes(app.routes) if isinstance(_policies(r.dependant)[0], PublicPolicy)
    )
    assert public == ["/auth/token", "/health"]


def test_employers_are_kept_out_of_candidate_routes():
    app = create_app()
    for route in api_routes(app.routes):
        if route.path.startswith(("/candidates", "/readiness")):
            (policy,) = _policies(route.dependant)
            assert "employer" not in policy.roles, route.path
