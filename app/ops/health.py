"""Liveness and readiness probes."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from sqlalchemy import text

from app.core.body import StrictJSONRoute
from app.core.db import get_engine
from app.core.queue import current_celery_app

router = APIRouter(tags=["health"], route_class=StrictJSONRoute)


@router.get("/healthz", summary="The process is up")
async def healthz() -> dict[str, str]:
    """Answered on the event loop, touching no database: up even while every worker thread is busy."""
    return {"status": "ok"}


def _check_database() -> str | None:
    try:
        with get_engine().connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as exc:
        return f"database unreachable: {type(exc).__name__}"
    return None


def _check_broker() -> str | None:
    celery_app = current_celery_app()
    if celery_app.conf.task_always_eager:
        return None
    try:
        with celery_app.connection_for_write() as connection:
            connection.ensure_connection(max_retries=1, timeout=2)
    except Exception as exc:
        return f"broker unreachable: {type(exc).__name__}"
    return None


@router.get(
    "/readyz",
    summary="Database and broker are reachable",
    responses={503: {"description": "A dependency is down", "content": {"application/json": {}}}},
)
def readyz() -> JSONResponse:
    checks: dict[str, Any] = {"database": _check_database() or "ok", "broker": _check_broker() or "ok"}
    ready = all(value == "ok" for value in checks.values())
    return JSONResponse(
        {"status": "ready" if ready else "not ready", "checks": checks}, status_code=200 if ready else 503
    )
