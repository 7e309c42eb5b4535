"""Request and response bodies of the matching API."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from app.core.pagination import Page
from app.core.schema_types import RecordRef
from app.matching.scorer import HELD_BACK_REASONS


class EntityMatchRead(BaseModel):
    model_config = ConfigDict(
        from_attributes=True,
        json_schema_extra={
            "example": {
                "id": 42,
                "discovered_entity_type": "community",
                "discovered_name": "Cinco Ranch",
                "discovered_location": "Katy, TX",
                "matched_entity_type": "community",
                "matched_entity_id": 456,
                "match_confidence": 0.8,
                "match_status": "pending",
                "matched_by": None,
                "match_method": "name_fuzzy",
                "match_details": {
                    "model": "community v1",
                    "prior": -3.1,
                    "fields": {
                        "name": {"level": "typo", "weight": 3.2},
                        "city": {"level": "same", "weight": 1.9},
                        "phone": {"level": None, "weight": 0.0},
                    },
                    "weight": 2.0,
                    "confidence": 0.8,
                },
                "job_id": "JOB-1699564234-ABC123",
            }
        },
    )

    id: int
    discovered_entity_type: str
    discovered_name: str
    discovered_location: str | None = None
    discovered_data: dict[str, Any] | None = None
    matched_entity_type: str | None = None
    matched_entity_id: int | None = None
    match_confidence: float | None = None
    match_status: str
    matched_by: str | None = None
    match_method: str | None = None
    match_notes: str | None = None
    match_details: dict[str, Any] | None = Field(
        None,
        description="why: the prior and each field's comparison level and weight (bits), summing to the weight; "
        "a level of null means a value was missing, or a city or ZIP both share beside the same street address, "
        "which implies it (no evidence either way). A match held at review below the high "
        f"threshold says why: {', '.join(f'`{reason}`' for reason in HELD_BACK_REASONS)} (true), or "
        "`ambiguous_with` ({entity_id, confidence} of another record that reached the threshold too)",
    )
    job_id: str | None = None
    reviewed_at: datetime | None = None
    created_at: datetime
    updated_at: datetime


class EntityMatchList(Page):
    matches: list[EntityMatchRead]


class MatchReview(BaseModel):
    notes: str | None = Field(None, max_length=2000, examples=["Same community, the site spells it differently"])


class MatchOverride(MatchReview):
    matched_entity_id: RecordRef = Field(description="id of the existing record to link to", examples=[456])


class MatchReviewResult(BaseModel):
    match: EntityMatchRead
    change_ids: list[int] = Field(
        description="changes proposed by the review: updates of the matched record, or the new-entity change"
    )


class MergeRequest(BaseModel):
    model_config = ConfigDict(json_schema_extra={"example": {"keep_id": 123, "merge_id": 124}})

    keep_id: RecordRef = Field(description="the record that stays")
    merge_id: RecordRef = Field(
        description="the duplicate: its children, links, homes, changes and matches move "
        "to keep_id, then it is archived",
    )


class MergeResult(BaseModel):
    audit_event_id: int = Field(description="POST /merges/{audit_event_id}/undo reverses the merge")
    entity_type: str
    keep_id: int
    merge_id: int
    moved: dict[str, int] = Field(description="rows re-pointed (or dropped as duplicate links), by table and column")


class MergeUndoResult(BaseModel):
    audit_event_id: int = Field(description="the audit event recording the undo")
    entity_type: str
    keep_id: int
    merge_id: int
