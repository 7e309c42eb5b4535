"""Request and response bodies of the communities admin API."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, field_validator

from app.core.pagination import Page
from app.core.schema_types import Email, HttpUrl, Phone, PostalCode, State, Year

CINCO_RANCH: dict[str, Any] = {
    "name": "Cinco Ranch",
    "city": "Katy",
    "state": "TX",
    "postal_code": "77494",
    "hoa_fee_amount": "115.00",
    "hoa_fee_frequency": "monthly",
    "monthly_fee": "$115/month",
    "homes": 8200,
    "school_district": "Katy ISD",
    "community_website_url": "https://cincoranch.com",
}

FeeFrequency = Literal["monthly", "quarterly", "annual"]


class _CommunityFields(BaseModel):
    """Fields an admin may write; every one optional so the same set serves edits."""

    city: str | None = Field(None, max_length=255)
    state: State | None = None
    postal_code: PostalCode | None = None
    address: str | None = Field(None, max_length=255)
    latitude: float | None = Field(None, ge=-90, le=90)
    longitude: float | None = Field(None, ge=-180, le=180)
    total_acres: float | None = Field(None, gt=0, le=1_000_000)
    school_district: str | None = Field(None, max_length=255)
    community_dues: str | None = Field(None, max_length=255)
    tax_rate: str | None = Field(None, max_length=64)
    monthly_fee: str | None = Field(None, max_length=64, description="the fee as text, e.g. '$115/month'")
    hoa_fee_amount: Decimal | None = Field(None, ge=0, le=100_000, max_digits=12, decimal_places=2)
    hoa_fee_frequency: FeeFrequency | None = None
    homes: int | None = Field(None, ge=0, le=1_000_000)
    residents: int | None = Field(None, ge=0, le=5_000_000)
    founded_year: Year | None = None
    member_count: int | None = Field(None, ge=0, le=5_000_000)
    followers: int | None = Field(None, ge=0, le=100_000_000)
    development_stage: str | None = Field(None, max_length=64)
    enterprise_number_hoa: str | None = Field(None, max_length=100)
    hoa_management_company: str | None = Field(None, max_length=255)
    hoa_contact_phone: Phone | None = None
    hoa_contact_email: Email | None = None
    intro_video_url: HttpUrl | None = None
    community_website_url: HttpUrl | None = None
    about: str | None = Field(None, max_length=20_000)
    is_verified: StrictBool | None = None


class CommunityCreate(_CommunityFields):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [CINCO_RANCH]})

    name: str = Field(min_length=1, max_length=255, examples=["Cinco Ranch"])


class CommunityUpdate(_CommunityFields):
    """Only the fields sent are changed; each changed field is locked as human verified."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"hoa_fee_amount": "125.00", "hoa_fee_frequency": "monthly", "homes": 8500}]},
    )

    name: str | None = Field(None, min_length=1, max_length=255)

    @field_validator("name", "is_verified")
    @classmethod
    def _not_null(cls, value: Any) -> Any:
        if value is None:
            raise ValueError("cannot be null")
        return value


class CommunityRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int = Field(examples=[456])
    community_id: str = Field(examples=["CMY-1A2B3C4D5E"])
    name: str = Field(examples=["Cinco Ranch"])
    city: str | None = None
    state: str | None = None
    postal_code: str | None = None
    address: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    total_acres: float | None = None
    school_district: str | None = None
    community_dues: str | None = None
    tax_rate: str | None = None
    monthly_fee: str | None = None
    hoa_fee_amount: Decimal | None = Field(None, examples=["115.00"])
    hoa_fee_frequency: str | None = Field(None, examples=["monthly"])
    homes: int | None = None
    residents: int | None = None
    founded_year: int | None = None
    member_count: int | None = None
    followers: int | None = None
    development_stage: str | None = None
    enterprise_number_hoa: str | None = None
    hoa_management_company: str | None = None
    hoa_contact_phone: str | None = None
    hoa_contact_email: str | None = None
    intro_video_url: str | None = None
    community_website_url: str | None = None
    about: str | None = None
    is_verified: bool = False
    last_data_sync: datetime | None = None
    data_source: str = Field(examples=["manual"])
    data_confidence: float = Field(examples=[1.0])
    archived_at: datetime | None = None
    created_at: datetime
    updated_at: datetime


class AmenityRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str = Field(examples=["Dog Park"])
    category: str | None = None
    description: str | None = None


class EventRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    title: str = Field(examples=["Fall Festival"])
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    location: str | None = None
    description: str | None = None


class CommunityAwardRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    title: str = Field(examples=["Master-Planned Community of the Year"])
    issuer: str | None = None
    year: int | None = None


class BuilderBrief(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int = Field(examples=[123])
    builder_id: str
    name: str = Field(examples=["Perry Homes"])
    city: str | None = None
    state: str | None = None


class CommunityDetail(CommunityRead):
    amenities: list[AmenityRead]
    events: list[EventRead]
    awards: list[CommunityAwardRead]
    builders: list[BuilderBrief]


class CommunityList(Page):
    communities: list[CommunityRead]
