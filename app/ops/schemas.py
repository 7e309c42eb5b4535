"""Response bodies of the ops API: the cost report and the collection stats (the plan's success metrics)."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from app.core.schema_types import Usd


class CostRow(BaseModel):
    """Usage and cost of the jobs created on one day for one entity type."""

    day: date
    entity_type: str = Field(examples=["builder"])
    jobs: int = Field(examples=[3])
    llm_calls: int = Field(examples=[4])
    input_tokens: int = Field(examples=[2400])
    output_tokens: int = Field(examples=[4500])
    cache_read_input_tokens: int = Field(examples=[1200])
    cache_creation_input_tokens: int = Field(examples=[0])
    tokens: int = Field(description="input + output + cache tokens", examples=[8100])
    web_searches: int = Field(examples=[6])
    cost_usd: Usd = Field(examples=[0.09])


class CostTotals(BaseModel):
    """Usage and cost summed over a group of jobs."""

    entity_type: str | None = Field(None, description="null for the grand total", examples=["builder"])
    jobs: int
    llm_calls: int
    input_tokens: int
    output_tokens: int
    cache_read_input_tokens: int
    cache_creation_input_tokens: int
    tokens: int
    web_searches: int
    cost_usd: Usd


class MonthBudget(BaseModel):
    """This calendar month's LLM spend against the cap."""

    month: str = Field(examples=["2025-11"])
    spend_usd: Usd = Field(examples=[41.37])
    budget_usd: Usd = Field(description="setting monthly_llm_budget_usd", examples=[100.0])
    remaining_usd: Usd = Field(examples=[58.63])
    cap_reached: bool = Field(
        description="true when the spend reached the budget: new LLM work is refused, web-only collection goes on"
    )


class CostReport(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    from_date: date = Field(alias="from", serialization_alias="from")
    to_date: date = Field(alias="to", serialization_alias="to")
    rows: list[CostRow] = Field(description="one row per day (UTC) and entity type with jobs")
    by_entity_type: list[CostTotals]
    totals: CostTotals
    month: MonthBudget


class Metric(BaseModel):
    """One success metric: its value, the plan's target, and whether it is met."""

    value: float | None = Field(description="null when there is nothing to measure yet")
    target: float
    direction: Literal["above", "below"] = Field(description="the value should be above (or below) the target")
    meets_target: bool | None
    unit: Literal["percent", "score", "hours", "usd", "days"]
    numerator: float | None = Field(None, description="what was counted or summed")
    denominator: float | None = Field(None, description="what it was divided by")


class Rate(BaseModel):
    """A percentage without a target in the plan, shown next to the metrics it explains."""

    value: float | None = Field(description="null when there is nothing to measure yet", examples=[83.3333])
    unit: Literal["percent"] = "percent"
    numerator: float = Field(description="what was counted", examples=[5])
    denominator: float = Field(description="what it was divided by", examples=[6])


class Coverage(BaseModel):
    builder: Metric = Field(
        description="Builder coverage: % of builders (not archived) with last_data_sync set, i.e. collected at "
        "least once. Target: above 70%."
    )
    community: Metric = Field(
        description="Community coverage: % of communities (not archived) with last_data_sync set. Target: above 60%."
    )
    property: Metric = Field(
        description="Property inventory: % of builders (not archived) with an up-to-date inventory, i.e. a "
        "builder inventory job (job_type property_discovery for that builder) that completed within the last "
        "property_refresh_days days (setting, default 7: the weekly cadence). Target: above 50%."
    )


class CollectionStats(BaseModel):
    """The plan's success metrics, computed from the tables."""

    window_days: int | None = Field(
        description="job and change metrics cover jobs and changes created in the last window_days days; "
        "null: all time. Coverage, recency and staleness always describe the records as they are now."
    )
    accuracy: Metric = Field(
        description="Accuracy: % of detected changes that were approved: (approved + applied + rolled back after "
        "being applied) / every change detected except superseded and withdrawn ones. A superseded change was "
        "replaced by a newer proposal for the same field, so it is not a detection of its own; a withdrawn one went "
        "with a match an admin rejected or overrode (the matcher's mistake); pending, conflicting and "
        "rejected changes count as detected and not approved. Target: above 85%."
    )
    approval_rate: Rate = Field(
        description="Approval rate of reviewed changes (no target in the plan): (approved + applied + rolled back "
        "after being applied) / (those + rejected); pending, conflicting, superseded and withdrawn changes are left "
        "out."
    )
    confidence: Metric = Field(
        description="Confidence: average confidence score (0-1) of applied changes. Target: above 0.85."
    )
    error_rate: Metric = Field(
        description="Error rate: % of finished jobs that failed: failed / (completed + failed); pending, running "
        "and cancelled jobs are not counted. Target: below 5%."
    )
    coverage: Coverage = Field(
        description="Builder and community coverage: % of records collected at least once; property inventory: "
        "% of builders whose inventory was collected within the weekly cadence."
    )
    automation_rate: Metric = Field(
        description="Automation rate: % of applied changes that auto-apply applied (applied_by = 'auto'). "
        "Target: above 40%."
    )
    time_to_review: Metric = Field(
        description="Time to review: average hours from a change's detection (created_at) to an admin's review "
        "(reviewed_at), over changes an admin reviewed (withdrawn ones were not reviewed). Target: below 48 hours "
        "(2 days)."
    )
    cost_per_entity: Metric = Field(
        description="Cost per entity: total LLM cost of jobs (USD) / distinct builders, communities and homes "
        "updated (with at least one applied change to the record or one of its children). Target: below $0.10."
    )
    recency: Metric = Field(
        description="Recency: % of records (builders, communities, homes; not archived) whose last_data_sync is "
        "within the last 90 days. Target: above 50%."
    )
    staleness: Metric = Field(
        description="Staleness: average days since last_data_sync over records (not archived) collected at least "
        "once. Target: below 120 days."
    )
