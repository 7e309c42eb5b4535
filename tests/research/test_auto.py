"""The auto researcher: structured data first, Claude only for the gaps, nothing for an unchanged page."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy.orm import Session

from app.core.config import Settings
from app.research.auto import AutoResearcher, missing_fields, open_fields
from app.research.factory import get_researcher
from app.research.findings import Evidence, Extractor, Finding, FoundValue, ResearchRequest
from tests.fakes.anthropic_server import FakeAnthropic, answer, sourced


def builder_request(name: str, website: str) -> ResearchRequest:
    return ResearchRequest(
        job_id="JOB-1-abcdef", entity_type="builder", job_type="update", subject={"name": name, "website": website}
    )


def test_auto_is_chosen_when_a_key_is_set(llm_settings: Settings) -> None:
    assert get_researcher("auto", llm_settings).name == "auto"


def test_structured_page_answers_everything_without_an_llm_call(
    session: Session, llm_settings: Settings, fake_anthropic: FakeAnthropic, sites: str
) -> None:
    result = AutoResearcher(llm_settings).research(session, builder_request("Perry Homes", f"{sites}/perry-homes/"))
    assert result.findings[0].value("phone") == "(713) 555-0199"
    assert fake_anthropic.requests == []
    assert result.usage.llm_calls == 0 and result.usage.cost_usd == 0


def test_page_without_structured_data_asks_claude_for_every_open_field(
    session: Session, llm_settings: Settings, fake_anthropic: FakeAnthropic, sites: str
) -> None:
    url = f"{sites}/highland-homes/"
    fake_anthropic.script(
        answer(
            [
                {
                    "phone": sourced("(972) 555-0125", url, "Call us at (972) 555-0125"),
                    "city": sourced("Plano", url, "Plano, TX 75024"),
                    "rating": sourced(4.8, url, "rated 4.8 by 212 buyers"),
                    "user_id": sourced("admin", url, "admin"),
                }
            ],
            input_tokens=1800,
            output_tokens=250,
        )
    )
    result = AutoResearcher(llm_settings).research(session, builder_request("Highland Homes", url))
    [builder] = result.findings
    assert builder.value("phone") == "(972) 555-0125"
    assert builder.fields["phone"].evidence.extractor == Extractor.claude
    assert builder.value("rating") == 4.8  # not a core field, yet open and answered: kept
    assert "user_id" not in builder.fields  # no field of the record: ignored
    assert result.usage.llm_calls == 1 and result.usage.input_tokens == 1800
    [sent] = fake_anthropic.requests
    prompt = sent.body["messages"][0]["content"]
    assert "Only these fields are needed: phone, email, website, address, city, state" in prompt
    assert "rating" in prompt.split("Only these fields are needed:")[1].split("\n")[0]
    assert "Call us at (972) 555-0125" in prompt  # the page's main text, not its HTML
    assert "<footer>" not in prompt
    # The evidence check can find Claude's values in the page we fetched.
    assert "(972) 555-0125" in result.source_texts[url]

    again = AutoResearcher(llm_settings).research(session, builder_request("Highland Homes", url))
    assert [p.outcome for p in again.pages] == ["not_modified"]
    assert len(fake_anthropic.requests) == 1  # an unchanged page costs no LLM call
    assert again.usage.llm_calls == 0
    assert "pages unchanged since the last collection: no LLM call" in again.warnings


def test_spent_budget_leaves_web_only_collection_running(
    session: Session, llm_settings: Settings, fake_anthropic: FakeAnthropic, sites: str
) -> None:
    request = builder_request("Highland Homes", f"{sites}/highland-homes/")
    request.spent_this_month = Decimal("250")
    result = AutoResearcher(llm_settings).research(session, request)
    assert fake_anthropic.requests == []
    assert [p.outcome for p in result.pages] == ["fetched"]
    assert any("monthly LLM budget" in w for w in result.warnings)


def test_discovery_with_no_structured_results_uses_claude(
    session: Session, llm_settings: Settings, fake_anthropic: FakeAnthropic
) -> None:
    url = "https://www.elyson.example/"
    fake_anthropic.script(answer([{"name": sourced("Elyson", url), "city": sourced("Katy", url)}]))
    result = AutoResearcher(llm_settings).research(
        session,
        ResearchRequest(
            job_id="JOB-2-abcdef",
            entity_type="community",
            job_type="discovery",
            search_query="new master-planned communities Katy TX",
        ),
    )
    assert [f.value("name") for f in result.findings] == ["Elyson"]
    assert len(fake_anthropic.requests) == 1


def test_missing_fields_counts_child_lists() -> None:
    community = Finding(kind="community", children=[Finding(kind="amenity")])
    assert missing_fields("community", community) == ["city", "state", "hoa_fee", "homes", "builders"]
    assert missing_fields("property", None)[:2] == ["address1", "city"]


def test_open_fields_are_every_unanswered_field_of_the_answer_core_first() -> None:
    community = Finding(kind="community", children=[Finding(kind="amenity")])
    community.fields["city"] = FoundValue(
        value="Katy", evidence=Evidence(source_url="https://elyson.example/", extractor=Extractor.json_ld)
    )
    wanted = open_fields("community", community)
    assert wanted[:4] == ["state", "hoa_fee", "homes", "builders"]
    assert {"total_acres", "school_district", "postal_code", "hoa_management_company"} <= set(wanted)
    assert not {"city", "amenities", "name"} & set(wanted)
