"""Request and response bodies of the builders admin API."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from app.core.pagination import Page
from app.core.schema_types import MAX_LIST_ITEMS, Email, HttpUrl, Label, Phone, PostalCode, State, Year

PERRY_HOMES: dict[str, Any] = {
    "name": "Perry Homes",
    "website": "https://perryhomes.com",
    "phone": "(713) 555-0100",
    "email": "info@perryhomes.com",
    "city": "Houston",
    "state": "TX",
    "postal_code": "77017",
    "founded_year": 1967,
    "specialties": ["Single-family homes"],
    "service_areas": ["Houston", "Dallas", "Austin", "San Antonio"],
}


class _BuilderFields(BaseModel):
    """Fields an admin may write; every one optional so the same set serves edits."""

    website: HttpUrl | None = None
    phone: Phone | None = None
    email: Email | None = None
    address: str | None = Field(None, max_length=255)
    city: str | None = Field(None, max_length=255)
    state: State | None = None
    postal_code: PostalCode | None = None
    specialties: list[Label] | None = Field(None, max_length=MAX_LIST_ITEMS)
    rating: float | None = Field(None, ge=0, le=5)
    review_count: int | None = Field(None, ge=0, le=10_000_000)
    communities_served: list[Label] | None = Field(None, max_length=MAX_LIST_ITEMS)
    about: str | None = Field(None, max_length=20_000)
    bio: str | None = Field(None, max_length=20_000)
    title: str | None = Field(None, max_length=255)
    socials: dict[Annotated[str, Field(max_length=50)], HttpUrl] | None = Field(None, max_length=20)
    verified: int | None = Field(None, ge=0, le=1)
    founded_year: Year | None = None
    employee_count: str | None = Field(None, max_length=50)
    service_areas: list[Label] | None = Field(None, max_length=MAX_LIST_ITEMS)


class BuilderCreate(_BuilderFields):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [PERRY_HOMES]})

    name: str = Field(min_length=1, max_length=255, examples=["Perry Homes"])


class BuilderUpdate(_BuilderFields):
    """Only the fields sent are changed; each changed field is locked as human verified."""

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"phone": "(713) 555-0199", "email": "sales@perryhomes.com"}]}
    )

    name: str | None = Field(None, min_length=1, max_length=255)

    @field_validator("name")
    @classmethod
    def _name_not_null(cls, value: str | None) -> str:
        if value is None:
            raise ValueError("name cannot be null")
        return value


class BuilderRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int = Field(examples=[123])
    builder_id: str = Field(examples=["BLD-1A2B3C4D5E"])
    name: str = Field(examples=["Perry Homes"])
    website: str | None = None
    phone: str | None = None
    email: str | None = None
    address: str | None = None
    city: str | None = None
    state: str | None = None
    postal_code: str | None = None
    specialties: list[str] | None = None
    rating: float | None = None
    review_count: int = 0
    communities_served: list[str] | None = None
    about: str | None = None
    bio: str | None = None
    title: str | None = None
    socials: dict[str, Any] | None = None
    verified: int = 0
    founded_year: int | None = None
    employee_count: str | None = None
    service_areas: list[str] | None = None
    last_data_sync: datetime | None = None
    data_source: str = Field(examples=["manual"])
    data_confidence: float = Field(examples=[1.0])
    archived_at: datetime | None = None
    created_at: datetime
    updated_at: datetime


class AwardRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    title: str = Field(examples=["Best Builder 2024"])
    issuer: str | None = Field(None, examples=["Greater Houston Builders Association"])
    year: int | None = Field(None, examples=[2024])
    description: str | None = None


class HomePlanRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str = Field(examples=["The Oakmont"])
    series: str | None = None
    base_price: float | None = Field(None, examples=[485000])
    base_sqft: int | None = Field(None, examples=[2950])
    bedrooms: int | None = Field(None, examples=[4])
    bathrooms: float | None = Field(None, examples=[3.5])
    stories: int | None = None
    garage_spaces: int | None = None
    description: str | None = None


class CredentialRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str = Field(examples=["Texas Residential Construction License"])
    credential_type: str | None = Field(None, examples=["license"])
    issuer: str | None = None
    number: str | None = None
    state: str | None = None
    expires_on: date | None = None


class CommunityBrief(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int = Field(examples=[456])
    community_id: str
    name: str = Field(examples=["Cinco Ranch"])
    city: str | None = None
    state: str | None = None


# A detail holds at most this many plans and communities: a national builder has thousands, read a page at a time.
DETAIL_LIST_LIMIT = 100


class BuilderDetail(BuilderRead):
    awards: list[AwardRead]
    home_plans: list[HomePlanRead] = Field(
        description=f"the first {DETAIL_LIST_LIMIT} current plans by name; `GET /builders/{{id}}/home-plans` pages "
        "through them all"
    )
    home_plans_total: int = Field(examples=[12], description="how many current plans the builder has")
    credentials: list[CredentialRead]
    communities: list[CommunityBrief] = Field(
        description=f"the first {DETAIL_LIST_LIMIT} current communities by name; `GET /builders/{{id}}/communities` "
        "pages through them all"
    )
    communities_total: int = Field(examples=[3], description="how many current communities the builder is in")


class HomePlanList(Page):
    home_plans: list[HomePlanRead]


class BuilderCommunityList(Page):
    communities: list[CommunityBrief]


class BuilderList(Page):
    builders: list[BuilderRead]
