"""Domain errors to HTTP: one handler per error base. Bodies: {"detail": ..., "field": ...}."""

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from sqlalchemy.exc import OperationalError

from core.errors import Conflict, DomainError, Forbidden, Invalid, NotFound, Unauthorized

STATUS = {NotFound: 404, Conflict: 409, Invalid: 422, Forbidden: 403, Unauthorized: 401}


def _handler(status: int):
    def handle(_request: Request, exc: DomainError) -> JSONResponse:
        headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
        return JSONResponse({"detail": exc.message, "field": exc.field}, status_code=status, headers=headers)

    return handle


def _database_unavailable(_request: Request, _exc: OperationalError) -> JSONResponse:
    return JSONResponse(
        {"detail": "Databasen er ikke tilgjengelig akkurat nå. Prøv igjen om litt.", "field": None},
        status_code=503,
        headers={"Retry-After": "5"},
    )


def install_error_handlers(app: FastAPI) -> None:
    for error, status in STATUS.items():
        app.add_exception_handler(error, _handler(status))
    app.add_exception_handler(OperationalError, _database_unavailable)
