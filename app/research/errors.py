"""Errors researchers raise; the job task decides from the class whether to retry."""

from __future__ import annotations

from app.research.findings import Usage


class ResearchError(Exception):
    """Research failed; ``usage`` is what was spent before it did, so the job can still show its cost."""

    def __init__(self, message: str, *, usage: Usage | None = None) -> None:
        super().__init__(message)
        self.usage = usage or Usage()


class TransientResearchError(ResearchError):
    """429, 529, 5xx or a timeout after the SDK's own retries: the job retries later with backoff."""


class PermanentResearchError(ResearchError):
    """Malformed output, a refusal or a cap hit: retrying would not help; the job fails with this message."""


class LLMBudgetExceeded(PermanentResearchError):
    """The monthly LLM budget is spent: no new LLM work until it resets or is raised."""
