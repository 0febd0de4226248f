"""Domain errors to HTTP: one handler per error base. Bodies: {"detail": ..., "field": ...}."""

import logging
import secrets

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DataError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from core.errors import Conflict, DomainError, Forbidden, Invalid, NotFound, RateLimited, Unauthorized
from core.labels import field_of, message_nb

log = logging.getLogger("brobygger.api")
UNEXPECTED_NB = ("En feil hos oss stoppet dette (referanse {reference}). Feilen er logget; prøv igjen, og gi referansen "
                 "til en administrator hvis det gjentar seg.")

STATUS = {NotFound: 404, Conflict: 409, Invalid: 422, Forbidden: 403, Unauthorized: 401, RateLimited: 429}


def _handler(status: int):
    def handle(_request: Request, exc: DomainError) -> JSONResponse:
        headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
        if isinstance(exc, RateLimited):
            headers = {"Retry-After": str(exc.retry_after)}
        return JSONResponse({"detail": exc.message, "field": exc.field, **exc.details}, status_code=status,
                            headers=headers)

    return handle


def _database_unavailable(_request: Request, _exc: OperationalError) -> JSONResponse:
    return JSONResponse(
        {"detail": "Databasen er ikke tilgjengelig akkurat nå. Prøv igjen om litt.", "field": None},
        status_code=503,
        headers={"Retry-After": "5"},
    )


def _field(loc: tuple) -> str:
    """("body", "certificates", 0, "code") -> "certificates.0.code"; ("query", "step") -> "step"."""
    return field_of(loc) or "body"


def _invalid_request(_request: Request, exc: RequestValidationError) -> JSONResponse:
    """Every 422 has the same shape: the first problem in `detail` and `field`, all of them in `errors`,
    in Norwegian (core/labels.py translates pydantic's English)."""
    errors = [{"field": _field(tuple(e.get("loc", ()))), "message": message_nb(e)} for e in exc.errors()]
    first = errors[0] if errors else {"field": "body", "message": "Ugyldig forespørsel"}
    return JSONResponse({"detail": f"{first['field']}: {first['message']}", "field": first["field"], "errors": errors},
                        status_code=422)


def _busy(_request: Request, _exc: PoolTimeout) -> JSONResponse:
    return JSONResponse({"detail": "Tjenesten er travel akkurat nå. Prøv igjen om litt.", "field": None},
                        status_code=503, headers={"Retry-After": "2"})


def _out_of_range(_request: Request, _exc: Exception) -> JSONResponse:
    """A number too large for the database (an id of 2**70, say): the input is wrong, not the server."""
    return JSONResponse({"detail": "Et tall i forespørselen er utenfor gyldig område.", "field": None},
                        status_code=422)


def unexpected_reference(request: Request, exc: Exception) -> str:
    """Log an error nobody foresaw, with a reference the user can quote: they see the reference,
    never the traceback."""
    reference = secrets.token_hex(4)
    log.error("%s %s failed (reference %s)", request.method, request.url.path, reference, exc_info=exc)
    return reference


def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    return JSONResponse({"detail": UNEXPECTED_NB.format(reference=unexpected_reference(request, exc)), "field": None},
                        status_code=500)


def install_error_handlers(app: FastAPI) -> None:
    for error, status in STATUS.items():
        app.add_exception_handler(error, _handler(status))
    app.add_exception_handler(RequestValidationError, _invalid_request)
    app.add_exception_handler(OperationalError, _database_unavailable)
    app.add_exception_handler(PoolTimeout, _busy)  # every database connection busy past the pool's timeout
    app.add_exception_handler(OverflowError, _out_of_range)  # SQLite's driver
    app.add_exception_handler(DataError, _out_of_range)  # PostgreSQL: integer out of range
    app.add_exception_handler(Exception, _unexpected)  # a 500 in Norwegian with a reference, no traceback
