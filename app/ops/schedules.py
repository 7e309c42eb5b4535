"""Celery beat's schedule: scheduled refreshes, the job sweeper and the notification digest."""

from __future__ import annotations

from typing import Any

from celery.schedules import crontab

from app.core.config import Settings


def beat_schedule(settings: Settings) -> dict[str, dict[str, Any]]:
    return {
        "sweep-jobs": {"task": "jobs.sweep", "schedule": 60.0},
        "refresh-stale-records": {"task": "ops.refresh_stale", "schedule": crontab(minute=15)},
        "notification-digest": {"task": "ops.send_digest", "schedule": crontab(minute=0, hour=13)},
    }
