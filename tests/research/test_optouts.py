"""A record that opted out is never researched: no page fetched, no LLM call, and the refusal is reported."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from app.core.config import Settings
from app.research.auto import AutoResearcher
from app.research.base import Researcher
from app.research.claude import ClaudeResearcher
from app.research.findings import ResearchRequest
from app.research.web import WebResearcher
from app.sources.models import CollectionOptOut
from tests.factories import make_builder
from tests.fakes.anthropic_server import FakeAnthropic
from tests.research.conftest import Route, ScriptedSite

RESEARCHERS = {"web": WebResearcher, "claude": ClaudeResearcher, "auto": AutoResearcher}


def _update_request(session: Session, site: ScriptedSite, *, opted_out: bool) -> ResearchRequest:
    builder = make_builder(session, name="Quiet Homes", website=f"{site.base_url}/quiet/")
    if opted_out:
        session.add(CollectionOptOut(entity_type="builder", entity_id=builder.id, reason="asked by e-mail"))
        session.flush()
    site.routes["/robots.txt"] = Route(404)
    site.routes["/quiet/"] = Route(200, "<html><body><h1>Quiet Homes</h1><p>Call (713) 555-0100</p></body></html>")
    return ResearchRequest(
        job_id="JOB-1-abcdef",
        entity_type="builder",
        entity_id=builder.id,
        job_type="update",
        subject={"name": builder.name, "website": builder.website},
    )


@pytest.mark.parametrize("name", sorted(RESEARCHERS))
def test_an_opted_out_record_is_refused_before_any_fetch_or_llm_call(
    name: str, session: Session, llm_settings: Settings, fake_anthropic: FakeAnthropic, site: ScriptedSite
) -> None:
    request = _update_request(session, site, opted_out=True)
    researcher: Researcher = RESEARCHERS[name](llm_settings)

    result = researcher.research(session, request)

    assert [(p.url, p.outcome) for p in result.pages] == [(f"{site.base_url}/quiet/", "opted_out")]
    assert result.findings == []
    assert any(f"builder {request.entity_id} opted out" in w for w in result.warnings)
    assert site.requests == [] and fake_anthropic.requests == []
    assert result.usage.llm_calls == 0 and result.usage.pages_fetched == 0


def test_the_same_record_without_an_opt_out_is_fetched(
    session: Session, llm_settings: Settings, site: ScriptedSite
) -> None:
    request = _update_request(session, site, opted_out=False)

    result = WebResearcher(llm_settings).research(session, request)

    assert "/quiet/" in site.paths()
    assert "opted_out" not in {p.outcome for p in result.pages}


def test_a_request_without_a_record_is_not_refused_by_another_records_opt_out(
    session: Session, llm_settings: Settings, site: ScriptedSite
) -> None:
    request = _update_request(session, site, opted_out=True).model_copy(update={"entity_id": None})

    WebResearcher(llm_settings).research(session, request)

    assert "/quiet/" in site.paths()
