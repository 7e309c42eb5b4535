"""The auto researcher: structured data first, Claude only for what it did not answer."""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.core.config import Settings, get_settings
from app.research.base import opted_out_result, own_site_opted_out
from app.research.claude import ClaudeResearcher
from app.research.errors import PermanentResearchError
from app.research.findings import Finding, ResearchRequest, ResearchResult
from app.research.text import only_in_hidden
from app.research.web import WebResearcher
from app.sources.optouts import opted_out_domains

# The fields worth an LLM call when structured data left them open; child lists by their answer names.
CORE_FIELDS: dict[str, list[str]] = {
    "builder": ["phone", "email", "website", "address", "city", "state", "postal_code", "founded_year", "awards"],
    "community": ["city", "state", "hoa_fee", "homes", "amenities", "builders"],
    "property": ["address1", "city", "state", "postal_code", "price", "bedrooms", "bathrooms", "sqft"],
}
CHILD_KIND = {"awards": "award", "amenities": "amenity", "builders": "builder", "credentials": "credential"}


def missing_fields(entity_type: str, finding: Finding | None) -> list[str]:
    """The core fields (and child lists) a finding leaves unanswered."""
    present = set(finding.fields) if finding is not None else set()
    kinds = {child.kind for child in finding.children} if finding is not None else set()
    missing = []
    for name in CORE_FIELDS[entity_type]:
        answered = CHILD_KIND[name] in kinds if name in CHILD_KIND else name in present
        if not answered:
            missing.append(name)
    return missing


def merge_missing(base: Finding | None, extra: Finding, wanted: list[str]) -> Finding:
    """Structured data wins; the LLM fills only the wanted fields and child lists the base lacks."""
    if base is None:
        return extra
    merged = base.model_copy(deep=True)
    for name, found in extra.fields.items():
        if name in wanted and name not in merged.fields:
            merged.fields[name] = found
    present = {child.kind for child in merged.children}
    wanted_kinds = {CHILD_KIND[name] for name in wanted if name in CHILD_KIND}
    merged.children.extend(c for c in extra.children if c.kind in wanted_kinds and c.kind not in present)
    return merged


class AutoResearcher:
    """``web`` first; ``claude`` for the gaps; an unchanged page costs no LLM call."""

    name = "auto"

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        web: WebResearcher | None = None,
        claude: ClaudeResearcher | None = None,
    ) -> None:
        self.settings = settings or get_settings()
        self.web = web or WebResearcher(self.settings)
        self.claude = claude or ClaudeResearcher(self.settings)

    def research(self, session: Session, request: ResearchRequest) -> ResearchResult:
        """Web research, then one Claude call for the fields structured data did not answer."""
        refused = opted_out_result(session, request)
        if refused is not None:
            return refused
        result = self.web.research(session, request)
        own_site = own_site_opted_out(request, opted_out_domains(session))
        if own_site is not None:
            # The site asked not to be collected: its refused fetch is no gap for the LLM to fill.
            result.warnings.append(f"the record's website {own_site} opted out of collection: Claude not asked")
            return result
        outcomes = {page.outcome for page in result.pages}
        if "not_modified" in outcomes and "fetched" not in outcomes and "needs_javascript" not in outcomes:
            result.warnings.append("pages unchanged since the last collection: no LLM call")
            return result
        own = [f for f in result.findings if f.kind == request.entity_type]
        if request.job_type == "update":
            main = own[0] if own else None
            wanted = missing_fields(request.entity_type, main)
            if not wanted:
                return result
        elif own:
            return result
        else:
            main, wanted = None, []
        fetched = {p.url for p in result.pages if p.outcome in ("fetched", "needs_javascript")}
        page_texts = {url: text for url, text in result.source_texts.items() if url in fetched and text}
        try:
            extra = self.claude.research(session, request, missing_fields=wanted or None, page_texts=page_texts)
        except PermanentResearchError as exc:
            # Caps and the monthly budget stop LLM work, not the web-only collection.
            result.usage.add(exc.usage)
            result.warnings.append(f"Claude not used: {exc}")
            return result
        result.usage.add(extra.usage)
        result.warnings.extend(extra.warnings)
        for url, text in extra.source_texts.items():
            visible, hidden = result.source_texts.get(url, ""), result.hidden_texts.get(url)
            # A quote cited from text a visitor of the fetched page does not see is no evidence.
            shown = "\n".join(line for line in text.splitlines() if not only_in_hidden(line, visible, hidden))
            result.source_texts[url] = (visible + "\n" + shown).strip()
        if request.job_type == "update":
            claude_own = [f for f in extra.findings if f.kind == request.entity_type]
            if claude_own:
                merged = merge_missing(main, claude_own[0], wanted)
                others = [f for f in result.findings if f is not main]
                result.findings = [merged, *others]
        else:
            result.findings.extend(extra.findings)
        return result
