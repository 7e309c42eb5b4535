"""Property collector: a builder's inventory of homes (specs), optionally within one community.

Plans a builder offers (its feed's plans) are proposed on the builder; homes are matched to
existing ones by the matcher. When the builder's own site was read in full, homes it no longer
lists are proposed off the market (never deleted).
"""

from __future__ import annotations

from typing import Any, ClassVar
from urllib.parse import urlsplit

from app.changes.proposals import propose_missing_inventory
from app.collectors.base import INCOMPLETE_OUTCOMES, BaseCollector, child_key, merge_findings, names_match
from app.core.entities import EntityType
from app.jobs import repository
from app.research.findings import Finding


class PropertyCollector(BaseCollector):
    entity_type: ClassVar[str] = EntityType.property

    def builder_id(self) -> int | None:
        if self.job.parent_entity_type == EntityType.builder and self.job.parent_entity_id is not None:
            return self.job.parent_entity_id
        value = self.filters.get("builder_id")
        return int(value) if value is not None else None

    def community_name(self) -> str | None:
        if self.filters.get("community"):
            return str(self.filters["community"])
        community_id = self.filters.get("community_id")
        if community_id is None:
            return None
        community = repository.get_entity(self.session, EntityType.community, int(community_id))
        return community.name if community is not None else None

    def subject(self) -> dict[str, Any]:
        if self.job.entity_id is not None:
            return super().subject()
        builder_id = self.builder_id()
        if builder_id is None:
            return {}
        builder = repository.get_entity(self.session, EntityType.builder, builder_id)
        if builder is None:
            return {}
        # Inventory research starts from the builder's own site.
        subject = {"builder_id": builder.id, "builder_name": builder.name, "name": builder.name}
        for name in ("website", "city", "state"):
            if getattr(builder, name) is not None:
                subject[name] = getattr(builder, name)
        return subject

    def research_filters(self) -> dict[str, Any]:
        filters = super().research_filters()
        community = self.community_name()
        if community:
            filters["community"] = community
        return filters

    def max_items(self) -> int:
        return int(self.filters.get("max_properties") or 50)

    def parent(self) -> tuple[str | None, int | None]:
        builder_id = self.builder_id()
        return (EntityType.builder, builder_id) if builder_id is not None else (None, None)

    def prepare(self, finding: Finding) -> Finding | None:
        community = self.community_name()
        found_community = finding.value("community_name")
        if community and found_community and not names_match(found_community, community):
            return None
        price = _as_number(finding.value("price"))
        low, high = self.filters.get("price_min"), self.filters.get("price_max")
        if price is not None and ((low is not None and price < low) or (high is not None and price > high)):
            return None
        return finding

    def identity(self, finding: Finding) -> tuple[str, ...]:
        return child_key(finding) + (" ".join(str(finding.value("postal_code") or "").split()),)

    def _discover(self) -> None:
        self._propose_plans()
        super()._discover()

    def _propose_plans(self) -> None:
        """A feed's plans belong to the builder: propose them as the builder's home plans."""
        builder_id = self.builder_id()
        plans = [f for f in self.result.findings if f.kind == "home_plan"]
        if builder_id is None or not plans:
            return
        self._propose_updates(
            EntityType.builder, builder_id, merge_findings([Finding(kind=EntityType.builder, children=plans)])
        )

    def finish(self, proposed_ids: set[int], in_review_ids: set[int]) -> None:
        builder_id = self.builder_id()
        if builder_id is None or self.job.entity_id is not None:
            return
        source_url = self._whole_inventory_url(builder_id)
        if source_url is None:
            return
        listed = proposed_ids | in_review_ids
        result = propose_missing_inventory(
            self.session, self.job, builder_id, listed, source_url, self.opt_outs, settings=self.settings
        )
        self._count(result)

    def _whole_inventory_url(self, builder_id: int) -> str | None:
        """The builder's own inventory page, if this job read all of it; else None (no removals)."""
        narrowed = any(self.filters.get(k) for k in ("community", "community_id", "price_min", "price_max"))
        findings = [f for f in self.result.findings if f.kind == EntityType.property]
        if narrowed or not findings or len(findings) >= self.max_items():
            return None
        if any(p.outcome in INCOMPLETE_OUTCOMES for p in self.result.pages):
            self.outcome.warnings.append("inventory not read in full: homes no longer listed are not flagged")
            return None
        builder = repository.get_entity(self.session, EntityType.builder, builder_id)
        host = (urlsplit(builder.website).hostname or "") if builder is not None and builder.website else ""
        if not host:
            return None
        read = ("fetched", "not_modified")
        own_pages = [p.url for p in self.result.pages if urlsplit(p.url).hostname == host and p.outcome in read]
        return own_pages[0] if own_pages else None


def _as_number(value: Any) -> float | None:
    if value is None:
        return None
    try:
        return float(str(value).replace("$", "").replace(",", "").strip())
    except ValueError:
        return None
