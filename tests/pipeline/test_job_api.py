"""The job endpoints: the plan's paths and JSON shapes, validation, 404s, opt-outs, cancel and retry."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.auth.models import User
from app.core.config import Settings, get_settings
from app.jobs import repository
from app.jobs.models import CollectionJob, JobStatus, JobType
from app.jobs.service import create_job
from app.research.errors import PermanentResearchError
from app.research.findings import ResearchResult
from app.sources.models import CollectionOptOut
from tests.factories import auth_headers, make_builder, make_community
from tests.ops.jobdata import make_change, make_job
from tests.pipeline.conftest import ScriptedResearch, finding, page_result

API = "/api/v1/admin"


def _job_row(session: Session, job_id: str) -> CollectionJob:
    session.expire_all()
    job = repository.get_job(session, job_id)
    assert job is not None
    return job


def _field_errors(response: object) -> list[str]:
    body = response.json()  # type: ignore[attr-defined]
    return [str(error["loc"][-1]) for error in body["detail"]]


# Creating jobs ---------------------------------------------------------------------------------


def test_builder_collect_answers_202_with_the_plans_fields_and_stores_the_request(
    client: TestClient, session: Session, admin: User, research: ScriptedResearch
) -> None:
    builder = make_builder(session, name="Perry Homes")
    body = {
        "search_query": "Perry Homes Houston Texas",
        "target_url": "https://perryhomes.example.com/",
        "priority": 5,
        "auto_apply": False,
        "researcher": "web",
        "force_refresh": True,
    }

    response = client.post(f"{API}/builders/{builder.id}/collect", json=body, headers=auth_headers(admin))

    assert response.status_code == 202
    data = response.json()
    assert set(data) == {"job_id", "builder_id", "status", "estimated_completion"}
    assert data["job_id"].startswith("JOB-") and data["builder_id"] == builder.id and data["status"] == "pending"
    assert datetime.fromisoformat(data["estimated_completion"]) > datetime.fromisoformat(
        _job_row(session, data["job_id"]).created_at.isoformat()
    )
    job = _job_row(session, data["job_id"])
    assert (job.entity_type, job.entity_id, job.job_type) == ("builder", builder.id, "update")
    assert job.priority == 5 and job.researcher == "web" and job.target_url == "https://perryhomes.example.com/"
    assert job.initiated_by == admin.user_id
    # The worker ran it after the request committed (in-process in tests), with the request's options.
    assert research.requests[0].force_refresh is True
    assert research.requests[0].search_query == "Perry Homes Houston Texas"


def test_builder_discover_properties_answers_with_builder_name_and_job_type(
    client: TestClient, session: Session, admin: User, research: ScriptedResearch
) -> None:
    builder = make_builder(session, name="Perry Homes")
    body = {"location_filter": "Houston, TX", "community_filter": "Cinco Ranch", "max_properties": 50}

    response = client.post(f"{API}/builders/{builder.id}/discover-properties", json=body, headers=auth_headers(admin))

    assert response.status_code == 202
    data = response.json()
    assert data == {
        "job_id": data["job_id"],
        "builder_id": builder.id,
        "builder_name": "Perry Homes",
        "job_type": "property_discovery",
        "status": "pending",
    }
    job = _job_row(session, data["job_id"])
    assert (job.entity_type, job.parent_entity_type, job.parent_entity_id) == ("property", "builder", builder.id)
    assert research.requests[0].filters == {"location": "Houston, TX", "community": "Cinco Ranch", "max_properties": 50}
    assert research.requests[0].max_items == 50


def test_community_collect_answers_202_and_keeps_include_options(
    client: TestClient, session: Session, admin: User, research: ScriptedResearch
) -> None:
    community = make_community(session, name="Cinco Ranch")
    body = {"search_query": "Cinco Ranch HOA Katy Texas", "include_builders": False, "include_amenities": True}

    response = client.post(f"{API}/communities/{community.id}/collect", json=body, headers=auth_headers(admin))

    assert response.status_code == 202
    assert response.json() == {"job_id": response.json()["job_id"], "community_id": community.id, "status": "pending"}
    job = _job_row(session, response.json()["job_id"])
    assert job.search_filters is not None and job.search_filters["include_builders"] is False


def test_discover_communities_answers_with_the_search_area(
    client: TestClient, admin: User, session: Session, research: ScriptedResearch
) -> None:
    body = {"location": "Houston, TX", "radius_miles": 25, "min_homes": 100, "max_communities": 20}

    response = client.post(f"{API}/communities/discover", json=body, headers=auth_headers(admin))

    assert response.status_code == 202
    assert response.json()["search_area"] == "Houston, TX (25 miles)"
    assert response.json()["status"] == "pending"
    job = _job_row(session, response.json()["job_id"])
    assert (job.entity_type, job.job_type, job.entity_id) == ("community", "discovery", None)
    assert research.requests[0].max_items == 20


def test_discover_properties_answers_with_its_filters(
    client: TestClient, session: Session, admin: User, research: ScriptedResearch
) -> None:
    builder = make_builder(session)
    body = {"location": "Houston, TX", "builder_id": builder.id, "price_min": 300000, "price_max": 800000}

    response = client.post(f"{API}/properties/discover", json=body, headers=auth_headers(admin))

    assert response.status_code == 202
    assert response.json()["filters"] == {
        "location": "Houston, TX",
        "builder_id": builder.id,
        "community_id": None,
        "price_range": "300000-800000",
    }
    job = _job_row(session, response.json()["job_id"])
    assert (job.entity_type, job.parent_entity_id) == ("property", builder.id)


# Validation: 422 naming the field ------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"priority": 11}, "priority"),
        ({"priority": -1}, "priority"),
        ({"target_url": "not a url"}, "target_url"),
        ({"target_url": "ftp://perryhomes.example.com/"}, "target_url"),
        ({"target_url": "file:///etc/passwd"}, "target_url"),
        ({"target_url": "https://user:secret@perryhomes.example.com/"}, "target_url"),
        ({"target_url": "https://perryhomes.example.com/" + "a" * 1000}, "target_url"),  # over the column's 1024
        ({"target_url": "https://perryhomes.example.com/" + "é" * 400}, "target_url"),  # 1024+ once percent-encoded
        ({"researcher": "gpt"}, "researcher"),
        ({"prioritee": 3}, "prioritee"),
    ],
)
def test_builder_collect_rejects_bad_bodies_naming_the_field(
    client: TestClient, session: Session, admin: User, body: dict[str, object], field: str
) -> None:
    builder = make_builder(session)

    response = client.post(f"{API}/builders/{builder.id}/collect", json=body, headers=auth_headers(admin))

    assert response.status_code == 422
    assert field in _field_errors(response)


def test_a_target_url_of_1024_characters_is_accepted(client: TestClient, session: Session, admin: User) -> None:
    builder = make_builder(session)
    url = "https://perryhomes.example.com/"
    url += "a" * (1024 - len(url))

    body = {"target_url": url}
    response = client.post(f"{API}/builders/{builder.id}/collect", json=body, headers=auth_headers(admin))

    assert response.status_code == 202
    job = repository.get_job(session, response.json()["job_id"])
    assert job is not None and job.target_url == url


@pytest.mark.parametrize("max_properties", [0, 501])
def test_discover_builder_properties_rejects_max_outside_1_to_500(
    client: TestClient, session: Session, admin: User, max_properties: int
) -> None:
    builder = make_builder(session)
    url = f"{API}/builders/{builder.id}/discover-properties"

    response = client.post(url, json={"max_properties": max_properties}, headers=auth_headers(admin))

    assert response.status_code == 422 and "max_properties" in _field_errors(response)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "location"),
        ({"location": "Houston, TX", "radius_miles": 0}, "radius_miles"),
        ({"location": "Houston, TX", "radius_miles": 201}, "radius_miles"),
        ({"location": "Houston, TX", "max_communities": 101}, "max_communities"),
        ({"location": "Houston, TX", "min_homes": -5}, "min_homes"),
    ],
)
def test_discover_communities_rejects_bad_bodies_naming_the_field(
    client: TestClient, admin: User, body: dict[str, object], field: str
) -> None:
    response = client.post(f"{API}/communities/discover", json=body, headers=auth_headers(admin))

    assert response.status_code == 422 and field in _field_errors(response)


def test_discover_properties_rejects_a_price_min_above_price_max(client: TestClient, admin: User) -> None:
    body = {"location": "Houston, TX", "price_min": 900000, "price_max": 300000}

    response = client.post(f"{API}/properties/discover", json=body, headers=auth_headers(admin))

    assert response.status_code == 422
    assert "price_min must not be greater than price_max" in response.text


@pytest.mark.parametrize("max_properties", [0, 501])
def test_discover_properties_rejects_max_outside_1_to_500(client: TestClient, admin: User, max_properties: int) -> None:
    body = {"location": "Houston, TX", "max_properties": max_properties}

    response = client.post(f"{API}/properties/discover", json=body, headers=auth_headers(admin))

    assert response.status_code == 422 and "max_properties" in _field_errors(response)


def test_community_collect_rejects_priority_above_10(client: TestClient, session: Session, admin: User) -> None:
    community = make_community(session)

    response = client.post(
        f"{API}/communities/{community.id}/collect", json={"priority": 11}, headers=auth_headers(admin)
    )

    assert response.status_code == 422 and "priority" in _field_errors(response)


# 404 and 409 ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "body", "named"),
    [
        ("/builders/987654/collect", {}, "builder 987654"),
        ("/builders/987654/discover-properties", {}, "builder 987654"),
        ("/communities/987654/collect", {}, "community 987654"),
        ("/properties/discover", {"location": "Houston, TX", "builder_id": 987654}, "builder 987654"),
        ("/properties/discover", {"location": "Houston, TX", "community_id": 987654}, "community 987654"),
    ],
)
def test_unknown_ids_give_404_naming_them(
    client: TestClient, session: Session, admin: User, path: str, body: dict[str, object], named: str
) -> None:
    response = client.post(f"{API}{path}", json=body, headers=auth_headers(admin))

    assert response.status_code == 404
    assert named in response.json()["detail"]
    assert session.scalar(select(CollectionJob.id)) is None


def test_an_opted_out_builder_is_refused_with_409(client: TestClient, session: Session, admin: User) -> None:
    builder = make_builder(session)
    session.add(CollectionOptOut(entity_type="builder", entity_id=builder.id, reason="asked by e-mail"))
    session.flush()

    for path in (f"/builders/{builder.id}/collect", f"/builders/{builder.id}/discover-properties"):
        response = client.post(f"{API}{path}", json={}, headers=auth_headers(admin))
        assert response.status_code == 409
        assert "opted out" in response.json()["detail"]


def test_auto_apply_needs_the_auto_apply_permission(client: TestClient, session: Session, admin: User) -> None:
    builder = make_builder(session)

    response = client.post(
        f"{API}/builders/{builder.id}/collect", json={"auto_apply": True}, headers=auth_headers(admin)
    )

    assert response.status_code == 403 and "auto-apply permission" in response.json()["detail"]


def test_job_creation_goes_through_the_job_limits(
    client: TestClient, session: Session, admin: User, research: ScriptedResearch, api_settings: Callable[..., Settings]
) -> None:

    api_settings(jobs_per_user_per_hour=1)
    builder = make_builder(session)
    url = f"{API}/builders/{builder.id}/collect"

    first = client.post(url, json={}, headers=auth_headers(admin))
    second = client.post(url, json={}, headers=auth_headers(admin))

    assert first.status_code == 202
    assert second.status_code == 429 and "Retry-After" in second.headers


# Reading jobs --------------------------------------------------------------------------------


def test_job_status_shows_results_changes_with_evidence_usage_and_timeline(
    client: TestClient, session: Session, admin: User, research: ScriptedResearch
) -> None:
    url = "https://perry.example.com/"
    research.then(page_result(url, "Perry Homes, call (713) 555-0199", finding("builder", url, phone="(713) 555-0199")))
    builder = make_builder(session, name="Perry Homes", phone="(713) 555-0100", website=url)
    job_id = client.post(f"{API}/builders/{builder.id}/collect", json={}, headers=auth_headers(admin)).json()["job_id"]

    response = client.get(f"{API}/collection-jobs/{job_id}", headers=auth_headers(admin))

    assert response.status_code == 200
    data = response.json()
    assert data["job_id"] == job_id and data["status"] == "completed"
    assert data["entity_type"] == "builder" and data["entity_id"] == builder.id and data["entity_name"] == "Perry Homes"
    assert data["job_type"] == "update" and isinstance(data["duration_seconds"], int)
    assert data["results"] == {"items_found": 1, "changes_detected": 1, "new_entities_found": 0}
    [change] = data["changes_summary"]
    assert change["field"] == "phone" and change["old"] == "(713) 555-0100"
    assert "7135550199" in str(change["new"]).replace("-", "").replace(" ", "") and 0 < change["confidence"] <= 1
    assert change["evidence"][0]["source_url"] == url
    assert set(data["usage"]) == {
        "llm_calls",
        "input_tokens",
        "output_tokens",
        "cache_creation_input_tokens",
        "cache_read_input_tokens",
        "web_search_requests",
        "pages_fetched",
        "render_seconds",
    }
    assert data["cost_usd"] is not None and data["error_message"] is None
    statuses = [e["data"]["status"] for e in data["timeline"] if e["kind"] == "status"]
    assert statuses == ["pending", "running", "completed"]


def test_changes_summary_has_the_plans_shape_for_field_changes_and_records(
    client: TestClient, session: Session, admin: User
) -> None:
    builder = make_builder(session, name="Perry Homes")
    job = make_job(session, entity_type="builder", entity_id=builder.id)
    url = "https://perry.example.com/about"
    evidence = [{"source_url": url, "quote": "Best Builder 2024", "extractor": "jsonld", "found_in_source": True}]
    shared = {"status": "pending", "source_url": url, "evidence": evidence}
    phone = make_change(
        session, job, entity_id=builder.id, old_value='"(713) 555-0100"', new_value='"(713) 555-0199"',
        confidence=0.95, **shared,
    )  # fmt: skip
    email = make_change(
        session, job, entity_id=builder.id, field_name="email", old_value=None, new_value='"sales@perry.example.com"',
        confidence=0.9, **shared,
    )  # fmt: skip
    award_title = make_change(
        session, job, entity_type="award", entity_id=77, field_name="title", old_value='"Best Builder"',
        new_value='"Best Builder 2024"', parent_entity_type="builder", parent_entity_id=builder.id, confidence=0.8,
        **shared,
    )  # fmt: skip
    award = make_change(
        session, job, entity_type="award", entity_id=None, field_name=None, change_type="added", is_new_entity=True,
        proposed_entity_data={"title": "Best Builder 2024", "issuer": "Houston Business Journal", "_identity": "x"},
        parent_entity_type="builder", parent_entity_id=builder.id, confidence=0.88, **shared,
    )  # fmt: skip

    response = client.get(f"{API}/collection-jobs/{job.job_id}", headers=auth_headers(admin))

    assert response.status_code == 200
    extras = {"status": "pending", "source_url": url, "evidence": evidence}
    assert response.json()["changes_summary"] == [
        # The plan's field change, exactly: no entity_type, change_type or data for a builder's own field.
        {"change_id": phone.id, "field": "phone", "old": "(713) 555-0100", "new": "(713) 555-0199",
         "confidence": 0.95, "entity_id": builder.id, **extras},
        # An empty field is an old value of null, not a missing key.
        {"change_id": email.id, "field": "email", "old": None, "new": "sales@perry.example.com", "confidence": 0.9,
         "entity_id": builder.id, **extras},
        # A child record's field says which kind of record it is.
        {"change_id": award_title.id, "field": "title", "old": "Best Builder", "new": "Best Builder 2024",
         "entity_type": "award", "confidence": 0.8, "entity_id": 77, **extras},
        # The plan's child record, without the bookkeeping keys of the proposed data.
        {"change_id": award.id, "entity_type": "award", "change_type": "added",
         "data": {"title": "Best Builder 2024", "issuer": "Houston Business Journal"}, "is_new_entity": True,
         "confidence": 0.88, "entity_id": None, **extras},
    ]  # fmt: skip


def test_changes_summary_models_are_in_the_openapi_with_the_plans_examples(client: TestClient) -> None:
    schemas = client.get("/openapi.json").json()["components"]["schemas"]
    kinds = schemas["JobRead"]["properties"]["changes_summary"]["items"]["anyOf"]
    assert [kind["$ref"].rsplit("/", 1)[-1] for kind in kinds] == ["FieldChangeSummary", "RecordChangeSummary"]
    field_change, record = schemas["FieldChangeSummary"], schemas["RecordChangeSummary"]
    assert {"change_id", "field", "old", "new", "confidence"} <= set(field_change["required"])
    assert {"change_id", "entity_type", "change_type", "data", "confidence"} <= set(record["required"])
    assert field_change["examples"] == [
        {"change_id": 1001, "field": "phone", "old": "(713) 555-0100", "new": "(713) 555-0199", "confidence": 0.95}
    ]
    assert record["examples"][0]["data"] == {"title": "Best Builder 2024", "issuer": "Houston Business Journal"}


def test_unknown_job_gives_404_naming_it(client: TestClient, admin: User) -> None:
    response = client.get(f"{API}/collection-jobs/JOB-0-NOPE00", headers=auth_headers(admin))

    assert response.status_code == 404 and "JOB-0-NOPE00" in response.json()["detail"]


def test_job_list_filters_and_pages(client: TestClient, session: Session, admin: User) -> None:
    builder = make_builder(session, name="Listed Builder")
    community = make_community(session, name="Listed Community")
    for _ in range(3):
        create_job(
            session,
            admin,
            entity_type="builder",
            entity_id=builder.id,
            job_type=JobType.update,
            settings=get_settings(),
        )
    done = create_job(
        session,
        admin,
        entity_type="community",
        entity_id=community.id,
        job_type=JobType.update,
        settings=get_settings(),
    )
    done.status = JobStatus.completed
    session.flush()
    headers = auth_headers(admin)

    builders = client.get(f"{API}/collection-jobs", params={"entity_type": "builder", "per_page": 2}, headers=headers)
    completed = client.get(f"{API}/collection-jobs", params={"status": "completed"}, headers=headers).json()
    page_two = client.get(
        f"{API}/collection-jobs", params={"entity_type": "builder", "per_page": 2, "page": 2}, headers=headers
    ).json()

    assert builders.status_code == 200
    body = builders.json()
    assert (body["total"], body["page"], body["per_page"], len(body["jobs"])) == (3, 1, 2, 2)
    assert body["jobs"][0]["entity_name"] == "Listed Builder"
    assert len(page_two["jobs"]) == 1
    assert [j["job_id"] for j in completed["jobs"]] == [done.job_id]
    assert completed["jobs"][0]["entity_name"] == "Listed Community"
    assert client.get(f"{API}/collection-jobs", params={"job_type": "update"}, headers=headers).json()["total"] == 4


@pytest.mark.parametrize(
    ("params", "field"),
    [({"per_page": 101}, "per_page"), ({"status": "done"}, "status"), ({"entity_type": "plan"}, "entity_type")],
)
def test_job_list_rejects_bad_filters(client: TestClient, admin: User, params: dict[str, object], field: str) -> None:
    response = client.get(f"{API}/collection-jobs", params=params, headers=auth_headers(admin))

    assert response.status_code == 422 and field in _field_errors(response)


# Cancel and retry ----------------------------------------------------------------------------


def test_cancel_moves_a_pending_job_to_cancelled_and_refuses_a_finished_one(
    client: TestClient, session: Session, admin: User
) -> None:
    builder = make_builder(session)
    job = create_job(
        session, admin, entity_type="builder", entity_id=builder.id, job_type=JobType.update, settings=get_settings()
    )
    url = f"{API}/collection-jobs/{job.job_id}/cancel"

    first = client.post(url, headers=auth_headers(admin))
    again = client.post(url, headers=auth_headers(admin))

    assert first.status_code == 200 and first.json()["status"] == "cancelled"
    assert again.status_code == 409 and "cancelled" in again.json()["detail"]
    assert client.post(f"{API}/collection-jobs/JOB-0-NOPE00/cancel", headers=auth_headers(admin)).status_code == 404


def test_retry_runs_a_failed_job_again_and_refuses_a_pending_one(
    client: TestClient, session: Session, admin: User, research: ScriptedResearch
) -> None:
    research.then(PermanentResearchError("site answered 503"), ResearchResult())
    builder = make_builder(session)
    job_id = client.post(f"{API}/builders/{builder.id}/collect", json={}, headers=auth_headers(admin)).json()["job_id"]
    assert _job_row(session, job_id).status == JobStatus.failed

    retried = client.post(f"{API}/collection-jobs/{job_id}/retry", headers=auth_headers(admin))

    assert retried.status_code == 202 and retried.json()["status"] == "pending"
    job = _job_row(session, job_id)
    assert job.status == JobStatus.completed and job.error_message is None and job.attempts == 2  # both attempts
    refused = client.post(f"{API}/collection-jobs/{job_id}/retry", headers=auth_headers(admin))
    assert refused.status_code == 409 and "completed" in refused.json()["detail"]


def test_duration_of_a_running_job_read_back_without_its_zone(session: Session, admin: User) -> None:
    """SQLite (the quickstart) returns timestamps without their zone; the status must still answer."""
    from datetime import timedelta

    from app.core.db import utcnow
    from app.jobs.service import duration_seconds

    builder = make_builder(session)
    job = create_job(
        session, admin, entity_type="builder", entity_id=builder.id, job_type=JobType.update, settings=get_settings()
    )
    job.status = JobStatus.running
    job.started_at = (utcnow() - timedelta(seconds=90)).replace(tzinfo=None)

    assert duration_seconds(job) is not None and duration_seconds(job) >= 90  # type: ignore[operator]
