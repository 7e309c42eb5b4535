"""Collection jobs and changes with chosen times, costs and outcomes, for limit and metric tests."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from app.changes.models import CollectionChange
from app.core.db import utcnow
from app.jobs.models import CollectionJob


def make_job(session: Session, *, created_ago: timedelta = timedelta(0), **overrides: Any) -> CollectionJob:
    """A finished-or-not job created ``created_ago`` before now."""
    values: dict[str, Any] = {
        "entity_type": "builder",
        "entity_id": None,
        "job_type": "update",
        "status": "completed",
        "initiated_by": "system",
        "created_at": utcnow() - created_ago,
        "cost_usd": Decimal("0"),
    }
    values.update(overrides)
    job = CollectionJob(**values)
    session.add(job)
    session.flush()
    return job


def make_jobs(session: Session, count: int, **overrides: Any) -> list[CollectionJob]:
    """Many jobs in one flush."""
    created_at = overrides.pop("created_at", None) or utcnow() - overrides.pop("created_ago", timedelta(0))
    jobs = [
        CollectionJob(
            entity_type=overrides.get("entity_type", "builder"),
            job_type=overrides.get("job_type", "update"),
            status=overrides.get("status", "completed"),
            initiated_by=overrides.get("initiated_by", "system"),
            scheduled=overrides.get("scheduled", False),
            created_at=created_at,
        )
        for _ in range(count)
    ]
    session.add_all(jobs)
    session.flush()
    return jobs


def make_change(
    session: Session, job: CollectionJob, *, at: datetime | None = None, **overrides: Any
) -> CollectionChange:
    """A field change of ``job``."""
    values: dict[str, Any] = {
        "job_id": job.job_id,
        "entity_type": job.entity_type,
        "entity_id": job.entity_id,
        "field_name": "phone",
        "change_type": "modified",
        "status": "pending",
        "confidence": 0.9,
        "created_at": at or utcnow(),
    }
    values.update(overrides)
    change = CollectionChange(**values)
    session.add(change)
    session.flush()
    return change
