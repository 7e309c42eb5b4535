"""Two jobs proposing the same field of one record at once, against committed PostgreSQL: the later supersedes."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from app.changes.bulk import propose_updates_bulk
from app.changes.models import ChangeStatus, CollectionChange
from app.changes.proposals import propose_updates
from app.core.config import get_settings
from app.core.db import SessionFactory, session_scope
from app.jobs.models import CollectionJob
from app.research.findings import Finding
from tests.changes.conftest import OFFICIAL, finding, make_job
from tests.factories import make_builder

Propose = Callable[[Session, CollectionJob, int, Finding], None]


def _row_at_a_time(session: Session, job: CollectionJob, builder_id: int, found: Finding) -> None:
    propose_updates(
        session, job, "builder", builder_id, found, {OFFICIAL: str(found.value("phone"))}, settings=get_settings()
    )


def _set_based(session: Session, job: CollectionJob, builder_id: int, found: Finding) -> None:
    propose_updates_bulk(
        session, job, "builder", {builder_id: found}, {OFFICIAL: str(found.value("phone"))}, settings=get_settings()
    )


def _someone_waits_for_a_lock(session: Session) -> bool:
    """Another connection to this test database waits for a lock (advisory, or a row's transaction)."""
    waiting = session.scalar(
        text(
            "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
            "WHERE NOT l.granted AND l.pid <> pg_backend_pid() AND a.datname = current_database()"
        )
    )
    return bool(waiting)


@pytest.mark.parametrize("propose", [_row_at_a_time, _set_based], ids=["row_at_a_time", "set_based"])
def test_concurrent_proposals_of_one_field_supersede_instead_of_failing(committed_db: None, propose: Propose) -> None:
    with session_scope() as session:
        builder_id = make_builder(session, phone="(713) 555-0100").id
        job_ids = [make_job(session, status="running").job_id for _ in range(2)]

    first_proposed = threading.Event()
    errors: list[BaseException] = []

    def run(index: int, phone: str) -> None:
        try:
            if index == 1:
                first_proposed.wait(timeout=30)
            with SessionFactory() as session:
                job = session.scalar(select(CollectionJob).where(CollectionJob.job_id == job_ids[index]))
                assert job is not None
                propose(session, job, builder_id, finding("builder", phone=phone))
                session.flush()
                if index == 0:
                    # Keep this transaction open until the second job is inside its own proposal and waiting:
                    # its check for an older pending change cannot see this uncommitted one.
                    first_proposed.set()
                    with SessionFactory() as watcher:
                        for _ in range(3000):
                            if _someone_waits_for_a_lock(watcher):
                                break
                            time.sleep(0.01)
                session.commit()
        except BaseException as exc:  # reported below, so a failing thread fails the test
            errors.append(exc)

    threads = [
        threading.Thread(target=run, args=(0, "(713) 555-0199")),
        threading.Thread(target=run, args=(1, "(713) 555-0188")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []

    with session_scope() as session:
        changes = session.scalars(
            select(CollectionChange).where(CollectionChange.field_name == "phone").order_by(CollectionChange.id)
        ).all()
        by_job: dict[str, Any] = {c.job_id: c for c in changes}
        assert len(changes) == 2
        first, second = by_job[job_ids[0]], by_job[job_ids[1]]
        assert second.status == ChangeStatus.pending and second.new_value == '"+17135550188"'
        assert first.status == ChangeStatus.superseded and first.superseded_by == second.id
