"""Domain errors carry their HTTP status and a message an admin can act on; one handler maps them."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse


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


def _error_doc(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"example": {"detail": description}}},
    }


# For routes' ``responses=``, so Swagger lists what can go wrong.
Responses = dict[int | str, dict[str, Any]]
RESPONSES_404: Responses = {404: _error_doc("The record was not found")}
RESPONSES_409: Responses = {409: _error_doc("The request conflicts with the record's current state")}
RESPONSES_429: Responses = {429: _error_doc("A collection limit was reached; see Retry-After")}


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(DomainError)
    async def _domain_error(_request: Request, exc: DomainError) -> JSONResponse:
        return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers)
