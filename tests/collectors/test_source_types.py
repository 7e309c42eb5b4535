"""A value read from another site than the record's own is directory evidence: its own source type, lower confidence."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.auth.models import User
from app.changes.models import CollectionChange
from app.core.config import get_settings
from app.jobs.models import JobStatus, JobType
from app.jobs.service import create_job
from app.pipeline.tasks import run_collection_job
from app.sources.models import CollectionSource
from tests.collectors.conftest import builder_named


def _phone_change(session: Session, admin: User, builder_id: int, target_url: str | None) -> CollectionChange:
    job = create_job(
        session,
        admin,
        entity_type="builder",
        entity_id=builder_id,
        job_type=JobType.update,
        researcher="web",
        target_url=target_url,
        settings=get_settings(),
    )
    run_collection_job.apply(args=[job.job_id])
    session.expire_all()
    assert job.status == JobStatus.completed, job.error_message
    change = session.scalar(
        select(CollectionChange).where(CollectionChange.job_id == job.job_id, CollectionChange.field_name == "phone")
    )
    assert change is not None
    return change


def test_json_ld_from_another_domain_than_the_builders_site_is_a_directory_below_auto_apply(
    session: Session, seeded: str, admin: User
) -> None:
    perry = builder_named(session, "Perry Homes")
    # The builder's own site is on 127.0.0.1 (a page without structured data); the same page served
    # under another host name stands for a directory that copied it.
    perry.website = f"{seeded}/highland-homes/"
    elsewhere = seeded.replace("127.0.0.1", "localhost") + "/perry-homes/"
    session.flush()

    change = _phone_change(session, admin, perry.id, elsewhere)

    threshold = get_settings().auto_apply_threshold
    assert change.source_url is not None and change.source_url.startswith("http://localhost:")
    assert change.confidence < threshold, change.confidence_components
    source = session.get(CollectionSource, change.source_id)
    assert source is not None and (source.domain, source.source_type) == ("localhost", "directory")

    # The same page on the builder's own website stays official and trusted.
    perry.website = f"{seeded}/perry-homes/"
    session.flush()
    own = _phone_change(session, admin, perry.id, None)
    assert own.confidence >= threshold
    own_source = session.get(CollectionSource, own.source_id)
    assert own_source is not None and own_source.source_type == "official_website"
