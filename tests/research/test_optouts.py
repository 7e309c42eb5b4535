"""Opt-outs in research: an opted-out record or website is never fetched nor sent to the LLM, and nothing read on an
opted-out domain is kept."""

from __future__ import annotations

import json

import pytest
from sqlalchemy.orm import Session

from app.core.config import Settings
from app.research import claude as claude_module
from app.research.auto import AutoResearcher
from app.research.base import Researcher
from app.research.claude import ClaudeResearcher
from app.research.findings import ResearchRequest
from app.research.web import WebResearcher
from app.sources.models import CollectionOptOut
from app.sources.optouts import is_opted_out
from tests.factories import make_builder
from tests.fakes.anthropic_server import FakeAnthropic, answer, citation, message, sourced, text_block
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


# Opt-outs by domain: the search tool skips them, citations of them are dropped, and a record whose own
# website opted out goes to no LLM at all.

PERRY = "https://www.perryhomes.example/"
DIRECTORY = "https://listings.homedirectory.example/perry-homes"


def _opt_out_domains(session: Session, *domains: str) -> None:
    session.add_all(CollectionOptOut(domain=domain, reason="asked by e-mail") for domain in domains)
    session.flush()


def _perry_update() -> ResearchRequest:
    return ResearchRequest(
        job_id="JOB-1-abcdef",
        entity_type="builder",
        job_type="update",
        subject={"name": "Perry Homes", "website": PERRY},
    )


def test_the_search_tool_is_told_every_opted_out_domain(
    session: Session, llm_settings: Settings, fake_anthropic: FakeAnthropic
) -> None:
    _opt_out_domains(session, "zillowish.example", "homedirectory.example")
    fake_anthropic.script(answer([{"phone": sourced("(713) 555-0199", PERRY)}]))

    ClaudeResearcher(llm_settings).research(session, _perry_update())

    [sent] = fake_anthropic.requests
    [tool] = sent.body["tools"]
    assert tool["blocked_domains"] == ["homedirectory.example", "zillowish.example"]
    assert "allowed_domains" not in tool  # the API refuses both in one tool


def test_the_blocked_domains_are_capped_and_the_rest_reported(
    session: Session, llm_settings: Settings, fake_anthropic: FakeAnthropic, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(claude_module, "MAX_BLOCKED_DOMAINS", 2)
    _opt_out_domains(session, "a-optout.example", "b-optout.example", "c-optout.example")
    fake_anthropic.script(answer([{"phone": sourced("(713) 555-0199", PERRY)}]))

    result = ClaudeResearcher(llm_settings).research(session, _perry_update())

    assert fake_anthropic.requests[0].body["tools"][0]["blocked_domains"] == ["a-optout.example", "b-optout.example"]
    assert any("1 opted-out domains beyond the first 2" in w for w in result.warnings)


def test_a_value_cited_from_an_opted_out_domain_is_dropped(
    session: Session, llm_settings: Settings, fake_anthropic: FakeAnthropic
) -> None:
    _opt_out_domains(session, "homedirectory.example")
    record = {
        "phone": sourced("(713) 555-0100", DIRECTORY, "Perry Homes (713) 555-0100"),
        "founded_year": sourced(1967, PERRY, "Building Texas homes since 1967"),
        "awards": [
            {"title": sourced("Directory Pick 2024", DIRECTORY)},
            {"title": sourced("2024 Builder of the Year", PERRY)},
        ],
    }
    fake_anthropic.script(
        message(
            [
                text_block("Perry Homes", [citation(DIRECTORY, "Perry Homes (713) 555-0100")]),
                text_block(json.dumps({"records": [record]})),
            ]
        )
    )

    result = ClaudeResearcher(llm_settings).research(session, _perry_update())

    [builder] = result.findings
    assert "phone" not in builder.fields
    assert builder.value("founded_year") == 1967
    assert [c.value("title") for c in builder.children] == ["2024 Builder of the Year"]
    assert any("2 value(s) cited from opted-out sites were dropped" in w and DIRECTORY in w for w in result.warnings)
    assert DIRECTORY not in result.source_texts


def test_a_discovered_record_whose_website_opted_out_is_dropped_whole(
    session: Session, llm_settings: Settings, fake_anthropic: FakeAnthropic
) -> None:
    _opt_out_domains(session, "quietoaks.example")
    source = "https://www.katyguide.example/communities"
    fake_anthropic.script(
        answer(
            [
                {
                    "name": sourced("Quiet Oaks", source),
                    "community_website_url": sourced("https://quietoaks.example", source),
                },
                {
                    "name": sourced("Cane Island", source),
                    "community_website_url": sourced("https://caneisland.example", source),
                },
            ]
        )
    )
    request = ResearchRequest(job_id="JOB-2-abcdef", entity_type="community", job_type="discovery")

    result = ClaudeResearcher(llm_settings).research(session, request)

    assert [f.value("name") for f in result.findings] == ["Cane Island"]
    assert any("website https://quietoaks.example opted out" in w for w in result.warnings)


def test_without_opt_outs_the_search_tool_has_no_blocked_domains(
    session: Session, llm_settings: Settings, fake_anthropic: FakeAnthropic
) -> None:
    fake_anthropic.script(answer([{"phone": sourced("(713) 555-0199", PERRY)}]))

    result = ClaudeResearcher(llm_settings).research(session, _perry_update())

    assert "blocked_domains" not in fake_anthropic.requests[0].body["tools"][0]
    assert result.findings[0].value("phone") == "(713) 555-0199"


def _own_site_opted_out(session: Session, site: ScriptedSite) -> ResearchRequest:
    builder = make_builder(session, name="Quiet Homes", website=f"{site.base_url}/quiet/")
    _opt_out_domains(session, "127.0.0.1")  # the scripted site's host: the builder's own website
    site.routes["/robots.txt"] = Route(404)
    site.routes["/quiet/"] = Route(200, "<html><body><h1>Quiet Homes</h1></body></html>")
    return ResearchRequest(
        job_id="JOB-1-abcdef",
        entity_type="builder",
        entity_id=builder.id,
        job_type="update",
        subject={"name": builder.name, "website": builder.website},
    )


@pytest.mark.parametrize("name", ["auto", "claude"])
def test_a_record_whose_own_website_opted_out_goes_to_no_llm(
    name: str, session: Session, llm_settings: Settings, fake_anthropic: FakeAnthropic, site: ScriptedSite
) -> None:
    request = _own_site_opted_out(session, site)
    # Were the LLM asked, it would answer: the test fails on the request, not on a missing reply.
    fake_anthropic.script(answer([{"phone": sourced("(713) 555-0100", "https://elsewhere.example/quiet")}]))
    researcher: Researcher = RESEARCHERS[name](llm_settings)

    result = researcher.research(session, request)

    assert fake_anthropic.requests == []
    assert result.findings == [] and result.usage.llm_calls == 0
    assert site.requests == []  # the web part refused the page as well
    assert [p.outcome for p in result.pages] == ["opted_out"]
    website = request.subject["website"]
    expected = {
        "auto": f"the record's website {website} opted out of collection: Claude not asked",
        "claude": f"the record's website opted out of collection ({website}): no LLM call",
    }
    assert expected[name] in result.warnings


def test_a_domain_opt_out_covers_its_subdomains_and_nothing_else(session: Session) -> None:
    _opt_out_domains(session, "homedirectory.example")

    assert is_opted_out(session, url="https://listings.homedirectory.example/perry-homes")
    assert is_opted_out(session, url="http://homedirectory.example/")
    assert not is_opted_out(session, url="https://nothomedirectory.example/")
    assert not is_opted_out(session, url="https://homedirectory.example.org/")
