"""Which researcher a job gets, by name: above the researchers, which know nothing of each other's choice."""

from __future__ import annotations

from typing import Literal

from app.core.config import Settings
from app.research.auto import AutoResearcher
from app.research.base import Researcher
from app.research.claude import ClaudeResearcher
from app.research.web import WebResearcher

ResearcherName = Literal["web", "claude", "auto"]


def get_researcher(name: ResearcherName, settings: Settings) -> Researcher:
    """The named researcher; ``auto`` without an Anthropic key is the web researcher."""
    if name == "web" or (name == "auto" and not settings.has_llm_key):
        return WebResearcher(settings)
    if name == "claude":
        return ClaudeResearcher(settings)
    if name == "auto":
        return AutoResearcher(settings)
    raise ValueError(f"unknown researcher {name!r}: use web, claude or auto")
