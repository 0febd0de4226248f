"""Server-rendered pages in Norwegian for consultants and project staff, under /app.

Pages call the domain services directly, with the same roles and scoping as the API."""

from fastapi import APIRouter, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse
from fastapi.staticfiles import StaticFiles
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from accounts.service import Principal, principal_from_token
from api.errors import STATUS, UNEXPECTED_NB, unexpected_reference
from api.web import (
    admin,
    agenda,
    auth,
    barometer,
    candidate_forms,
    candidates,
    contacts,
    dashboard,
    employer_forms,
    employers,
    held_jobs,
    jobs,
    matching,
    meg,
    pipeline,
    plans,
    presentations,
    programme,
    reports,
    users,
    vacancies,
)
from api.web.deps import HERE, PREFIX, SESSION_COOKIE, LoginRequired, home_path, login_path, render
from core.labels import field_of, message_nb, sentence
from core.types import Role
from selfservice.i18n import N_

# N_: a job seeker reads these in their own language (selfservice/i18n.py, api/web/meg.py error_page).
MESSAGES = {401: N_("Du må logge inn."), 403: N_("Du har ikke tilgang til denne siden."), 404: N_("Fant ikke siden."),
            405: N_("Siden finnes, men ikke slik."), 409: N_("Noen andre har endret dette i mellomtiden."),
            422: N_("Noe i skjemaet er ikke gyldig."), 429: N_("For mange forsøk.")}
SOMETHING_WRONG = N_("Noe gikk galt.")


def _is_page(request: Request) -> bool:
    return request.url.path == PREFIX or request.url.path.startswith(PREFIX + "/")


def _login_redirect(request: Request, _exc: LoginRequired) -> RedirectResponse:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(login_path(target if request.method == "GET" else None), status_code=303)


def _page_actor(request: Request) -> Principal | None:
    """Who is looking at an error page, so it keeps the menu and "Til forsiden" leads to their own home."""
    token = request.cookies.get(SESSION_COOKIE)
    engine = getattr(request.app.state, "engine", None)
    if not token or engine is None:
        return None
    try:
        with Session(engine) as session:
            return principal_from_token(session, token)
    except Exception:  # an error page must never fail because the session could not be read
        return None


def error_page(request: Request, status: int, detail: str, errors: list | None = None):
    actor = _page_actor(request)
    title = MESSAGES.get(status, SOMETHING_WRONG)
    if actor and actor.role == Role.candidate:  # in the job seeker's own language, with their own menu
        return meg.error_page(request, actor, status, title, detail, errors)
    return render(request, "error.html", actor, status_code=status, title=title,
                  detail=detail, home=home_path(actor.role) if actor else PREFIX + "/")


def _html_or(api_handler, status: int):
    """Pages answer errors with a page (with the menu); the API keeps its JSON."""

    async def handle(request: Request, exc: Exception):
        if not _is_page(request):
            answer = api_handler(request, exc)
            return await answer if hasattr(answer, "__await__") else answer
        code = status
        detail = getattr(exc, "message", None) or MESSAGES.get(status, "")
        errors = None
        if isinstance(exc, RequestValidationError):
            errors = exc.errors()
            if any(tuple(e.get("loc", ()))[:1] == ("path",) for e in errors):
                code, detail = 404, MESSAGES[404]  # /app/kandidater/abc is a page that does not exist
            else:
                detail = " ".join(sentence(field_of(e.get("loc", ())), message_nb(e)) + "." for e in errors)
            errors = errors if code == 422 else None
        elif isinstance(exc, StarletteHTTPException):
            code = exc.status_code
            detail = MESSAGES.get(code, SOMETHING_WRONG)
        return await run_in_threadpool(error_page, request, code, detail, errors)  # reads the session from the database

    return handle


def _unexpected_page_or(api_handler):
    """An error nobody foresaw: a page with the menu and a reference to quote (the API keeps its JSON)."""

    async def handle(request: Request, exc: Exception):
        if not _is_page(request):
            return api_handler(request, exc)
        detail = UNEXPECTED_NB.format(reference=unexpected_reference(request, exc))
        return await run_in_threadpool(error_page, request, 500, detail)

    return handle


def build_router() -> APIRouter:
    router = APIRouter(prefix=PREFIX, include_in_schema=False)
    # employer_forms before employers: /arbeidsgivere/ny is a page, not employer «ny»
    # candidate_forms before candidates: /kandidater/ny is a page, not candidate «ny»
    for module in (auth, meg, dashboard, candidate_forms, candidates, held_jobs, plans, presentations, employer_forms,
                   employers, vacancies, pipeline, contacts, barometer, matching, reports, jobs, admin, users, agenda,
                   programme):
        router.include_router(module.router)
    return router


def install(app: FastAPI) -> None:
    """Add the pages, their static files and their error pages to the app (after the API's error handlers)."""
    app.mount(PREFIX + "/static", StaticFiles(directory=HERE / "static"), name="web-static")
    app.include_router(build_router())
    app.include_router(auth.root_router)
    app.add_exception_handler(LoginRequired, _login_redirect)
    for error, status in STATUS.items():
        app.add_exception_handler(error, _html_or(app.exception_handlers[error], status))
    app.add_exception_handler(RequestValidationError, _html_or(app.exception_handlers[RequestValidationError], 422))
    app.add_exception_handler(Exception, _unexpected_page_or(app.exception_handlers[Exception]))
    # Unknown addresses under /app get a page with the menu, not the API's JSON 404.
    app.add_exception_handler(StarletteHTTPException,
                              _html_or(app.exception_handlers[StarletteHTTPException], 404))
