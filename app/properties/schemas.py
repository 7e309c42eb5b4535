"""Request and response bodies of the homes (properties) admin API."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, field_validator

from app.core.pagination import Page
from app.core.schema_types import HttpUrl, PostalCode, RecordRef, State, Year

THE_OAKMONT: dict[str, Any] = {
    "title": "The Oakmont - Model Home",
    "address1": "123 Oak Street",
    "city": "Houston",
    "state": "TX",
    "postal_code": "77001",
    "price": 485000,
    "bedrooms": 4,
    "bathrooms": 3.5,
    "sqft": 2950,
    "property_status": "model",
    "builder_id": 123,
    "community_id": 456,
}

Status = Literal["available", "pending", "sold", "model", "off_market"]


class _PropertyFields(BaseModel):
    """Fields an admin may write; every one optional so the same set serves edits."""

    description: str | None = Field(None, max_length=5000)
    address1: str | None = Field(None, max_length=255)
    address2: str | None = Field(None, max_length=255)
    city: str | None = Field(None, max_length=255)
    state: State | None = None
    postal_code: PostalCode | None = None
    latitude: float | None = Field(None, ge=-90, le=90)
    longitude: float | None = Field(None, ge=-180, le=180)
    price: float | None = Field(None, ge=1_000, le=100_000_000, description="US dollars")
    bedrooms: int | None = Field(None, ge=0, le=30)
    bathrooms: float | None = Field(None, ge=0, le=30, multiple_of=0.5)
    sqft: int | None = Field(None, ge=100, le=100_000)
    lot_sqft: int | None = Field(None, ge=0, le=50_000_000)
    year_built: Year | None = None
    has_pool: StrictBool | None = None
    property_status: Status | None = None
    move_in_ready: StrictBool | None = None
    move_in_date: date | None = None
    model_name: str | None = Field(None, max_length=255)
    lot_number: str | None = Field(None, max_length=50)
    builder_id: RecordRef | None = Field(None, description="internal id of the builder", examples=[123])
    community_id: RecordRef | None = Field(None, description="internal id of the community", examples=[456])
    plan_id: RecordRef | None = Field(None, description="internal id of the builder's home plan")
    media_urls: list[HttpUrl] | None = Field(None, max_length=100)
    listed_at: datetime | None = None


class PropertyCreate(_PropertyFields):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [THE_OAKMONT]})

    title: str = Field(min_length=1, max_length=140, examples=["The Oakmont - Model Home"])


class PropertyUpdate(_PropertyFields):
    """Only the fields sent are changed; each changed field is locked as human verified."""

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"price": 479000, "property_status": "pending"}]}
    )

    title: str | None = Field(None, min_length=1, max_length=140)

    @field_validator("title", "property_status", "has_pool", "move_in_ready")
    @classmethod
    def _not_null(cls, value: Any) -> Any:
        if value is None:
            raise ValueError("cannot be null")
        return value


class PropertyRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int = Field(examples=[789])
    title: str = Field(examples=["The Oakmont - Model Home"])
    description: str | None = None
    address1: str | None = Field(None, examples=["123 Oak Street"])
    address2: str | None = None
    city: str | None = None
    state: str | None = None
    postal_code: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    price: float | None = Field(None, examples=[485000])
    bedrooms: int | None = None
    bathrooms: float | None = None
    sqft: int | None = None
    lot_sqft: int | None = None
    year_built: int | None = None
    has_pool: bool = False
    property_status: str = Field(examples=["available"])
    move_in_ready: bool = False
    move_in_date: date | None = None
    model_name: str | None = None
    lot_number: str | None = None
    builder_id: int | None = Field(None, examples=[123])
    community_id: int | None = Field(None, examples=[456])
    plan_id: int | None = None
    media_urls: list[str] | None = None
    listed_at: datetime | None = None
    last_data_sync: datetime | None = None
    data_source: str = Field(examples=["manual"])
    data_confidence: float = Field(examples=[1.0])
    archived_at: datetime | None = None
    created_at: datetime
    updated_at: datetime


class NamedRef(BaseModel):
    """A linked record: its internal id and name."""

    id: int
    name: str


class PropertyDetail(PropertyRead):
    builder: NamedRef | None = None
    community: NamedRef | None = None
    plan: NamedRef | None = None


class PropertyList(Page):
    properties: list[PropertyRead]
