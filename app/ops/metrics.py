"""Prometheus metrics: jobs by status and this month's spend read from the database at scrape time,
plus durations and costs observed by the process that finished each job.

A scrape costs the same however long the job history grows: finished and cancelled jobs are counted from
the daily job rollup (ops/models.py), only jobs still in flight (few) from the jobs table's status index."""

from __future__ import annotations

import hmac
import logging
from collections.abc import Iterator

from fastapi import APIRouter, Header, HTTPException, Response
from fastapi.responses import PlainTextResponse
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.core.body import StrictJSONRoute
from app.core.config import Settings
from app.core.db import rollups_kept, session_scope
from app.core.deps import SettingsDep
from app.jobs.models import CollectionJob, JobDailyRollup, JobStatus

log = logging.getLogger(__name__)

JOBS_FINISHED = Counter(
    "artitec_collection_jobs_finished",
    "Collection jobs this process finished, by final status",
    ["entity_type", "job_type", "status"],
)
JOB_DURATION = Histogram(
    "artitec_collection_job_duration_seconds",
    "Time from a job's start to its completion",
    ["entity_type", "job_type"],
    buckets=(1, 2, 5, 10, 30, 60, 120, 300, 600, 1800),
)
JOB_COST = Counter("artitec_collection_job_cost_usd", "LLM cost of finished jobs (USD)", ["entity_type"])
JOB_TOKENS = Counter("artitec_collection_job_tokens", "LLM tokens of finished jobs", ["kind"])


def observe_job(job: CollectionJob) -> None:
    """Record a finished job's status, duration and cost; call once when it completes or fails."""
    try:
        JOBS_FINISHED.labels(job.entity_type, job.job_type, job.status).inc()
        if job.started_at is not None and job.completed_at is not None:
            seconds = (job.completed_at - job.started_at).total_seconds()
            JOB_DURATION.labels(job.entity_type, job.job_type).observe(max(0.0, seconds))
        if job.cost_usd:
            JOB_COST.labels(job.entity_type).inc(float(job.cost_usd))
        JOB_TOKENS.labels("input").inc(job.input_tokens or 0)
        JOB_TOKENS.labels("output").inc(job.output_tokens or 0)
    except Exception:
        # Metrics must never fail a job.
        log.exception("could not record metrics of job %s", getattr(job, "job_id", None))


IN_FLIGHT = (JobStatus.pending, JobStatus.running)


def job_counts_by_status(session: Session) -> dict[str, int]:
    """How many jobs are in each status now, without reading the finished ones row by row."""
    by_status = select(CollectionJob.status, func.count()).group_by(CollectionJob.status)
    if not rollups_kept(session):  # the SQLite quickstart keeps no rollups; its tables are small
        return {str(s): int(n) for s, n in session.execute(by_status)}
    counts = {str(s): int(n) for s, n in session.execute(by_status.where(CollectionJob.status.in_(IN_FLIGHT)))}
    r = JobDailyRollup
    jobs, failed, finished = (
        int(n)
        for n in session.execute(
            select(*(func.coalesce(func.sum(measure), 0) for measure in (r.jobs, r.failed, r.finished)))
        ).one()
    )
    counts[JobStatus.failed.value] = failed
    counts[JobStatus.completed.value] = finished - failed
    # Every job is in flight, finished (completed or failed) or cancelled.
    counts[JobStatus.cancelled.value] = jobs - finished - sum(counts.get(s.value, 0) for s in IN_FLIGHT)
    return counts


class DatabaseCollector(Collector):
    """Job counts by status and month-to-date spend, read from the database so every process agrees."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def describe(self) -> list[GaugeMetricFamily]:
        # No database query when the collector is registered.
        return []

    def collect(self) -> Iterator[GaugeMetricFamily]:
        from app.jobs.limits import llm_budget_remaining, llm_spend_this_month

        try:
            with session_scope() as session:
                counts = job_counts_by_status(session)
                spend = llm_spend_this_month(session)
                remaining = llm_budget_remaining(session, self.settings)
        except Exception:
            log.exception("could not read job metrics from the database")
            return
        jobs = GaugeMetricFamily("artitec_collection_jobs", "Collection jobs by current status", labels=["status"])
        for status in JobStatus:
            jobs.add_metric([status.value], float(counts.get(status.value, 0)))
        yield jobs
        yield GaugeMetricFamily(
            "artitec_llm_spend_month_usd", "LLM spend of the current calendar month (USD)", value=float(spend)
        )
        yield GaugeMetricFamily(
            "artitec_llm_budget_remaining_usd", "Monthly LLM budget not yet spent (USD)", value=float(remaining)
        )


_database_collector: DatabaseCollector | None = None


def register_database_collector(settings: Settings) -> None:
    """Add the database collector to the default registry once (the API's /metrics)."""
    global _database_collector
    if _database_collector is None:
        _database_collector = DatabaseCollector(settings)
        REGISTRY.register(_database_collector)


router = APIRouter(tags=["health"], route_class=StrictJSONRoute)


@router.get(
    "/metrics",
    summary="Prometheus metrics",
    response_class=PlainTextResponse,
    responses={
        200: {"content": {"text/plain": {}}, "description": "Prometheus text exposition format"},
        401: {"description": "ARTITEC_METRICS_TOKEN is set and the request does not carry it"},
    },
)
def metrics(settings: SettingsDep, authorization: str | None = Header(None, include_in_schema=False)) -> Response:
    """Job counts by status, job durations, LLM cost and spend in Prometheus' text format.

    With ARTITEC_METRICS_TOKEN set (required in production) the scraper sends `Authorization: Bearer <token>`."""
    if settings.metrics_token is not None:
        expected = f"Bearer {settings.metrics_token.get_secret_value()}"
        if not hmac.compare_digest((authorization or "").encode(), expected.encode()):
            raise HTTPException(401, "metrics need 'Authorization: Bearer <ARTITEC_METRICS_TOKEN>'")
    register_database_collector(settings)
    return Response(generate_latest(REGISTRY), media_type=CONTENT_TYPE_LATEST)


def start_worker_metrics_server(port: int) -> None:
    """Serve this worker's own metrics (durations, costs it observed) on ``port``."""
    from prometheus_client import start_http_server

    start_http_server(port)
