"""The HTTP API: `uvicorn app.main:app`."""

from __future__ import annotations

from fastapi import APIRouter, Depends, FastAPI

from app import models, worker  # noqa: F401  (every table mapped; jobs are sent through the worker's Celery app)
from app.auth.deps import get_current_admin
from app.builders.routes import router as builders_router
from app.changes.match_routes import router as matching_router
from app.changes.routes import router as changes_router
from app.communities.routes import router as communities_router
from app.core.config import get_settings
from app.core.errors import install_error_handlers
from app.core.logging import configure_logging
from app.core.storable import install_storable_text_check
from app.ops.health import router as health_router
from app.ops.metrics import router as metrics_router
from app.ops.routes import router as ops_router
from app.pipeline.routes import router as jobs_router
from app.properties.routes import router as properties_router
from app.sources.routes import router as sources_router

ADMIN_PREFIX = "/api/v1/admin"

DESCRIPTION = """
Keeps Artitec's builder, community and home records complete and current.

Collect facts from the public web as **jobs**; review the field-level **changes** they propose,
each with its evidence and confidence; **apply** the approved ones (and roll them back);
review **matches** between discovered and existing records.

Every `/api/v1/admin` route needs `Authorization: Bearer <token>` of an admin
(`artitec-collector issue-token EMAIL`).
"""


def create_app() -> FastAPI:
    settings = get_settings()
    configure_logging(settings.log_level, settings.log_json)
    app = FastAPI(title="Artitec Data Collector", version="0.1.0", description=DESCRIPTION)
    install_error_handlers(app)
    install_storable_text_check(app)

    # Admin-only at the router, so no route under the prefix can forget it.
    admin = APIRouter(prefix=ADMIN_PREFIX, dependencies=[Depends(get_current_admin)])
    for router in (
        builders_router,
        communities_router,
        properties_router,
        jobs_router,
        changes_router,
        matching_router,
        sources_router,
        ops_router,
    ):
        admin.include_router(router)
    app.include_router(admin)
    app.include_router(health_router)
    app.include_router(metrics_router)
    return app


app = create_app()
