"""Helpers of the matching tests: findings as research hands them over, and a discovery job."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.orm import Session

from app.jobs.models import CollectionJob
from app.research.findings import Evidence, Extractor, Finding, FoundValue

SOURCE = "https://communities.example.com/houston/"


def make_finding(kind: str, **values: Any) -> Finding:
    """A finding whose every value was read from one page's JSON-LD."""
    evidence = Evidence(source_url=SOURCE, quote=None, extractor=Extractor.json_ld)
    return Finding(kind=kind, fields={k: FoundValue(value=v, evidence=evidence) for k, v in values.items()})  # type: ignore[arg-type]


def make_job(session: Session, entity_type: str = "community", **overrides: Any) -> CollectionJob:
    values: dict[str, Any] = {"entity_type": entity_type, "job_type": "discovery", "status": "running"}
    values.update(overrides)
    job = CollectionJob(**values)
    session.add(job)
    session.flush()
    return job


@pytest.fixture
def job(session: Session) -> CollectionJob:
    return make_job(session)
