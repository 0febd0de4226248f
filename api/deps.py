"""Dependencies: the database session, who is calling, and the role policy every route declares."""

from collections.abc import AsyncIterator

from fastapi import Depends, Request
from fastapi.security import APIKeyHeader, OAuth2PasswordBearer
from sqlmodel import Session

from accounts.service import (
    PROVIDER_KEY_PREFIX,
    Principal,
    principal_from_api_key,
    principal_from_provider_key,
    principal_from_token,
)
from core import audit
from core.errors import Forbidden, Unauthorized
from core.settings import Settings, get_settings
from core.types import Role

bearer = OAuth2PasswordBearer(tokenUrl="/auth/token", auto_error=False, description="Innlogging for personer")
api_key_header = APIKeyHeader(name="X-API-Key", auto_error=False, description="API-nøkkel for arbeidsgivere")


async def get_session(request: Request) -> AsyncIterator[Session]:
    """One session per request. Async on purpose: the teardown that returns the connection to the
    pool then runs on the event loop and never waits for a worker thread. (With a sync generator, all
    threads could be waiting for the connection while its holder waits for a thread to release it.)
    expire_on_commit=False: routes return the objects they just committed."""
    session = Session(request.app.state.engine, expire_on_commit=False)
    try:
        yield session
    finally:
        session.close()


def release_connection(session: Session) -> None:
    """End the current (read) transaction so the connection goes back to the pool until the route
    needs it again; a request must not hold it across the handoff from a dependency to the route."""
    session.commit()


def current_principal(
    session: Session = Depends(get_session),
    token: str | None = Depends(bearer),
    api_key: str | None = Depends(api_key_header),
) -> Principal:
    try:
        if token and token.startswith(PROVIDER_KEY_PREFIX):  # NAV's protocol: the provider key as a bearer token
            return principal_from_provider_key(session, token)
        if token:
            return principal_from_token(session, token)
        if api_key and api_key.startswith(PROVIDER_KEY_PREFIX):
            return principal_from_provider_key(session, api_key)
        if api_key:
            return principal_from_api_key(session, api_key)
    finally:
        release_connection(session)
    raise Unauthorized("Innlogging kreves: send et Bearer-token eller en X-API-Key.")


class Policy:
    """Which roles may call a route. Every route declares one (a test checks), as
    `actor: Principal = Depends(allow(Role.admin, ...))` or `Depends(PUBLIC)`."""

    def __init__(self, *roles: Role):
        self.roles = frozenset(roles)

    def __call__(self, principal: Principal = Depends(current_principal)) -> Principal:
        if principal.role not in self.roles:
            from core.labels import ROLE, roles_nb

            raise Forbidden(f"Dette er bare for {roles_nb(self.roles)}. Du er logget inn som "
                            f"{ROLE.get(principal.role, principal.role).lower()}.")
        return principal

    def __repr__(self) -> str:
        return f"Policy({', '.join(sorted(self.roles))})"


class PublicPolicy:
    roles = frozenset()

    def __call__(self) -> None:
        return None


PUBLIC = PublicPolicy()
ANY_ROLE = tuple(Role)
CANDIDATE_ROLES = (Role.admin, Role.consultant, Role.staff)


def allow(*roles: Role) -> Policy:
    return Policy(*roles)


def audit_read(session: Session, actor: Principal, what: str, candidate_ids, action: str = "read") -> None:
    """Log that `actor` saw these candidates' data, and store the log entries at once (GET routes
    have no other commit). Changes are logged with `core.audit.record` before the route's commit."""
    audit.record(session, actor, action, what, candidate_ids)
    session.commit()


def client_address(request: Request) -> str:
    return request.client.host if request.client else ""


def settings_dep() -> Settings:
    return get_settings()
