"""Who is looking at a page, what they may see, CSRF, and rendering.

People log in through a form; the session cookie carries the same bearer token the API issues, so a
page and an API call by the same person are one session, revoked the same way. Every page declares a
`WebPolicy` (the API's `Policy`, with the principal read from the cookie)."""

import hashlib
import hmac
import secrets
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote

from fastapi import Depends, Form, Request
from fastapi.templating import Jinja2Templates
from sqlmodel import Session

from accounts.service import Principal, principal_from_token
from api.deps import Policy, get_session, release_connection
from api.web import labels
from core.errors import Forbidden, Unauthorized
from core.types import Role

PREFIX = "/app"
SESSION_COOKIE = "brobygger_session"
LOGIN_CSRF_COOKIE = "brobygger_login_csrf"
HERE = Path(__file__).resolve().parent


class LoginRequired(Exception):
    """No valid session cookie: the page answers with a redirect to the login form."""


def web_principal(request: Request, session: Session = Depends(get_session)) -> Principal:
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        raise LoginRequired()
    try:
        return principal_from_token(session, token)
    except Unauthorized:
        raise LoginRequired() from None
    finally:
        release_connection(session)


class WebPolicy(Policy):
    """The API's role policy for pages: the same roles and message, the principal from the cookie."""

    def __call__(self, principal: Principal = Depends(web_principal)) -> Principal:
        return super().__call__(principal)

    def __repr__(self) -> str:
        return f"WebPolicy({', '.join(sorted(self.roles))})"


def page(*roles: Role) -> WebPolicy:
    return WebPolicy(*roles)


# ---------------------------------------------------------------- CSRF


def csrf_token_for(session_token: str) -> str:
    """Per-session CSRF token, derived from the (HttpOnly, unreadable to scripts) session token."""
    return hmac.new(session_token.encode(), b"brobygger-csrf-v1", hashlib.sha256).hexdigest()


def verify_csrf(request: Request, csrf_token: str = Form(default=""),
                _logged_in: Principal = Depends(web_principal)) -> None:
    """For every form post of a logged-in person. SameSite=Strict already keeps other sites' posts
    from carrying the cookie; the token is the second lock."""
    session_token = request.cookies.get(SESSION_COOKIE, "")
    if not session_token or not hmac.compare_digest(csrf_token, csrf_token_for(session_token)):
        raise Forbidden("Skjemaet er utløpt eller kom ikke fra denne siden. Last inn siden på nytt og prøv igjen.")


def new_login_csrf() -> str:
    return secrets.token_urlsafe(24)


# ---------------------------------------------------------------- rendering


@lru_cache
def templates() -> Jinja2Templates:
    t = Jinja2Templates(directory=str(HERE / "templates"))
    t.env.globals.update(labels=labels, prefix=PREFIX)
    t.env.filters.update(labels.FILTERS)
    return t


NAV = [
    ("dashboard", "Oversikt", "/", (Role.admin, Role.consultant, Role.staff)),
    ("agenda", "Min dag", "/agenda", (Role.admin, Role.consultant, Role.staff)),
    ("candidates", "Kandidater", "/kandidater", (Role.admin, Role.consultant, Role.staff)),
    ("referrals", "Henvisninger", "/henvisninger", (Role.admin, Role.staff)),
    ("employers", "Arbeidsgivere", "/arbeidsgivere", (Role.admin, Role.consultant)),
    ("board", "Tavle", "/tavle", (Role.admin, Role.consultant)),
    ("contacts", "Kontakter", "/kontakter", (Role.admin, Role.consultant)),
    ("matching", "Matching", "/matching", (Role.admin, Role.consultant)),
    ("reports", "Rapporter", "/rapporter", (Role.admin, Role.consultant, Role.staff)),
    ("jobs", "Jobber", "/jobber", (Role.admin, Role.consultant, Role.staff)),
    ("own", "Mine stillinger", "/min-side", (Role.employer,)),
    ("meg", "Min side", "/meg", (Role.candidate,)),  # a job seeker's error pages lead back to their own page
    ("users", "Brukere", "/brukere", (Role.admin,)),
]


def home_path(role: Role) -> str:
    return PREFIX + {Role.employer: "/min-side", Role.candidate: "/meg"}.get(role, "/")


def login_path(next_path: str | None = None) -> str:
    return f"{PREFIX}/logg-inn" + (f"?neste={quote(next_path, safe='/')}" if next_path else "")


def safe_next(value: str | None) -> str | None:
    """Only our own pages: no other hosts, no scheme-relative URLs."""
    if value and value.startswith(PREFIX + "/") and not value.startswith("//") and "\\" not in value:
        return value
    return None


def render(request: Request, name: str, actor: Principal | None, *, status_code: int = 200,
           active: str = "", **context):
    token = request.cookies.get(SESSION_COOKIE)
    nav = [(key, label, PREFIX + path) for key, label, path, roles in NAV if actor and actor.role in roles]
    return templates().TemplateResponse(
        request, name, {"actor": actor, "nav": nav, "active": active,
                        "csrf_token": csrf_token_for(token) if token and actor else "", **context},
        status_code=status_code)
