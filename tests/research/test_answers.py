"""Model answers as real models write them, sent by the fake Messages API through the real SDK:
every valid value is kept, every bad one is dropped alone and named in the warnings."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from app.core.config import Settings
from app.research.answers import AnswerUnreadable, answer_object
from app.research.claude import ClaudeResearcher
from app.research.errors import PermanentResearchError
from tests.fakes.answer_corpus import AnswerVariant, corpus, kept_values, request_for, score
from tests.fakes.anthropic_server import FakeAnthropic

VARIANTS = corpus()


@pytest.mark.parametrize("variant", VARIANTS, ids=[v.name for v in VARIANTS])
def test_each_answer_variant_keeps_the_valid_values_and_names_the_dropped_ones(
    session: Session, llm_settings: Settings, fake_anthropic: FakeAnthropic, variant: AnswerVariant
) -> None:
    fake_anthropic.script(*variant.replies)
    researcher = ClaudeResearcher(llm_settings)
    if variant.error is not None:
        with pytest.raises(PermanentResearchError) as caught:
            researcher.research(session, request_for(variant))
        assert variant.error in str(caught.value)
        assert caught.value.usage.llm_calls == variant.llm_calls  # every paid call is on the job
        return
    result = researcher.research(session, request_for(variant))

    kept = kept_values(result.findings)
    assert set(kept) == set(variant.kept)
    assert score(variant, result.findings).valid_kept == len(variant.kept)
    named = [w for w in result.warnings if w.startswith("model answer ")]
    for path, reason in variant.dropped.items():
        [warning] = [w for w in named if w.startswith(f"model answer {path} dropped: ")]
        assert reason in warning
    assert len(named) == len(variant.dropped)
    for fragment in variant.warnings:
        assert any(fragment in w for w in result.warnings)
    assert result.usage.llm_calls == variant.llm_calls
    assert len(fake_anthropic.requests) == variant.llm_calls


def test_the_repair_turn_sends_the_parse_error_back_and_forbids_searching(
    session: Session, llm_settings: Settings, fake_anthropic: FakeAnthropic
) -> None:
    [variant] = [v for v in VARIANTS if v.name.startswith("no JSON, then")]
    fake_anthropic.script(*variant.replies)
    result = ClaudeResearcher(llm_settings).research(session, request_for(variant))

    assert any(w.startswith("the model's first answer could not be read (no JSON object") for w in result.warnings)
    first, repair = fake_anthropic.requests
    assert repair.body["messages"][:1] == first.body["messages"]
    assert repair.body["messages"][1]["role"] == "assistant"
    assert "(713) 555-0199" in repair.body["messages"][1]["content"][0]["text"]
    asked = repair.body["messages"][2]
    assert asked["role"] == "user"
    assert "could not be read: no JSON object in the answer" in asked["content"]
    assert "only the JSON object" in asked["content"]
    assert repair.body["tool_choice"] == {"type": "none"}


def test_the_repair_turn_counts_against_the_job_caps(
    session: Session, llm_settings: Settings, fake_anthropic: FakeAnthropic
) -> None:
    [variant] = [v for v in VARIANTS if v.name.startswith("no JSON, then")]
    fake_anthropic.script(*variant.replies)
    # The first call's 1,500 tokens reach the cap: the repair turn is not sent.
    settings = llm_settings.model_copy(update={"job_max_tokens": 1500})
    with pytest.raises(PermanentResearchError, match="job cap of 1500 tokens") as caught:
        ClaudeResearcher(settings).research(session, request_for(variant))
    assert len(fake_anthropic.requests) == 1
    assert caught.value.usage.llm_calls == 1


@pytest.mark.parametrize(
    ("text", "records", "cut"),
    [
        ('{"records": []}', [], False),
        ('Sure! {"records": [{"a": 1}]} and later {"records": [{"b": 2}]}', [{"b": 2}], False),
        ('{"records": [{"a": 1}]} then {"records": [{"b": 2}, {"c": ', [{"b": 2}, {}], True),
        ('{"phone": {"value": "1"}}', [{"phone": {"value": "1"}}], False),
        ('{"records": {"phone": 1}}', {"phone": 1}, False),
        ('A {brace} in prose, then {"records": [{"a": "x"}]}', [{"a": "x"}], False),
    ],
)
def test_the_answer_object_is_the_final_one_read_tolerantly(text: str, records: object, cut: bool) -> None:
    found = answer_object(text)
    assert found.data["records"] == records
    assert found.cut is cut


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", "no JSON object in the answer"),
        ("I found nothing.", "no JSON object in the answer"),
        ('{"records": "none"}', 'no JSON object with a "records" list'),
        ("{'records': []} and {oops}", "no JSON object could be read (Expecting property name"),
    ],
)
def test_an_answer_without_a_usable_object_says_why(text: str, problem: str) -> None:
    with pytest.raises(AnswerUnreadable) as caught:
        answer_object(text)
    assert problem in str(caught.value)
