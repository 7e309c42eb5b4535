"""Collectors: findings -> matches -> changes, for builders, communities and homes."""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.collectors.base import BaseCollector, CollectionOutcome
from app.collectors.builder import BuilderCollector
from app.collectors.community import CommunityCollector
from app.collectors.property import PropertyCollector
from app.core.config import Settings
from app.jobs.models import CollectionJob

COLLECTORS: dict[str, type[BaseCollector]] = {
    "builder": BuilderCollector,
    "community": CommunityCollector,
    "property": PropertyCollector,
}


def collector_for(session: Session, job: CollectionJob, settings: Settings) -> BaseCollector:
    """The collector of the job's entity type."""
    return COLLECTORS[job.entity_type](session, job, settings)


__all__ = ["BaseCollector", "CollectionOutcome", "collector_for"]
