"""Request and response bodies of the sources and opt-outs admin API."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from app.core.entities import RecordTypeName

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
    "last_accessed": "2025-11-09T14:30:00Z",
    "access_count_today": 12,
    "rate_limit_per_day": 100,
    "is_active": True,
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
    total_collections: int
    successful_collections: int
    failed_collections: int
    last_accessed: datetime | None
    access_count_today: int = Field(description="requests sent to this source today (UTC)")
    rate_limit_per_day: int = Field(description="requests allowed per day; beyond it the source is skipped")
    is_active: bool
    is_blocked: bool = Field(description="true while blocked_until is in the future")
    blocked_until: datetime | None = Field(description="set when the source answered 429 or 403: no requests until")
    blocked_reason: str | None
    created_at: datetime
    updated_at: datetime


class SourceList(BaseModel):
    sources: list[SourceRead]
    total: int = Field(examples=[1])
    page: int = Field(examples=[1])
    per_page: int = Field(examples=[20])


class SourceUpdate(BaseModel):
    """Only the fields sent change. Send ``blocked_until: null`` to lift a back-off now."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"source_type": "directory", "rate_limit_per_day": 50},
                {"blocked_until": None},
                {"is_active": False},
            ]
        },
    )

    source_name: str | None = Field(None, min_length=1, max_length=255)
    source_type: SourceTypeName | None = None
    is_active: bool | None = None
    rate_limit_per_day: int | None = Field(None, ge=0, le=100_000)
    blocked_until: datetime | None = Field(None, description="null lifts a back-off; a time blocks until then")
    blocked_reason: str | None = Field(None, max_length=500)

    @model_validator(mode="after")
    def _no_nulls_except_unblock(self) -> SourceUpdate:
        for name in ("source_name", "source_type", "is_active", "rate_limit_per_day"):
            if name in self.model_fields_set and getattr(self, name) is None:
                raise ValueError(f"{name} cannot be null")
        return self


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


class OptOutList(BaseModel):
    opt_outs: list[OptOutRead]
    total: int = Field(examples=[1])
    page: int = Field(examples=[1])
    per_page: int = Field(examples=[20])
