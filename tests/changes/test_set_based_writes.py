"""Applying and rolling back many changes costs a bounded number of statements, whatever their number."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event, func, insert, select
from sqlalchemy.orm import Session

from app.auth.models import User
from app.builders.models import BuilderPortfolio
from app.changes.apply import apply_changes
from app.changes.models import ChangeStatus, CollectionChange
from app.changes.rollback import rollback_job
from app.core.audit import AuditEvent
from app.core.db import get_engine
from app.jobs.models import CollectionJob
from app.properties.models import Property
from app.research.normalize import dumps
from tests.changes.conftest import make_job
from tests.factories import make_admin, make_builder


@contextmanager
def counted_statements() -> Iterator[list[str]]:
    """Every statement sent to the database meanwhile (an executemany of many parameter sets counts each).

    A multi-row INSERT (SQLAlchemy's insertmanyvalues) is one statement with one set of parameters."""
    sent: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any, executemany: bool) -> None:
        many = executemany and isinstance(parameters, (list, tuple))
        sent.extend([statement] * (len(parameters) if many else 1))

    engine = get_engine()
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield sent
    finally:
        event.remove(engine, "before_cursor_execute", count)


def _homes(session: Session, count: int) -> list[int]:
    rows = [{"title": f"Lot {i}", "price": 400_000.0 + i, "property_status": "available"} for i in range(count)]
    return list(session.scalars(insert(Property).returning(Property.id, sort_by_parameter_order=True), rows))


def _price_changes(session: Session, job: CollectionJob, home_ids: list[int]) -> list[int]:
    """A pending price cut for every home."""
    rows = [
        {
            "job_id": job.job_id,
            "entity_type": "property",
            "entity_id": home_id,
            "parent_entity_type": "property",
            "parent_entity_id": home_id,
            "field_name": "price",
            "old_value": dumps(400_000.0 + n),
            "new_value": dumps(390_000.0 + n),
            "change_type": "modified",
            "status": ChangeStatus.pending,
            "confidence": 0.95,
        }
        for n, home_id in enumerate(home_ids)
    ]
    return list(session.scalars(insert(CollectionChange).returning(CollectionChange.id), rows))


def _applied_job(session: Session, admin: User, homes: int) -> tuple[CollectionJob, list[int]]:
    job = make_job(session, entity_type="property", job_type="property_discovery")
    home_ids = _homes(session, homes)
    result = apply_changes(session, _price_changes(session, job, home_ids), actor=admin.user_id)
    assert result.applied_changes == homes
    return job, home_ids


def _prices(session: Session, home_ids: list[int]) -> dict[int, float | None]:
    return {
        row.id: row.price
        for row in session.execute(select(Property.id, Property.price).where(Property.id.in_(home_ids)))
    }


def _statements_of(action: Callable[[], Any]) -> int:
    with counted_statements() as sent:
        action()
    return len(sent)


def test_rolling_back_a_thousand_changes_takes_as_many_statements_as_ten(session: Session) -> None:
    admin = make_admin(session)
    small_job, small_homes = _applied_job(session, admin, 10)
    large_job, large_homes = _applied_job(session, admin, 1_000)

    small = _statements_of(lambda: rollback_job(session, small_job.job_id, actor=admin.user_id))
    large = _statements_of(lambda: rollback_job(session, large_job.job_id, actor=admin.user_id))

    assert large == small <= 15
    prices = _prices(session, large_homes)
    assert [prices[home_id] for home_id in large_homes] == [400_000.0 + n for n in range(1_000)]
    statuses = session.scalars(select(CollectionChange.status).where(CollectionChange.job_id == large_job.job_id))
    assert set(statuses) == {ChangeStatus.rolled_back}
    audits = session.scalar(
        select(func.count()).where(AuditEvent.action == "change.rollback", AuditEvent.job_id == large_job.job_id)
    )
    assert audits == 1_000


def test_a_job_rollback_with_one_moved_value_changes_nothing(session: Session) -> None:
    admin = make_admin(session)
    job, home_ids = _applied_job(session, admin, 50)
    moved = session.get(Property, home_ids[17])
    assert moved is not None
    moved.price = 123_456.0
    session.flush()

    try:
        rollback_job(session, job.job_id, actor=admin.user_id)
    except Exception as exc:  # the Conflict names the change whose value moved on
        assert "123456" in str(exc) and "changed since" in str(exc)
    else:
        raise AssertionError("the rollback should have been refused")
    prices = _prices(session, home_ids)
    assert prices[home_ids[0]] == 390_000.0 and prices[home_ids[17]] == 123_456.0
    statuses = set(session.scalars(select(CollectionChange.status).where(CollectionChange.job_id == job.job_id)))
    assert statuses == {ChangeStatus.applied}


def test_two_changes_of_one_field_in_a_job_roll_back_to_the_first_value(session: Session) -> None:
    admin = make_admin(session)
    builder = make_builder(session, phone="(713) 555-0100")
    job = make_job(session)
    for old, new in (("(713) 555-0100", "(713) 555-0101"), ("(713) 555-0101", "(713) 555-0102")):
        change = CollectionChange(
            job_id=job.job_id,
            entity_type="builder",
            entity_id=builder.id,
            field_name="phone",
            old_value=dumps(old),
            new_value=dumps(new),
            change_type="modified",
            status=ChangeStatus.pending,
            confidence=0.9,
        )
        session.add(change)
        session.flush()
        assert apply_changes(session, [change.id], actor=admin.user_id).applied_changes == 1

    rolled_back = rollback_job(session, job.job_id, actor=admin.user_id)

    session.refresh(builder)
    assert builder.phone == "(713) 555-0100"
    assert {c.status for c in rolled_back} == {ChangeStatus.rolled_back}


def _new_home_changes(session: Session, job: CollectionJob, builder_id: int, count: int) -> list[int]:
    rows = [
        {
            "job_id": job.job_id,
            "entity_type": "property",
            "parent_entity_type": "builder",
            "parent_entity_id": builder_id,
            "is_new_entity": True,
            "proposed_entity_data": {
                "title": f"Lot {n}",
                "address1": f"{100 + n} Oak Street",
                "price": 350_000 + n,
                "builder_id": builder_id,
            },
            "change_type": "added",
            "status": ChangeStatus.pending,
            "confidence": 0.9,
        }
        for n in range(count)
    ]
    return list(session.scalars(insert(CollectionChange).returning(CollectionChange.id), rows))


def test_applying_a_hundred_new_homes_takes_as_many_statements_as_ten(session: Session) -> None:
    admin = make_admin(session)
    builder = make_builder(session)
    job = make_job(session, entity_type="property", job_type="property_discovery")
    few = _new_home_changes(session, job, builder.id, 10)
    many = _new_home_changes(session, job, builder.id, 100)

    small = _statements_of(lambda: apply_changes(session, few, actor=admin.user_id))
    with counted_statements() as sent:
        result = apply_changes(session, many, actor=admin.user_id)

    assert len(sent) == small <= 20
    assert result.created_entities == 100
    created = {
        c.id: c.created_entity_id
        for c in session.scalars(select(CollectionChange).where(CollectionChange.id.in_(many)))
    }
    homes = {h.id: h for h in session.scalars(select(Property).where(Property.id.in_(created.values())))}
    assert len(homes) == 100 and all(home.builder_id == builder.id for home in homes.values())
    assert sorted(h.title for h in homes.values()) == sorted(f"Lot {n}" for n in range(100))
    statuses = set(session.scalars(select(CollectionChange.status).where(CollectionChange.id.in_(many))))
    assert statuses == {ChangeStatus.applied}
    portfolio = session.scalar(
        select(func.count()).select_from(BuilderPortfolio).where(BuilderPortfolio.builder_id == builder.id)
    )
    assert portfolio == 110
