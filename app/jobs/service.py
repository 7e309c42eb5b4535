"""Rules of collection jobs: creating one (limits, opt-outs), reading it, cancelling and retrying it."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from decimal import Decimal
from functools import partial
from typing import Any

from sqlalchemy.orm import Session

from app.auth.models import User
from app.core.bus import ACTIVITY, job_topic, publish_after_commit
from app.core.config import Settings
from app.core.db import aware, independent_scope, session_scope, utcnow
from app.core.entities import WEBSITE_FIELDS, EntityType
from app.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from app.core.pagination import PageRequest, paginate
from app.core.queue import enqueue_after_commit
from app.jobs import repository
from app.jobs.events import ACTIVITY_KINDS, event_note
from app.jobs.limits import enforce_job_limits, take_job_creation_turn
from app.jobs.models import CollectionJob, JobEvent, JobRetry, JobStatus, JobType
from app.sources.bookkeeping import registered_domain
from app.sources.optouts import is_opted_out

log = logging.getLogger(__name__)

RUN_TASK = "jobs.run_collection_job"

# Rough time a job takes once a worker picks it up, for the 202's estimated_completion.
_TYPICAL_SECONDS = {JobType.update: 60, JobType.discovery: 180, JobType.property_discovery: 180}


def broker_priority(priority: int) -> int:
    """The broker's priority for a job's 0-10 priority: Redis serves 0 first, the plan's 10 is most urgent."""
    return max(0, 9 - priority)


def add_event(session: Session, job_id: str, kind: str, message: str, data: dict[str, Any] | None = None) -> None:
    """Append one entry to the job's timeline; live streams hear of it once it is committed."""
    event = JobEvent(job_id=job_id, kind=kind, message=message, data=data)
    session.add(event)
    publish_after_commit(session, job_topic(job_id), partial(event_note, event))
    if kind in ACTIVITY_KINDS:
        publish_after_commit(session, ACTIVITY, partial(event_note, event))


def add_final_event(session: Session, job: CollectionJob) -> None:
    """The last entry of a finished job's timeline (after auto-apply and notification): streams end with it."""
    add_event(
        session,
        job.job_id,
        "final",
        f"finished: {job.status}",
        {
            "status": job.status,
            "items_found": job.items_found,
            "changes_detected": job.changes_detected,
            "new_entities_found": job.new_entities_found,
            "cost_usd": str(job.cost_usd if job.cost_usd is not None else Decimal("0")),
            "error_message": job.error_message,
        },
    )


def _refuse_opted_out(session: Session, entity_type: str | None, entity_id: int | None) -> None:
    if entity_type is None or entity_id is None:
        return
    if is_opted_out(session, entity_type=entity_type, entity_id=entity_id):
        raise Conflict(f"{entity_type} {entity_id} has opted out of data collection; remove the opt-out to collect it")
    field = WEBSITE_FIELDS.get(entity_type)  # an opt-out of the record's own domain is its opt-out too
    entity = repository.get_entity(session, entity_type, entity_id) if field else None
    website = getattr(entity, field, None) if field else None
    if website and is_opted_out(session, url=website):
        raise Conflict(
            f"{entity_type} {entity_id}'s website {registered_domain(website)} has opted out of data collection; "
            "remove the domain's opt-out to collect it"
        )


def require_entity(session: Session, entity_type: str, entity_id: int) -> Any:
    """The builder, community or property with this id, or a 404 naming it."""
    entity = repository.get_entity(session, entity_type, entity_id)
    if entity is None or getattr(entity, "archived_at", None) is not None:
        raise NotFound(f"{entity_type} {entity_id} not found")
    return entity


def create_job(
    session: Session,
    user: User | None,
    *,
    settings: Settings,
    entity_type: str,
    job_type: str,
    entity_id: int | None = None,
    parent_entity_type: str | None = None,
    parent_entity_id: int | None = None,
    search_query: str | None = None,
    target_url: str | None = None,
    search_filters: dict[str, Any] | None = None,
    priority: int = 0,
    auto_apply: bool = False,
    researcher: str | None = None,
    scheduled: bool = False,
) -> CollectionJob:
    """Insert a pending job within the limits, committed at once; its task is sent once ``session`` commits.

    The job is inserted and the limits counted in a short transaction of its own, so the turn it takes
    is never held while ``session``'s request goes on. Should ``session`` roll back afterwards, the job
    stays pending and the sweeper sends it.
    """
    _refuse_opted_out(session, entity_type, entity_id)
    _refuse_opted_out(session, parent_entity_type, parent_entity_id)
    if researcher == "claude" and not scheduled and not settings.has_llm_key:
        raise InvalidInput(
            "researcher: 'claude' needs an Anthropic API key (ARTITEC_ANTHROPIC_API_KEY), and none is configured; "
            "use 'web', or 'auto' (web-only without a key)"
        )
    if auto_apply and user is not None and not user.can_auto_apply:
        raise Forbidden("auto_apply needs the auto-apply permission; ask a super admin, or send auto_apply: false")
    job = CollectionJob(
        entity_type=entity_type,
        entity_id=entity_id,
        job_type=job_type,
        parent_entity_type=parent_entity_type,
        parent_entity_id=parent_entity_id,
        status=JobStatus.pending,
        priority=priority,
        researcher=researcher or "auto",
        auto_apply=auto_apply,
        scheduled=scheduled,
        search_query=search_query,
        target_url=target_url,
        search_filters=search_filters or {},
        initiated_by=user.user_id if user is not None else None,
        enqueued_at=utcnow(),
    )
    who = user.email if user is not None else "schedule"
    with independent_scope(session) as own:
        # Written first, turn taken after: every creator waits for the turn, so it covers only the count
        # (which sees this job and every job committed before the turn) and the commit. Over a limit, the
        # transaction rolls back and the job and its event are gone.
        own.add(job)
        own.flush()
        add_event(own, job.job_id, "status", f"pending: created by {who}", {"status": JobStatus.pending})
        own.flush()
        take_job_creation_turn(own)
        enforce_job_limits(own, user, settings, scheduled=scheduled, inserted=True)
    created = session.get_one(CollectionJob, job.id)
    send_job(session, created)
    log.info("job created", extra={"job_id": job.job_id, "entity_type": entity_type, "job_type": job_type})
    return created


def record_unsent(job_id: str) -> None:
    """The job's message never reached the broker: enqueued_at NULL tells the sweeper to send it again."""
    with session_scope() as session:
        repository.mark_unsent(session, job_id)


def send_job(session: Session, job: CollectionJob) -> None:
    """Send the job's run to the queue once ``session`` commits; a failed send is recorded for the sweeper."""
    enqueue_after_commit(
        session,
        RUN_TASK,
        job.job_id,
        priority=broker_priority(job.priority),
        on_failure=partial(record_unsent, job.job_id),
    )


def estimated_completion(session: Session, job: CollectionJob) -> datetime:
    """Now plus the typical run time of each job ahead of it (pending or running), one worker assumed."""
    typical = _TYPICAL_SECONDS.get(JobType(job.job_type), 120)
    ahead = max(repository.active_job_count(session) - 1, 0)
    return utcnow() + timedelta(seconds=typical + 30 * ahead)


def get_job(session: Session, job_id: str) -> CollectionJob:
    job = repository.get_job(session, job_id)
    if job is None:
        raise NotFound(f"collection job {job_id} not found")
    return job


def cancel_job(session: Session, user: User, job: CollectionJob) -> CollectionJob:
    """pending or running -> cancelled; a running job's results are discarded when it finishes."""
    moved = repository.set_status(
        session,
        job.job_id,
        expected=[JobStatus.pending, JobStatus.running],
        new_status=JobStatus.cancelled,
        completed_at=utcnow(),
    )
    session.refresh(job)
    if not moved:
        raise Conflict(f"collection job {job.job_id} is {job.status}; only pending or running jobs can be cancelled")
    add_event(session, job.job_id, "status", f"cancelled by {user.email}", {"status": JobStatus.cancelled})
    # Final now: a running job's worker only discards its results, and a lost worker never would.
    add_final_event(session, job)
    return job


def retry_job(session: Session, user: User, job: CollectionJob, settings: Settings) -> CollectionJob:
    """failed or cancelled -> a new pending attempt of the same job, with a fresh retry budget.

    ``attempts`` keeps counting every attempt the job ever made; the budget counts from this retry. The retry
    is new work: it is written with the job's status, then counted against the job limits under the
    job-creation turn, in a short transaction of its own as a new job is (over a limit, nothing is kept)."""
    retryable = (JobStatus.failed, JobStatus.cancelled)
    if job.status not in retryable:
        raise Conflict(f"collection job {job.job_id} is {job.status}; only failed or cancelled jobs can be retried")
    # The same opt-outs as a new job: an opt-out may have come since.
    _refuse_opted_out(session, job.entity_type, job.entity_id)
    _refuse_opted_out(session, job.parent_entity_type, job.parent_entity_id)
    with independent_scope(session) as own:
        moved = repository.set_status(
            own,
            job.job_id,
            expected=list(retryable),
            new_status=JobStatus.pending,
            attempts_before_retry=job.attempts,
            error_message=None,
            started_at=None,
            completed_at=None,
            enqueued_at=utcnow(),
        )
        if not moved:
            raise Conflict(f"collection job {job.job_id} is no longer failed or cancelled; it cannot be retried")
        add_event(own, job.job_id, "status", f"pending: retry requested by {user.email}", {"status": "pending"})
        own.add(JobRetry(job_id=job.job_id, retried_by=user.user_id))
        own.flush()
        take_job_creation_turn(own)
        enforce_job_limits(own, user, settings, inserted=True)
    session.refresh(job)
    send_job(session, job)
    return job


def entity_name(session: Session, job: CollectionJob) -> str | None:
    """The record the job is about; for a discovery, its parent or the searched area."""
    if job.entity_id is not None:
        names = repository.entity_names(session, [(job.entity_type, job.entity_id)])
        return names.get((job.entity_type, job.entity_id))
    if job.parent_entity_type and job.parent_entity_id is not None:
        names = repository.entity_names(session, [(job.parent_entity_type, job.parent_entity_id)])
        return names.get((job.parent_entity_type, job.parent_entity_id))
    filters = job.search_filters or {}
    return filters.get("location") or filters.get("search_area")


def duration_seconds(job: CollectionJob) -> int | None:
    if job.started_at is None:
        return None
    end = job.completed_at or (utcnow() if job.status == JobStatus.running else None)
    return int((aware(end) - aware(job.started_at)).total_seconds()) if end is not None else None


def job_detail(session: Session, job: CollectionJob, changes_summary: list[dict[str, Any]]) -> dict[str, Any]:
    """The job status body: the plan's fields plus its changes, usage, cost, warnings and the timeline."""
    return {
        "job_id": job.job_id,
        "entity_type": job.entity_type,
        "entity_id": job.entity_id,
        "entity_name": entity_name(session, job),
        "job_type": job.job_type,
        "status": job.status,
        "priority": job.priority,
        "researcher": job.researcher,
        "auto_apply": job.auto_apply,
        "parent_entity_type": job.parent_entity_type,
        "parent_entity_id": job.parent_entity_id,
        "search_query": job.search_query,
        "target_url": job.target_url,
        "search_filters": job.search_filters,
        "attempts": job.attempts,
        "initiated_by": job.initiated_by,
        "created_at": job.created_at,
        "started_at": job.started_at,
        "completed_at": job.completed_at,
        "duration_seconds": duration_seconds(job),
        "results": {
            "items_found": job.items_found,
            "changes_detected": job.changes_detected,
            "new_entities_found": job.new_entities_found,
        },
        "changes_summary": changes_summary,
        "usage": {
            "llm_calls": job.llm_calls,
            "input_tokens": job.input_tokens,
            "output_tokens": job.output_tokens,
            "cache_creation_input_tokens": job.cache_creation_input_tokens,
            "cache_read_input_tokens": job.cache_read_input_tokens,
            "web_search_requests": job.web_search_requests,
            "pages_fetched": job.pages_fetched,
            "render_seconds": round(job.render_seconds or 0.0, 3),
        },
        "cost_usd": job.cost_usd if job.cost_usd is not None else Decimal("0"),
        "warnings": job.warnings or [],
        "rejected_inputs": job.rejected_inputs or [],
        "error_message": job.error_message,
        "timeline": [
            {"at": e.created_at, "kind": e.kind, "message": e.message, "data": e.data}
            for e in repository.events(session, job.job_id)
        ],
    }


def list_jobs(
    session: Session,
    *,
    entity_type: str | None,
    status: str | None,
    job_type: str | None,
    paging: PageRequest,
) -> dict[str, Any]:
    """One page of jobs, newest first, with the name of the record each is about."""
    result = paginate(
        session,
        repository.jobs_query(entity_type=entity_type, status=status, job_type=job_type),
        repository.JOB_ORDER,
        paging,
    )
    jobs: list[CollectionJob] = result.rows
    keys = [(j.entity_type, j.entity_id) for j in jobs if j.entity_id is not None]
    keys += [(j.parent_entity_type, j.parent_entity_id) for j in jobs if j.parent_entity_type and j.parent_entity_id]
    names = repository.entity_names(session, keys)

    def name_of(job: CollectionJob) -> str | None:
        if job.entity_id is not None:
            return names.get((job.entity_type, job.entity_id))
        if job.parent_entity_type and job.parent_entity_id is not None:
            return names.get((job.parent_entity_type, job.parent_entity_id))
        return (job.search_filters or {}).get("location")

    items = [
        {
            "job_id": j.job_id,
            "entity_type": j.entity_type,
            "entity_id": j.entity_id,
            "entity_name": name_of(j),
            "job_type": j.job_type,
            "status": j.status,
            "priority": j.priority,
            "changes_detected": j.changes_detected,
            "cost_usd": j.cost_usd,
            "created_at": j.created_at,
            "started_at": j.started_at,
            "completed_at": j.completed_at,
        }
        for j in jobs
    ]
    return {"jobs": items, **result.paging()}


# One function per endpoint: what each request means as a job.


def _url(value: Any) -> str | None:
    return str(value) if value is not None else None


def request_builder_update(
    session: Session, user: User, builder_id: int, body: Any, settings: Settings
) -> CollectionJob:
    require_entity(session, EntityType.builder, builder_id)
    return create_job(
        session,
        user,
        settings=settings,
        entity_type=EntityType.builder,
        entity_id=builder_id,
        job_type=JobType.update,
        search_query=body.search_query,
        target_url=_url(body.target_url),
        search_filters={"force_refresh": body.force_refresh},
        priority=body.priority,
        auto_apply=body.auto_apply,
        researcher=body.researcher,
    )


def request_builder_inventory(
    session: Session, user: User, builder_id: int, body: Any, settings: Settings
) -> CollectionJob:
    require_entity(session, EntityType.builder, builder_id)
    filters = {
        "location": body.location_filter,
        "community": body.community_filter,
        "max_properties": body.max_properties,
        "force_refresh": body.force_refresh,
    }
    return create_job(
        session,
        user,
        settings=settings,
        entity_type=EntityType.property,
        job_type=JobType.property_discovery,
        parent_entity_type=EntityType.builder,
        parent_entity_id=builder_id,
        search_filters=filters,
        priority=body.priority,
        auto_apply=body.auto_apply,
        researcher=body.researcher,
    )


def request_community_update(
    session: Session, user: User, community_id: int, body: Any, settings: Settings
) -> CollectionJob:
    require_entity(session, EntityType.community, community_id)
    return create_job(
        session,
        user,
        settings=settings,
        entity_type=EntityType.community,
        entity_id=community_id,
        job_type=JobType.update,
        search_query=body.search_query,
        target_url=_url(body.target_url),
        search_filters={
            "include_builders": body.include_builders,
            "include_amenities": body.include_amenities,
            "force_refresh": body.force_refresh,
        },
        priority=body.priority,
        auto_apply=body.auto_apply,
        researcher=body.researcher,
    )


def search_area(location: str, radius_miles: int) -> str:
    return f"{location} ({radius_miles} miles)"


def request_community_discovery(session: Session, user: User, body: Any, settings: Settings) -> CollectionJob:
    return create_job(
        session,
        user,
        settings=settings,
        entity_type=EntityType.community,
        job_type=JobType.discovery,
        target_url=_url(body.target_url),
        search_filters={
            "location": body.location,
            "radius_miles": body.radius_miles,
            "min_homes": body.min_homes,
            "max_communities": body.max_communities,
            "search_area": search_area(body.location, body.radius_miles),
            "force_refresh": body.force_refresh,
        },
        priority=body.priority,
        auto_apply=body.auto_apply,
        researcher=body.researcher,
    )


def price_range(price_min: int | None, price_max: int | None) -> str | None:
    if price_min is None and price_max is None:
        return None
    return f"{price_min if price_min is not None else ''}-{price_max if price_max is not None else ''}"


def request_property_discovery(session: Session, user: User, body: Any, settings: Settings) -> CollectionJob:
    if body.builder_id is not None:
        require_entity(session, EntityType.builder, body.builder_id)
    if body.community_id is not None:
        require_entity(session, EntityType.community, body.community_id)
    _refuse_opted_out(session, "community", body.community_id)
    return create_job(
        session,
        user,
        settings=settings,
        entity_type=EntityType.property,
        job_type=JobType.discovery,
        parent_entity_type=EntityType.builder if body.builder_id is not None else None,
        parent_entity_id=body.builder_id,
        target_url=_url(body.target_url),
        search_filters={
            "location": body.location,
            "builder_id": body.builder_id,
            "community_id": body.community_id,
            "price_min": body.price_min,
            "price_max": body.price_max,
            "max_properties": body.max_properties,
            "force_refresh": body.force_refresh,
        },
        priority=body.priority,
        auto_apply=body.auto_apply,
        researcher=body.researcher,
    )
