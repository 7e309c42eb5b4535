"""What the LLM must answer, per entity type: every value with the URL it was read from and a verbatim quote.

These pydantic models are both the JSON schema put in the prompt and the validator of the answer.
Anything outside them (other fields, other entities) is dropped by validation.
"""

from __future__ import annotations

from typing import Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field, field_validator

T = TypeVar("T")


class Sourced(BaseModel, Generic[T]):
    """A value, the page it was read from, and the words on that page that say it."""

    model_config = ConfigDict(extra="ignore")

    value: T
    source_url: str = Field(description="the http(s) URL of the page the value was read from")
    quote: str = Field(min_length=1, max_length=500, description="verbatim text of that page containing the value")

    @field_validator("source_url")
    @classmethod
    def _http_url(cls, url: str) -> str:
        if not url.startswith(("http://", "https://")):
            raise ValueError("source_url must be an http(s) URL")
        return url


class _Answer(BaseModel):
    model_config = ConfigDict(extra="ignore")


class AwardAnswer(_Answer):
    title: Sourced[str]
    issuer: Sourced[str] | None = None
    year: Sourced[int] | None = None


class CredentialAnswer(_Answer):
    name: Sourced[str]
    credential_type: Sourced[str] | None = Field(None, description="license, certification or membership")
    issuer: Sourced[str] | None = None
    number: Sourced[str] | None = None
    state: Sourced[str] | None = None


class PlanAnswer(_Answer):
    name: Sourced[str]
    series: Sourced[str] | None = None
    base_price: Sourced[float] | None = None
    base_sqft: Sourced[int] | None = None
    bedrooms: Sourced[int] | None = None
    bathrooms: Sourced[float] | None = None
    stories: Sourced[int] | None = None
    garage_spaces: Sourced[int] | None = None


class BuilderRecord(_Answer):
    name: Sourced[str] | None = None
    phone: Sourced[str] | None = None
    email: Sourced[str] | None = None
    website: Sourced[str] | None = None
    address: Sourced[str] | None = None
    city: Sourced[str] | None = None
    state: Sourced[str] | None = None
    postal_code: Sourced[str] | None = None
    founded_year: Sourced[int] | None = None
    employee_count: Sourced[str] | None = None
    about: Sourced[str] | None = None
    specialties: Sourced[list[str]] | None = None
    service_areas: Sourced[list[str]] | None = None
    awards: list[AwardAnswer] = Field(default_factory=list)
    credentials: list[CredentialAnswer] = Field(default_factory=list)
    home_plans: list[PlanAnswer] = Field(default_factory=list)


class CommunityRecord(_Answer):
    name: Sourced[str] | None = None
    address: Sourced[str] | None = None
    city: Sourced[str] | None = None
    state: Sourced[str] | None = None
    postal_code: Sourced[str] | None = None
    hoa_fee: Sourced[str] | None = Field(None, description='the HOA fee with its period as written, e.g. "$125/month"')
    homes: Sourced[int] | None = None
    total_acres: Sourced[float] | None = None
    founded_year: Sourced[int] | None = None
    development_stage: Sourced[str] | None = None
    school_district: Sourced[str] | None = None
    hoa_management_company: Sourced[str] | None = None
    community_website_url: Sourced[str] | None = None
    about: Sourced[str] | None = None
    amenities: list[Sourced[str]] = Field(default_factory=list)
    builders: list[Sourced[str]] = Field(default_factory=list, description="home builders active in the community")


class PropertyRecord(_Answer):
    title: Sourced[str] | None = None
    address1: Sourced[str] | None = None
    city: Sourced[str] | None = None
    state: Sourced[str] | None = None
    postal_code: Sourced[str] | None = None
    price: Sourced[float] | None = None
    bedrooms: Sourced[int] | None = None
    bathrooms: Sourced[float] | None = None
    sqft: Sourced[int] | None = None
    lot_sqft: Sourced[int] | None = None
    year_built: Sourced[int] | None = None
    property_status: Sourced[str] | None = Field(None, description="available, pending, sold or model")
    move_in_ready: Sourced[bool] | None = None
    plan_name: Sourced[str] | None = None
    community_name: Sourced[str] | None = None
    builder_name: Sourced[str] | None = None


class BuilderAnswer(_Answer):
    records: list[BuilderRecord] = Field(default_factory=list)


class CommunityAnswer(_Answer):
    records: list[CommunityRecord] = Field(default_factory=list)


class PropertyAnswer(_Answer):
    records: list[PropertyRecord] = Field(default_factory=list)


ANSWERS: dict[str, type[_Answer]] = {
    "builder": BuilderAnswer,
    "community": CommunityAnswer,
    "property": PropertyAnswer,
}
# List fields of a record that become child findings, and the child's kind and name field.
CHILD_LISTS: dict[str, tuple[str, str | None]] = {
    "awards": ("award", None),
    "credentials": ("credential", None),
    "home_plans": ("home_plan", None),
    "amenities": ("amenity", "name"),
    "builders": ("builder", "name"),
}
