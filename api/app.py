"""The FastAPI application factory."""

from contextlib import asynccontextmanager

from fastapi import FastAPI
from sqlalchemy.engine import Engine
from sqlmodel import Session

from api import docs, web
from api.errors import install_error_handlers
from api.headers import SecurityHeaders
from api.limits import InFlightLimit, RequestSizeLimit, widen_thread_pool
from api.routers import (
    admin,
    agenda,
    auth,
    candidates,
    employer_api,
    employers,
    jobs,
    matching,
    nav_admin,
    nav_import,
    placement,
    plans,
    privacy,
    programme,
    projects,
    readiness,
    reports,
    system,
    transfer,
)

DESCRIPTION = """
brobygger: matching og formidling for rekrutteringspartnere og kvalifiseringsprogram.

**Innlogging:** personer logger inn med `POST /auth/token` (brukernavn og passord) og sender
`Authorization: Bearer <token>`. Arbeidsgiverintegrasjoner sender `X-API-Key: <nøkkel>`.

**Roller:** `admin`, `consultant` (rekrutteringskonsulent), `staff` (prosjektmedarbeider, ser bare
sitt eget prosjekt) og `employer` (én organisasjon; ser ingen kandidatdata). Hver rute sier hvilke
roller som har tilgang.

**Feil:** 401 uten gyldig innlogging, 403 uten tilgang, 404 ukjent, 409 samtidig endring eller
duplikat, 422 ugyldig input (`field` sier hvilket felt), 503 databasen er utilgjengelig.
"""


# Every 4xx body from this API, including 422s (see api/errors.py); FastAPI would otherwise document
# its own validation-error shape, which this API does not send.
ERROR_BODY = {
    "title": "ErrorBody",
    "type": "object",
    "required": ["detail"],
    "properties": {
        "detail": {"type": "string", "description": "Hva som er galt, på norsk"},
        "field": {"anyOf": [{"type": "string"}, {"type": "null"}], "description": "Feltet det gjelder"},
        "errors": {"type": "array", "description": "Alle feil (ved 422)",
                   "items": {"type": "object", "properties": {"field": {"type": "string"},
                                                              "message": {"type": "string"}}}},
        "suggestions": {"type": "array", "description": "Ved ukjent yrke: de tre mest sannsynlige STYRK-08-kodene",
                        "items": {"type": "object", "properties": {"code": {"type": "string"},
                                                                   "name": {"type": "string"},
                                                                   "confidence": {"type": "integer"}}}},
    },
}


def _document_error_body(app: FastAPI) -> None:
    default_openapi = app.openapi

    def openapi() -> dict:
        if app.openapi_schema is None:
            default_openapi()["components"]["schemas"]["HTTPValidationError"] = ERROR_BODY
        return app.openapi_schema

    app.openapi = openapi


def create_app(engine: Engine | None = None, worker: bool | None = None, scheduled: bool = True) -> FastAPI:
    """`worker`: run a job worker inside the service (None: BROBYGGER_EMBEDDED_WORKER, by default on
    with SQLite). Starting never touches other processes' jobs: a job whose worker died is taken up
    by rule when its lease runs out (jobs/service.py). `scheduled`: that worker also starts the
    scheduled jobs (retention, reminders, vacancy expiry, the hourly NAV feed); page tests turn them
    off, since a job list would otherwise grow by one at those minutes."""

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        widen_thread_pool()
        if engine is None:
            from core.db import get_engine

            app.state.engine = get_engine()
        from core.settings import get_settings
        from employers.service import ensure_default_question_set
        from jobs.queue import JobQueue
        from programme.service import ensure_default_codes
        from readiness.service import ensure_default_definition

        with Session(app.state.engine) as session:
            ensure_default_definition(session)
            ensure_default_question_set(session)
            ensure_default_codes(session)
            session.commit()
        settings = get_settings()
        app.state.jobs = JobQueue(app.state.engine, settings)
        embedded = worker if worker is not None else settings.embedded_worker
        if embedded is None:
            embedded = app.state.engine.url.get_backend_name() == "sqlite"
        if embedded:
            app.state.jobs.start_embedded(settings.worker_threads, periodic=scheduled)
        try:
            yield
        finally:
            app.state.jobs.stop()

    app = FastAPI(title="brobygger", version="0.1.0", description=DESCRIPTION, lifespan=lifespan, docs_url=None,
                  redoc_url=None)  # api/docs.py serves both without a CDN
    app.state.engine = engine
    install_error_handlers(app)
    app.add_middleware(RequestSizeLimit)
    app.add_middleware(InFlightLimit)
    app.add_middleware(SecurityHeaders)  # outermost: every answer, the size limit's 413 too
    for module in (system, auth, admin, projects, candidates, readiness, employers, employer_api, nav_import, nav_admin,
                   matching, placement, programme, agenda, plans, reports, transfer, privacy, jobs):
        app.include_router(module.router)
    web.install(app)
    _document_error_body(app)  # the pages under /app, their static files and error pages (after the API's handlers)
    docs.install(app)
    return app
