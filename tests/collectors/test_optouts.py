"""Collection honours record opt-outs made after a job was queued, and discovery never changes an opted-out record."""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from app.auth.models import User
from app.changes.models import CollectionChange
from app.core.config import get_settings
from app.jobs import repository
from app.jobs.models import CollectionJob, JobStatus, JobType
from app.jobs.service import create_job
from app.pipeline.tasks import run_collection_job
from app.sources.models import CollectionOptOut
from tests.collectors.conftest import builder_named, community_named


def _opt_out(session: Session, entity_type: str, entity_id: int) -> None:
    session.add(CollectionOptOut(entity_type=entity_type, entity_id=entity_id, reason="asked by e-mail"))
    session.flush()


def _run(session: Session, job: CollectionJob) -> CollectionJob:
    run_collection_job.apply(args=[job.job_id])
    session.expire_all()
    reloaded = repository.get_job(session, job.job_id)
    assert reloaded is not None
    return reloaded


def _changes_of(session: Session, job: CollectionJob, entity_type: str, entity_id: int) -> list[CollectionChange]:
    on_record = and_(CollectionChange.entity_type == entity_type, CollectionChange.entity_id == entity_id)
    change = CollectionChange
    on_children = and_(change.parent_entity_type == entity_type, change.parent_entity_id == entity_id)
    query = select(CollectionChange).where(CollectionChange.job_id == job.job_id, or_(on_record, on_children))
    return list(session.scalars(query).all())


def test_an_update_queued_before_the_opt_out_reads_nothing_and_proposes_nothing(
    session: Session, seeded: str, admin: User
) -> None:
    perry = builder_named(session, "Perry Homes")
    job = create_job(
        session,
        admin,
        entity_type="builder",
        entity_id=perry.id,
        job_type=JobType.update,
        researcher="web",
        settings=get_settings(),
    )
    _opt_out(session, "builder", perry.id)

    job = _run(session, job)

    assert job.pages_fetched == 0 and job.changes_detected == 0
    assert _changes_of(session, job, "builder", perry.id) == []
    assert any(f"builder {perry.id} opted out" in w for w in job.warnings or [])


def test_discovery_gives_no_changes_to_a_known_record_that_opted_out(
    session: Session, seeded: str, admin: User
) -> None:
    cinco = community_named(session, "Cinco Ranch")
    _opt_out(session, "community", cinco.id)
    job: Any = create_job(
        session,
        admin,
        entity_type="community",
        job_type=JobType.discovery,
        target_url=f"{seeded}/communities/houston/",
        search_filters={"location": "Houston, TX", "max_communities": 20},
        researcher="web",
        settings=get_settings(),
    )

    job = _run(session, job)

    assert job.status == JobStatus.completed, job.error_message
    assert f"community {cinco.id} opted out of collection: its data not used" in (job.warnings or [])
    # Without the opt-out this job proposes changes to Cinco Ranch; the opt-out is per record.
    assert _changes_of(session, job, "community", cinco.id) == []
    assert _changes_of(session, job, "community", community_named(session, "Bridgeland").id)
