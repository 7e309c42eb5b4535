"""Live job updates over Server-Sent Events: one job's timeline, and the activity of all jobs and reviews."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Header, Query
from fastapi.responses import StreamingResponse

from app.core.body import StrictJSONRoute
from app.core.deps import SettingsDep
from app.core.errors import RESPONSES_404, Responses, error_doc
from app.jobs import events
from app.pipeline.routes import JobDep

router = APIRouter(tags=["live updates"], route_class=StrictJSONRoute)

FORMAT = """
Answers `text/event-stream`. Each event has an `id:` (send it back as `Last-Event-ID`, or as the
`last_event_id` query parameter, to resume exactly after it), an `event:` naming its kind and one `data:` line
of JSON. The stream opens with `retry:` (milliseconds before a browser reconnects) and sends a
`: heartbeat` comment when it has been quiet for `ARTITEC_EVENT_HEARTBEAT_SECONDS`, so proxies keep it open.
Browsers: `new EventSource(url)` with the dashboard's session cookie; other clients send the bearer token:
`curl -N -H "Authorization: Bearer $TOKEN" …/events`.
"""

JOB_EXAMPLE = (
    "retry: 3000\n\n"
    "id: 41\nevent: status\n"
    'data: {"id": 41, "job_id": "JOB-1733065200-a1b2c3", "kind": "status", "message": "running (attempt 1)", '
    '"data": {"status": "running"}, "at": "2026-12-01T15:00:01+00:00"}\n\n'
    ": heartbeat\n\n"
    "id: 48\nevent: final\n"
    'data: {"id": 48, "job_id": "JOB-1733065200-a1b2c3", "kind": "final", "message": "finished: completed", '
    '"data": {"status": "completed", "changes_detected": 3, "cost_usd": "0.0000"}, "at": "2026-12-01T15:00:09+00:00"}'
    "\n\n"
)

ACTIVITY_EXAMPLE = (
    "retry: 3000\n\nid: 120-57\n\n"
    "id: 121-57\nevent: status\n"
    'data: {"id": 121, "job_id": "JOB-1733065200-a1b2c3", "kind": "status", "message": "completed", '
    '"data": {"status": "completed"}, "at": "2026-12-01T15:00:09+00:00"}\n\n'
    "id: 121-58\nevent: review\n"
    'data: {"audit_id": 58, "action": "change.apply", "actor": "USR-1", "target_type": "builder", "target_id": 7, '
    '"job_id": "JOB-1733065200-a1b2c3", "change_id": 310, "before": {"phone": "+17135550100"}, '
    '"after": {"phone": "+17135550199"}, "notes": null, "at": "2026-12-01T15:02:00+00:00"}\n\n'
)


def _stream_doc(description: str, example: str) -> Responses:
    return {
        200: {"description": description, "content": {"text/event-stream": {"example": example}}},
        422: error_doc("Last-Event-ID is not an id of this stream"),
        503: error_doc("This API process has as many open streams as it allows; see Retry-After"),
    }


STREAM_HEADERS = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}  # no proxy buffering of events

LastEventIdHeader = Annotated[
    str | None,
    Header(alias="Last-Event-ID", max_length=50, description="the id of the last event received (sent by EventSource)"),
]
LastEventIdQuery = Annotated[
    str | None,
    Query(alias="last_event_id", max_length=50, description="the same, for clients that cannot set the header"),
]


def _stream(body: Any) -> StreamingResponse:
    return StreamingResponse(body, media_type="text/event-stream", headers=STREAM_HEADERS)


@router.get(
    "/collection-jobs/{job_id}/events",
    response_class=StreamingResponse,
    responses={**_stream_doc("The job's timeline, then its events as they happen", JOB_EXAMPLE), **RESPONSES_404},
    summary="Follow a job live (Server-Sent Events)",
    description="Replays the job's timeline (all of it, or what came after `Last-Event-ID`), then streams each "
    "new entry as the worker commits it: `status` (pending, running, completed, failed, cancelled), `research`, "
    "`fetch` (pages visited and read), `llm_call` (usage), `warning`, `counts` (found, changes detected, new), "
    "`cost`, `retry`, `auto_apply`, `sweep`. The stream ends with `final` (the outcome) once the job finishes; "
    "close the EventSource then, or it reconnects and receives nothing more.\n" + FORMAT,
)
def stream_job_events(
    job: JobDep,
    settings: SettingsDep,
    last_event_id: LastEventIdHeader = None,
    last_event_id_query: LastEventIdQuery = None,
) -> StreamingResponse:
    after = events.job_cursor(last_event_id if last_event_id is not None else last_event_id_query)
    return _stream(events.job_stream(job.job_id, after, settings))


@router.get(
    "/events",
    response_class=StreamingResponse,
    responses=_stream_doc("Job status changes and review decisions as they happen", ACTIVITY_EXAMPLE),
    summary="Follow every job and review decision live (Server-Sent Events)",
    description="Every job's `status` changes (`retry` too: a transient error sends it back to pending) and "
    "`final` outcome, and every review decision as `review` (an "
    "audited apply, auto-apply, reject, rollback, withdrawal, or match confirm, reject or override). Without "
    "`Last-Event-ID` the stream starts now (its first line sets the id to resume from); with it, it first "
    "replays what was missed from the database.\n" + FORMAT,
)
def stream_activity(
    settings: SettingsDep, last_event_id: LastEventIdHeader = None, last_event_id_query: LastEventIdQuery = None
) -> StreamingResponse:
    cursor = events.activity_cursor(last_event_id if last_event_id is not None else last_event_id_query)
    return _stream(events.activity_stream(cursor, settings))
