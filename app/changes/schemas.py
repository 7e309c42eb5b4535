"""Request and response bodies of the change review API, with the plan's examples."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, StrictBool, model_validator

from app.changes.inbox import MAX_DECISION_CHANGES, ChangeFilter
from app.core.pagination import Page
from app.core.schema_types import RecordRef


class PendingChange(BaseModel):
    change_id: int
    entity_type: str = Field(description="the record the field belongs to (builder, award, property, ...)")
    entity_id: int | None
    field: str | None
    current: Any = Field(description="the record's value when the change was detected")
    proposed: Any = Field(description="the normalized proposed value")
    change_type: str
    confidence: float
    confidence_components: dict[str, Any] | None = None
    source: str | None
    evidence: list[dict[str, Any]] = Field(default_factory=list)
    alternatives: list[dict[str, Any]] = Field(
        default_factory=list,
        description="other values other sources read for this field: value, confidence, source, evidence, status; "
        "apply one with `choose`",
    )
    job_id: str
    created_at: datetime


class PendingNewEntity(BaseModel):
    change_id: int
    entity_type: str
    data: dict[str, Any]
    confidence: float
    confidence_components: dict[str, Any] | None = None
    source: str | None
    evidence: list[dict[str, Any]] = Field(default_factory=list)
    job_id: str
    created_at: datetime


class PendingChangesRead(Page):
    """One page of what waits under a record (both lists together, in the order the changes were proposed)."""

    model_config = ConfigDict(
        json_schema_extra={
            "example": {
                "entity_type": "builder",
                "entity_id": 123,
                "entity_name": "Perry Homes",
                "pending_changes": [
                    {
                        "change_id": 1001,
                        "entity_type": "builder",
                        "entity_id": 123,
                        "field": "phone",
                        "current": "(713) 555-0100",
                        "proposed": "+17135550199",
                        "change_type": "modified",
                        "confidence": 0.95,
                        "source": "https://perryhomes.com/contact",
                        "evidence": [
                            {
                                "source_url": "https://perryhomes.com/contact",
                                "quote": "Call us at (713) 555-0199",
                                "extractor": "json_ld",
                                "found_in_source": True,
                            }
                        ],
                        "job_id": "JOB-1699564234-ABC123",
                        "created_at": "2025-11-09T10:30:00Z",
                    }
                ],
                "pending_new_entities": [
                    {
                        "change_id": 2001,
                        "entity_type": "property",
                        "data": {
                            "title": "The Oakmont - Model Home",
                            "address1": "123 Oak Street",
                            "city": "Houston",
                            "price": 485000,
                            "bedrooms": 4,
                            "bathrooms": 3.5,
                        },
                        "confidence": 0.92,
                        "source": "https://perryhomes.com/homes/oakmont",
                        "evidence": [],
                        "job_id": "JOB-1699564234-ABC123",
                        "created_at": "2025-11-09T10:30:00Z",
                    }
                ],
                "total": 2,
                "total_is_estimate": False,
                "page": 1,
                "per_page": 100,
                "next_cursor": None,
            }
        }
    )

    entity_type: str
    entity_id: int
    entity_name: str | None
    pending_changes: list[PendingChange]
    pending_new_entities: list[PendingNewEntity]


class AlternativeChoice(BaseModel):
    change_id: RecordRef
    alternative: int = Field(ge=0, le=1000, description="position in the change's alternatives (from 0)")


class ApplyChangesRequest(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "example": {
                "change_ids": [1001, 1002],
                "apply_all": False,
                "min_confidence": 0.8,
                "create_new_entities": True,
                "review_notes": "Verified against official website",
            }
        }
    )

    change_ids: list[RecordRef] = Field(default_factory=list, max_length=10_000, description="specific changes")
    apply_all: StrictBool = Field(False, description="apply every pending change of the record and under it")
    min_confidence: float = Field(0.0, ge=0.0, le=1.0, description="skip changes below this confidence")
    create_new_entities: StrictBool = Field(True, description="also create the pending new records")
    review_notes: str | None = Field(None, max_length=2000)
    choose: list[AlternativeChoice] = Field(
        default_factory=list,
        max_length=10_000,
        description="apply one of a change's alternatives instead of its proposal; the other values are rejected",
    )

    @model_validator(mode="after")
    def _something_to_apply(self) -> ApplyChangesRequest:
        if not self.change_ids and not self.apply_all:
            raise ValueError("change_ids: give the changes to apply, or set apply_all")
        outside = sorted({c.change_id for c in self.choose} - set(self.change_ids))
        if outside and not self.apply_all:
            raise ValueError(f"choose: changes {outside} are not among change_ids")
        return self


class CreatedEntity(BaseModel):
    entity_type: str
    entity_id: int
    title: str | None


class ApplyDetails(BaseModel):
    updated_fields: list[str]
    created_entities: list[CreatedEntity]
    conflicts: list[dict[str, Any]] = Field(
        default_factory=list, description="changes whose record changed since detection; nothing was overwritten"
    )
    skipped: list[dict[str, Any]] = Field(default_factory=list, description="change_id and why it was skipped")
    failures: list[dict[str, Any]] = Field(default_factory=list, description="change_id and why it failed")


class ApplyChangesResponse(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "example": {
                "applied_changes": 2,
                "created_entities": 1,
                "skipped": 0,
                "failed": 0,
                "details": {
                    "updated_fields": ["phone", "awards"],
                    "created_entities": [
                        {"entity_type": "property", "entity_id": 789, "title": "The Oakmont - Model Home"}
                    ],
                    "conflicts": [],
                    "skipped": [],
                    "failures": [],
                },
            }
        }
    )

    applied_changes: int
    created_entities: int
    skipped: int
    failed: int
    details: ApplyDetails


class HistoryEntry(BaseModel):
    change_id: int
    entity_type: str = Field(description="the record changed: the record itself or one of its plans, awards, ...")
    entity_id: int | None = Field(description="that record's id (for a created child, the record created)")
    field: str | None = Field(description="the field changed; null for a child record added as a whole")
    old_value: Any
    new_value: Any
    status: str = Field(description="applied, or rolled_back when it was undone")
    applied_at: datetime | None
    applied_by: str | None
    rolled_back_at: datetime | None
    confidence: float
    source: str | None
    job_id: str


class FieldHistoryRead(Page):
    model_config = ConfigDict(
        json_schema_extra={
            "example": {
                "entity_type": "property",
                "entity_id": 789,
                "field": "price",
                "history": [
                    {
                        "change_id": 3001,
                        "entity_type": "property",
                        "entity_id": 789,
                        "field": "price",
                        "old_value": 485000,
                        "new_value": 474900,
                        "status": "applied",
                        "applied_at": "2025-11-10T09:00:00Z",
                        "applied_by": "USR-1699564234-ABC123",
                        "rolled_back_at": None,
                        "confidence": 0.94,
                        "source": "https://perryhomes.com/homes/oakmont",
                        "job_id": "JOB-1699564234-ABC123",
                    }
                ],
                "total": 1,
                "total_is_estimate": False,
                "page": 1,
                "per_page": 20,
                "next_cursor": None,
            }
        }
    )

    entity_type: str
    entity_id: int
    field: str | None
    history: list[HistoryEntry]


class RollbackChangeResponse(BaseModel):
    change_id: int
    status: str
    rolled_back_at: datetime | None


class RollbackJobResponse(BaseModel):
    job_id: str
    rolled_back_changes: int
    change_ids: list[int]


# --- the review inbox ------------------------------------------------------------------------------------


class InboxRecord(BaseModel):
    """The builder, community or home a change is reviewed under (a new record: its proposed name)."""

    entity_type: str
    entity_id: int | None
    name: str | None
    link: str | None = Field(description="the record in the admin API", examples=["/api/v1/admin/builders/123"])


class InboxChange(BaseModel):
    change_id: int
    status: str
    entity_type: str = Field(description="the changed record: the record itself or one of its awards, plans, ...")
    entity_id: int | None
    is_new_entity: bool
    field: str | None = Field(description="null for a record proposed as a whole")
    current: Any = Field(description="the record's value when the change was detected")
    proposed: Any = Field(description="the normalized proposed value; a new record's data")
    change_type: str
    confidence: float
    confidence_components: dict[str, Any] | None = None
    source: str | None
    evidence: list[dict[str, Any]] = Field(default_factory=list)
    alternatives: list[dict[str, Any]] = Field(default_factory=list)
    job_id: str
    created_at: datetime
    record: InboxRecord


_INBOX_ROW_EXAMPLE: dict[str, Any] = {
    "change_id": 1001,
    "status": "pending",
    "entity_type": "builder",
    "entity_id": 123,
    "is_new_entity": False,
    "field": "phone",
    "current": "(713) 555-0100",
    "proposed": "+17135550199",
    "change_type": "modified",
    "confidence": 0.95,
    "confidence_components": {"source_reliability": 0.9, "extractor": 0.95, "found_in_source": 1.0},
    "source": "https://perryhomes.com/contact",
    "evidence": [
        {
            "source_url": "https://perryhomes.com/contact",
            "quote": "Call us at (713) 555-0199",
            "extractor": "json_ld",
            "found_in_source": True,
        }
    ],
    "alternatives": [],
    "job_id": "JOB-1699564234-ABC123",
    "created_at": "2025-11-09T10:30:00Z",
    "record": {
        "entity_type": "builder",
        "entity_id": 123,
        "name": "Perry Homes",
        "link": "/api/v1/admin/builders/123",
    },
}


class InboxRead(Page):
    """One page of the inbox in the requested order."""

    model_config = ConfigDict(
        json_schema_extra={
            "example": {
                "changes": [_INBOX_ROW_EXAMPLE],
                "total": 1,
                "total_is_estimate": False,
                "page": 1,
                "per_page": 50,
                "next_cursor": None,
            }
        }
    )

    changes: list[InboxChange]


class DecisionRequest(BaseModel):
    """The changes to decide: `change_ids`, or `filter` (the inbox's filter), never both."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"change_ids": [1001, 1002], "review_notes": "Verified against official website"},
                {
                    "filter": {"job_id": "JOB-1699564234-ABC123", "min_confidence": 0.9},
                    "dry_run": True,
                },
            ]
        },
    )

    change_ids: list[RecordRef] | None = Field(None, min_length=1, max_length=MAX_DECISION_CHANGES)
    filter: ChangeFilter | None = Field(
        None, description=f"every change the inbox shows for it; at most {MAX_DECISION_CHANGES:,} per request"
    )
    dry_run: StrictBool = Field(False, description="report what would happen; change nothing")
    review_notes: str | None = Field(None, max_length=2000)

    @model_validator(mode="after")
    def _ids_or_filter(self) -> DecisionRequest:
        if (self.change_ids is None) == (self.filter is None):
            raise ValueError("change_ids: give either change_ids or filter (not both, not neither)")
        return self


class DecisionOutcome(BaseModel):
    change_id: int
    outcome: str = Field(
        description="applied, created, rejected, conflict (the value changed since), skipped, skipped_locked "
        "(the field is locked as verified) or failed"
    )
    reason: str | None = None


class DecisionResponse(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "example": {
                "action": "apply",
                "dry_run": True,
                "matched": 3,
                "applied": 1,
                "created_entities": 0,
                "rejected": 0,
                "skipped": 0,
                "skipped_locked": 1,
                "conflicts": 1,
                "failed": 0,
                "outcomes": [
                    {"change_id": 1001, "outcome": "applied", "reason": None},
                    {"change_id": 1002, "outcome": "skipped_locked", "reason": "field is locked"},
                    {
                        "change_id": 1003,
                        "outcome": "conflict",
                        "reason": "the value changed since the change was detected",
                    },
                ],
            }
        }
    )

    action: str
    dry_run: bool
    matched: int = Field(description="changes named or matched by the filter")
    applied: int
    created_entities: int
    rejected: int
    skipped: int
    skipped_locked: int
    conflicts: int
    failed: int
    outcomes: list[DecisionOutcome]


class JobPending(BaseModel):
    job_id: str
    pending: int


class InboxSummary(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "example": {
                "pending": 12,
                "by_entity_type": {"builder": 4, "property": 8},
                "by_field": {"(new record)": 3, "phone": 2, "price": 7},
                "by_job": [{"job_id": "JOB-1699564234-ABC123", "pending": 12}],
                "oldest_pending_at": "2025-11-09T10:30:00Z",
                "oldest_pending_age_seconds": 86400,
            }
        }
    )

    pending: int
    by_entity_type: dict[str, int]
    by_field: dict[str, int] = Field(description="a record proposed as a whole counts under '(new record)'")
    by_job: list[JobPending] = Field(description="the jobs with the most pending changes first")
    oldest_pending_at: datetime | None
    oldest_pending_age_seconds: int | None
