"""A job's run as Celery tasks: claim -> research -> collect -> propose -> auto-apply -> notify -> metrics; and
the sweep of lost or stuck jobs.

Both are safe to run twice. A job is claimed with a state-guarded UPDATE (pending -> running), so a
second delivery of the same message does nothing. The collector runs in its own unit of work: if it
fails, everything it wrote rolls back and a separate small transaction records the failure.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from functools import partial
from typing import Any

from celery import Task, shared_task
from sqlalchemy.exc import DBAPIError

from app.changes.apply import auto_apply_job
from app.collectors import CollectionOutcome, collector_for
from app.core.config import Settings, get_settings
from app.core.db import database_unreachable, session_scope, utcnow
from app.core.logging import current_job_id
from app.core.queue import send_task
from app.jobs import repository
from app.jobs.models import CollectionJob, JobStatus
from app.jobs.service import RUN_TASK, add_event, add_final_event, record_unsent
from app.ops.metrics import observe_job
from app.ops.notifications import notify_job_finished
from app.research.errors import PermanentResearchError, TransientResearchError
from app.research.findings import Usage

log = logging.getLogger(__name__)

# PostgreSQL errors that pass when the transaction is tried again: deadlock, serialization failure,
# lock not available. A job that hits one retries with backoff like any transient failure.
TRANSIENT_SQLSTATES = frozenset({"40P01", "40001", "55P03"})
# How long a job waits before trying again while the database is unreachable.
OUTAGE_RETRY_SECONDS = 5


class JobNoLongerRunning(Exception):
    """The job was cancelled while this attempt ran, or the sweeper gave the job to a new attempt: this
    attempt's results are discarded."""


@shared_task(name=RUN_TASK, bind=True, acks_late=True, max_retries=None)  # type: ignore[untyped-decorator]
def run_collection_job(self: Task, job_id: str, stranded_attempt: int | None = None, outage: str | None = None) -> Any:
    """Claim the job, collect, write its changes and counts in one transaction; retry transient errors.

    ``stranded_attempt`` and ``outage`` come with a message this task sent itself when the database went
    away during that attempt and not even the failure could be recorded: it settles that attempt first."""
    token = current_job_id.set(job_id)  # every log line of this run carries the job id
    try:
        if stranded_attempt is not None:
            return _settle_stranded(self, job_id, stranded_attempt, outage or "database unavailable")
        return _run(self, job_id)
    finally:
        current_job_id.reset(token)


def _outage_message(exc: BaseException) -> str:
    cause = getattr(exc, "orig", None) or exc
    text = " ".join(str(cause).split())[:300]
    return f"database unavailable ({type(cause).__name__}: {text})"


def _when_database_answers(task: Task, job_id: str, exc: BaseException, stranded_attempt: int | None) -> Any:
    """Send this job's message again for later: the database is down, so nothing can be recorded now.

    The message is never dropped: the broker holds the new one (with its countdown) before this one is
    acknowledged. A job left running is settled by that message once the database answers."""
    if task.request.is_eager:
        raise exc  # in-process runs (tests) have no broker to hold the message
    outage = _outage_message(exc)
    log.warning("job %s: %s; trying again in %ss", job_id, outage, OUTAGE_RETRY_SECONDS)
    kwargs = {} if stranded_attempt is None else {"stranded_attempt": stranded_attempt, "outage": outage}
    raise task.retry(args=[job_id], kwargs=kwargs, countdown=OUTAGE_RETRY_SECONDS, max_retries=None, exc=exc)


def _settle_stranded(task: Task, job_id: str, attempt: int, outage: str) -> Any:
    """The database went away during ``attempt``: count it as a transient failure now that it answers."""
    try:
        with session_scope() as session:
            job = repository.get_job(session, job_id)
            stranded = job is not None and job.status == JobStatus.running and job.attempts == attempt
    except Exception as exc:
        if not database_unreachable(exc):
            raise
        return _when_database_answers(task, job_id, exc, attempt)
    if not stranded:
        log.info("job %s moved on since attempt %s was stranded; nothing to settle", job_id, attempt)
        return "skipped"
    return _retry_or_fail(task, job_id, TransientResearchError(f"{outage} during attempt {attempt}"), attempt)


def _run(task: Task, job_id: str) -> Any:
    try:
        with session_scope() as session:
            claimed = repository.claim(session, job_id)
            if claimed:
                job = repository.get_job(session, job_id)
                attempt = job.attempts if job is not None else 1
                add_event(session, job_id, "status", f"running (attempt {attempt})", {"status": "running"})
    except Exception as exc:
        if not database_unreachable(exc):
            raise
        return _when_database_answers(task, job_id, exc, None)  # nothing was claimed: the same message again
    if not claimed:
        log.info("job %s is not pending: duplicate delivery, cancelled or finished; nothing to do", job_id)
        return "skipped"
    log.info("job %s running", job_id)
    try:
        return _attempt(task, job_id, attempt)
    except Exception as exc:
        if not database_unreachable(exc):
            raise
        return _when_database_answers(task, job_id, exc, attempt)


def _attempt(task: Task, job_id: str, attempt: int) -> Any:
    """Collect for a claimed job (``attempt``: its attempts count once claimed) and record how it ended; a
    database outage while recording propagates."""
    collector = None
    before = None  # the job's usage when the attempt began
    try:
        with session_scope() as session:
            job = _load(session, job_id)
            before = Usage.recorded_on(job)
            collector = collector_for(session, job, get_settings())
            outcome = collector.run()
            _complete(session, job_id, outcome, attempt, before)
    except JobNoLongerRunning:
        with session_scope() as session:
            now_job = repository.get_job(session, job_id)
            if now_job is not None:
                why = (
                    "the job was cancelled while it ran"
                    if now_job.status == JobStatus.cancelled
                    else "the attempt was taken for lost and the job run again"
                )
                add_event(session, job_id, "warning", f"results of attempt {attempt} discarded: {why}")
                log.info("job %s: results of attempt %s discarded: %s", job_id, attempt, why)
        return "discarded"
    except TransientResearchError as exc:
        return _retry_or_fail(task, job_id, exc, attempt, before)
    except PermanentResearchError as exc:
        _fail(job_id, str(exc), exc.usage, attempt, before)
        return "failed"
    except Exception as exc:
        # What research spent before a later step of the attempt failed: real money, kept on the job.
        spent = collector.outcome.usage if collector is not None else Usage()
        sqlstate = _transient_sqlstate(exc)
        if sqlstate is not None:
            busy = TransientResearchError(f"database conflict ({sqlstate}): {getattr(exc, 'orig', exc)}", usage=spent)
            return _retry_or_fail(task, job_id, busy, attempt, before)
        if database_unreachable(exc):
            outage = TransientResearchError(_outage_message(exc), usage=spent)
            return _retry_or_fail(task, job_id, outage, attempt, before)
        log.exception("job %s failed unexpectedly", job_id)
        message = f"unexpected error {type(exc).__name__}: {exc}"
        _fail(job_id, message, getattr(exc, "usage", None) or spent, attempt, before)
        return "failed"
    _after_completion(job_id)
    return "completed"


def _transient_sqlstate(exc: BaseException) -> str | None:
    """The SQLSTATE of a database error that a new attempt can get past (a deadlock), else None."""
    if not isinstance(exc, DBAPIError):
        return None
    code = getattr(exc.orig, "sqlstate", None) or getattr(exc.orig, "pgcode", None)
    return code if code in TRANSIENT_SQLSTATES else None


def _load(session: Any, job_id: str) -> CollectionJob:
    job = repository.get_job(session, job_id)
    if job is None:
        raise JobNoLongerRunning(job_id)
    return job


def _record_usage(job: CollectionJob, usage: Usage, before: Usage | None) -> None:
    """The attempt's usage on the job (every Usage field is a collection_jobs column of the same name).

    Its LLM calls were added as they were answered (the collector's ``record_llm_call``), where a transaction
    of their own kept them; so the job is brought to what it had when the attempt began (``before``) plus what
    the attempt spent, never lowered. Attempts add up. Without ``before`` nothing of the attempt was recorded
    yet, and its usage is added."""
    for name in Usage.model_fields:
        have = getattr(job, name) or 0
        spent = getattr(usage, name)
        setattr(job, name, have + spent if before is None else max(have, getattr(before, name) + spent))


def _lock_attempt(session: Any, job_id: str, attempt: int) -> CollectionJob | None:
    """The job, locked, while this attempt is still the one running it; None when it was cancelled, or the
    sweeper gave it to a new attempt (an attempt it took for lost may still finish, and must not write)."""
    job = repository.lock_job(session, job_id)
    if job is None or job.status != JobStatus.running or job.attempts != attempt:
        return None
    return job


def _complete(session: Any, job_id: str, outcome: CollectionOutcome, attempt: int, before: Usage) -> None:
    """Counts, usage, warnings and the completed status, in the collector's transaction."""
    job = _lock_attempt(session, job_id, attempt)
    if job is None:
        raise JobNoLongerRunning(job_id)
    job.items_found = outcome.items_found
    job.changes_detected = outcome.changes_detected
    job.new_entities_found = outcome.new_entities_found
    job.rejected_inputs = outcome.rejected_inputs
    job.warnings = outcome.warnings
    job.llm_outage = outcome.llm_outage
    _record_usage(job, outcome.usage, before)
    job.status = JobStatus.completed
    job.completed_at = utcnow()
    job.error_message = None

    fetched = [p for p in outcome.pages if p.get("outcome") in ("fetched", "not_modified")]
    add_event(session, job_id, "research", f"researcher {outcome.researcher}", {"researcher": outcome.researcher})
    if outcome.pages:
        add_event(
            session,
            job_id,
            "fetch",
            f"{len(outcome.pages)} page(s) visited, {len(fetched)} read",
            {"pages": outcome.pages[:100]},
        )
    if outcome.usage.llm_calls:
        add_event(
            session,
            job_id,
            "llm_call",
            f"{outcome.usage.llm_calls} LLM call(s), {outcome.usage.web_search_requests} web search(es)",
            outcome.usage.model_dump(mode="json"),
        )
    for warning in outcome.warnings:
        add_event(session, job_id, "warning", warning)
    add_event(
        session,
        job_id,
        "counts",
        f"{outcome.items_found} found, {outcome.changes_detected} change(s), "
        f"{outcome.new_entities_found} new, {outcome.in_review} to review, {len(outcome.rejected_inputs)} rejected",
        {
            "items_found": outcome.items_found,
            "changes_detected": outcome.changes_detected,
            "new_entities_found": outcome.new_entities_found,
            "linked": outcome.linked,
            "in_review": outcome.in_review,
            "rejected_inputs": len(outcome.rejected_inputs),
        },
    )
    add_event(session, job_id, "cost", f"cost ${job.cost_usd:.4f}", {"cost_usd": str(job.cost_usd)})
    add_event(session, job_id, "status", "completed", {"status": "completed"})


def _retry_or_fail(
    task: Task, job_id: str, exc: TransientResearchError, attempt: int, before: Usage | None = None
) -> Any:
    settings = get_settings()
    with session_scope() as session:
        job = _lock_attempt(session, job_id, attempt)
        if job is None:
            return "discarded"
        _record_usage(job, exc.usage, before)
        tries = _tries(job)
        if tries > settings.job_max_retries:
            message = (
                f"gave up after {tries} attempts: {exc}. The provider or site kept failing temporarily; "
                "retry the job later (POST /collection-jobs/{id}/retry) or use researcher 'web'"
            )
            _mark_failed(session, job, message)
            failed = True
        else:
            countdown = 2**tries
            job.status = JobStatus.pending
            # The retry message arrives after the countdown, and only it may claim the job then (a duplicate
            # delivery before it must not skip the backoff). In-process runs (tests) retry at once.
            job.enqueued_at = utcnow() + timedelta(seconds=0 if task.request.is_eager else countdown)
            add_event(
                session,
                job_id,
                "retry",
                f"transient error, retry {tries} of {settings.job_max_retries} in {countdown}s: {exc}",
                {"attempt": tries, "countdown": countdown, "error": str(exc)},
            )
            failed = False
    if failed:
        _after_completion(job_id)
        return "failed"
    log.warning("job %s: transient error, retrying in %ss: %s", job_id, countdown, exc)
    if task.request.is_eager:
        # In-process runs (tests) hand the retry back to apply(), which runs it at once instead of raising.
        return task.retry(args=[job_id], kwargs={}, exc=exc, countdown=countdown, max_retries=None, throw=False)
    raise task.retry(args=[job_id], kwargs={}, exc=exc, countdown=countdown, max_retries=None)


def _tries(job: CollectionJob) -> int:
    """The attempts of the job's current run: since it was created, or since an admin last retried it."""
    return job.attempts - job.attempts_before_retry


def _mark_failed(session: Any, job: CollectionJob, message: str) -> None:
    job.status = JobStatus.failed
    job.error_message = message
    job.completed_at = utcnow()
    add_event(session, job.job_id, "status", f"failed: {message}", {"status": "failed"})


def _fail(job_id: str, message: str, usage: Usage | None, attempt: int, before: Usage | None = None) -> None:
    """Record the failure in its own transaction (the collector's writes are already rolled back)."""
    with session_scope() as session:
        job = _lock_attempt(session, job_id, attempt)
        if job is None:
            return
        if usage is not None:
            _record_usage(job, usage, before)
        _mark_failed(session, job, message)
    log.warning("job %s failed: %s", job_id, message)
    _after_completion(job_id)


def _after_completion(job_id: str) -> None:
    """Auto-apply (completed jobs that asked for it), then notify and observe. Never fails the job."""
    steps = (("auto-apply", _auto_apply), ("notification", _notify), ("metrics", _observe))
    settings = get_settings()
    for label, step in steps:
        try:
            with session_scope() as session:
                job = repository.get_job(session, job_id)
                if job is not None:
                    step(session, job, settings)
        except Exception as exc:
            log.exception("job %s: %s failed", job_id, label)
            with session_scope() as session:
                add_event(session, job_id, "warning", f"{label} failed: {type(exc).__name__}: {exc}")
    with session_scope() as session:
        job = repository.get_job(session, job_id)
        if job is not None:
            add_final_event(session, job)


def _auto_apply(session: Any, job: CollectionJob, settings: Settings) -> None:
    if not job.auto_apply or job.status != JobStatus.completed:
        return
    applied = auto_apply_job(session, job, settings)
    add_event(session, job.job_id, "auto_apply", f"{applied} change(s) applied automatically", {"applied": applied})


def _notify(session: Any, job: CollectionJob, settings: Settings) -> None:
    notify_job_finished(session, job, settings)


def _observe(_session: Any, job: CollectionJob, _settings: Settings) -> None:
    observe_job(job)


@shared_task(name="jobs.sweep", acks_late=True)  # type: ignore[untyped-decorator]
def sweep() -> dict[str, int]:
    """Send pending jobs the broker never received again; run jobs stuck running past the timeout again (their
    worker died, or hangs), or fail them when that attempt was their last."""
    settings = get_settings()
    now = utcnow()
    timeout = timedelta(minutes=settings.job_running_timeout_minutes)
    with session_scope() as session:
        lost: list[str] = []
        # A failed send left enqueued_at NULL; a job waiting longer than a job may run was lost by the broker.
        # Jobs merely waiting their turn in the queue are left alone: sending them again only duplicates them.
        for job_id in repository.lost_pending_jobs(session, now - timeout):
            # Only stamp jobs still pending; a job claimed meanwhile is left alone.
            if repository.set_status(
                session, job_id, expected=[JobStatus.pending], new_status=JobStatus.pending, enqueued_at=now
            ):
                add_event(session, job_id, "sweep", "pending job sent to the queue again (the broker lost it)")
                lost.append(job_id)

    restarted: list[str] = []
    timed_out: list[str] = []
    with session_scope() as session:
        for job_id in repository.stuck_running_jobs(session, now - timeout):
            job = repository.lock_job(session, job_id)
            if job is None or job.status != JobStatus.running:
                continue
            stuck = f"attempt {job.attempts} still running after {settings.job_running_timeout_minutes} minutes"
            tries = _tries(job)
            if tries > settings.job_max_retries:
                _mark_failed(
                    session, job, f"timed out: {stuck} (worker lost or stuck), the last allowed; retry the job"
                )
                timed_out.append(job_id)
                continue
            # A worker killed mid-job (out of memory, a deploy) gave its message back, and that delivery found
            # the job running: only this sweep can run it again. Should the attempt still be alive, it is
            # abandoned: whatever it finds is discarded (_lock_attempt).
            job.status = JobStatus.pending
            job.enqueued_at = now
            add_event(
                session, job_id, "retry",
                f"{stuck}: abandoned (worker lost or stuck), retry {tries} of {settings.job_max_retries}",
                {"attempt": tries, "abandoned_attempt": job.attempts, "error": "worker lost or stuck"},
            )  # fmt: skip
            restarted.append(job_id)
    # Sent after the commits above, one by one: a broker still down leaves them pending for the next sweep.
    for job_id in lost + restarted:
        send_task(RUN_TASK, job_id, on_failure=partial(record_unsent, job_id))
    for job_id in timed_out:
        _after_completion(job_id)
    if lost or restarted or timed_out:
        log.info("sweep: %d re-enqueued, %d run again, %d timed out", len(lost), len(restarted), len(timed_out))
    return {"requeued": len(lost), "restarted": len(restarted), "timed_out": len(timed_out)}
