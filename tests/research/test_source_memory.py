"""Sources are the memory of where facts come from: counted per job, revisited only when approved, never a
place the fetch guard refused, and a page reached by a redirect counts for the page that linked it."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.changes.proposals import propose_updates
from app.core.config import Settings, get_settings
from app.research.fetch import Fetcher
from app.research.findings import ResearchRequest
from app.research.web import WebResearcher
from app.sources.models import CollectionSource
from tests.changes.conftest import finding, found, make_job
from tests.factories import make_builder
from tests.research.conftest import Route, ScriptedSite


def _domains(session: Session) -> set[str]:
    session.expire_all()
    return set(session.scalars(select(CollectionSource.domain)))


def _source(session: Session, domain: str) -> CollectionSource:
    session.expire_all()
    return session.scalars(select(CollectionSource).where(CollectionSource.domain == domain)).one()


@pytest.mark.parametrize(
    "target", ["http://10.1.2.3/admin", "http://169.254.169.254/latest/meta-data/", "file:///etc/passwd"]
)
def test_a_redirect_chain_to_a_refused_address_reports_the_guards_reason_and_stores_no_source(
    session: Session, settings: Settings, site: ScriptedSite, target: str
) -> None:
    site.routes["/robots.txt"] = Route(404)
    site.routes["/start"] = Route(302, "", {"Location": "/hop"})
    site.routes["/hop"] = Route(301, "", {"Location": target})
    with Fetcher(session, settings) as fetcher:
        result = fetcher.fetch(f"{site.base_url}/start")
        fetcher.record_collections()
    assert result.outcome == "refused" and result.page is None
    detail = result.detail or ""
    assert f"redirected to {target}" in detail and "robots" not in detail
    assert ("non-public address" in detail) or ("scheme 'file'" in detail)
    assert site.paths() == ["/robots.txt", "/start", "/hop"]
    assert _domains(session) == {"127.0.0.1"}  # the refused target is no source
    source = _source(session, "127.0.0.1")
    assert (source.total_collections, source.successful_collections, source.failed_collections) == (1, 0, 1)


def builder_page(name: str, phone: str) -> str:
    data = {"@context": "https://schema.org", "@type": "HomeAndConstructionBusiness", "name": name, "telephone": phone}
    return (
        f'<html><head><script type="application/ld+json">{json.dumps(data)}</script></head><body>{name}</body></html>'
    )


def test_each_job_counts_once_per_source_it_read_from(session: Session, settings: Settings, site: ScriptedSite) -> None:
    site.routes["/robots.txt"] = Route(404)
    site.routes["/oak/"] = Route(200, builder_page("Oak Homes", "(713) 555-0100"))
    request = ResearchRequest(
        job_id="JOB-1-abcdef",
        entity_type="builder",
        job_type="update",
        subject={"name": "Oak Homes", "website": f"{site.base_url}/oak/"},
    )
    WebResearcher(settings).research(session, request)
    source = _source(session, "127.0.0.1")
    assert (source.total_collections, source.successful_collections, source.failed_collections) == (1, 1, 0)
    first = source.last_collected_at
    assert first is not None and first.utcoffset() is not None

    site.routes["/oak/"] = Route(500, "down")
    WebResearcher(settings).research(session, request.model_copy(update={"force_refresh": True}))
    source = _source(session, "127.0.0.1")
    assert (source.total_collections, source.successful_collections, source.failed_collections) == (2, 1, 1)
    assert source.last_collected_at == first  # a failed collection is not a collection


def _discovery() -> ResearchRequest:
    return ResearchRequest(job_id="JOB-2-abcdef", entity_type="community", job_type="discovery", max_items=5)


def test_discovery_revisits_only_sources_an_admin_added_or_approved(
    session: Session, settings: Settings, site: ScriptedSite
) -> None:
    site.routes["/robots.txt"] = Route(404)
    site.routes["/directory/"] = Route(200, "<html><body><h1>Communities</h1></body></html>")
    seen = CollectionSource(
        source_name="seen once",
        source_url=f"{site.base_url}/directory/",
        domain="127.0.0.1",
        source_type="directory",
        entity_types=["community"],
    )
    session.add(seen)
    session.flush()
    WebResearcher(settings).research(session, _discovery())
    assert site.paths() == []  # a directory merely seen on the way is not revisited

    seen.approved = True
    session.flush()
    WebResearcher(settings).research(session, _discovery())
    assert "/directory/" in site.paths()


def test_a_page_reached_by_a_redirect_is_recorded_against_the_linking_source(
    session: Session, site: ScriptedSite
) -> None:
    port = site.base_url.rsplit(":", 1)[1]
    site.routes["/robots.txt"] = Route(404)
    site.routes["/oak/"] = Route(301, "", {"Location": f"http://localhost:{port}/new-oak/"})
    site.routes["/new-oak/"] = Route(200, builder_page("Oak Homes", "(713) 555-0199"))
    settings = Settings(fetch_allowed_hosts=["127.0.0.1", "localhost"], per_host_delay_seconds=0)
    builder = make_builder(session, name="Oak Homes", phone="(713) 555-0100", website=f"{site.base_url}/oak/")
    request = ResearchRequest(
        job_id="JOB-3-abcdef",
        entity_type="builder",
        entity_id=builder.id,
        job_type="update",
        subject={"name": "Oak Homes", "website": f"{site.base_url}/oak/"},
    )
    result = WebResearcher(settings, resolver=lambda host, port: ["127.0.0.1"]).research(session, request)
    assert len(result.findings) == 1, (result.pages, result.warnings)
    [finding] = result.findings
    evidence = finding.fields["phone"].evidence
    assert evidence.source_url == f"http://localhost:{port}/new-oak/"
    assert evidence.linked_from == f"{site.base_url}/oak/"
    assert evidence.source_type == "official_website"  # the record's own site sent us there
    assert _domains(session) == {"127.0.0.1"}

    job = make_job(session)
    [change] = propose_updates(
        session, job, "builder", builder.id, finding, result.source_texts, fields=True, settings=settings
    ).changes
    assert change.source_id == _source(session, "127.0.0.1").id
    assert change.source_url == f"http://localhost:{port}/new-oak/"  # the evidence still names the page read
    assert _domains(session) == {"127.0.0.1"}


def test_evidence_from_an_address_the_guard_refuses_stores_no_source(session: Session) -> None:
    builder = make_builder(session, phone="(713) 555-0100")
    value = found("(713) 555-0199", url="http://10.1.2.3/contact", source_type="search")
    [change] = propose_updates(
        session, make_job(session), "builder", builder.id, finding("builder", phone=value), {}, settings=get_settings()
    ).changes
    assert change.source_id is None
    assert "10.1.2.3" not in _domains(session)
