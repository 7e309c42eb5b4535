"""Pipeline benchmark: job throughput of one worker when each LLM call takes 2 s, and tokens per refreshed entity.

Run: ``.venv/bin/python -m bench.pipeline [--jobs 16] [--concurrency 8] [--latency 2.0]``

Needs the local PostgreSQL and Redis (as the tests do). It creates its own database, starts the
bundled sample sites and the fake Anthropic Messages API (the real SDK talks HTTP to it) on
localhost, and drops the database at the end.

1. Throughput: N builder refreshes through the Claude researcher, each one LLM call that the fake
   answers after ``--latency`` seconds. Measured twice in the same run: one at a time (the task
   called in-process, one job after the other) and on one real Celery worker on Redis with a pool
   of ``--concurrency`` threads. Printed as jobs per minute and their ratio.
2. Tokens per refreshed entity with the ``auto`` researcher: a page with JSON-LD (first read), the
   same page unchanged (second read), and a page without structured data, beside the plan's
   estimate (~800 prompt + ~1,500 response = ~2,300 tokens, ~$0.03 per job). The fake counts
   tokens as the API would roughly do: 4 characters per token of the prompt it receives (system
   prompt billed as a cache write on the first call and a cache read after) and of the answer.
3. Model answers as real models write them (``tests/fakes/answer_corpus.py``: prose and fences, a
   draft before the final object, formatted numbers, nulls, empty quotes, wrong types, unknown
   fields, answers cut at max_tokens, no JSON at all), each sent by the fake through the real SDK to
   the Claude researcher: the share of valid values kept and the invalid values proposed. Baseline in
   the same run: the same answers validated as a whole against the answer schema (the former reader).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
import uuid
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.fakes.anthropic_server import FakeAnthropic, Reply, answer, sourced  # noqa: E402

PLAN_TOKENS_PER_JOB = 2300
PLAN_COST_PER_JOB = Decimal("0.03")
CHARS_PER_TOKEN = 4


class TokenCountingResponder:
    """Answers every research call with the record it asks about, billing ~4 characters per token."""

    def __init__(self) -> None:
        self.cached_systems: set[str] = set()

    def __call__(self, body: dict[str, Any]) -> Reply:
        system = "".join(block.get("text", "") for block in body.get("system") or [])
        prompt = json.dumps(body.get("messages") or [])
        name_match = re.search(r'\\"name\\": \\"([^"\\]+)\\"', prompt)
        name = name_match.group(1) if name_match else "Unknown Builder"
        url_match = re.search(r'<page url=\\"([^"\\]+)\\"', prompt)
        url = url_match.group(1) if url_match else f"https://{re.sub(r'[^a-z]+', '', name.lower())}.example.com/"
        phone = "(713) 555-0142"
        record = {
            "name": sourced(name, url),
            "phone": sourced(phone, url, f"Call {phone}"),
            "founded_year": sourced(1968, url, "Building since 1968"),
        }
        output_tokens = len(json.dumps({"records": [record]})) // CHARS_PER_TOKEN
        first_time = system not in self.cached_systems
        self.cached_systems.add(system)
        system_tokens = len(system) // CHARS_PER_TOKEN
        return answer(
            [record],
            input_tokens=len(prompt) // CHARS_PER_TOKEN,
            output_tokens=output_tokens,
            cache_creation_input_tokens=system_tokens if first_time else 0,
            cache_read_input_tokens=0 if first_time else system_tokens,
        )


def _create_database(url: str) -> None:
    import psycopg
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    admin = parsed.set(drivername="postgresql", database="postgres").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{parsed.database}"')


def _drop_database(url: str) -> None:
    import psycopg
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    admin = parsed.set(drivername="postgresql", database="postgres").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)')


def _migrate(url: str) -> None:
    from alembic import command
    from alembic.config import Config

    config = Config(str(ROOT / "alembic.ini"))
    config.attributes["configure_logger"] = False
    config.attributes["database_url"] = url
    command.upgrade(config, "head")


def _new_jobs(count: int, researcher: str, label: str) -> list[str]:
    """``count`` builders and one pending refresh job each (rows only: the bench decides how they run)."""
    from app.builders.models import BuilderProfile
    from app.core.db import session_scope
    from app.jobs.models import CollectionJob, JobType

    ids = []
    with session_scope() as session:
        for n in range(count):
            builder = BuilderProfile(name=f"Bench {label} Builder {n}", city="Houston", state="TX")
            session.add(builder)
            session.flush()
            job = CollectionJob(
                entity_type="builder", entity_id=builder.id, job_type=JobType.update, researcher=researcher
            )
            session.add(job)
            session.flush()
            ids.append(job.job_id)
    return ids


def _wait_finished(job_ids: list[str], timeout: float) -> dict[str, int]:
    from sqlalchemy import func, select

    from app.core.db import session_scope
    from app.jobs.models import CollectionJob

    deadline = time.monotonic() + timeout
    while True:
        with session_scope() as session:
            rows = session.execute(
                select(CollectionJob.status, func.count())
                .where(CollectionJob.job_id.in_(job_ids))
                .group_by(CollectionJob.status)
            ).all()
        counts = {status: n for status, n in rows}
        if counts.get("completed", 0) + counts.get("failed", 0) == len(job_ids) or time.monotonic() > deadline:
            return counts
        time.sleep(0.05)


def throughput(jobs: int, concurrency: int) -> dict[str, float]:
    from celery.contrib.testing.worker import start_worker

    from app.jobs.service import RUN_TASK
    from app.pipeline.tasks import run_collection_job
    from app.worker import celery_app

    sequential_ids = _new_jobs(jobs, "claude", "sequential")
    start = time.perf_counter()
    for job_id in sequential_ids:
        run_collection_job.apply(args=[job_id])
    sequential_seconds = time.perf_counter() - start
    sequential_counts = _wait_finished(sequential_ids, 5)

    queue = f"bench-pipeline-{uuid.uuid4().hex[:8]}"
    worker_ids = _new_jobs(jobs, "claude", "worker")
    with start_worker(
        celery_app, pool="threads", concurrency=concurrency, perform_ping_check=False, queues=[queue], loglevel="ERROR"
    ):
        start = time.perf_counter()
        for job_id in worker_ids:
            celery_app.send_task(RUN_TASK, args=[job_id], queue=queue)
        worker_counts = _wait_finished(worker_ids, timeout=jobs * 10)
        worker_seconds = time.perf_counter() - start

    return {
        "sequential_seconds": sequential_seconds,
        "sequential_per_minute": jobs / sequential_seconds * 60,
        "sequential_completed": sequential_counts.get("completed", 0),
        "worker_seconds": worker_seconds,
        "worker_per_minute": jobs / worker_seconds * 60,
        "worker_completed": worker_counts.get("completed", 0),
    }


def _run_one(entity_name: str, website: str) -> dict[str, Any]:
    """One ``auto`` refresh of an existing builder; its LLM usage and cost as the job recorded them."""
    from sqlalchemy import select

    from app.builders.models import BuilderProfile
    from app.core.db import session_scope
    from app.jobs.models import CollectionJob, JobType
    from app.pipeline.tasks import run_collection_job

    with session_scope() as session:
        builder = session.scalar(select(BuilderProfile).where(BuilderProfile.name == entity_name))
        if builder is None:
            builder = BuilderProfile(name=entity_name, website=website, city="Houston", state="TX")
            session.add(builder)
            session.flush()
        job = CollectionJob(entity_type="builder", entity_id=builder.id, job_type=JobType.update, researcher="auto")
        session.add(job)
        session.flush()
        job_id = job.job_id
    run_collection_job.apply(args=[job_id])
    with session_scope() as session:
        done = session.scalar(select(CollectionJob).where(CollectionJob.job_id == job_id))
        assert done is not None
        tokens = (
            done.input_tokens + done.output_tokens + done.cache_creation_input_tokens + done.cache_read_input_tokens
        )
        return {
            "status": done.status,
            "llm_calls": done.llm_calls,
            "input_tokens": done.input_tokens,
            "output_tokens": done.output_tokens,
            "cache_tokens": done.cache_creation_input_tokens + done.cache_read_input_tokens,
            "tokens": tokens,
            "cost_usd": done.cost_usd,
            "changes": done.changes_detected,
        }


def tokens_per_entity(sites: str) -> dict[str, dict[str, Any]]:
    json_ld = _run_one("Perry Homes", f"{sites}/perry-homes/")
    plain = _run_one("Highland Homes", f"{sites}/highland-homes/")
    # The page without structured data again: it needed an LLM call the first time, not now.
    unchanged = _run_one("Highland Homes", f"{sites}/highland-homes/")
    return {
        "page with JSON-LD": json_ld,
        "page without structured data": plain,
        "same page, unchanged": unchanged,
    }


def _whole_answer_findings(variant: Any) -> list[Any]:
    """The former reader: the last JSON object with records, validated as a whole; nothing when it fails."""
    from pydantic import BaseModel, ValidationError

    from app.core.entities import NAME_FIELD
    from app.research.answers import ANSWERS, CHILD_LISTS, Sourced
    from app.research.findings import Evidence, Extractor, Finding, FoundValue

    text = ""
    for reply in variant.replies:
        text += "".join(block.get("text", "") for block in reply.body["content"] if block["type"] == "text")
        if reply.body["stop_reason"] != "max_tokens":
            break
    else:
        return []  # cut after the continuation: the former reader failed the job
    decoder = json.JSONDecoder()
    objects, index = [], text.find("{")
    while index != -1:
        try:
            value, end = decoder.raw_decode(text, index)
        except json.JSONDecodeError:
            index = text.find("{", index + 1)
            continue
        objects.append(value)
        index = text.find("{", end)
    chosen = [o for o in objects if isinstance(o, dict) and "records" in o]
    if not chosen:
        return []
    try:
        answer = ANSWERS[variant.entity_type].model_validate(chosen[-1])
    except ValidationError:
        return []

    def finding(kind: str, record: BaseModel) -> Any:
        found = Finding.model_validate({"kind": kind})
        for name in type(record).model_fields:
            value = getattr(record, name)
            if isinstance(value, Sourced):
                evidence = Evidence(source_url=value.source_url, quote=value.quote, extractor=Extractor.claude)
                found.fields[name] = FoundValue(value=value.value, evidence=evidence)
            elif name in CHILD_LISTS and value:
                child_kind = CHILD_LISTS[name][0]
                for item in value:
                    if isinstance(item, Sourced):
                        child = Finding.model_validate({"kind": child_kind})
                        evidence = Evidence(source_url=item.source_url, quote=item.quote, extractor=Extractor.claude)
                        child.fields[NAME_FIELD[child_kind]] = FoundValue(value=item.value, evidence=evidence)
                        found.children.append(child)
                    else:
                        found.children.append(finding(child_kind, item))
        return found

    findings = [finding(variant.entity_type, record) for record in getattr(answer, "records", [])]
    if variant.job_type == "update":
        findings = findings[:1]
        for item in findings:
            item.fields.pop("name", None)
            item.fields.pop("title", None)
    return findings


def answer_reading() -> dict[str, Any]:
    """Valid values kept and invalid ones proposed across the answer corpus, beside the former reader."""
    from app.core.config import get_settings
    from app.core.db import session_scope
    from app.research.claude import ClaudeResearcher
    from app.research.errors import PermanentResearchError
    from tests.fakes.answer_corpus import Score, corpus, request_for, score

    per_value, whole = Score(), Score()
    failed_jobs = {"per value": 0, "whole answer": 0}
    with FakeAnthropic() as fake:
        settings = get_settings().model_copy(update={"anthropic_base_url": fake.base_url})
        for variant in corpus():
            fake.script(*variant.replies)
            with session_scope() as session:
                try:
                    findings = ClaudeResearcher(settings).research(session, request_for(variant)).findings
                except PermanentResearchError:
                    findings = []
                    failed_jobs["per value"] += 1
            per_value.add(score(variant, findings))
            fake.queue.clear()
            old = _whole_answer_findings(variant)
            failed_jobs["whole answer"] += 0 if old else 1
            whole.add(score(variant, old))
    return {"variants": len(corpus()), "per value": per_value, "whole answer": whole, "failed": failed_jobs}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=16)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--latency", type=float, default=2.0, help="seconds each LLM call takes")
    args = parser.parse_args()

    responder = TokenCountingResponder()
    fake = FakeAnthropic(latency_seconds=args.latency, default=responder).start()
    from app.research.sample_sites import start_sample_sites_server

    sites_server, sites = start_sample_sites_server()
    database_url = f"postgresql+psycopg://root@127.0.0.1:5432/artitec_bench_{os.getpid()}"
    os.environ.update(
        {
            "ARTITEC_DATABASE_URL": database_url,
            # Redis database 14 unless the caller names another (several runs on one Redis must not share it).
            "ARTITEC_BROKER_URL": os.environ.get("ARTITEC_BROKER_URL", "redis://127.0.0.1:6379/14"),
            "ARTITEC_RUN_TASKS_EAGERLY": "false",
            "ARTITEC_ANTHROPIC_API_KEY": "bench-key",
            "ARTITEC_ANTHROPIC_BASE_URL": fake.base_url,
            "ARTITEC_FETCH_ALLOWED_HOSTS": '["127.0.0.1"]',
            "ARTITEC_PER_HOST_DELAY_SECONDS": "0",
            "ARTITEC_LOG_LEVEL": "WARNING",
            "ARTITEC_LOG_JSON": "false",
        }
    )
    _create_database(database_url)
    try:
        _migrate(database_url)
        import logging

        logging.getLogger().setLevel(logging.WARNING)
        print(f"pipeline bench: {args.jobs} builder refreshes, each LLM call {args.latency:.1f} s (fake Messages API)")
        result = throughput(args.jobs, args.concurrency)
        print(
            f"  one at a time          : {result['sequential_per_minute']:6.1f} jobs/min "
            f"({result['sequential_seconds']:.1f} s, {result['sequential_completed']:.0f} completed)"
        )
        print(
            f"  one worker, {args.concurrency} threads  : {result['worker_per_minute']:6.1f} jobs/min "
            f"({result['worker_seconds']:.1f} s, {result['worker_completed']:.0f} completed)"
        )
        print(f"  ratio                  : {result['worker_per_minute'] / result['sequential_per_minute']:.1f}x")

        print("LLM tokens per refreshed entity (auto researcher; plan: ~2,300 tokens, ~$0.03 per job)")
        for label, row in tokens_per_entity(sites).items():
            share = row["tokens"] / PLAN_TOKENS_PER_JOB
            cost_share = row["cost_usd"] / PLAN_COST_PER_JOB
            print(
                f"  {label:<30}: {row['tokens']:6d} tokens ({row['llm_calls']} call(s); in {row['input_tokens']}, "
                f"out {row['output_tokens']}, cache {row['cache_tokens']}) ${row['cost_usd']:.4f}  "
                f"= {share:.2f}x the plan's tokens, {cost_share:.2f}x its cost  [{row['status']}]"
            )

        reading = answer_reading()
        print(f"model answers read ({reading['variants']} variants of tests/fakes/answer_corpus.py, real SDK)")
        for label in ("per value", "whole answer"):
            row = reading[label]
            print(
                f"  {label:<12}: {row.valid_kept}/{row.valid} valid values kept ({row.valid_kept / row.valid:.0%}), "
                f"{row.invalid_proposed} invalid proposed, {reading['failed'][label]} answer(s) yielding nothing"
            )
    finally:
        from app.core.db import get_engine

        get_engine().dispose()
        _drop_database(database_url)
        fake.stop()
        sites_server.shutdown()


if __name__ == "__main__":
    main()
