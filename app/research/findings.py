"""What research hands to collectors: findings, each value with its evidence.

This is the contract between researchers (web, claude, auto) and collectors. Field names are the
column names of the target table (builder_profiles, communities, properties, builder_home_plans,
builder_awards, builder_credentials, community_amenities, community_events, community_awards), with
these additions that collectors resolve:
- community ``hoa_fee``: money with its period as found ("$125/month"); the diff splits it into
  ``hoa_fee_amount`` and ``hoa_fee_frequency``.
- property ``plan_name``, ``community_name``, ``builder_name``: links resolved to ids by the collector.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, Field

from app.core.entities import EntityType, RecordTypeName


class Extractor(StrEnum):
    json_ld = "json_ld"
    microdata = "microdata"
    bdx_feed = "bdx_feed"
    html = "html"
    claude = "claude"
    # Read from a page rendered in headless Chromium: its final DOM, or the JSON its scripts loaded.
    rendered_json_ld = "rendered_json_ld"
    rendered_microdata = "rendered_microdata"
    rendered_bdx = "rendered_bdx"
    rendered_html = "rendered_html"
    xhr_json = "xhr_json"


FindingKind = Literal[
    "builder", "community", "property", "home_plan", "award", "credential", "amenity", "event", "community_award"
]


class Evidence(BaseModel):
    source_url: str
    quote: str | None = Field(None, max_length=500, description="short verbatim text the value was read from")
    extractor: Extractor
    source_type: str = "official_website"
    # The page that redirected to source_url on another site: the value is recorded against its source.
    linked_from: str | None = None


class FoundValue(BaseModel):
    value: Any = Field(description="the value as found; normalized later by app.research.normalize")
    evidence: Evidence


class Finding(BaseModel):
    """One real-world record found by research, with its own children (awards, plans, amenities…).

    A community finding's children of kind ``builder`` are the builders active there (links).
    """

    kind: FindingKind
    fields: dict[str, FoundValue] = Field(default_factory=dict)
    children: list[Finding] = Field(default_factory=list)

    def value(self, name: str) -> Any:
        found = self.fields.get(name)
        return found.value if found is not None else None


class PageVisit(BaseModel):
    url: str
    outcome: Literal[
        "fetched",
        "not_modified",
        "robots_disallowed",
        "refused",
        "opted_out",
        "needs_javascript",
        "error",
        "rate_limited",
    ]
    status_code: int | None = None
    content_hash: str | None = None
    finding_count: int = 0
    detail: str | None = None


class Usage(BaseModel):
    """What research spent. Each field is also a collection_jobs column of the same name."""

    llm_calls: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    cache_creation_input_tokens: int = 0
    cache_read_input_tokens: int = 0
    web_search_requests: int = 0
    pages_fetched: int = 0
    render_seconds: float = 0.0
    cost_usd: Decimal = Decimal("0")

    def add(self, other: Usage) -> None:
        for name in type(self).model_fields:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @classmethod
    def recorded_on(cls, job: Any) -> Usage:
        """What a collection job's row has recorded (its columns of the same names; NULL is none)."""
        return cls.model_validate({name: getattr(job, name) or 0 for name in cls.model_fields})


@dataclass(frozen=True)
class JobKind:
    """What a job's type asks of research and collection: the one place that tells an update from discovery."""

    # An update is about the one record the request names: at most one answer, findings about other records
    # dropped, no directories or further pages searched, its fields proposed as changes of that record.
    # Discovery looks for many records and resolves each.
    one_record: bool
    # Property discovery reads a builder's inventory: its listing pages.
    reads_inventory: bool = False

    def follows_feeds(self, entity_type: str) -> bool:
        """Feeds list homes and plans: followed for homes, and for a builder's own update (its plans)."""
        return (
            entity_type == EntityType.property
            or self.reads_inventory
            or (entity_type == EntityType.builder and self.one_record)
        )

    def follows_inventory(self, entity_type: str) -> bool:
        return entity_type == EntityType.property or self.reads_inventory


JOB_KINDS: dict[str, JobKind] = {
    "update": JobKind(one_record=True),
    "discovery": JobKind(one_record=False),
    "property_discovery": JobKind(one_record=False, reads_inventory=True),
}


class ResearchRequest(BaseModel):
    job_id: str
    entity_type: RecordTypeName
    # The record an update is about (None for discovery): its opt-out is honoured before any fetch or LLM call.
    entity_id: int | None = None
    job_type: Literal["update", "discovery", "property_discovery"]
    # What we already know of the target (name, website, city, state…); empty for open discovery.
    subject: dict[str, Any] = Field(default_factory=dict)
    search_query: str | None = None
    target_url: str | None = None
    filters: dict[str, Any] = Field(default_factory=dict)
    max_items: int = 50
    force_refresh: bool = False
    # What the job's earlier attempts spent: the per-job caps count it too.
    spent_before: Usage = Field(default_factory=Usage)
    # The last such job got no model answer (a provider outage): unchanged pages still go to the model.
    model_owed: bool = False
    # This calendar month's LLM spend over all jobs when the job started: the monthly budget counts it.
    spent_this_month: Decimal = Decimal(0)
    # Told each LLM call's usage and cost as soon as it is answered, to record it at once: the money is spent
    # whether or not the job ever ends (a worker killed mid-job, a job cancelled while it runs).
    on_llm_call: Callable[[Usage], None] | None = Field(default=None, exclude=True, repr=False)

    @property
    def kind(self) -> JobKind:
        return JOB_KINDS[self.job_type]


class ResearchResult(BaseModel):
    findings: list[Finding] = Field(default_factory=list)
    pages: list[PageVisit] = Field(default_factory=list)
    usage: Usage = Field(default_factory=Usage)
    warnings: list[str] = Field(default_factory=list)
    # The model could not be reached (a provider outage): a later refresh asks it again.
    llm_outage: bool = False
    # Main text of every page read, by URL: the evidence check looks for each value here.
    source_texts: dict[str, str] = Field(default_factory=dict, exclude=True)
    # Text of the elements a visitor does not see, by URL: a quote found only there is no evidence.
    hidden_texts: dict[str, str] = Field(default_factory=dict, exclude=True)
