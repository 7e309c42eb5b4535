"""Fixtures of the job tests: an admin, and a scripted researcher standing in for the web and the LLM."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from sqlalchemy.orm import Session

from app.auth.models import User
from app.collectors.base import BaseCollector
from app.research.findings import Evidence, Extractor, Finding, FoundValue, PageVisit, ResearchRequest, ResearchResult
from tests.factories import make_admin

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
