"""Helpers for change tests: jobs and findings built directly from the research contract."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.orm import Session

from app.jobs.models import CollectionJob
from app.research.findings import Evidence, Extractor, Finding, FoundValue

OFFICIAL = "https://www.perryhomes.com/contact"


def make_job(session: Session, **overrides: Any) -> CollectionJob:
    values: dict[str, Any] = {"entity_type": "builder", "job_type": "update", "status": "completed"}
    values.update(overrides)
    job = CollectionJob(**values)
    session.add(job)
    session.flush()
    return job


def found(
    value: Any,
    *,
    url: str = OFFICIAL,
    extractor: Extractor = Extractor.json_ld,
    quote: str | None = None,
    source_type: str = "official_website",
) -> FoundValue:
    return FoundValue(
        value=value,
        evidence=Evidence(source_url=url, quote=quote or str(value), extractor=extractor, source_type=source_type),
    )


def finding(kind: str, children: list[Finding] | None = None, url: str = OFFICIAL, **fields: Any) -> Finding:
    """A finding whose values all come from ``url`` (values may also be FoundValue for other sources)."""
    return Finding(
        kind=kind,  # type: ignore[arg-type]
        fields={k: v if isinstance(v, FoundValue) else found(v, url=url) for k, v in fields.items()},
        children=children or [],
    )


@pytest.fixture
def job(session: Session) -> CollectionJob:
    return make_job(session)
