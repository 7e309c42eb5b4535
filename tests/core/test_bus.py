"""Live-update notes follow the transaction they were made in: published on the real commit, never for
work a savepoint rolled back (an inbox dry run, a retried insert), and not early when a savepoint is released."""

from typing import Any

import pytest
from sqlalchemy.orm import Session

from app.core import bus


@pytest.fixture
def published(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    seen: list[str] = []
    monkeypatch.setattr(bus.publisher, "publish", lambda topic, note: seen.append(topic))
    return seen


def _note(session: Session, topic: str) -> None:
    bus.publish_after_commit(session, topic, lambda: dict[str, Any]())


def test_a_rolled_back_savepoint_drops_only_its_own_notes(session: Session, published: list[str]) -> None:
    _note(session, "before")
    savepoint = session.begin_nested()
    _note(session, "dry-run")
    savepoint.rollback()
    with session.begin_nested():
        _note(session, "released")
    assert published == []  # releasing a savepoint is not a commit: readers could not see the rows yet
    _note(session, "after")
    session.commit()
    assert published == ["before", "released", "after"]


def test_rolling_back_the_transaction_drops_every_note_made_in_it(session: Session, published: list[str]) -> None:
    _note(session, "outer")
    with session.begin_nested():
        _note(session, "inner")
    session.rollback()
    session.commit()
    assert published == []
