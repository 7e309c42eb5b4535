"""What the collector hands its researcher: the job's opt-outs, read once, and the month's LLM spend."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import event
from sqlalchemy.orm import Session

from app.auth.models import User
from app.collectors import collector_for
from app.core.config import get_settings
from app.jobs.models import CollectionJob, JobType
from app.jobs.service import create_job
from app.sources.models import CollectionOptOut
from tests.collectors.conftest import builder_named


def _update_job(session: Session, admin: User, builder_id: int, researcher: str) -> CollectionJob:
    return create_job(
        session,
        admin,
        entity_type="builder",
        entity_id=builder_id,
        job_type=JobType.update,
        researcher=researcher,
        settings=get_settings(),
    )


def test_the_collector_holds_the_opt_outs_read_when_the_job_started(session: Session, seeded: str, admin: User) -> None:
    perry = builder_named(session, "Perry Homes")
    session.add_all(
        [
            CollectionOptOut(domain="directory.example", reason="asked by e-mail"),
            CollectionOptOut(entity_type="community", entity_id=42, reason="asked by e-mail"),
        ]
    )
    job = _update_job(session, admin, perry.id, "web")
    session.flush()

    opt_outs = collector_for(session, job, get_settings()).opt_outs

    assert opt_outs.covers_url("https://listings.directory.example/perry")
    assert opt_outs.covers_url("directory.example")  # a bare domain, as a website field may hold it
    assert not opt_outs.covers_url("https://notdirectory.example/")
    assert opt_outs.covers_record("community", 42)
    assert not opt_outs.covers_record("builder", perry.id)
    # An opt-out made while the job runs applies from the next job on: the policy was read once.
    session.add(CollectionOptOut(entity_type="builder", entity_id=perry.id, reason="asked by e-mail"))
    session.flush()
    assert not opt_outs.covers_record("builder", perry.id)


def test_opt_outs_are_read_in_one_query_per_job(session: Session, seeded: str, admin: User) -> None:
    perry = builder_named(session, "Perry Homes")
    job = _update_job(session, admin, perry.id, "web")
    session.flush()
    statements: list[str] = []

    def seen(conn: object, cursor: object, statement: str, *args: object) -> None:
        statements.append(statement)

    engine = session.get_bind()
    event.listen(engine, "before_cursor_execute", seen)
    try:
        collector_for(session, job, get_settings()).run()
    finally:
        event.remove(engine, "before_cursor_execute", seen)

    assert len([s for s in statements if "FROM collection_opt_outs" in s]) == 1


def test_a_job_that_may_ask_the_model_gets_the_months_spend(session: Session, seeded: str, admin: User) -> None:
    perry = builder_named(session, "Perry Homes")
    session.add(CollectionJob(entity_type="builder", job_type="update", status="completed", cost_usd=Decimal("0.75")))
    auto_job = _update_job(session, admin, perry.id, "auto")
    web_job = _update_job(session, admin, perry.id, "web")
    session.flush()

    assert collector_for(session, auto_job, get_settings()).build_request().spent_this_month == Decimal("0.75")
    # A web-only job never calls the model: it needs no budget figure.
    assert collector_for(session, web_job, get_settings()).build_request().spent_this_month == Decimal(0)
