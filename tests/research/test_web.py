"""The web researcher against the sample sites: updates, inventory pagination, feeds, caching, failures."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from app.core.config import Settings
from app.research import web as web_module
from app.research.factory import get_researcher
from app.research.findings import Extractor, ResearchRequest
from app.research.web import WebResearcher, page_links
from tests.research.conftest import Route, ScriptedSite


def request(**values: object) -> ResearchRequest:
    defaults: dict[str, object] = {"job_id": "JOB-1-abcdef", "entity_type": "builder", "job_type": "update"}
    return ResearchRequest.model_validate({**defaults, **values})


def test_builder_update_reads_json_ld_and_the_feed_plans(session: Session, settings: Settings, sites: str) -> None:
    result = WebResearcher(settings).research(
        session, request(subject={"name": "Perry Homes", "website": f"{sites}/perry-homes/"})
    )
    [builder] = [f for f in result.findings if f.kind == "builder"]
    assert builder.value("phone") == "(713) 555-0199"
    assert builder.fields["phone"].evidence.extractor == Extractor.json_ld
    plans = [c.value("name") for c in builder.children if c.kind == "home_plan"]
    assert "The Sabine" in plans
    assert [p.outcome for p in result.pages] == ["fetched", "fetched"]
    assert result.pages[0].finding_count == 1
    # Values can be checked against what was read: the JSON-LD is part of the page's source text.
    assert "(713) 555-0199" in result.source_texts[f"{sites}/perry-homes/"]
    assert result.usage.cost_usd == 0 and result.usage.llm_calls == 0


def test_property_discovery_follows_inventory_pagination_and_feed(
    session: Session, settings: Settings, sites: str
) -> None:
    result = WebResearcher(settings).research(
        session,
        request(
            entity_type="property",
            job_type="property_discovery",
            subject={"name": "Perry Homes", "website": f"{sites}/perry-homes/"},
        ),
    )
    homes = [f for f in result.findings if f.kind == "property"]
    addresses = {h.value("address1") for h in homes}
    assert len(homes) == 8
    assert {"123 Oak Street", "47 Cypress Hollow Lane", "789 Cedar Court"} <= addresses
    visited = [p.url for p in result.pages]
    assert f"{sites}/perry-homes/homes/?page=2" in visited  # rel="next"
    assert f"{sites}/perry-homes/homes/?page=3" in visited  # a plain ?page=N link
    assert f"{sites}/perry-homes/feed.xml" in visited


def test_pagination_stops_at_the_requested_maximum(session: Session, settings: Settings, sites: str) -> None:
    result = WebResearcher(settings).research(
        session,
        request(
            entity_type="property",
            job_type="property_discovery",
            target_url=f"{sites}/perry-homes/homes/",
            max_items=2,
        ),
    )
    assert [p.url for p in result.pages] == [f"{sites}/perry-homes/homes/"]


def test_community_discovery_reads_a_directory(session: Session, settings: Settings, sites: str) -> None:
    result = WebResearcher(settings).research(
        session,
        request(entity_type="community", job_type="discovery", target_url=f"{sites}/communities/houston/"),
    )
    names = [f.value("name") for f in result.findings if f.kind == "community"]
    assert names == ["Cinco Ranch", "Bridgeland", "Aliana", "Elyson", "Harvest Green"]


def test_page_needing_javascript_is_reported_not_read_as_empty(
    session: Session, settings: Settings, sites: str
) -> None:
    result = WebResearcher(settings).research(session, request(target_url=f"{sites}/spa-builder/"))
    assert result.findings == []
    assert result.pages[0].outcome == "needs_javascript"
    assert result.warnings == [f"{sites}/spa-builder/ needs JavaScript to show its data; not read as empty"]


def test_robots_disallowed_and_refused_pages_are_reported(session: Session, settings: Settings, sites: str) -> None:
    result = WebResearcher(settings).research(session, request(target_url=f"{sites}/private/"))
    assert [p.outcome for p in result.pages] == ["robots_disallowed"]
    refused = WebResearcher(settings).research(session, request(target_url="http://169.254.169.254/latest/"))
    assert refused.pages[0].outcome == "refused"
    assert "link-local" in (refused.pages[0].detail or "")


def test_unchanged_page_reuses_cached_findings_without_extracting(
    session: Session, settings: Settings, sites: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    ask = request(
        entity_type="community",
        subject={"name": "Cinco Ranch", "community_website_url": f"{sites}/cinco-ranch/"},
    )
    first = WebResearcher(settings).research(session, ask)

    def no_extraction(*args: object, **kwargs: object) -> None:
        raise AssertionError("an unchanged page must not be extracted again")

    monkeypatch.setattr(web_module, "extract_structured", no_extraction)
    second = WebResearcher(settings).research(session, ask)
    assert [p.outcome for p in second.pages] == ["not_modified"]
    assert second.pages[0].status_code == 304
    assert [f.model_dump() for f in second.findings] == [f.model_dump() for f in first.findings]
    # The evidence check still has text to look in: the quotes kept from last time.
    assert "$125/month" in second.source_texts[f"{sites}/cinco-ranch/"]


def test_a_page_that_stops_yielding_findings_is_flagged(
    session: Session, settings: Settings, site: ScriptedSite
) -> None:
    with_data = """<script type="application/ld+json">{"@type": "HomeAndConstructionBusiness",
        "name": "Gulf Coast Homes", "telephone": "(409) 555-0101"}</script><p>Gulf Coast Homes</p>"""
    site.routes["/gulf/"] = Route(200, with_data)
    ask = request(subject={"name": "Gulf Coast Homes"}, target_url=f"{site.base_url}/gulf/")
    assert len(WebResearcher(settings).research(session, ask).findings) == 1
    site.routes["/gulf/"] = Route(200, "<p>Gulf Coast Homes: new look, call us!</p>" + "x" * 300)
    result = WebResearcher(settings).research(session, ask)
    assert result.findings == []
    assert any("yielded 1 finding(s) last time and none now" in w for w in result.warnings)


def test_update_ignores_other_records_of_its_kind(session: Session, settings: Settings, sites: str) -> None:
    result = WebResearcher(settings).research(
        session, request(subject={"name": "Highland Homes"}, target_url=f"{sites}/toll-brothers/")
    )
    assert [f for f in result.findings if f.kind == "builder"] == []
    assert any("'Toll Brothers'" in w for w in result.warnings)


def test_rate_limited_site_is_reported_with_a_warning(session: Session, settings: Settings, site: ScriptedSite) -> None:
    site.routes["/busy/"] = Route(429, "slow down", {"Retry-After": "60"})
    result = WebResearcher(settings).research(session, request(target_url=f"{site.base_url}/busy/"))
    assert result.pages[0].outcome == "rate_limited"
    assert any("rate_limited" in w for w in result.warnings)


def test_auto_without_a_key_is_the_web_researcher(settings: Settings) -> None:
    assert get_researcher("auto", settings).name == "web"
    assert get_researcher("web", settings).name == "web"
    assert get_researcher("claude", settings).name == "claude"


def test_a_redirected_page_keeps_its_text_under_the_url_its_evidence_names(
    session: Session, settings: Settings, site: ScriptedSite
) -> None:
    site.routes["/acme"] = Route(301, "", {"Location": "/acme/home"})
    site.routes["/acme/home"] = Route(
        200,
        """<script type="application/ld+json">{"@type": "HomeAndConstructionBusiness",
        "name": "Acme Homes", "telephone": "(713) 555-0142"}</script><p>Acme Homes</p>""",
    )
    ask = request(subject={"name": "Acme Homes"}, target_url=f"{site.base_url}/acme")
    first = WebResearcher(settings).research(session, ask)
    again = WebResearcher(settings).research(session, ask)  # unchanged: the findings kept last time
    for result in (first, again):
        [builder] = result.findings
        evidence_url = builder.fields["phone"].evidence.source_url
        assert evidence_url == f"{site.base_url}/acme/home"
        assert "(713) 555-0142" in result.source_texts[evidence_url]
    assert again.pages[0].outcome == "not_modified"


def test_links_lose_their_fragment_and_keep_every_query_argument_in_order() -> None:
    html = """<html><body>
      <a href="/homes/?page=2&amp;sort=price&amp;sort=size#top" rel="next">Next</a>
      <link rel="alternate" type="application/xml" href="feed.xml#latest">
      <a href="https://other.example/homes#list">Elsewhere</a>
    </body></html>"""

    links = page_links(html, "https://builder.example/homes/")

    assert links["next"] == "https://builder.example/homes/?page=2&sort=price&sort=size"
    assert links["feeds"] == ["https://builder.example/homes/feed.xml"]
