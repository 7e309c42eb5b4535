"""The researcher protocol and how a job picks one by name."""

from __future__ import annotations

from typing import Literal, Protocol

from sqlalchemy.orm import Session

from app.core.config import Settings, get_settings
from app.research.findings import ResearchRequest, ResearchResult

ResearcherName = Literal["web", "claude", "auto"]


class Researcher(Protocol):
    name: str

    def research(self, session: Session, request: ResearchRequest) -> ResearchResult: ...


def has_llm_key(settings: Settings) -> bool:
    key = settings.anthropic_api_key
    return key is not None and bool(key.get_secret_value())


def get_researcher(name: ResearcherName = "auto", settings: Settings | None = None) -> Researcher:
    """The named researcher; ``auto`` without an Anthropic key is the web researcher."""
    settings = settings or get_settings()
    from app.research.auto import AutoResearcher
    from app.research.claude import ClaudeResearcher
    from app.research.web import WebResearcher

    if name == "web" or (name == "auto" and not has_llm_key(settings)):
        return WebResearcher(settings)
    if name == "claude":
        return ClaudeResearcher(settings)
    if name == "auto":
        return AutoResearcher(settings)
    raise ValueError(f"unknown researcher {name!r}: use web, claude or auto")
