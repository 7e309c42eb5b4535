"""Fixtures of the job tests: an admin, and a scripted researcher standing in for the web and the LLM."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import redis
from sqlalchemy.orm import Session

from app.auth.models import User
from app.collectors.base import BaseCollector
from app.core.config import get_settings
from app.research.findings import Evidence, Extractor, Finding, FoundValue, PageVisit, ResearchRequest, ResearchResult
from app.worker import celery_app
from tests.factories import make_admin

ROOT = Path(__file__).resolve().parents[2]

Step = ResearchResult | BaseException | Callable[[Session, ResearchRequest], ResearchResult]


class ScriptedResearch:
    """Answers each research call with the next scripted step (a result, an error to raise, or a function)."""

    def __init__(self) -> None:
        self.steps: list[Step] = []
        self.requests: list[ResearchRequest] = []

    def then(self, *steps: Step) -> ScriptedResearch:
        self.steps.extend(steps)
        return self

    def __call__(self, collector: BaseCollector, request: ResearchRequest) -> ResearchResult:
        self.requests.append(request)
        collector.outcome.researcher = "scripted"
        step = self.steps.pop(0) if self.steps else ResearchResult()
        if isinstance(step, BaseException):
            raise step
        if callable(step):
            return step(collector.session, request)
        return step


@pytest.fixture
def research(monkeypatch: pytest.MonkeyPatch) -> Iterator[ScriptedResearch]:
    scripted = ScriptedResearch()
    monkeypatch.setattr(BaseCollector, "research", lambda self, request: scripted(self, request))
    yield scripted


@pytest.fixture
def admin(session: Session) -> User:
    return make_admin(session)


def found(value: Any, url: str = "https://builder.example.com/", quote: str | None = None) -> FoundValue:
    return FoundValue(
        value=value, evidence=Evidence(source_url=url, quote=quote or str(value), extractor=Extractor.json_ld)
    )


def finding(kind: str, url: str = "https://builder.example.com/", **fields: Any) -> Finding:
    return Finding(kind=kind, fields={name: found(v, url) for name, v in fields.items()})  # type: ignore[arg-type]


def page_result(url: str, text: str, *findings: Finding) -> ResearchResult:
    return ResearchResult(
        findings=list(findings),
        pages=[PageVisit(url=url, outcome="fetched", status_code=200, finding_count=len(findings))],
        source_texts={url: text},
    )


# The bundled sample sites, shared with the collector tests (the end-to-end test reads them too).
from tests.collectors.conftest import sample_sites  # noqa: E402, F401


def _forget_queue(queue: str) -> None:
    """Deletes the queue's messages and the bindings kombu keeps of it (they never expire on their own)."""
    client = redis.Redis.from_url(get_settings().broker_url)
    try:
        client.delete(queue, *client.keys(f"{queue}:*"), f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}")
    finally:
        client.close()


class RealWorker:
    """A real worker process on a queue of its own, so parallel test runs never take each other's tasks."""

    def __init__(self, pool: str = "threads", concurrency: int = 2) -> None:
        self.queue = f"jobs-e2e-{uuid.uuid4().hex[:12]}"
        env = {
            **os.environ,
            "ARTITEC_BROKER_URL": get_settings().broker_url,
            "ARTITEC_RUN_TASKS_EAGERLY": "false",
            "ARTITEC_FETCH_ALLOWED_HOSTS": '["127.0.0.1"]',
            "ARTITEC_PER_HOST_DELAY_SECONDS": "0",
        }
        celery = Path(sys.executable).parent / "celery"
        command = [str(celery), "-A", "app.worker", "worker", "-Q", self.queue, "--pool", pool, "-c", str(concurrency)]
        command += ["--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel", "INFO"]
        self.process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)

    def pool_processes(self) -> list[int]:
        """The pids of a prefork worker's pool processes (its children)."""
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()] if children.exists() else []

    def stop(self) -> None:
        _forget_queue(self.queue)
        self.process.terminate()
        try:
            output, _ = self.process.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            output, _ = self.process.communicate()
        print(output.decode(errors="replace")[-4000:])  # shown when the test fails


@contextmanager
def sending_to(worker: RealWorker, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """This process sends tasks for real (not in-process), to the worker's own queue."""
    was_eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    original_send = celery_app.send_task
    monkeypatch.setattr(
        celery_app,
        "send_task",
        lambda name, *args, **options: original_send(name, *args, queue=worker.queue, **options),
    )
    try:
        yield
    finally:
        celery_app.conf.task_always_eager = was_eager


@pytest.fixture
def worker_queue(monkeypatch: pytest.MonkeyPatch, sample_sites: str) -> Iterator[str]:  # noqa: F811
    """A real worker (threads, as the Dockerfile runs it) on a queue of its own; yields the queue."""
    worker = RealWorker()
    try:
        with sending_to(worker, monkeypatch):
            yield worker.queue
    finally:
        worker.stop()
