"""The confidence formula, table-driven, and the source reliability behind it."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from app.changes.confidence import NOT_FOUND_CAP, compute_confidence
from app.sources.models import CollectionSource
from app.sources.reliability import posterior_mean, record_review, reliability


@pytest.mark.parametrize(
    ("reliability_", "extractor", "found", "agreeing", "validated", "low", "high"),
    [
        # Official site, structured data, value in the page: above the 0.90 auto-apply threshold.
        (0.9, "json_ld", True, 0, True, 0.92, 0.95),
        (0.9, "bdx_feed", True, 0, True, 0.93, 0.95),
        # The same value read by an LLM is trusted less.
        (0.9, "claude", True, 0, True, 0.78, 0.80),
        # Not found in the fetched text: capped low, it may be invented.
        (0.9, "json_ld", False, 0, True, 0.35, 0.35),
        (0.9, "claude", False, 2, True, 0.35, 0.35),
        # No text to check against.
        (0.9, "json_ld", None, 0, True, 0.60, 0.60),
        # A directory is trusted less; an agreeing independent source raises it.
        (0.6, "json_ld", True, 0, True, 0.76, 0.77),
        (0.6, "json_ld", True, 1, True, 0.83, 0.84),
        (0.6, "json_ld", True, 5, True, 0.88, 0.89),
        (0.4, "html", True, 0, True, 0.58, 0.59),
        # Failed validation is never proposed.
        (0.9, "json_ld", True, 0, False, 0.0, 0.0),
    ],
)
def test_confidence_table(
    reliability_: float, extractor: str, found: bool | None, agreeing: int, validated: bool, low: float, high: float
) -> None:
    score, components = compute_confidence(
        source_reliability=reliability_,
        extractor=extractor,
        found_in_source=found,
        agreeing_sources=agreeing,
        validated=validated,
    )
    assert low <= score <= high
    assert components["score"] == score
    assert components["evidence_found"] is found
    assert components["extractor"] == extractor


def test_evidence_check_moves_the_score() -> None:
    kept, _ = compute_confidence(source_reliability=0.9, extractor="json_ld", found_in_source=True)
    capped, components = compute_confidence(source_reliability=0.9, extractor="json_ld", found_in_source=False)
    assert kept > 0.9
    assert capped == NOT_FOUND_CAP
    assert components["evidence_cap"] == NOT_FOUND_CAP


def test_priors_rank_source_types() -> None:
    official = posterior_mean("official_website", 0, 0)
    directory = posterior_mean("directory", 0, 0)
    review_site = posterior_mean("review_site", 0, 0)
    assert official > directory > review_site
    assert reliability(None, "directory") == directory


def test_reviews_move_a_sources_reliability(session: Session) -> None:
    source = CollectionSource(
        source_name="dir", source_url="https://homedirectory.net/", domain="homedirectory.net", source_type="directory"
    )
    session.add(source)
    session.flush()
    start = reliability(source)
    record_review(session, source.id, approved=False, count=3)
    assert source.rejected_changes == 3
    assert source.reliability_score == pytest.approx(6 / 13)
    assert reliability(source) < start
    record_review(session, source.id, approved=True, count=10)
    assert source.reliability_score == pytest.approx(16 / 23)
    assert reliability(source) > start


def test_evidence_from_a_less_trusted_kind_of_page_scores_with_that_kind(session: Session) -> None:
    # A domain first seen as a builder's website, read again as a directory page or a search result.
    source = CollectionSource(
        source_name="site", source_url="https://site.example/", domain="site.example", source_type="official_website"
    )
    session.add(source)
    session.flush()
    assert reliability(source, "official_website") == posterior_mean("official_website", 0, 0)
    assert reliability(source, "directory") == posterior_mean("directory", 0, 0)
    assert reliability(source, "search") == posterior_mean("search", 0, 0)
