"""Domain errors carry their HTTP status and a message an admin can act on; one handler maps them."""

from __future__ import annotations

import logging
import math
import reprlib
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy import exc as sa_exc

log = logging.getLogger(__name__)

# A 422 names the bad input with a short excerpt, never the whole of it (10 MB in must not mean 10 MB out).
EXCERPT_CHARS = 120
_excerpts = reprlib.Repr()
_excerpts.maxlevel, _excerpts.maxdict, _excerpts.maxlist = 2, 4, 4
_excerpts.maxstring = _excerpts.maxother = EXCERPT_CHARS


class DomainError(Exception):
    status_code = 400

    def __init__(self, detail: str, *, headers: dict[str, str] | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.headers = headers


class NotFound(DomainError):
    status_code = 404


class Conflict(DomainError):
    status_code = 409


class InvalidInput(DomainError):
    status_code = 422


class Forbidden(DomainError):
    status_code = 403


class RateLimited(DomainError):
    status_code = 429

    def __init__(self, detail: str, *, retry_after_seconds: int) -> None:
        super().__init__(detail, headers={"Retry-After": str(max(1, int(retry_after_seconds)))})
        self.retry_after_seconds = retry_after_seconds


class ServiceUnavailable(DomainError):
    status_code = 503

    def __init__(self, detail: str, *, retry_after_seconds: int = 5) -> None:
        super().__init__(detail, headers={"Retry-After": str(max(1, int(retry_after_seconds)))})


# PostgreSQL's codes for a lock wait cut by lock_timeout and a statement cut by statement_timeout.
_LOCK_NOT_AVAILABLE = "55P03"
_QUERY_CANCELED = "57014"


def database_unavailable(exc: Exception) -> ServiceUnavailable:
    """The 503 an admin sees for a database that is busy, slow or unreachable: what happened, and to retry."""
    if isinstance(exc, sa_exc.TimeoutError):
        return ServiceUnavailable(
            "the server is busy: no database connection became free in time; try again after Retry-After seconds",
            retry_after_seconds=2,
        )
    code = getattr(getattr(exc, "orig", None), "sqlstate", None)
    if code == _LOCK_NOT_AVAILABLE:
        return ServiceUnavailable(
            "a record this request needs is locked by other work that is still running (lock wait timed out); "
            "try again after Retry-After seconds",
            retry_after_seconds=1,
        )
    if code == _QUERY_CANCELED:
        return ServiceUnavailable(
            "the database took too long to answer this request (statement timeout); "
            "try again after Retry-After seconds",
            retry_after_seconds=5,
        )
    return ServiceUnavailable(
        "database unreachable or failing; try again after Retry-After seconds", retry_after_seconds=5
    )


def error_doc(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"example": {"detail": description}}},
    }


# For routes' ``responses=``, so Swagger lists what can go wrong.
Responses = dict[int | str, dict[str, Any]]
RESPONSES_404: Responses = {404: error_doc("The record was not found")}
RESPONSES_409: Responses = {409: error_doc("The request conflicts with the record's current state")}
RESPONSES_429: Responses = {429: error_doc("A collection limit was reached; see Retry-After")}
RESPONSES_503: Responses = {503: error_doc("The database is busy or unreachable; see Retry-After")}

# Errors of the database itself, never of the request: a lock or statement timeout, a pool wait that ran
# out, a connection that failed. Each is answered 503 with Retry-After, and other requests go on.
DATABASE_OUTAGES: tuple[type[Exception], ...] = (sa_exc.OperationalError, sa_exc.InterfaceError, sa_exc.TimeoutError)


def excerpt(value: Any) -> Any:
    """A JSON-safe excerpt of bad input: short scalars as they are, anything else as a cut-down repr."""
    if isinstance(value, BaseException):
        value = str(value)
    if value is None or isinstance(value, bool | int) and abs(value) < 2**63:
        return value
    if isinstance(value, float) and math.isfinite(value):
        return value
    if isinstance(value, str) and len(value) <= EXCERPT_CHARS:
        return value
    if isinstance(value, str):
        return value[:EXCERPT_CHARS] + f"... ({len(value)} characters)"
    return _excerpts.repr(value)[: EXCERPT_CHARS * 2]


def _validation_error(error: Any) -> dict[str, Any]:
    described = {"type": error.get("type"), "loc": list(error.get("loc", ())), "msg": excerpt(str(error.get("msg")))}
    if "input" in error:
        described["input"] = excerpt(error["input"])
    if error.get("ctx"):
        described["ctx"] = {key: excerpt(value) for key, value in error["ctx"].items()}
    return described


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    async def _invalid_request(_request: Request, exc: RequestValidationError) -> JSONResponse:
        return JSONResponse({"detail": [_validation_error(error) for error in exc.errors()]}, status_code=422)

    @app.exception_handler(DomainError)
    async def _domain_error(_request: Request, exc: DomainError) -> JSONResponse:
        return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers)

    async def _database_outage(request: Request, exc: Exception) -> JSONResponse:
        unavailable = database_unavailable(exc)
        log.warning("%s %s: %s (%s)", request.method, request.url.path, unavailable.detail, type(exc).__name__)
        return await _domain_error(request, unavailable)

    for outage in DATABASE_OUTAGES:
        app.add_exception_handler(outage, _database_outage)
