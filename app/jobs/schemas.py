"""Request and response bodies of the job endpoints, with the plan's examples."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    AnyHttpUrl,
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    UrlConstraints,
    model_validator,
)

from app.core.pagination import Page
from app.core.schema_types import RecordRef, Usd

ResearcherName = Literal["web", "claude", "auto"]


# The width of collection_jobs.target_url.
MAX_URL_LENGTH = 1024


def _no_credentials(url: AnyHttpUrl) -> AnyHttpUrl:
    if url.username or url.password:
        raise ValueError("a URL must not carry credentials")
    return url


def _fits(url: AnyHttpUrl) -> AnyHttpUrl:
    # The stored form is the normalized one (percent-encoded, punycode), so that is what is measured.
    if len(str(url)) > MAX_URL_LENGTH:
        raise ValueError(f"a URL may be at most {MAX_URL_LENGTH} characters")
    return url


# An http(s) URL without user:password; the fetch guard checks the address when the job runs. The input is
# bounded before parsing, the normalized form (which percent-encoding can lengthen) after.
TargetUrl = Annotated[
    AnyHttpUrl, UrlConstraints(max_length=MAX_URL_LENGTH), AfterValidator(_no_credentials), AfterValidator(_fits)
]


CHANGE_STATUSES = "pending, approved, applied, rejected, conflict, superseded, withdrawn or rolled_back"


class _Body(BaseModel):
    """What every job request may say about how to run it."""

    # An unknown field is a typo an admin should hear about, not something silently ignored.
    model_config = ConfigDict(extra="forbid")

    priority: int = Field(0, ge=0, le=10, description="0-10, higher is more urgent")
    auto_apply: StrictBool = Field(False, description="apply what policy allows when the job completes")
    researcher: ResearcherName | None = Field(None, description="web, claude or auto (default: auto)")
    force_refresh: StrictBool = Field(False, description="read pages again even if unchanged since last time")


class BuilderCollectRequest(_Body):
    search_query: str | None = Field(None, max_length=500, description="optional override of the search")
    target_url: TargetUrl | None = Field(None, description="a specific page to read (http or https)")

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "search_query": "Perry Homes Houston Texas",
                    "target_url": "https://perryhomes.com",
                    "priority": 5,
                    "auto_apply": False,
                }
            ]
        },
    )


class DiscoverPropertiesRequest(_Body):
    location_filter: str | None = Field(None, max_length=255)
    community_filter: str | None = Field(None, max_length=255)
    max_properties: int = Field(50, ge=1, le=500)

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"location_filter": "Houston, TX", "community_filter": "Cinco Ranch", "max_properties": 50}]
        },
    )


class CommunityCollectRequest(_Body):
    search_query: str | None = Field(None, max_length=500)
    target_url: TargetUrl | None = None
    include_builders: StrictBool = Field(True, description="also find the builders active in the community")
    include_amenities: StrictBool = True

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"search_query": "Cinco Ranch HOA Katy Texas", "include_builders": True, "include_amenities": True}
            ]
        },
    )


class DiscoverCommunitiesRequest(_Body):
    location: str = Field(min_length=2, max_length=255)
    radius_miles: int = Field(25, ge=1, le=200)
    min_homes: int | None = Field(None, ge=0)
    max_communities: int = Field(20, ge=1, le=100)
    target_url: TargetUrl | None = Field(None, description="a directory page to read")

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"location": "Houston, TX", "radius_miles": 25, "min_homes": 100, "max_communities": 20}]
        },
    )


class DiscoverPropertiesGeneralRequest(_Body):
    location: str | None = Field(None, max_length=255)
    builder_id: RecordRef | None = None
    community_id: RecordRef | None = None
    price_min: int | None = Field(None, ge=0, le=1_000_000_000)
    price_max: int | None = Field(None, ge=0, le=1_000_000_000)
    max_properties: int = Field(100, ge=1, le=500)
    target_url: TargetUrl | None = None

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "location": "Houston, TX",
                    "builder_id": 123,
                    "community_id": 456,
                    "price_min": 300000,
                    "price_max": 800000,
                    "max_properties": 100,
                }
            ]
        },
    )

    @model_validator(mode="after")
    def _price_range(self) -> DiscoverPropertiesGeneralRequest:
        if self.price_min is not None and self.price_max is not None and self.price_min > self.price_max:
            raise ValueError("price_min must not be greater than price_max")
        return self


# Responses


class BuilderJobAccepted(BaseModel):
    job_id: str
    builder_id: int
    status: str
    estimated_completion: datetime

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "job_id": "JOB-1699564234-ABC123",
                    "builder_id": 123,
                    "status": "pending",
                    "estimated_completion": "2025-11-24T15:30:00Z",
                }
            ]
        }
    )


class PropertyDiscoveryAccepted(BaseModel):
    job_id: str
    builder_id: int
    builder_name: str
    job_type: str
    status: str

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "job_id": "JOB-1699564234-ABC123",
                    "builder_id": 123,
                    "builder_name": "Perry Homes",
                    "job_type": "property_discovery",
                    "status": "pending",
                }
            ]
        }
    )


class CommunityJobAccepted(BaseModel):
    job_id: str
    community_id: int
    status: str

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"job_id": "JOB-1699564234-ABC123", "community_id": 456, "status": "pending"}]}
    )


class CommunityDiscoveryAccepted(BaseModel):
    job_id: str
    search_area: str
    status: str

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"job_id": "JOB-1699564234-ABC123", "search_area": "Houston, TX (25 miles)", "status": "pending"}
            ]
        }
    )


class PropertyFilters(BaseModel):
    location: str | None = None
    builder_id: int | None = None
    community_id: int | None = None
    price_range: str | None = None


class PropertyDiscoveryGeneralAccepted(BaseModel):
    job_id: str
    filters: PropertyFilters
    status: str

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "job_id": "JOB-1699564234-ABC123",
                    "filters": {"location": "Houston, TX", "builder_id": 123, "price_range": "300000-800000"},
                    "status": "pending",
                }
            ]
        }
    )


class JobResults(BaseModel):
    items_found: int
    changes_detected: int
    new_entities_found: int


class JobUsage(BaseModel):
    llm_calls: int
    input_tokens: int
    output_tokens: int
    cache_creation_input_tokens: int
    cache_read_input_tokens: int
    web_search_requests: int
    pages_fetched: int
    render_seconds: float = Field(0.0, description="seconds spent rendering pages that need JavaScript")


class JobEventRead(BaseModel):
    at: datetime
    kind: str
    message: str
    data: dict[str, Any] | None = None


def _left_out(value: Any) -> bool:
    return value is None


def _none_given(value: list[Any]) -> bool:
    return not value


EVIDENCE_EXAMPLE = [
    {
        "source_url": "https://www.perryhomes.com/contact",
        "quote": "Call us at (713) 555-0199",
        "extractor": "json_ld",
        "found_in_source": True,
    }
]


class FieldChangeSummary(BaseModel):
    """A proposed change to one field of a record (or of a child record such as an award)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "change_id": 1001,
                    "field": "phone",
                    "old": "(713) 555-0100",
                    "new": "(713) 555-0199",
                    "confidence": 0.95,
                }
            ]
        }
    )

    change_id: int = Field(examples=[1001])
    field: str = Field(examples=["phone"])
    old: Any = Field(description="the value now stored; null when the field is empty", examples=["(713) 555-0100"])
    new: Any = Field(description="the proposed value", examples=["(713) 555-0199"])
    entity_type: str | None = Field(
        None,
        description="only for a field of a child record (an award's title): a builder's, community's or home's own "
        "field leaves it out",
        examples=["award"],
        exclude_if=_left_out,
    )
    confidence: float = Field(description="0 to 1", examples=[0.95])
    status: str = Field(description=CHANGE_STATUSES)
    entity_id: int | None = Field(description="the record the field belongs to", examples=[123])
    source_url: str | None = Field(examples=["https://www.perryhomes.com/contact"])
    evidence: list[dict[str, Any]] = Field(
        description="where each value was found: source_url, quote, extractor, found_in_source",
        examples=[EVIDENCE_EXAMPLE],
    )
    alternatives: list[dict[str, Any]] = Field(
        default_factory=list,
        description="other values other sources read for the field: value, confidence, source, evidence, status; "
        "left out when no source disagrees",
        exclude_if=_none_given,
    )


class RecordChangeSummary(BaseModel):
    """A proposed child record (an award, an amenity) or a proposed new record (a community, a home)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "change_id": 1002,
                    "entity_type": "award",
                    "change_type": "added",
                    "data": {"title": "Best Builder 2024", "issuer": "Houston Business Journal"},
                    "confidence": 0.88,
                }
            ]
        }
    )

    change_id: int = Field(examples=[1002])
    entity_type: str = Field(examples=["award"])
    change_type: str = Field(description="added, modified or removed", examples=["added"])
    data: dict[str, Any] | None = Field(
        description="the record as proposed",
        examples=[{"title": "Best Builder 2024", "issuer": "Houston Business Journal"}],
    )
    is_new_entity: bool | None = Field(
        None, description="true for a proposed new record; left out otherwise", exclude_if=_left_out
    )
    confidence: float = Field(description="0 to 1", examples=[0.88])
    status: str = Field(description=CHANGE_STATUSES)
    entity_id: int | None = Field(description="the child record, once it exists; null while only proposed")
    source_url: str | None = Field(examples=["https://www.perryhomes.com/about"])
    evidence: list[dict[str, Any]] = Field(
        description="where each value was found: source_url, quote, extractor, found_in_source"
    )


class JobRead(BaseModel):
    job_id: str
    entity_type: str
    entity_id: int | None
    entity_name: str | None
    job_type: str
    status: str
    priority: int
    researcher: str
    auto_apply: bool
    parent_entity_type: str | None
    parent_entity_id: int | None
    search_query: str | None
    target_url: str | None
    search_filters: dict[str, Any] | None
    attempts: int
    initiated_by: str | None
    created_at: datetime
    started_at: datetime | None
    completed_at: datetime | None
    duration_seconds: int | None
    results: JobResults
    changes_summary: list[FieldChangeSummary | RecordChangeSummary] = Field(
        description="the job's changes, oldest first: each a field change or a child or new record"
    )
    usage: JobUsage
    cost_usd: Usd
    warnings: list[str]
    rejected_inputs: list[dict[str, Any]]
    error_message: str | None
    timeline: list[JobEventRead]

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "job_id": "JOB-1699564234-ABC123",
                    "entity_type": "builder",
                    "entity_id": 123,
                    "entity_name": "Perry Homes",
                    "job_type": "update",
                    "status": "completed",
                    "started_at": "2025-11-24T15:00:00Z",
                    "completed_at": "2025-11-24T15:02:30Z",
                    "duration_seconds": 150,
                    "results": {"items_found": 12, "changes_detected": 8, "new_entities_found": 0},
                    "changes_summary": [
                        {
                            "change_id": 1001,
                            "field": "phone",
                            "old": "(713) 555-0100",
                            "new": "(713) 555-0199",
                            "confidence": 0.95,
                        },
                        {
                            "change_id": 1002,
                            "entity_type": "award",
                            "change_type": "added",
                            "data": {"title": "Best Builder 2024", "issuer": "Houston Business Journal"},
                            "confidence": 0.88,
                        },
                    ],
                    "usage": {
                        "llm_calls": 1,
                        "input_tokens": 800,
                        "output_tokens": 1500,
                        "cache_creation_input_tokens": 0,
                        "cache_read_input_tokens": 0,
                        "web_search_requests": 1,
                        "pages_fetched": 3,
                        "render_seconds": 0.0,
                    },
                    "cost_usd": 0.0185,
                }
            ]
        }
    )


class JobListItem(BaseModel):
    job_id: str
    entity_type: str
    entity_id: int | None
    entity_name: str | None
    job_type: str
    status: str
    priority: int
    changes_detected: int
    cost_usd: Usd
    created_at: datetime
    started_at: datetime | None
    completed_at: datetime | None


class JobList(Page):
    jobs: list[JobListItem]

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "jobs": [
                        {
                            "job_id": "JOB-1699564234-ABC123",
                            "entity_type": "builder",
                            "entity_name": "Perry Homes",
                            "job_type": "update",
                            "status": "completed",
                            "changes_detected": 8,
                            "started_at": "2025-11-24T15:00:00Z",
                        }
                    ],
                    "total": 156,
                    "total_is_estimate": False,
                    "page": 1,
                    "per_page": 20,
                    "next_cursor": "WzIsWyIyMDI1LTExLTI0VDE1OjAwOjAwKzAwOjAwIiw5ODddXQ",
                }
            ]
        }
    )


class JobStatusChange(BaseModel):
    job_id: str
    status: str
    message: str
