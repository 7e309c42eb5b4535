"""Celery tasks of the ops domain: the scheduled refresh, the daily digest and the rollups' compaction."""

from __future__ import annotations

import logging
from typing import Any

from celery import shared_task
from celery.signals import worker_init

from app.core.config import get_settings
from app.core.db import rollups_kept, session_scope
from app.ops.notifications import send_digest
from app.ops.refresh import refresh_stale_records
from app.ops.stats import compact_rollups

log = logging.getLogger(__name__)


@shared_task(name="ops.refresh_stale")  # type: ignore[untyped-decorator]
def refresh_stale() -> dict[str, Any]:
    """Create refresh jobs for the stalest records; the jobs are sent when this commits."""
    with session_scope() as session:
        result = refresh_stale_records(session, get_settings())
    return result.summary()


@shared_task(name="ops.send_digest")  # type: ignore[untyped-decorator]
def send_digest_task() -> bool:
    """E-mail admins the last day's summary."""
    with session_scope() as session:
        return send_digest(session, get_settings())


@shared_task(name="ops.compact_rollups")  # type: ignore[untyped-decorator]
def compact_rollups_task() -> int:
    """Fold the stats rollups' delta rows into one row per key (PostgreSQL; nothing to do elsewhere)."""
    with session_scope() as session:
        return compact_rollups(session) if rollups_kept(session) else 0


@worker_init.connect  # type: ignore[untyped-decorator]
def _serve_worker_metrics(**_kwargs: Any) -> None:
    port = get_settings().worker_metrics_port
    if port:
        from app.ops.metrics import start_worker_metrics_server

        start_worker_metrics_server(port)
        log.info("worker metrics served on port %d", port)
