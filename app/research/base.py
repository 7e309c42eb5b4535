"""The researcher protocol, and the opt-out refusals and subject check every researcher shares."""

from __future__ import annotations

from typing import Any, Protocol

from rapidfuzz import fuzz
from sqlalchemy.orm import Session

from app.core.entities import OWN_SITE_FIELDS
from app.research.findings import PageVisit, ResearchRequest, ResearchResult
from app.sources.optouts import OptOuts

# rapidfuzz token_set_ratio (0..100) from which a found name is the subject's ("Oak Homes" and "Oak Homes of Texas").
SAME_NAME_RATIO = 80


class Researcher(Protocol):
    name: str

    def research(
        self, session: Session, request: ResearchRequest, opt_outs: OptOuts | None = None
    ) -> ResearchResult: ...


def job_opt_outs(session: Session, opt_outs: OptOuts | None) -> OptOuts:
    """The job's opt-outs, which its collector read once; research outside a job (a script, a test) reads them here."""
    return opt_outs if opt_outs is not None else OptOuts.load(session)


def opted_out_result(request: ResearchRequest, opt_outs: OptOuts) -> ResearchResult | None:
    """The result of research refused because the request's record opted out; None when it may go ahead."""
    if not opt_outs.covers_record(request.entity_type, request.entity_id):
        return None
    record = f"{request.entity_type} {request.entity_id}"
    subject_urls = (request.subject.get(name) for name in ("website", "community_website_url", "url"))
    url = next((u for u in (request.target_url, *subject_urls) if isinstance(u, str) and u), record)
    detail = f"{record} opted out of collection"
    return ResearchResult(
        pages=[PageVisit(url=url, outcome="opted_out", detail=detail)],
        warnings=[f"{detail}: nothing fetched and no LLM call"],
    )


def own_site_opted_out(request: ResearchRequest, opt_outs: OptOuts) -> str | None:
    """The record's own website when its site opted out; None otherwise."""
    for name in OWN_SITE_FIELDS:
        url = request.subject.get(name)
        if isinstance(url, str) and opt_outs.covers_url(url):
            return url
    return None


def own_site_refusal(url: str) -> ResearchResult:
    """The result of LLM research refused because the record's own website opted out."""
    detail = "the record's website opted out of collection"
    return ResearchResult(
        pages=[PageVisit(url=url, outcome="opted_out", detail=detail)],
        warnings=[f"{detail} ({url}): no LLM call"],
    )


def same_name(found: Any, wanted: Any) -> bool:
    """Whether a found record's name is the subject's; a name missing on either side tells nothing apart."""
    if not found or not wanted:
        return True
    return fuzz.token_set_ratio(str(found).lower(), str(wanted).lower()) >= SAME_NAME_RATIO
