"""The job API: start collection jobs, follow them, cancel and retry them."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, status
from sqlalchemy.orm import Session

from app.auth.deps import CurrentAdmin
from app.changes import review_queue
from app.core.body import StrictJSONRoute
from app.core.deps import RecordId, SessionDep, SettingsDep
from app.core.errors import RESPONSES_404, RESPONSES_409, RESPONSES_429
from app.core.pagination import CursorParam, PageNumber, PageRequest
from app.jobs import service
from app.jobs.models import CollectionJob, JobStatus, JobType
from app.jobs.schemas import (
    BuilderCollectRequest,
    BuilderJobAccepted,
    CommunityCollectRequest,
    CommunityDiscoveryAccepted,
    CommunityJobAccepted,
    DiscoverCommunitiesRequest,
    DiscoverPropertiesGeneralRequest,
    DiscoverPropertiesRequest,
    JobList,
    JobRead,
    PropertyDiscoveryAccepted,
    PropertyDiscoveryGeneralAccepted,
    PropertyFilters,
)

router = APIRouter(tags=["collection jobs"], route_class=StrictJSONRoute)


def _read(session: Session, job: CollectionJob) -> JobRead:
    """The job status body, with the changes it proposed."""
    return JobRead.model_validate(
        service.job_detail(session, job, review_queue.job_changes_summary(session, job.job_id))
    )


CREATE_RESPONSES = {**RESPONSES_404, **RESPONSES_409, **RESPONSES_429}


def _job(session: SessionDep, job_id: Annotated[str, Path(max_length=50)]) -> CollectionJob:
    return service.get_job(session, job_id)


JobDep = Annotated[CollectionJob, Depends(_job)]


@router.post(
    "/builders/{builder_id}/collect",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=BuilderJobAccepted,
    responses=CREATE_RESPONSES,
    summary="Update a builder's data from the web",
)
def collect_builder(
    builder_id: RecordId, body: BuilderCollectRequest, session: SessionDep, settings: SettingsDep, admin: CurrentAdmin
) -> BuilderJobAccepted:
    job = service.request_builder_update(session, admin, builder_id, body, settings)
    return BuilderJobAccepted(
        job_id=job.job_id,
        builder_id=builder_id,
        status=job.status,
        estimated_completion=service.estimated_completion(session, job),
    )


@router.post(
    "/builders/{builder_id}/discover-properties",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=PropertyDiscoveryAccepted,
    responses=CREATE_RESPONSES,
    summary="Discover a builder's property inventory",
)
def discover_builder_properties(
    builder_id: RecordId,
    body: DiscoverPropertiesRequest,
    session: SessionDep,
    settings: SettingsDep,
    admin: CurrentAdmin,
) -> PropertyDiscoveryAccepted:
    job = service.request_builder_inventory(session, admin, builder_id, body, settings)
    return PropertyDiscoveryAccepted(
        job_id=job.job_id,
        builder_id=builder_id,
        builder_name=service.entity_name(session, job) or "",
        job_type=job.job_type,
        status=job.status,
    )


@router.post(
    "/communities/discover",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=CommunityDiscoveryAccepted,
    responses={**RESPONSES_409, **RESPONSES_429},
    summary="Discover new communities in an area",
)
def discover_communities(
    body: DiscoverCommunitiesRequest, session: SessionDep, settings: SettingsDep, admin: CurrentAdmin
) -> CommunityDiscoveryAccepted:
    job = service.request_community_discovery(session, admin, body, settings)
    return CommunityDiscoveryAccepted(
        job_id=job.job_id, search_area=service.search_area(body.location, body.radius_miles), status=job.status
    )


@router.post(
    "/communities/{community_id}/collect",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=CommunityJobAccepted,
    responses=CREATE_RESPONSES,
    summary="Update a community's data from the web",
)
def collect_community(
    community_id: RecordId,
    body: CommunityCollectRequest,
    session: SessionDep,
    settings: SettingsDep,
    admin: CurrentAdmin,
) -> CommunityJobAccepted:
    job = service.request_community_update(session, admin, community_id, body, settings)
    return CommunityJobAccepted(job_id=job.job_id, community_id=community_id, status=job.status)


@router.post(
    "/properties/discover",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=PropertyDiscoveryGeneralAccepted,
    responses=CREATE_RESPONSES,
    summary="Discover properties by location, builder, community and price",
)
def discover_properties(
    body: DiscoverPropertiesGeneralRequest, session: SessionDep, settings: SettingsDep, admin: CurrentAdmin
) -> PropertyDiscoveryGeneralAccepted:
    job = service.request_property_discovery(session, admin, body, settings)
    filters = PropertyFilters(
        location=body.location,
        builder_id=body.builder_id,
        community_id=body.community_id,
        price_range=service.price_range(body.price_min, body.price_max),
    )
    return PropertyDiscoveryGeneralAccepted(job_id=job.job_id, filters=filters, status=job.status)


@router.get(
    "/collection-jobs",
    response_model=JobList,
    summary="List collection jobs",
)
def list_jobs(
    session: SessionDep,
    entity_type: Annotated[str | None, Query(pattern="^(builder|community|property)$")] = None,
    status: Annotated[JobStatus | None, Query()] = None,
    job_type: Annotated[JobType | None, Query()] = None,
    page: PageNumber = 1,
    per_page: Annotated[int | None, Query(ge=1, le=100, description="rows per page, at most 100")] = None,
    limit: Annotated[int | None, Query(ge=1, le=100, description="the plan's name for per_page")] = None,
    cursor: CursorParam = None,
) -> JobList:
    paging = PageRequest(page=page, per_page=per_page or limit or 20, cursor=cursor)
    body = service.list_jobs(session, entity_type=entity_type, status=status, job_type=job_type, paging=paging)
    return JobList.model_validate(body)


@router.get(
    "/collection-jobs/{job_id}",
    response_model=JobRead,
    responses=RESPONSES_404,
    summary="A job's status, results, changes, usage, cost and timeline",
)
def get_job(job: JobDep, session: SessionDep) -> JobRead:
    return _read(session, job)


@router.post(
    "/collection-jobs/{job_id}/cancel",
    response_model=JobRead,
    responses={**RESPONSES_404, **RESPONSES_409},
    summary="Cancel a pending or running job",
)
def cancel_job(job: JobDep, session: SessionDep, admin: CurrentAdmin) -> JobRead:
    service.cancel_job(session, admin, job)
    return _read(session, job)


@router.post(
    "/collection-jobs/{job_id}/retry",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=JobRead,
    responses={**RESPONSES_404, **RESPONSES_409, **RESPONSES_429},
    summary="Run a failed or cancelled job again",
)
def retry_job(job: JobDep, session: SessionDep, settings: SettingsDep, admin: CurrentAdmin) -> JobRead:
    service.retry_job(session, admin, job, settings)
    return _read(session, job)
