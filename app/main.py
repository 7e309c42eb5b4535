"""The HTTP API: `uvicorn app.main:app`."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import partial

import anyio.to_thread
from fastapi import APIRouter, Depends, FastAPI
from fastapi_offline import FastAPIOffline

from app import models, worker  # noqa: F401  (every table mapped; jobs are sent through the worker's Celery app)
from app.auth.deps import get_current_admin, token_problem
from app.builders.routes import router as builders_router
from app.changes.inbox_routes import router as inbox_router
from app.changes.match_routes import router as matching_router
from app.changes.routes import router as changes_router
from app.communities.routes import router as communities_router
from app.core.admission import RequestAdmission
from app.core.body import RequestGuard
from app.core.config import get_settings
from app.core.errors import install_error_handlers
from app.core.logging import configure_logging
from app.dashboard.routes import install_dashboard
from app.jobs.events import is_stream_path
from app.ops.health import router as health_router
from app.ops.metrics import router as metrics_router
from app.ops.routes import router as ops_router
from app.pipeline.event_routes import router as events_router
from app.pipeline.routes import router as jobs_router
from app.properties.routes import router as properties_router
from app.sources.routes import router as sources_router

ADMIN_PREFIX = "/api/v1/admin"

DESCRIPTION = """
Keeps Artitec's builder, community and home records complete and current.

Collect facts from the public web as **jobs**; review the field-level **changes** they propose,
each with its evidence and confidence; **apply** the approved ones (and roll them back);
review **matches** between discovered and existing records.

Follow a job live with **Server-Sent Events** (`…/collection-jobs/{job_id}/events`), or every job and
review decision (`/api/v1/admin/events`).

Every `/api/v1/admin` route needs `Authorization: Bearer <token>` of an admin
(`artitec-collector issue-token EMAIL`). The ops dashboard is at `/dashboard`.
"""


@asynccontextmanager
async def _lifespan(_app: FastAPI) -> AsyncIterator[None]:
    # Synchronous routes, dependencies and response checks run on this threadpool; sized by settings
    # against the admitted requests and the connection pool (see Settings._capacity_fits).
    anyio.to_thread.current_default_thread_limiter().total_tokens = get_settings().api_threads
    yield


def create_app() -> FastAPI:
    settings = get_settings()
    configure_logging(settings.log_level, settings.log_json)
    # Swagger UI and ReDoc from files in the package, not a CDN: /docs works on an internal network.
    app = FastAPIOffline(title="Artitec Data Collector", version="0.1.0", description=DESCRIPTION, lifespan=_lifespan)
    install_error_handlers(app)
    # The last added runs first: a body over the limit or a missing token is refused before the request
    # waits for its turn, so a stranger's upload never holds a place in the admission queue.
    app.add_middleware(RequestAdmission, is_stream=is_stream_path)
    app.add_middleware(
        RequestGuard,
        max_body_bytes=settings.max_request_body_bytes,
        protected_prefix=ADMIN_PREFIX,
        authorize=partial(token_problem, settings=settings),
    )

    # Admin-only at the router, so no route under the prefix can forget it.
    admin = APIRouter(prefix=ADMIN_PREFIX, dependencies=[Depends(get_current_admin)])
    for router in (
        builders_router,
        communities_router,
        properties_router,
        jobs_router,
        events_router,
        changes_router,
        inbox_router,
        matching_router,
        sources_router,
        ops_router,
    ):
        admin.include_router(router)
    app.include_router(admin)
    app.include_router(health_router)
    app.include_router(metrics_router)
    install_dashboard(app)
    return app


app = create_app()
