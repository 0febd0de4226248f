"""Log in and out through a form. The cookie holds the API's bearer token: HttpOnly, SameSite=Strict."""

import hmac

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse
from sqlmodel import Session

from accounts.service import Principal, authenticate, issue_token, revoke_token
from api.deps import ANY_ROLE, PUBLIC, client_address, get_session, settings_dep
from api.web.deps import (
    LOGIN_CSRF_COOKIE,
    PREFIX,
    SESSION_COOKIE,
    home_path,
    new_login_csrf,
    page,
    render,
    safe_next,
    verify_csrf,
)
from core.errors import RateLimited, Unauthorized
from core.settings import Settings
from core.types import Role

router = APIRouter()
root_router = APIRouter(include_in_schema=False)


def _login_form(request: Request, *, next_path: str | None, error: str | None = None, info: str | None = None,
                username: str = "", status_code: int = 200):
    token = new_login_csrf()
    response = render(request, "login.html", None, status_code=status_code, login_csrf=token, next_path=next_path,
                      error=error, info=info, username=username, title="Logg inn")
    # Login happens before there is a session, so the form gets its own double-submit token.
    response.set_cookie(LOGIN_CSRF_COOKIE, token, httponly=True, samesite="strict", path=PREFIX + "/logg-inn",
                        secure=request.url.scheme == "https", max_age=3600)
    return response


@router.get("/logg-inn", dependencies=[Depends(PUBLIC)])
def login_page(request: Request, neste: str | None = None, utlogget: str | None = None):
    return _login_form(request, next_path=safe_next(neste), info="Du er logget ut." if utlogget else None)


@router.post("/logg-inn", dependencies=[Depends(PUBLIC)])
def login(
    request: Request,
    username: str = Form(default=""),
    password: str = Form(default=""),
    login_csrf: str = Form(default=""),
    neste: str | None = Form(default=None),
    session: Session = Depends(get_session),
    settings: Settings = Depends(settings_dep),
):
    next_path = safe_next(neste)
    expected = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if not expected or not hmac.compare_digest(expected, login_csrf):
        return _login_form(request, next_path=next_path, username=username, status_code=400,
                           error="Innloggingsskjemaet var utløpt. Prøv igjen.")
    try:
        user = authenticate(session, username.strip(), password, client_address(request))
    except (Unauthorized, RateLimited) as exc:
        status = 429 if isinstance(exc, RateLimited) else 401
        return _login_form(request, next_path=next_path, username=username, status_code=status, error=exc.message)
    token, _ = issue_token(session, user, settings.token_ttl_minutes)
    session.commit()
    home = home_path(Role(user.role))
    # The front page is each role's own home; any other page asked for is where the person was going.
    response = RedirectResponse(home if next_path in (None, PREFIX + "/") else next_path, status_code=303)
    response.set_cookie(SESSION_COOKIE, token, httponly=True, samesite="strict", path="/",
                        secure=request.url.scheme == "https", max_age=settings.token_ttl_minutes * 60)
    response.delete_cookie(LOGIN_CSRF_COOKIE, path=PREFIX + "/logg-inn")
    return response


@router.post("/logg-ut", dependencies=[Depends(verify_csrf)])
def logout(request: Request, _actor: Principal = Depends(page(*ANY_ROLE)), session: Session = Depends(get_session)):
    revoke_token(session, request.cookies.get(SESSION_COOKIE, ""))
    session.commit()
    response = RedirectResponse(PREFIX + "/logg-inn?utlogget=1", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@root_router.get("/")
def root(actor: Principal = Depends(page(*ANY_ROLE))):
    return RedirectResponse(home_path(actor.role), status_code=303)
