"""Scores one pair of records with the entity type's linkage model: a confidence, a method and why.

The model (app/matching/linkage.py) adds each field's evidence for or against, in bits, to a prior;
the confidence is the posterior probability. A community or a home is linked automatically only when
a compared location agreed: a name or a street address alone recurs across towns ("123 Main St").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.core.config import get_settings
from app.matching.comparisons import compare
from app.matching.linkage import FIELDS, Explanation, load_model
from app.matching.records import MatchRecord

MATCH_METHODS = ("name_exact", "name_fuzzy", "website_match", "phone_match", "address_match", "manual")
# The levels that place a pair: a shared city or ZIP, or coordinates this close.
LOCATED_LEVELS = {
    "community": {("city", "same"), ("postal_code", "same"), ("distance", "within_0_2km"), ("distance", "within_2km")},
    "property": {("city", "same"), ("postal_code", "same"), ("distance", "within_0_2km")},
}


@dataclass(slots=True)
class MatchScore:
    confidence: float
    method: str | None
    explanation: Explanation

    @property
    def details(self) -> dict[str, Any]:
        """The explanation as stored in entity_matches.match_details."""
        return {**self.explanation.as_dict(), "confidence": self.confidence}


def score_pair(a: MatchRecord, b: MatchRecord) -> MatchScore:
    """Confidence that two records of one entity type are the same real-world thing, with its explanation."""
    levels = compare(a, b, FIELDS[a.entity_type])
    explanation = load_model(a.entity_type).explain(levels)
    confidence = explanation.probability
    located_levels = LOCATED_LEVELS.get(a.entity_type)
    if located_levels is not None and not any(item in located_levels for item in levels.items()):
        cap = get_settings().match_high_threshold - 0.01
        if confidence > cap:
            explanation.notes["location_unconfirmed"] = True
            confidence = cap
    return MatchScore(round(confidence, 4), _method(a.entity_type, levels), explanation)


def _method(entity_type: str, levels: dict[str, str | None]) -> str:
    if entity_type == "property" and levels.get("address") == "same" and levels.get("unit") != "different":
        return "address_match"
    if levels.get("name") == "exact":
        return "name_exact"
    if levels.get("website") == "same":
        return "website_match"
    if levels.get("phone") == "same":
        return "phone_match"
    return "name_fuzzy"
