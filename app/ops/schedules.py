"""Celery beat's schedule: scheduled refreshes, the job sweeper, the rollups' compaction and the digest."""

from __future__ import annotations

from typing import Any

from celery.schedules import crontab

from app.core.config import Settings


def beat_schedule(settings: Settings) -> dict[str, dict[str, Any]]:
    """Every periodic task; cadences come from settings."""
    return {
        # The pipeline's sweeper: re-sends pending jobs the broker lost, fails jobs stuck running.
        "sweep-jobs": {"task": "jobs.sweep", "schedule": settings.sweep_interval_seconds},
        # Hourly, a small batch: stalest records first, within the daily and monthly budgets.
        "refresh-stale-records": {"task": "ops.refresh_stale", "schedule": crontab(minute=settings.refresh_minute)},
        # The stats rollups gain a delta row per write; folding them keeps each read to about one row per day.
        "compact-rollups": {"task": "ops.compact_rollups", "schedule": crontab(minute="*/10")},
        "notification-digest": {
            "task": "ops.send_digest",
            "schedule": crontab(minute=0, hour=settings.digest_hour_utc),
        },
    }
