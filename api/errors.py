"""Domain errors to HTTP: one handler per error base. Bodies: {"detail": ..., "field": ...}."""

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
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


def _field(loc: tuple) -> str:
    """("body", "certificates", 0, "code") -> "certificates.0.code"; ("query", "step") -> "step"."""
    parts = [str(p) for p in loc[1:]] if loc and loc[0] in ("body", "query", "path", "header") else list(map(str, loc))
    return ".".join(parts) or "body"


def _invalid_request(_request: Request, exc: RequestValidationError) -> JSONResponse:
    """Every 422 has the same shape: the first problem in `detail` and `field`, all of them in `errors`."""
    errors = [{"field": _field(tuple(e.get("loc", ()))), "message": e.get("msg", "")} for e in exc.errors()]
    first = errors[0] if errors else {"field": "body", "message": "Ugyldig forespørsel"}
    return JSONResponse({"detail": f"{first['field']}: {first['message']}", "field": first["field"], "errors": errors},
                        status_code=422)


def install_error_handlers(app: FastAPI) -> None:
    for error, status in STATUS.items():
        app.add_exception_handler(error, _handler(status))
    app.add_exception_handler(RequestValidationError, _invalid_request)
    app.add_exception_handler(OperationalError, _database_unavailable)
