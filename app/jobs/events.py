"""Live job updates as Server-Sent Events: one job's timeline, and the activity of every job and review.

A stream reads the database (the job timeline, the audit trail) in short reads, and between them waits
on the event loop for a note on Redis pub/sub (app.core.bus) or, without Redis, for the poll interval.
So it resumes exactly from an event id, shows what any worker wrote, and holds no connection or thread
while it waits.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import weakref
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from types import TracebackType
from typing import Any, ParamSpec, TypeVar

import anyio
import anyio.to_thread
import redis.asyncio as aioredis
from redis import RedisError
from sqlalchemy import func, select

from app.core.audit import REVIEW_ACTIONS, AuditEvent
from app.core.bus import ACTIVITY, bus_url, channel, job_topic
from app.core.config import Settings
from app.core.db import aware, session_scope, utcnow
from app.core.deps import MAX_RECORD_ID
from app.core.errors import InvalidInput
from app.jobs import repository
from app.jobs.models import JobEvent, JobStatus

log = logging.getLogger(__name__)

# Timeline kinds the activity stream carries besides review decisions: every change of a job's status
# (a transient error's retry sends a running job back to pending) and its outcome.
ACTIVITY_KINDS = frozenset({"status", "retry", "final"})
TERMINAL = frozenset({JobStatus.completed, JobStatus.failed, JobStatus.cancelled})
# Events per read: a long timeline is replayed in several short reads.
BATCH = 200
# A job that ended without its final event (its worker died in between) is closed this long after it ended.
FINAL_GRACE = timedelta(seconds=60)
HEARTBEAT = ": heartbeat\n\n"

# The paths that answer with a stream (the admission middleware counts them apart).
STREAM_PATH = re.compile(r"^/api/v1/admin/(collection-jobs/[^/]+/)?events$")


def is_stream_path(path: str) -> bool:
    return STREAM_PATH.match(path) is not None


def event_note(event: JobEvent) -> dict[str, Any]:
    """A timeline entry as streams send it."""
    return {
        "id": event.id,
        "job_id": event.job_id,
        "kind": event.kind,
        "message": event.message,
        "data": event.data,
        "at": aware(event.created_at).isoformat() if event.created_at else None,
    }


def review_note(audit: AuditEvent) -> dict[str, Any]:
    """A review decision as the activity stream sends it."""
    return {
        "audit_id": audit.id,
        "action": audit.action,
        "actor": audit.actor,
        "target_type": audit.target_type,
        "target_id": audit.target_id,
        "job_id": audit.job_id,
        "change_id": audit.change_id,
        "before": audit.before,
        "after": audit.after,
        "notes": audit.notes,
        "at": aware(audit.created_at).isoformat() if audit.created_at else None,
    }


def sse(kind: str, data: dict[str, Any], event_id: str | None) -> str:
    """One event in the text/event-stream format (JSON has no raw newlines, so one data line)."""
    head = f"id: {event_id}\n" if event_id is not None else ""
    return f"{head}event: {kind}\ndata: {json.dumps(data, default=str)}\n\n"


# --- reading the database ---------------------------------------------------------------------------


@dataclass
class TimelineRead:
    events: list[dict[str, Any]] = field(default_factory=list)
    gone: bool = False  # the job was deleted
    more: bool = False  # the read stopped at BATCH: read again at once
    final_id: int | None = None  # the final event of the job's last run, once that run has ended
    summary: dict[str, Any] | None = None  # a job that ended long ago without a final event: its outcome


def read_timeline(job_id: str, after_id: int) -> TimelineRead:
    """The job's events after ``after_id`` and whether its current run has ended, in one short transaction."""
    with session_scope() as session:
        job = repository.get_job(session, job_id)
        if job is None:
            return TimelineRead(gone=True)
        rows = list(
            session.scalars(
                select(JobEvent)
                .where(JobEvent.job_id == job_id, JobEvent.id > after_id)
                .order_by(JobEvent.id)
                .limit(BATCH + 1)
            )
        )
        read = TimelineRead(events=[event_note(e) for e in rows[:BATCH]], more=len(rows) > BATCH)
        if job.status not in TERMINAL:
            return read
        # A retried job has finals of earlier runs: only one after the last status change ends the stream.
        last_final, last_status = session.execute(
            select(
                func.max(JobEvent.id).filter(JobEvent.kind == "final"),
                func.max(JobEvent.id).filter(JobEvent.kind == "status"),
            ).where(JobEvent.job_id == job_id)
        ).one()
        if last_final is not None and last_final > (last_status or 0):
            read.final_id = last_final
        elif aware(job.completed_at or job.updated_at) < utcnow() - FINAL_GRACE:
            read.summary = {
                "job_id": job_id,
                "kind": "final",
                "message": f"finished: {job.status}",
                "data": {"status": job.status, "error_message": job.error_message},
            }
        return read


@dataclass(frozen=True)
class ActivityCursor:
    """Where the activity stream is: the last job event and the last audit event it sent."""

    job_event_id: int
    audit_id: int

    def __str__(self) -> str:
        return f"{self.job_event_id}-{self.audit_id}"

    @classmethod
    def parse(cls, text: str) -> ActivityCursor:
        job_event_id, sep, audit_id = text.strip().partition("-")
        if not sep or not _is_id(job_event_id) or not _is_id(audit_id):
            raise InvalidInput(
                f"last_event_id: {text!r} is not an id of this stream; send the id of the last event received "
                "(two numbers joined by '-')"
            )
        return cls(int(job_event_id), int(audit_id))


def activity_now() -> ActivityCursor:
    """The activity stream's position now: a new stream shows what happens from here on."""
    with session_scope() as session:
        job_event_id = session.scalar(select(func.max(JobEvent.id))) or 0
        audit_id = session.scalar(select(func.max(AuditEvent.id))) or 0
    return ActivityCursor(job_event_id, audit_id)


@dataclass
class ActivityRead:
    events: list[tuple[str, dict[str, Any], ActivityCursor]] = field(default_factory=list)
    more: bool = False


def read_activity(cursor: ActivityCursor) -> ActivityRead:
    """Job status changes and review decisions after ``cursor``, oldest first, each with the cursor after it."""
    with session_scope() as session:
        statuses = list(
            session.scalars(
                select(JobEvent)
                .where(JobEvent.id > cursor.job_event_id, JobEvent.kind.in_(ACTIVITY_KINDS))
                .order_by(JobEvent.id)
                .limit(BATCH)
            )
        )
        reviews = list(
            session.scalars(
                select(AuditEvent)
                .where(AuditEvent.id > cursor.audit_id, AuditEvent.action.in_(REVIEW_ACTIONS))
                .order_by(AuditEvent.id)
                .limit(BATCH)
            )
        )
        merged: list[tuple[datetime, int, Any]] = [(aware(e.created_at), 0, e) for e in statuses]
        merged += [(aware(a.created_at), 1, a) for a in reviews]
        # Each source stays in id order, so the cursor of either side only moves forward.
        merged.sort(key=lambda item: (item[0], item[1], item[2].id))
        read = ActivityRead(more=len(statuses) == BATCH or len(reviews) == BATCH)
        for _at, source, row in merged:
            if source == 0:
                cursor = ActivityCursor(row.id, cursor.audit_id)
                read.events.append((row.kind, event_note(row), cursor))
            else:
                cursor = ActivityCursor(cursor.job_event_id, row.id)
                read.events.append(("review", review_note(row), cursor))
        return read


P = ParamSpec("P")
T = TypeVar("T")

# Reads of all streams of one event loop share a few threads and connections (event_stream_readers).
_readers: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, anyio.CapacityLimiter] = weakref.WeakKeyDictionary()


def _readers_of_this_loop(settings: Settings) -> anyio.CapacityLimiter:
    loop = asyncio.get_running_loop()
    limiter = _readers.get(loop)
    if limiter is None:
        limiter = _readers[loop] = anyio.CapacityLimiter(settings.event_stream_readers)
    return limiter


async def _read(limiter: anyio.CapacityLimiter, read: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    return await anyio.to_thread.run_sync(lambda: read(*args, **kwargs), limiter=limiter)


# --- waiting for news --------------------------------------------------------------------------------


class Listener:
    """Waits for news on a topic: a note on Redis pub/sub, or the poll interval when there is no Redis."""

    def __init__(self, topic: str, poll_seconds: float) -> None:
        self.topic = topic
        self.poll_seconds = poll_seconds
        self._client: aioredis.Redis | None = None
        self._pubsub: Any = None

    async def __aenter__(self) -> Listener:
        url = bus_url()
        if url is None:
            return self
        try:
            self._client = aioredis.Redis.from_url(url, socket_connect_timeout=1)
            self._pubsub = self._client.pubsub(ignore_subscribe_messages=True)
            await self._pubsub.subscribe(channel(url, self.topic))
        except (RedisError, OSError) as exc:
            log.warning("live updates unavailable (%s); the stream reads the database every poll interval", exc)
            await self._close()
        return self

    async def __aexit__(
        self, _type: type[BaseException] | None, _exc: BaseException | None, _tb: TracebackType | None
    ) -> None:
        with anyio.CancelScope(shield=True):  # a client that went away still gets its connection closed
            await self._close()

    async def wait(self, timeout: float) -> None:
        """Return when there may be news, at the latest after ``timeout`` seconds."""
        if self._pubsub is None:
            await anyio.sleep(min(timeout, self.poll_seconds))
            return
        try:
            note = await self._pubsub.get_message(timeout=timeout)
            while note is not None:  # a burst of notes costs one read
                note = await self._pubsub.get_message(timeout=0)
        except (RedisError, OSError) as exc:
            log.warning("live updates lost (%s); the stream reads the database every poll interval", exc)
            await self._close()

    async def _close(self) -> None:
        pubsub, client, self._pubsub, self._client = self._pubsub, self._client, None, None
        try:
            if pubsub is not None:
                await pubsub.aclose()
            if client is not None:
                await client.aclose()
        except (RedisError, OSError):
            pass


class _Clock:
    """When the stream last wrote, so an idle one sends a heartbeat every event_heartbeat_seconds."""

    def __init__(self, heartbeat_seconds: float) -> None:
        self.heartbeat = heartbeat_seconds
        self.last_write = anyio.current_time()

    def wrote(self) -> None:
        self.last_write = anyio.current_time()

    def until_heartbeat(self) -> float:
        return max(0.0, self.last_write + self.heartbeat - anyio.current_time())


# --- the streams ---------------------------------------------------------------------------------------


async def job_stream(job_id: str, after_id: int, settings: Settings) -> AsyncIterator[str]:
    """The job's timeline after ``after_id``, then its events as they come, ending with the final event."""
    yield f"retry: {settings.event_retry_ms}\n\n"
    clock = _Clock(settings.event_heartbeat_seconds)
    readers = _readers_of_this_loop(settings)
    async with Listener(
        job_topic(job_id), settings.event_poll_seconds
    ) as listener:  # listening before reading: nothing falls in between
        cursor = after_id
        while True:
            read = await _read(readers, read_timeline, job_id, cursor)
            for note in read.events:
                cursor = note["id"]
                yield sse(note["kind"], note, str(cursor))
                clock.wrote()
            if read.more:
                continue
            if read.gone:
                return
            if read.final_id is not None and cursor >= read.final_id:
                return
            if read.summary is not None:
                yield sse("final", read.summary, str(cursor))
                return
            await listener.wait(clock.until_heartbeat())
            if clock.until_heartbeat() == 0:
                yield HEARTBEAT
                clock.wrote()


async def activity_stream(cursor: ActivityCursor | None, settings: Settings) -> AsyncIterator[str]:
    """Every job's status changes and every review decision after ``cursor`` (from now without one)."""
    yield f"retry: {settings.event_retry_ms}\n\n"
    clock = _Clock(settings.event_heartbeat_seconds)
    readers = _readers_of_this_loop(settings)
    async with Listener(ACTIVITY, settings.event_poll_seconds) as listener:
        if cursor is None:
            cursor = await _read(readers, activity_now)
            yield f"id: {cursor}\n\n"  # sets the client's Last-Event-ID, so a reconnect resumes from here
        while True:
            read = await _read(readers, read_activity, cursor)
            for kind, note, cursor in read.events:
                yield sse(kind, note, str(cursor))
                clock.wrote()
            if read.more:
                continue
            await listener.wait(clock.until_heartbeat())
            if clock.until_heartbeat() == 0:
                yield HEARTBEAT
                clock.wrote()


def _is_id(text: str) -> bool:
    """Digits of a number a BIGINT id column can hold (ASCII only: str.isdigit also takes '²')."""
    return text.isascii() and text.isdigit() and int(text) <= MAX_RECORD_ID


def job_cursor(text: str | None) -> int:
    """The timeline id a job stream resumes after (0: from the start)."""
    if text is None or not text.strip():
        return 0
    if not _is_id(text.strip()):
        raise InvalidInput(f"last_event_id: {text!r} is not an event id of this job's stream (a whole number)")
    return int(text.strip())


def activity_cursor(text: str | None) -> ActivityCursor | None:
    return None if text is None or not text.strip() else ActivityCursor.parse(text)
