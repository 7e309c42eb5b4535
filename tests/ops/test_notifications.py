"""E-mail notifications delivered to a local SMTP server."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from email import message_from_bytes
from email.message import Message
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import event, text
from sqlalchemy.orm import Session

from app.core.config import get_settings
from app.core.db import utcnow
from app.core.pagination import EXACT_TOTAL_LIMIT
from app.jobs.models import CollectionJob
from app.ops.notifications import _failures_in_window, digest_text, notify_job_finished, send_digest
from app.ops.tasks import send_digest_task
from tests.factories import make_admin, make_builder, make_user
from tests.ops.jobdata import make_change, make_job


@dataclass
class Mailbox:
    envelopes: list[Any] = field(default_factory=list)

    async def handle_DATA(self, _server: Any, _session: Any, envelope: Any) -> str:  # noqa: N802 (aiosmtpd's name)
        self.envelopes.append(envelope)
        return "250 Message accepted"

    def messages(self) -> list[Message]:
        return [message_from_bytes(envelope.content) for envelope in self.envelopes]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def mailbox(monkeypatch: pytest.MonkeyPatch) -> Iterator[Mailbox]:
    box = Mailbox()
    port = _free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    settings = get_settings()
    monkeypatch.setattr(settings, "smtp_host", "127.0.0.1")
    monkeypatch.setattr(settings, "smtp_port", port)
    monkeypatch.setattr(settings, "smtp_from", "collector@artitec.example")
    try:
        yield box
    finally:
        controller.stop()


@pytest.fixture
def admins(session: Session) -> list[str]:
    first = make_admin(session, email="ops@artitec.example")
    second = make_admin(session, email="boss@artitec.example", role="super_admin")
    make_admin(session, email="former@artitec.example", is_active=False)
    make_user(session, email="viewer@artitec.example")
    return sorted([first.email, second.email])


def _job(session: Session, **overrides: Any) -> CollectionJob:
    return make_job(session, **overrides)


def test_a_job_with_more_than_ten_changes_emails_every_active_admin(
    session: Session, mailbox: Mailbox, admins: list[str]
) -> None:
    builder = make_builder(session, name="Perry Homes")
    job = _job(session, entity_id=builder.id, changes_detected=11, items_found=14)
    notify_job_finished(session, job, get_settings())

    assert len(mailbox.envelopes) == 1
    envelope = mailbox.envelopes[0]
    assert sorted(envelope.rcpt_tos) == admins
    assert envelope.mail_from == "collector@artitec.example"
    message = mailbox.messages()[0]
    assert message["Subject"] == f"[Artitec collector] 11 changes detected by {job.job_id}"
    body = message.get_payload(decode=True).decode()
    assert f"/api/v1/admin/builders/{builder.id}/pending-changes" in body
    assert "detected 11 changes" in body


def test_ten_changes_is_not_more_than_the_threshold(session: Session, mailbox: Mailbox, admins: list[str]) -> None:
    notify_job_finished(session, _job(session, entity_id=1, changes_detected=10), get_settings())
    assert mailbox.envelopes == []


def test_the_threshold_is_a_setting(session: Session, mailbox: Mailbox, admins: list[str]) -> None:
    settings = get_settings().model_copy(update={"notify_changes_threshold": 2})
    notify_job_finished(session, _job(session, entity_id=1, changes_detected=3), settings)
    assert len(mailbox.envelopes) == 1


def test_the_third_failure_in_a_row_of_one_record_emails_admins(
    session: Session, mailbox: Mailbox, admins: list[str]
) -> None:
    builder = make_builder(session)
    make_job(session, entity_id=builder.id, status="completed", created_ago=timedelta(days=3))
    for days in (2, 1):
        ago = timedelta(days=days)
        failed = _job(session, entity_id=builder.id, status="failed", created_ago=ago, completed_at=utcnow() - ago)
        notify_job_finished(session, failed, get_settings())
    assert mailbox.envelopes == []

    third = _job(session, entity_id=builder.id, status="failed", error_message="HTTP 503 from perryhomes.com")
    notify_job_finished(session, third, get_settings())

    assert len(mailbox.envelopes) == 1
    message = mailbox.messages()[0]
    assert message["Subject"] == f"[Artitec collector] 3 failures in a row for builder {builder.id}"
    assert "HTTP 503 from perryhomes.com" in message.get_payload(decode=True).decode()
    assert sorted(mailbox.envelopes[0].rcpt_tos) == admins


def test_a_streak_that_goes_on_is_one_message_a_day(session: Session, mailbox: Mailbox, admins: list[str]) -> None:
    builder = make_builder(session)
    for days in (4, 3, 2):
        ago = timedelta(days=days)
        _job(session, entity_id=builder.id, status="failed", created_ago=ago, completed_at=utcnow() - ago)
    notify_job_finished(session, _job(session, entity_id=builder.id, status="failed"), get_settings())
    notify_job_finished(
        session, _job(session, entity_id=builder.id, status="failed", created_ago=timedelta(minutes=1)), get_settings()
    )

    assert len(mailbox.envelopes) == 1


def test_an_outage_is_one_message_not_one_per_record(session: Session, mailbox: Mailbox, admins: list[str]) -> None:
    for entity_id in range(1, 8):
        for days in (3, 2):  # every record already failed twice: each third failure would be a streak
            ago = timedelta(days=days)
            _job(session, entity_id=entity_id, status="failed", created_ago=ago, completed_at=utcnow() - ago)
    for entity_id in range(1, 8):
        notify_job_finished(
            session, _job(session, entity_id=entity_id, status="failed", completed_at=utcnow()), get_settings()
        )

    # The first failing record's streak is the one message of the hour; the digest lists the rest.
    assert [m["Subject"] for m in mailbox.messages()] == ["[Artitec collector] 3 failures in a row for builder 1"]


def test_failures_counted_past_the_threshold_still_alert_once(
    session: Session, mailbox: Mailbox, admins: list[str]
) -> None:
    # Two workers failing at once can both count past the threshold: the alert must not be missed.
    for entity_id in (1, 2, 3, 4):
        _job(session, entity_id=entity_id, status="failed", completed_at=utcnow())
    notify_job_finished(session, _job(session, entity_id=5, status="failed", completed_at=utcnow()), get_settings())

    assert [m["Subject"] for m in mailbox.messages()] == ["[Artitec collector] 5 jobs failed in the last 60 minutes"]


def test_many_failures_within_the_hour_email_admins(session: Session, mailbox: Mailbox, admins: list[str]) -> None:
    for entity_id in (1, 2):
        notify_job_finished(session, _job(session, entity_id=entity_id, status="failed"), get_settings())
    assert mailbox.envelopes == []
    notify_job_finished(session, _job(session, entity_id=3, status="failed", error_message="timeout"), get_settings())
    assert [m["Subject"] for m in mailbox.messages()] == ["[Artitec collector] 3 jobs failed in the last 60 minutes"]


def test_nothing_is_sent_without_an_smtp_host(session: Session, mailbox: Mailbox, admins: list[str]) -> None:
    settings = get_settings().model_copy(update={"smtp_host": None})
    notify_job_finished(session, _job(session, entity_id=1, changes_detected=50), settings)
    assert send_digest(session, settings) is False
    assert mailbox.envelopes == []


def test_a_mail_server_that_is_down_never_fails_the_job(
    session: Session, admins: list[str], caplog: pytest.LogCaptureFixture
) -> None:
    settings = get_settings().model_copy(update={"smtp_host": "127.0.0.1", "smtp_port": _free_port()})  # no one listens
    notify_job_finished(session, _job(session, entity_id=1, changes_detected=50), settings)
    assert "could not send notification e-mail" in caplog.text


def test_the_daily_digest_summarises_the_last_day(session: Session, mailbox: Mailbox, admins: list[str]) -> None:
    from decimal import Decimal

    done = make_job(session, status="completed", cost_usd=Decimal("0.12"))
    make_job(session, status="completed", cost_usd=Decimal("0.03"))
    failed = make_job(session, status="failed", error_message="robots.txt disallows /private/")
    make_job(session, status="failed", created_ago=timedelta(days=2))  # older than a day
    make_change(session, done, entity_id=1, status="pending")
    make_change(session, done, entity_id=2, status="applied", applied_at=done.created_at)
    session.commit()

    assert send_digest_task.apply().get() is True

    assert len(mailbox.envelopes) == 1
    assert sorted(mailbox.envelopes[0].rcpt_tos) == admins
    message = mailbox.messages()[0]
    assert message["Subject"].startswith("[Artitec collector] daily digest ")
    body = message.get_payload(decode=True).decode()
    assert "Jobs: completed 2, failed 1 (total 3)" in body
    assert "Changes detected: 2; applied: 1; waiting for review (all time): 1" in body
    assert "LLM cost: $0.15" in body
    assert f"- {failed.job_id} (update of builder): robots.txt disallows /private/" in body


def test_the_digest_estimates_a_long_review_queue_instead_of_counting_it(session: Session) -> None:
    job = make_job(session, status="completed")
    session.execute(
        text(
            "INSERT INTO collection_changes (job_id, entity_type, entity_id, field_name, change_type, status, "
            "confidence, created_at) SELECT :job, 'builder', i, 'phone', 'modified', 'pending', 0.9, now() "
            "FROM generate_series(1, :n) AS i"
        ),
        {"job": job.job_id, "n": EXACT_TOTAL_LIMIT + 50},
    )
    session.execute(text("ANALYZE collection_changes"))

    line = next(line for line in digest_text(session).splitlines() if line.startswith("Changes detected"))

    waiting = line.split("waiting for review (all time): ")[1]
    assert waiting.startswith("about ")
    assert int(waiting.removeprefix("about ")) > EXACT_TOTAL_LIMIT


def test_the_days_applied_changes_and_failed_jobs_are_read_through_their_own_indexes(session: Session) -> None:
    sent: list[tuple[str, Any]] = []

    def record(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        sent.append((statement, parameters))

    engine = session.get_bind()
    event.listen(engine, "before_cursor_execute", record)
    try:
        digest_text(session)
        _failures_in_window(session, get_settings(), utcnow())
    finally:
        event.remove(engine, "before_cursor_execute", record)
    # The plans PostgreSQL picks when a table scan is its last resort: an index shows up if it serves.
    connection = session.connection()
    connection.exec_driver_sql("SET LOCAL enable_seqscan = off")

    def plan_of(fragment: str) -> str:
        statement, parameters = next((s, p) for s, p in sent if fragment in s)
        return "\n".join(row[0] for row in connection.exec_driver_sql(f"EXPLAIN {statement}", parameters))

    assert "ix_collection_changes_applied_at" in plan_of("collection_changes.applied_at >")
    assert "ix_expr_collection_jobs_failed_at" in plan_of("coalesce(collection_jobs.completed_at")
