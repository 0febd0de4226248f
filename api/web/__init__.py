"""Server-rendered pages in Norwegian for consultants and project staff, under /app.

Pages call the domain services directly, with the same roles and scoping as the API."""

from fastapi import APIRouter, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse
from fastapi.staticfiles import StaticFiles

from api.errors import STATUS
from api.web import auth, candidates, dashboard, employers, jobs, matching, reports, users
from api.web.deps import HERE, PREFIX, LoginRequired, login_path, render

MESSAGES = {401: "Du må logge inn.", 403: "Du har ikke tilgang til denne siden.", 404: "Fant ikke siden.",
            409: "Noen andre har endret dette i mellomtiden.", 422: "Noe i skjemaet er ikke gyldig."}


def _is_page(request: Request) -> bool:
    return request.url.path == PREFIX or request.url.path.startswith(PREFIX + "/")


def _login_redirect(request: Request, _exc: LoginRequired) -> RedirectResponse:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(login_path(target if request.method == "GET" else None), status_code=303)


def _html_or(api_handler, status: int):
    """Pages answer errors with a page; the API keeps its JSON."""

    def handle(request: Request, exc: Exception):
        if not _is_page(request):
            return api_handler(request, exc)
        detail = getattr(exc, "message", None) or MESSAGES.get(status, "")
        if isinstance(exc, RequestValidationError):
            detail = "; ".join(f"{'.'.join(map(str, e.get('loc', ())[1:]))}: {e.get('msg', '')}" for e in exc.errors())
        return render(request, "error.html", None, status_code=status, title=MESSAGES.get(status, "Feil"),
                      detail=detail)

    return handle


def build_router() -> APIRouter:
    router = APIRouter(prefix=PREFIX, include_in_schema=False)
    for module in (auth, dashboard, candidates, employers, matching, reports, jobs, users):
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
