"""Log in and out through a form. The cookie holds the API's bearer token: HttpOnly, SameSite=Strict."""

import hmac

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse
from sqlmodel import Session

from accounts.service import PasswordChangeRequired, Principal, change_password, get_user, log_in, revoke_token
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
from core.errors import Invalid, RateLimited, Unauthorized
from core.settings import Settings
from core.types import Role

router = APIRouter()
root_router = APIRouter(include_in_schema=False)


def _login_form(request: Request, *, next_path: str | None, error: str | None = None, info: str | None = None,
                username: str = "", status_code: int = 200, template: str = "login.html", **context):
    token = new_login_csrf()
    title = "Velg nytt passord" if template == "password.html" else "Logg inn"
    response = render(request, template, None, status_code=status_code, login_csrf=token, next_path=next_path,
                      error=error, info=info, username=username, title=title, **context)
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
    if not _login_csrf_ok(request, login_csrf):
        return _login_form(request, next_path=next_path, username=username, status_code=400,
                           error="Innloggingsskjemaet var utløpt. Prøv igjen.")
    try:
        token, row = log_in(session, username.strip(), password, client_address(request), settings.token_ttl_minutes)
    except PasswordChangeRequired as exc:
        return _login_form(request, next_path=next_path, username=username.strip(), status_code=403,
                           template="password.html", info=exc.message, errors={})
    except (Unauthorized, RateLimited, Invalid) as exc:
        return _login_form(request, next_path=next_path, username=username, status_code=_STATUS[type(exc)],
                           error=exc.message)
    session.commit()
    return _logged_in(request, token, row.user_id, session, settings, next_path)


_STATUS = {Unauthorized: 401, RateLimited: 429, Invalid: 422}


def _login_csrf_ok(request: Request, sent: str) -> bool:
    expected = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    return bool(expected) and hmac.compare_digest(expected, sent)


def _logged_in(request: Request, token: str, user_id: int, session: Session, settings: Settings,
               next_path: str | None) -> RedirectResponse:
    home = home_path(Role(get_user(session, user_id).role))
    # The front page is each role's own home; any other page asked for is where the person was going.
    response = RedirectResponse(home if next_path in (None, PREFIX + "/") else next_path, status_code=303)
    response.set_cookie(SESSION_COOKIE, token, httponly=True, samesite="strict", path="/",
                        secure=request.url.scheme == "https", max_age=settings.token_ttl_minutes * 60)
    response.delete_cookie(LOGIN_CSRF_COOKIE, path=PREFIX + "/logg-inn")
    return response


@router.get("/logg-inn/nytt-passord", dependencies=[Depends(PUBLIC)])
def password_page(request: Request, bruker: str = ""):
    """Choose a new password: after an admin's reset (the login leads here), or any time."""
    return _login_form(request, next_path=None, username=bruker[:80], template="password.html", errors={})


@router.post("/logg-inn/nytt-passord", dependencies=[Depends(PUBLIC)])
def password_change(
    request: Request,
    username: str = Form(default=""),
    current_password: str = Form(default=""),
    new_password: str = Form(default=""),
    new_password_again: str = Form(default=""),
    login_csrf: str = Form(default=""),
    neste: str | None = Form(default=None),
    session: Session = Depends(get_session),
    settings: Settings = Depends(settings_dep),
):
    next_path = safe_next(neste)

    def again(status: int, message: str, field: str | None = None):
        errors = {field: message} if field else {}
        return _login_form(request, next_path=next_path, username=username.strip(), status_code=status,
                           template="password.html", error=None if field else message, errors=errors)

    if not _login_csrf_ok(request, login_csrf):
        return again(400, "Skjemaet var utløpt. Prøv igjen.")
    if new_password != new_password_again:
        return again(422, "Passordene er ikke like.", "new_password_again")
    try:
        token, row = change_password(session, username.strip(), current_password, new_password,
                                     client_address(request), settings.token_ttl_minutes)
    except Invalid as exc:
        return again(422, exc.message, exc.field if exc.field in ("new_password", "current_password") else None)
    except (Unauthorized, RateLimited) as exc:
        return again(_STATUS[type(exc)], exc.message if isinstance(exc, RateLimited)
                     else "Feil brukernavn eller nåværende passord.", None)
    session.commit()
    return _logged_in(request, token, row.user_id, session, settings, next_path)


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
