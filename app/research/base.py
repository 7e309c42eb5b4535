"""The researcher protocol and the opt-out refusals every researcher shares."""

from __future__ import annotations

from typing import Protocol

from sqlalchemy.orm import Session

from app.core.entities import OWN_SITE_FIELDS
from app.research.findings import PageVisit, ResearchRequest, ResearchResult
from app.sources.optouts import is_opted_out, url_on_domains


class Researcher(Protocol):
    name: str

    def research(self, session: Session, request: ResearchRequest) -> ResearchResult: ...


def opted_out_result(session: Session, request: ResearchRequest) -> ResearchResult | None:
    """The result of research refused because the request's record opted out; None when it may go ahead."""
    if request.entity_id is None:
        return None
    if not is_opted_out(session, entity_type=request.entity_type, entity_id=request.entity_id):
        return None
    record = f"{request.entity_type} {request.entity_id}"
    subject_urls = (request.subject.get(name) for name in ("website", "community_website_url", "url"))
    url = next((u for u in (request.target_url, *subject_urls) if isinstance(u, str) and u), record)
    detail = f"{record} opted out of collection"
    return ResearchResult(
        pages=[PageVisit(url=url, outcome="opted_out", detail=detail)],
        warnings=[f"{detail}: nothing fetched and no LLM call"],
    )


def own_site_opted_out(request: ResearchRequest, domains: set[str]) -> str | None:
    """The record's own website when its domain is one of the opted-out ``domains``; None otherwise."""
    for name in OWN_SITE_FIELDS:
        url = request.subject.get(name)
        if isinstance(url, str) and url_on_domains(url, domains):
            return url
    return None


def own_site_refusal(url: str) -> ResearchResult:
    """The result of LLM research refused because the record's own website opted out."""
    detail = "the record's website opted out of collection"
    return ResearchResult(
        pages=[PageVisit(url=url, outcome="opted_out", detail=detail)],
        warnings=[f"{detail} ({url}): no LLM call"],
    )
