"""Collection with the auto researcher: structured data first, then every open field the model quotes;
a provider outage never costs what structured data found, and the next refresh asks the model again."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.auth.models import User
from app.changes.models import CollectionChange
from app.core.config import get_settings
from app.jobs import repository
from app.jobs.models import CollectionJob, JobStatus, JobType
from app.jobs.service import create_job
from app.ops.refresh import refresh_stale_records
from app.pipeline.tasks import run_collection_job
from tests.factories import make_community
from tests.fakes.anthropic_server import FakeAnthropic, Reply, answer, error, sourced, text_answer
from tests.research.conftest import Route, ScriptedSite

PAGE_TEXT = (
    "Elyson is a master-planned community in Katy. It spans 3,600 acres and is served by Katy ISD. "
    "About 1,850 homes are planned."
)


def community_page() -> str:
    data = {
        "@context": "https://schema.org",
        "@type": "GatedResidenceCommunity",
        "name": "Elyson",
        "address": {"@type": "PostalAddress", "addressLocality": "Katy", "addressRegion": "TX", "postalCode": "77493"},
    }
    return (
        f'<html><head><script type="application/ld+json">{json.dumps(data)}</script></head>'
        f"<body><h1>Elyson</h1><p>{PAGE_TEXT}</p></body></html>"
    )


@pytest.fixture
def site(allow_localhost: None) -> Iterator[ScriptedSite]:
    scripted = ScriptedSite()
    scripted.routes["/"] = Route(200, community_page())
    yield scripted
    scripted.close()


def _run(session: Session, job: CollectionJob) -> CollectionJob:
    run_collection_job.apply(args=[job.job_id])
    session.expire_all()
    done = repository.get_job(session, job.job_id)
    assert done is not None
    return done


def _collect(session: Session, admin: User, community_id: int, researcher: str = "auto") -> CollectionJob:
    job = create_job(
        session,
        admin,
        entity_type="community",
        entity_id=community_id,
        job_type=JobType.update,
        researcher=researcher,
        settings=get_settings(),
    )
    return _run(session, job)


def _changes(session: Session, job: CollectionJob) -> dict[str, CollectionChange]:
    rows = session.scalars(select(CollectionChange).where(CollectionChange.job_id == job.job_id)).all()
    return {row.field_name or "": row for row in rows}


def _model_answer(url: str) -> Reply:
    return answer(
        [
            {
                "total_acres": sourced("3,600 acres", url, "It spans 3,600 acres"),
                "school_district": sourced("Katy ISD", url, "served by Katy ISD"),
                "homes": sourced("1,850", url, "About 1,850 homes are planned"),
            }
        ]
    )


def _always_overloaded(_body: dict[str, Any]) -> Reply:
    return error(529, "Overloaded")


def test_every_open_field_the_model_quotes_is_kept(
    session: Session, admin: User, fake: FakeAnthropic, site: ScriptedSite
) -> None:
    url = f"{site.base_url}/"
    community = make_community(session, name="Elyson", community_website_url=url)
    fake.script(_model_answer(url))

    job = _collect(session, admin, community.id)

    assert job.status == JobStatus.completed, job.error_message
    changes = _changes(session, job)
    assert json.loads(changes["total_acres"].new_value or "null") == 3600
    assert json.loads(changes["school_district"].new_value or "null") == "Katy ISD"
    assert json.loads(changes["homes"].new_value or "null") == 1850
    # The quotes are in the page's text: the values pass the evidence check.
    assert all(changes[name].confidence > 0.35 for name in ("total_acres", "school_district", "homes"))
    assert changes["postal_code"].evidence[0]["extractor"] == "json_ld"  # structured data still answers first
    [sent] = fake.requests
    asked = sent.body["messages"][0]["content"]
    assert "total_acres" in asked and "school_district" in asked
    assert "postal_code" not in asked.split("Only these fields are needed:")[1].split("\n")[0]
    assert job.llm_outage is False


def test_an_outage_keeps_the_structured_findings_and_the_next_refresh_asks_the_model_again(
    session: Session, admin: User, fake: FakeAnthropic, site: ScriptedSite
) -> None:
    url = f"{site.base_url}/"
    community = make_community(session, name="Elyson", community_website_url=url)
    fake.default = _always_overloaded

    during = _collect(session, admin, community.id)

    assert during.status == JobStatus.completed, during.error_message
    assert set(_changes(session, during)) == {"postal_code"}
    assert during.llm_outage is True
    assert any("529" in w and "Overloaded" in w and "next scheduled refresh" in w for w in during.warnings or [])
    assert len(fake.requests) == 3  # the SDK's own retries, then no more calls

    # The provider is back. The page did not change, yet the model was never asked about it.
    fake.default = None
    fake.script(_model_answer(url))
    created = refresh_stale_records(session, get_settings()).created
    [refresh] = session.scalars(select(CollectionJob).where(CollectionJob.job_id.in_(created))).all()
    assert (refresh.entity_id, refresh.researcher) == (community.id, "auto")

    after = _run(session, refresh)

    assert after.status == JobStatus.completed, after.error_message
    assert after.llm_calls == 1 and after.llm_outage is False
    assert {"total_acres", "school_district", "homes"} <= set(_changes(session, after))
    # Now the record is checked: no refresh for it until its cadence has passed.
    assert community.id not in [
        job.entity_id
        for job in session.scalars(
            select(CollectionJob).where(
                CollectionJob.job_id.in_(refresh_stale_records(session, get_settings()).created)
            )
        )
    ]


def test_an_unusable_answer_keeps_the_structured_findings(
    session: Session, admin: User, fake: FakeAnthropic, site: ScriptedSite
) -> None:
    url = f"{site.base_url}/"
    community = make_community(session, name="Elyson", community_website_url=url)
    fake.script(text_answer("Elyson looks like a lovely place."), text_answer("Sorry, I cannot format that."))

    job = _collect(session, admin, community.id)

    assert job.status == JobStatus.completed, job.error_message
    assert set(_changes(session, job)) == {"postal_code"}
    assert any("Claude not used" in w and "Sorry, I cannot format that." in w for w in job.warnings or [])
    assert job.llm_calls == 2 and job.llm_outage is False


def test_an_outage_with_nothing_found_is_retried_then_fails(
    session: Session, admin: User, fake: FakeAnthropic, site: ScriptedSite
) -> None:
    site.routes["/"] = Route(200, "<html><body><p>Coming soon.</p></body></html>")
    community = make_community(session, name="Elyson", community_website_url=f"{site.base_url}/")
    fake.default = _always_overloaded

    job = _collect(session, admin, community.id)

    assert job.status == JobStatus.failed
    assert job.error_message is not None and "529" in job.error_message
