"""E-mail to admins: a job that found many changes, jobs that keep failing, and the daily digest."""

from __future__ import annotations

import logging
import smtplib
from datetime import datetime, timedelta
from email.message import EmailMessage

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.auth.models import ADMIN_ROLES, User
from app.changes.models import ChangeStatus, CollectionChange
from app.core.audit import AuditEvent, record_audit
from app.core.config import Settings
from app.core.db import utcnow
from app.core.pagination import SortKey, count_rows
from app.jobs.models import CollectionJob, JobStatus

log = logging.getLogger(__name__)

FAILURE_ALERTS = ("notify.failure_window", "notify.failure_streak")


def admin_recipients(session: Session) -> list[str]:
    """E-mail addresses of every active admin and super admin."""
    return list(
        session.scalars(
            select(User.email)
            .where(User.role.in_([role.value for role in ADMIN_ROLES]), User.is_active.is_(True))
            .order_by(User.email)
        )
    )


def send_email(settings: Settings, recipients: list[str], subject: str, body: str) -> None:
    """Send one plain-text message over SMTP (STARTTLS and login when configured)."""
    message = EmailMessage()
    message["From"] = settings.smtp_from
    message["To"] = ", ".join(recipients)
    message["Subject"] = subject
    message.set_content(body)
    assert settings.smtp_host is not None
    with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=settings.smtp_timeout_seconds) as smtp:
        if settings.smtp_starttls:
            smtp.starttls()
        if settings.smtp_username and settings.smtp_password is not None:
            smtp.login(settings.smtp_username, settings.smtp_password.get_secret_value())
        smtp.send_message(message)


def _notify_admins(session: Session, settings: Settings, subject: str, body: str) -> bool:
    if not settings.smtp_host:
        return False
    recipients = admin_recipients(session)
    if not recipients:
        log.warning("no active admin to notify: %s", subject)
        return False
    try:
        send_email(settings, recipients, subject, body)
    except Exception:
        # A mail server that is down must never fail the job that triggered the message.
        log.exception("could not send notification e-mail: %s", subject)
        return False
    log.info("notification sent to %d admins: %s", len(recipients), subject)
    return True


def _consecutive_failures(session: Session, job: CollectionJob) -> int:
    """How many of this entity's most recent finished jobs failed in a row."""
    if job.entity_id is None:
        return 0
    statuses = session.scalars(
        select(CollectionJob.status)
        .where(
            CollectionJob.entity_type == job.entity_type,
            CollectionJob.entity_id == job.entity_id,
            CollectionJob.job_type == job.job_type,
            CollectionJob.status.in_([JobStatus.completed, JobStatus.failed]),
        )
        .order_by(CollectionJob.created_at.desc(), CollectionJob.id.desc())
        .limit(50)
    )
    streak = 0
    for status in statuses:
        if status != JobStatus.failed:
            break
        streak += 1
    return streak


def _failures_in_window(session: Session, settings: Settings, now: datetime) -> int:
    since = now - timedelta(minutes=settings.notify_failures_window_minutes)
    return int(
        session.scalar(
            select(func.count()).where(
                CollectionJob.status == JobStatus.failed,
                func.coalesce(CollectionJob.completed_at, CollectionJob.updated_at) > since,
            )
        )
        or 0
    )


def _job_line(job: CollectionJob) -> str:
    target = f"{job.entity_type} {job.entity_id}" if job.entity_id is not None else job.entity_type
    return f"{job.job_id} ({job.job_type} of {target})"


def notify_job_finished(session: Session, job: CollectionJob, settings: Settings) -> None:
    """E-mail admins when a finished job found many changes or jobs keep failing; never raises."""
    try:
        _notify_job_finished(session, job, settings)
    except Exception:
        log.exception("notification for job %s failed", job.job_id)


def _notify_job_finished(session: Session, job: CollectionJob, settings: Settings) -> None:
    if not settings.smtp_host:
        return
    if job.status == JobStatus.completed and job.changes_detected > settings.notify_changes_threshold:
        _notify_admins(
            session,
            settings,
            f"[Artitec collector] {job.changes_detected} changes detected by {job.job_id}",
            f"Job {_job_line(job)} completed and detected {job.changes_detected} changes "
            f"({job.new_entities_found} new records, {job.items_found} items found).\n"
            f"Review them: GET /api/v1/admin/{job.entity_type}s/{job.entity_id}/pending-changes\n"
            f"Job: GET /api/v1/admin/collection-jobs/{job.job_id}\n",
        )
    if job.status != JobStatus.failed:
        return
    threshold = settings.notify_failures_threshold
    now = utcnow()
    window = timedelta(minutes=settings.notify_failures_window_minutes)
    # At most one failure e-mail per window: an outage is one message, not one per record or per job
    # (the daily digest lists the rest).
    if _alerted(session, FAILURE_ALERTS, None, None, since=now - window):
        return
    recent = _failures_in_window(session, settings, now)
    if recent >= threshold:
        minutes = settings.notify_failures_window_minutes
        _alert(
            session,
            settings,
            "notify.failure_window",
            None,
            None,
            f"[Artitec collector] {recent} jobs failed in the last {minutes} minutes",
            f"{recent} collection jobs failed in the last {minutes} minutes.\n"
            f"Latest: {_job_line(job)}: {job.error_message or 'no error message'}\n"
            "List them: GET /api/v1/admin/collection-jobs?status=failed\n",
        )
        return
    streak = _consecutive_failures(session, job)
    # One record failing again and again: one message a day while the streak lasts.
    if streak >= threshold and not _alerted(
        session, ("notify.failure_streak",), job.entity_type, job.entity_id, since=now - timedelta(days=1)
    ):
        _alert(
            session,
            settings,
            "notify.failure_streak",
            job.entity_type,
            job.entity_id,
            f"[Artitec collector] {streak} failures in a row for {job.entity_type} {job.entity_id}",
            f"The last {streak} jobs for {job.entity_type} {job.entity_id} failed.\n"
            f"Latest: {_job_line(job)}: {job.error_message or 'no error message'}\n",
        )


def _alerted(
    session: Session, actions: tuple[str, ...], target_type: str | None, target_id: int | None, *, since: datetime
) -> bool:
    """Whether such an alert already went out since ``since`` (alerts are recorded as audit events)."""
    query = select(AuditEvent.id).where(AuditEvent.action.in_(actions), AuditEvent.created_at > since)
    if target_type is not None:
        query = query.where(AuditEvent.target_type == target_type, AuditEvent.target_id == target_id)
    return session.scalar(query.limit(1)) is not None


def _alert(
    session: Session,
    settings: Settings,
    action: str,
    target_type: str | None,
    target_id: int | None,
    subject: str,
    body: str,
) -> None:
    if _notify_admins(session, settings, subject, body):
        record_audit(
            session,
            actor="system",
            action=action,
            target_type=target_type or "collection_jobs",
            target_id=target_id,
            notes=subject,
        )
        session.flush()


def digest_text(session: Session, now: datetime | None = None) -> str:
    """A plain-text summary of the last 24 hours: jobs by status, changes, cost, failures."""
    now = now or utcnow()
    since = now - timedelta(days=1)
    by_status = dict(
        session.execute(
            select(CollectionJob.status, func.count())
            .where(CollectionJob.created_at > since)
            .group_by(CollectionJob.status)
        ).all()
    )
    cost = session.scalar(
        select(func.coalesce(func.sum(CollectionJob.cost_usd), 0)).where(CollectionJob.created_at > since)
    )
    detected = session.scalar(select(func.count()).where(CollectionChange.created_at > since)) or 0
    applied = (
        session.scalar(
            select(func.count()).where(
                CollectionChange.applied_at > since, CollectionChange.status == ChangeStatus.applied
            )
        )
        or 0
    )
    # All-time pending changes can be many: exact up to the lists' limit, the planner's estimate above it.
    pending, estimated = count_rows(
        session,
        [select(CollectionChange.id).where(CollectionChange.status == ChangeStatus.pending)],
        SortKey((CollectionChange.id,)),
    )
    failed = session.scalars(
        select(CollectionJob)
        .where(CollectionJob.created_at > since, CollectionJob.status == JobStatus.failed)
        .order_by(CollectionJob.created_at.desc())
        .limit(20)
    ).all()
    lines = [
        f"Collection digest for the 24 hours to {now:%Y-%m-%d %H:%M} UTC",
        "",
        "Jobs: "
        + (", ".join(f"{status} {count}" for status, count in sorted(by_status.items())) or "none")
        + f" (total {sum(by_status.values())})",
        f"Changes detected: {detected}; applied: {applied}; "
        f"waiting for review (all time): {'about ' if estimated else ''}{pending}",
        f"LLM cost: ${float(cost or 0):.2f}",
    ]
    if failed:
        lines += ["", "Failed jobs:"]
        lines += [f"- {_job_line(job)}: {job.error_message or 'no error message'}" for job in failed]
    return "\n".join(lines) + "\n"


def send_digest(session: Session, settings: Settings, now: datetime | None = None) -> bool:
    """E-mail the daily digest to admins; False when SMTP is not configured or sending failed."""
    now = now or utcnow()
    return _notify_admins(
        session, settings, f"[Artitec collector] daily digest {now:%Y-%m-%d}", digest_text(session, now)
    )
