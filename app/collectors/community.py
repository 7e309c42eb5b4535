"""Community collector: fees (amount and frequency), amenities, events, awards and active builders."""

from __future__ import annotations

from typing import Any, ClassVar

from app.collectors.base import BaseCollector
from app.core.entities import EntityType
from app.research.findings import Finding


class CommunityCollector(BaseCollector):
    entity_type: ClassVar[str] = EntityType.community
    child_kinds: ClassVar[frozenset[str]] = frozenset({"amenity", "event", "community_award", "builder"})

    def max_items(self) -> int:
        return int(self.filters.get("max_communities") or 50)

    def research_filters(self) -> dict[str, Any]:
        filters = super().research_filters()
        filters.pop("search_area", None)
        return filters

    def prepare(self, finding: Finding) -> Finding | None:
        min_homes = self.filters.get("min_homes")
        homes = _as_int(finding.value("homes"))
        if min_homes is not None and homes is not None and homes < int(min_homes):
            return None
        excluded = set()
        if self.filters.get("include_builders") is False:
            excluded.add("builder")
        if self.filters.get("include_amenities") is False:
            excluded.add("amenity")
        if excluded:
            finding = finding.model_copy(update={"children": [c for c in finding.children if c.kind not in excluded]})
        return finding


def _as_int(value: Any) -> int | None:
    if value is None:
        return None
    try:
        return int(str(value).replace(",", "").split()[0])
    except (ValueError, IndexError):
        return None
