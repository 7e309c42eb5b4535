"""Jobs refused before any work: a record whose own website opted out, and a retry over the job limits."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.auth.models import User
from app.core.config import Settings
from app.jobs import repository
from app.jobs.models import CollectionJob, JobRetry, JobStatus
from app.research.errors import PermanentResearchError
from app.sources.models import CollectionOptOut
from tests.factories import auth_headers, make_builder, make_community
from tests.pipeline.conftest import ScriptedResearch

API = "/api/v1/admin"


def _opt_out_domain(session: Session, domain: str) -> None:
    session.add(CollectionOptOut(domain=domain, reason="asked by e-mail"))
    session.flush()


def _job_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(CollectionJob)) or 0


def test_a_builder_whose_website_opted_out_is_refused_with_409(
    client: TestClient, session: Session, admin: User, research: ScriptedResearch
) -> None:
    builder = make_builder(session, website="https://www.quiethomes.com/")
    _opt_out_domain(session, "quiethomes.com")

    for path in (f"/builders/{builder.id}/collect", f"/builders/{builder.id}/discover-properties"):
        response = client.post(f"{API}{path}", json={}, headers=auth_headers(admin))
        assert response.status_code == 409, path
        detail = response.json()["detail"]
        assert f"builder {builder.id}'s website quiethomes.com has opted out" in detail
    assert _job_count(session) == 0 and research.requests == []


def test_a_community_whose_website_opted_out_is_refused_with_409(
    client: TestClient, session: Session, admin: User, research: ScriptedResearch
) -> None:
    community = make_community(session, community_website_url="https://quietoaks.com/")
    _opt_out_domain(session, "quietoaks.com")

    collect = client.post(f"{API}/communities/{community.id}/collect", json={}, headers=auth_headers(admin))
    discover = client.post(
        f"{API}/properties/discover",
        json={"location": "Katy, TX", "community_id": community.id},
        headers=auth_headers(admin),
    )

    assert collect.status_code == 409 and "website quietoaks.com has opted out" in collect.json()["detail"]
    assert discover.status_code == 409 and "website quietoaks.com has opted out" in discover.json()["detail"]
    assert _job_count(session) == 0


def test_another_domains_opt_out_does_not_refuse_the_builder(
    client: TestClient, session: Session, admin: User, research: ScriptedResearch
) -> None:
    builder = make_builder(session, website="https://www.perryhomes.com/")
    _opt_out_domain(session, "notperryhomes.com")

    response = client.post(f"{API}/builders/{builder.id}/collect", json={}, headers=auth_headers(admin))

    assert response.status_code == 202


def _failed_job(client: TestClient, session: Session, admin: User, research: ScriptedResearch) -> str:
    research.then(PermanentResearchError("site answered 503"))
    builder = make_builder(session)
    job_id = client.post(f"{API}/builders/{builder.id}/collect", json={}, headers=auth_headers(admin)).json()["job_id"]
    session.expire_all()
    job = repository.get_job(session, job_id)
    assert job is not None and job.status == JobStatus.failed
    return str(job_id)


def test_a_retry_over_the_job_limit_answers_429_and_leaves_the_job_failed(
    client: TestClient, session: Session, admin: User, research: ScriptedResearch, api_settings: Callable[..., Settings]
) -> None:
    job_id = _failed_job(client, session, admin, research)
    api_settings(jobs_per_user_per_hour=1)  # the failed job used the hour's one

    response = client.post(f"{API}/collection-jobs/{job_id}/retry", headers=auth_headers(admin))

    assert response.status_code == 429 and "Retry-After" in response.headers
    assert "per-user limit" in response.json()["detail"]
    session.expire_all()
    job = repository.get_job(session, job_id)
    assert job is not None and job.status == JobStatus.failed
    assert len(research.requests) == 1  # no second run
    # Nothing of the refused retry is kept: no retry counted, no event in the job's timeline.
    assert session.scalar(select(func.count()).select_from(JobRetry)) == 0
    assert not any("retry requested" in e.message for e in repository.events(session, job_id))


def test_a_retry_over_the_system_limit_answers_429(
    client: TestClient, session: Session, admin: User, research: ScriptedResearch, api_settings: Callable[..., Settings]
) -> None:
    job_id = _failed_job(client, session, admin, research)
    api_settings(jobs_per_day_system=1)

    response = client.post(f"{API}/collection-jobs/{job_id}/retry", headers=auth_headers(admin))

    assert response.status_code == 429 and "system-wide limit" in response.json()["detail"]


def test_a_retry_under_the_limit_still_runs_and_uses_one_of_the_hours_jobs(
    client: TestClient, session: Session, admin: User, research: ScriptedResearch, api_settings: Callable[..., Settings]
) -> None:
    job_id = _failed_job(client, session, admin, research)
    api_settings(jobs_per_user_per_hour=2)

    response = client.post(f"{API}/collection-jobs/{job_id}/retry", headers=auth_headers(admin))

    assert response.status_code == 202 and len(research.requests) == 2
    # The failed job and its retry are the hour's two: a new job, or another retry, waits.
    builder = make_builder(session)
    created = client.post(f"{API}/builders/{builder.id}/collect", json={}, headers=auth_headers(admin))
    assert created.status_code == 429 and "2 of 2" in created.json()["detail"]
    assert "retries included" in created.json()["detail"]
    session.expire_all()
    (retry,) = session.scalars(select(JobRetry)).all()
    assert (retry.job_id, retry.retried_by) == (job_id, admin.user_id)


def test_a_retry_after_the_website_opted_out_is_refused_with_409(
    client: TestClient, session: Session, admin: User, research: ScriptedResearch
) -> None:
    job_id = _failed_job(client, session, admin, research)
    job = repository.get_job(session, job_id)
    assert job is not None and job.entity_id is not None
    builder = repository.get_entity(session, "builder", job.entity_id)
    _opt_out_domain(session, builder.website.split("//")[1].split("/")[0])

    response = client.post(f"{API}/collection-jobs/{job_id}/retry", headers=auth_headers(admin))

    assert response.status_code == 409 and "has opted out" in response.json()["detail"]
    assert len(research.requests) == 1


def test_retrying_a_completed_job_is_a_409_even_over_the_limit(
    client: TestClient, session: Session, admin: User, research: ScriptedResearch, api_settings: Callable[..., Settings]
) -> None:
    builder = make_builder(session)
    job_id = client.post(f"{API}/builders/{builder.id}/collect", json={}, headers=auth_headers(admin)).json()["job_id"]
    api_settings(jobs_per_user_per_hour=1)

    response = client.post(f"{API}/collection-jobs/{job_id}/retry", headers=auth_headers(admin))

    assert response.status_code == 409 and "completed" in response.json()["detail"]
