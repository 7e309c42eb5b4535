"""The one confidence formula: how far a proposed value can be trusted, with the reasons."""

from __future__ import annotations

from math import sqrt
from typing import Any

# How often each way of reading a page gets a value right: structured data beats prose read by an LLM.
EXTRACTOR_SCORES: dict[str, float] = {
    "bdx_feed": 0.98,
    "json_ld": 0.97,
    "microdata": 0.95,
    "html": 0.85,
    "claude": 0.70,
    "inventory_listing": 0.90,
    # A rendered page's structured data is the site's own, read after its scripts ran.
    "rendered_bdx": 0.97,
    "rendered_json_ld": 0.96,
    "rendered_microdata": 0.94,
    "xhr_json": 0.92,
    "rendered_html": 0.85,
}
DEFAULT_EXTRACTOR_SCORE = 0.60
# A value not found in the fetched text may be invented: it never rises above this.
NOT_FOUND_CAP = 0.35
# No fetched text to check against (the value came from search results): unverified.
UNCHECKED_CAP = 0.60
# Each independent source that agrees closes this share of the remaining doubt (at most two count).
AGREEMENT_SHARE = 0.30
MAX_AGREEING = 2
MAX_SCORE = 0.99
# Independent sources disagree: nobody may apply the value without a look, so it stays below auto-apply.
DISAGREEMENT_CAP = 0.85


def compute_confidence(
    *,
    source_reliability: float,
    extractor: str,
    found_in_source: bool | None,
    agreeing_sources: int = 0,
    disagreeing_sources: int = 0,
    disagreement_cap: float = DISAGREEMENT_CAP,
    validated: bool = True,
) -> tuple[float, dict[str, Any]]:
    """Confidence 0..1 of a proposed value, and the components that explain it.

    base = sqrt(source reliability x extractor score); an agreeing independent source closes 30% of
    the remaining doubt; a value not found in its source text is capped at 0.35 (unchecked: 0.60);
    a value other independent sources contradict is capped at ``disagreement_cap`` (below auto-apply);
    a value that failed validation scores 0.
    """
    reliability = min(max(source_reliability, 0.0), 1.0)
    extractor_score = EXTRACTOR_SCORES.get(extractor, DEFAULT_EXTRACTOR_SCORE)
    base = sqrt(reliability * extractor_score)
    agreeing = min(max(agreeing_sources, 0), MAX_AGREEING)
    score = 1 - (1 - base) * (1 - AGREEMENT_SHARE) ** agreeing
    cap: float | None = None
    if found_in_source is False:
        cap = NOT_FOUND_CAP
    elif found_in_source is None:
        cap = UNCHECKED_CAP
    if cap is not None:
        score = min(score, cap)
    contested = disagreement_cap if disagreeing_sources > 0 else None
    if contested is not None:
        score = min(score, contested)
    if not validated:
        score = 0.0
    score = round(min(score, MAX_SCORE), 4)
    components: dict[str, Any] = {
        "source_reliability": round(reliability, 4),
        "extractor": extractor,
        "extractor_score": extractor_score,
        "evidence_found": found_in_source,
        "evidence_cap": cap,
        "agreeing_sources": agreeing,
        "disagreeing_sources": max(disagreeing_sources, 0),
        "disagreement_cap": contested,
        "validated": validated,
        "score": score,
    }
    return score, components
