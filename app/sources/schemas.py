"""Request and response bodies of the sources and opt-outs admin API."""

from __future__ import annotations

import ipaddress
import re
from datetime import datetime
from typing import Any, Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, StrictBool, field_validator, model_validator

from app.core.entities import RecordTypeName
from app.core.pagination import Page

SourceTypeName = Literal["official_website", "directory", "mls", "review_site", "search"]
OptOutEntityType = RecordTypeName

_HOST = re.compile(r"^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$")

PERRY_SOURCE: dict[str, Any] = {
    "source_id": "SRC-1699564234-XYZ123",
    "source_name": "Perry Homes Official Website",
    "source_url": "https://www.perryhomes.com/",
    "domain": "perryhomes.com",
    "source_type": "official_website",
    "entity_types": ["builder", "property"],
    "reliability_score": 0.82,
    "approved_changes": 14,
    "rejected_changes": 2,
    "total_collections": 20,
    "successful_collections": 19,
    "failed_collections": 1,
    "last_collected_at": "2025-11-09T14:30:00Z",
    "approved": True,
    "last_accessed": "2025-11-09T14:30:00Z",
    "access_count_today": 12,
    "rate_limit_per_day": 100,
    "is_active": True,
    "render": False,
    "is_blocked": False,
    "blocked_until": None,
    "blocked_reason": None,
    "created_at": "2025-10-01T09:00:00Z",
    "updated_at": "2025-11-09T14:30:00Z",
}


class SourceRead(BaseModel):
    """A collection source with its reliability, review counts and rate-limit state."""

    model_config = ConfigDict(from_attributes=True, json_schema_extra={"examples": [PERRY_SOURCE]})

    source_id: str
    source_name: str
    source_url: str
    domain: str
    source_type: str
    entity_types: list[str] | None
    reliability_score: float = Field(description="0-1, a Beta posterior of this source's approved and rejected changes")
    approved_changes: int = Field(description="changes from this source an admin approved or applied")
    rejected_changes: int = Field(description="changes from this source an admin rejected")
    total_collections: int = Field(description="jobs that requested pages from this source")
    successful_collections: int = Field(description="of those, jobs that got a page back")
    failed_collections: int = Field(description="of those, jobs that got no page (errors, refusals, back-offs)")
    last_collected_at: datetime | None = Field(description="when a job last got a page from this source")
    approved: bool = Field(description="added or approved by an admin: discovery jobs revisit it")
    last_accessed: datetime | None
    access_count_today: int = Field(description="requests sent to this source today (UTC)")
    rate_limit_per_day: int = Field(description="requests allowed per day; beyond it the source is skipped")
    is_active: bool
    render: bool = Field(description="its pages are rendered in headless Chromium (a site that needs JavaScript)")
    is_blocked: bool = Field(description="true while blocked_until is in the future")
    blocked_until: datetime | None = Field(description="set when the source answered 429 or 403: no requests until")
    blocked_reason: str | None
    created_at: datetime
    updated_at: datetime


class SourceList(Page):
    sources: list[SourceRead]


class SourceUpdate(BaseModel):
    """Only the fields sent change. Send ``blocked_until: null`` to lift a back-off now."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"source_type": "directory", "rate_limit_per_day": 50},
                {"blocked_until": None},
                {"is_active": False},
                {"approved": True},
                {"render": True},
            ]
        },
    )

    source_name: str | None = Field(None, min_length=1, max_length=255)
    source_type: SourceTypeName | None = None
    is_active: StrictBool | None = None
    approved: StrictBool | None = Field(None, description="true: discovery jobs revisit this source")
    render: StrictBool | None = Field(None, description="render its pages in headless Chromium")
    rate_limit_per_day: int | None = Field(None, ge=0, le=100_000)
    blocked_until: datetime | None = Field(None, description="null lifts a back-off; a time blocks until then")
    blocked_reason: str | None = Field(None, max_length=500)

    @model_validator(mode="after")
    def _no_nulls_except_unblock(self) -> SourceUpdate:
        for name in ("source_name", "source_type", "is_active", "approved", "render", "rate_limit_per_day"):
            if name in self.model_fields_set and getattr(self, name) is None:
                raise ValueError(f"{name} cannot be null")
        return self


class SourceCreate(BaseModel):
    """A source an admin adds (a directory listing communities, say): discovery jobs visit it."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "source_url": "https://www.houstonnewhomes.com/communities/",
                    "source_type": "directory",
                    "entity_types": ["community"],
                    "source_name": "Houston New Homes directory",
                }
            ]
        },
    )

    source_url: str = Field(max_length=1024, description="the page discovery starts from (http or https)")
    source_type: SourceTypeName = "directory"
    entity_types: list[OptOutEntityType] | None = Field(
        None, max_length=3, description="what it lists; null: every kind"
    )
    source_name: str | None = Field(None, min_length=1, max_length=255)

    @field_validator("source_url")
    @classmethod
    def _public_web_page(cls, value: str) -> str:
        parts = urlsplit(value.strip())
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError("source_url must be an http or https URL")
        if parts.username is not None or parts.password is not None:
            raise ValueError("source_url must not carry credentials")
        try:
            address = ipaddress.ip_address(parts.hostname)
        except ValueError:
            return value.strip()
        if not address.is_global:
            raise ValueError(f"source_url points at a non-public address ({address})")
        return value.strip()


class OptOutCreate(BaseModel):
    """A site (by domain) or one record that must not be collected."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"domain": "perryhomes.com", "reason": "Builder asked by e-mail on 2025-11-09"},
                {"entity_type": "community", "entity_id": 456, "reason": "HOA board request"},
            ]
        },
    )

    domain: str | None = Field(
        None,
        max_length=255,
        description="a domain or URL; stored as its registered domain (www.perryhomes.com -> perryhomes.com)",
    )
    entity_type: OptOutEntityType | None = None
    entity_id: int | None = Field(None, ge=1)
    reason: str | None = Field(None, max_length=2000)

    @field_validator("domain")
    @classmethod
    def _domain(cls, value: str | None) -> str | None:
        if value is None:
            return None
        from app.sources.bookkeeping import registered_domain

        text = value.strip().lower()
        host_text = text if "://" in text else f"http://{text}"
        domain = registered_domain(host_text)
        if not domain or not _HOST.match(domain):
            raise ValueError(f"not a domain or URL: {value!r}")
        return domain

    @model_validator(mode="after")
    def _target(self) -> OptOutCreate:
        if (self.entity_type is None) != (self.entity_id is None):
            raise ValueError("entity_type and entity_id go together: send both or neither")
        if self.domain is None and self.entity_type is None:
            raise ValueError("send a domain, or an entity_type with an entity_id")
        return self


class OptOutRead(BaseModel):
    model_config = ConfigDict(
        from_attributes=True,
        json_schema_extra={
            "examples": [
                {
                    "id": 1,
                    "domain": "perryhomes.com",
                    "entity_type": None,
                    "entity_id": None,
                    "reason": "Builder asked by e-mail on 2025-11-09",
                    "created_by": "USR-1699564234-ABC123",
                    "created_at": "2025-11-09T14:30:00Z",
                }
            ]
        },
    )

    id: int
    domain: str | None
    entity_type: str | None
    entity_id: int | None
    reason: str | None
    created_by: str | None
    created_at: datetime


class OptOutList(Page):
    opt_outs: list[OptOutRead]
