"""Ten parallel apply requests for the same changes, against committed PostgreSQL: each applies once."""

from __future__ import annotations

import threading
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from app.builders.models import BuilderProfile
from app.changes.models import ChangeStatus, CollectionChange
from app.changes.proposals import propose_new_entity, propose_updates
from app.core.audit import AuditEvent
from app.core.config import get_settings
from app.core.db import session_scope
from app.properties.models import Property
from tests.changes.conftest import OFFICIAL, finding, make_job
from tests.factories import auth_headers, make_admin, make_builder

WORKERS = 10


def test_ten_concurrent_applies_apply_each_change_exactly_once(committed_db: None) -> None:
    from app.main import app

    with session_scope() as session:
        admin = make_admin(session)
        builder = make_builder(session, phone="(713) 555-0100", founded_year=None)
        job = make_job(session)
        changes = propose_updates(
            session,
            job,
            "builder",
            builder.id,
            finding("builder", phone="(713) 555-0199", founded_year="1968"),
            {OFFICIAL: "(713) 555-0199 since 1968"},
            settings=get_settings(),
        ).changes
        changes += propose_new_entity(
            session,
            job,
            finding("property", title="Lot 7", address1="7 Elm Street"),
            {},
            parent_entity_type="builder",
            parent_entity_id=builder.id,
            settings=get_settings(),
        ).changes
        ids = [c.id for c in changes]
        headers = auth_headers(admin)
        url = f"/api/v1/admin/builders/{builder.id}/apply-changes"
        builder_id = builder.id

    barrier = threading.Barrier(WORKERS)
    results: list[dict[str, Any]] = []
    errors: list[BaseException] = []

    # One client, so one event loop serves the ten requests, as one API process does: its admission turns
    # (fewer than ten) are handed from request to request on that loop.
    with TestClient(app) as client:

        def apply() -> None:
            try:
                barrier.wait()
                response = client.post(url, json={"change_ids": ids}, headers=headers)
                assert response.status_code == 200, response.text
                results.append(response.json())
            except BaseException as exc:  # reported below, so a failing thread fails the test
                errors.append(exc)

        threads = [threading.Thread(target=apply) for _ in range(WORKERS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    assert errors == []
    assert len(results) == WORKERS
    assert sum(r["applied_changes"] for r in results) == 2
    assert sum(r["created_entities"] for r in results) == 1
    assert sum(r["skipped"] for r in results) == WORKERS * 3 - 3
    assert all(r["failed"] == 0 for r in results)

    with session_scope() as session:
        statuses = session.scalars(select(CollectionChange.status).where(CollectionChange.id.in_(ids))).all()
        assert set(statuses) == {ChangeStatus.applied}
        assert (
            session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "change.apply")) == 3
        )
        assert session.scalar(select(func.count()).select_from(Property).where(Property.title == "Lot 7")) == 1
        builder = session.get(BuilderProfile, builder_id)
        assert builder is not None and builder.phone == "+17135550199"
