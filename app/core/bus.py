"""Live updates: notes published on Redis pub/sub once the transaction that wrote them commits.

The database stays the source of truth (the job timeline, the audit trail); a note only tells every API
process that there is something new to read, so a stream on any process follows a job run by any worker.
Publishing never fails a job or a request: with Redis down or not configured, it is logged and skipped,
and streams find the news by reading the database.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, urlsplit

import redis
from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction

from app.core.config import get_settings

log = logging.getLogger(__name__)

_KEY = "after_commit_notes"
# Every review decision and job status change of the deployment, for the activity stream.
ACTIVITY = "activity"


def bus_url() -> str | None:
    """The Redis URL live updates travel on: the broker's when it is Redis, else None (streams poll)."""
    url = get_settings().broker_url
    return url if url.startswith(("redis://", "rediss://", "unix://")) else None


def channel(url: str, topic: str) -> str:
    """Pub/sub channels are shared by every Redis database: the database number keeps deployments apart."""
    parts = urlsplit(url)
    db = parse_qs(parts.query).get("db", [parts.path.strip("/") if parts.scheme != "unix" else ""])[0] or "0"
    return f"artitec:{db}:{topic}"


def job_topic(job_id: str) -> str:
    return f"job:{job_id}"


class _Publisher:
    """One small Redis client per process, with short timeouts: a slow Redis must not slow a commit."""

    def __init__(self) -> None:
        self._client: redis.Redis | None = None
        self._url: str | None = None
        self._lock = threading.Lock()

    def publish(self, topic: str, note: dict[str, Any]) -> None:
        url = bus_url()
        if url is None:
            return
        try:
            self._client_for(url).publish(channel(url, topic), json.dumps(note, default=str))
        except (redis.RedisError, OSError) as exc:
            log.warning("live update on %s not published (%s); streams will read it from the database", topic, exc)

    def _client_for(self, url: str) -> redis.Redis:
        with self._lock:
            if self._client is None or self._url != url:
                self._client = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
                self._url = url
            return self._client


publisher = _Publisher()


def publish_after_commit(session: Session, topic: str, note: Callable[[], dict[str, Any]]) -> None:
    """Publish ``note()`` on ``topic`` once ``session`` commits; dropped if it rolls back.

    ``note`` is called after the commit, when the rows it describes have their ids. The note remembers
    the transaction it was made in, innermost savepoint included, so rolling back a savepoint (a dry run,
    a retried insert) drops only what was noted inside it."""
    made_in = session.get_nested_transaction() or session.get_transaction()
    session.info.setdefault(_KEY, []).append((made_in, topic, note))


@event.listens_for(Session, "after_commit")
def _publish_noted(session: Session) -> None:
    if session.in_nested_transaction():
        return  # a released savepoint: readers see nothing until the real commit, so the notes wait for it
    for _made_in, topic, note in session.info.pop(_KEY, []):
        try:
            publisher.publish(topic, note())
        except Exception:  # a note that cannot be built must not turn a committed request into an error
            log.exception("live update on %s not published", topic)


@event.listens_for(Session, "after_soft_rollback")
def _drop_rolled_back(session: Session, previous_transaction: SessionTransaction) -> None:
    notes = session.info.get(_KEY)
    if notes:
        session.info[_KEY] = [n for n in notes if not _made_within(n[0], previous_transaction)]


def _made_within(made_in: SessionTransaction | None, transaction: SessionTransaction) -> bool:
    if made_in is None:  # noted before the session began: it belongs to whatever the root does
        return transaction.parent is None
    while made_in is not None:
        if made_in is transaction:
            return True
        made_in = made_in.parent
    return False
