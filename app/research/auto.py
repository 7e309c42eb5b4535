"""The auto researcher: structured data first, Claude only when it left a core field open.

When Claude is called it is asked for every field structured data left open, and every one it
answers with evidence is kept. A provider outage or an unusable answer never costs what structured
data found: the job completes with those findings and a warning.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.core.config import Settings
from app.research.answers import CHILD_LISTS, RECORDS
from app.research.base import job_opt_outs, opted_out_result, own_site_opted_out
from app.research.claude import ClaudeResearcher
from app.research.errors import PermanentResearchError, TransientResearchError
from app.research.findings import Finding, ResearchRequest, ResearchResult
from app.research.text import only_in_hidden
from app.research.web import WebResearcher
from app.sources.optouts import OptOuts

# The fields worth an LLM call when structured data left them open; child lists by their answer names.
CORE_FIELDS: dict[str, list[str]] = {
    "builder": ["phone", "email", "website", "address", "city", "state", "postal_code", "founded_year", "awards"],
    "community": ["city", "state", "hoa_fee", "homes", "amenities", "builders"],
    "property": ["address1", "city", "state", "postal_code", "price", "bedrooms", "bathrooms", "sqft"],
}
# What an update never asks for: the record is fixed by the request.
_IDENTITY = {"name", "title"}


def _answered(name: str, finding: Finding | None) -> bool:
    if finding is None:
        return False
    if name in CHILD_LISTS:
        kind = CHILD_LISTS[name][0]
        return any(child.kind == kind for child in finding.children)
    return name in finding.fields


def missing_fields(entity_type: str, finding: Finding | None) -> list[str]:
    """The core fields (and child lists) a finding leaves unanswered: any of them is worth a call."""
    return [name for name in CORE_FIELDS[entity_type] if not _answered(name, finding)]


def open_fields(entity_type: str, finding: Finding | None) -> list[str]:
    """Every field of the answer schema the finding leaves unanswered, the core ones first."""
    names = [*CORE_FIELDS[entity_type], *RECORDS[entity_type].model_fields]
    return [n for n in dict.fromkeys(names) if n not in _IDENTITY and not _answered(n, finding)]


def merge_missing(base: Finding | None, extra: Finding) -> Finding:
    """Structured data wins; the LLM fills the fields and child lists the base lacks."""
    if base is None:
        return extra
    merged = base.model_copy(deep=True)
    for name, found in extra.fields.items():
        merged.fields.setdefault(name, found)
    present = {child.kind for child in merged.children}
    merged.children.extend(c for c in extra.children if c.kind not in present)
    return merged


class AutoResearcher:
    """``web`` first; ``claude`` for the gaps; an unchanged page costs no LLM call."""

    name = "auto"

    def __init__(
        self,
        settings: Settings,
        *,
        web: WebResearcher | None = None,
        claude: ClaudeResearcher | None = None,
    ) -> None:
        self.settings = settings
        self.web = web or WebResearcher(self.settings)
        self.claude = claude or ClaudeResearcher(self.settings)

    def research(self, session: Session, request: ResearchRequest, opt_outs: OptOuts | None = None) -> ResearchResult:
        """Web research, then one Claude call for the fields structured data did not answer."""
        opt_outs = job_opt_outs(session, opt_outs)  # read once for both researchers
        refused = opted_out_result(request, opt_outs)
        if refused is not None:
            return refused
        result = self.web.research(session, request, opt_outs)
        own_site = own_site_opted_out(request, opt_outs)
        if own_site is not None:
            # The site asked not to be collected: its refused fetch is no gap for the LLM to fill.
            result.warnings.append(f"the record's website {own_site} opted out of collection: Claude not asked")
            return result
        outcomes = {page.outcome for page in result.pages}
        unchanged = "not_modified" in outcomes and "fetched" not in outcomes and "needs_javascript" not in outcomes
        # A page read while the provider was down was never put to the model: unchanged is no reason to skip it.
        if unchanged and not request.model_owed:
            result.warnings.append("pages unchanged since the last collection: no LLM call")
            return result
        own = [f for f in result.findings if f.kind == request.entity_type]
        if request.kind.one_record:
            main = own[0] if own else None
            if not missing_fields(request.entity_type, main):
                return result
            wanted = open_fields(request.entity_type, main)
        elif own:
            return result
        else:
            main, wanted = None, []
        readable = ("not_modified",) if unchanged else ("fetched", "needs_javascript")
        fetched = {p.url for p in result.pages if p.outcome in readable}
        page_texts = {url: text for url, text in result.source_texts.items() if url in fetched and text}
        try:
            extra = self.claude.research(
                session, request, opt_outs, missing_fields=wanted or None, page_texts=page_texts
            )
        except TransientResearchError as exc:
            if not result.findings:
                raise  # nothing found to keep: the job retries later
            # The provider is down (429/529 after the SDK's retries): keep what structured data found.
            result.usage.add(exc.usage)
            result.llm_outage = True
            result.warnings.append(
                f"Claude not reached ({exc}): structured findings only; the next scheduled refresh asks the model again"
            )
            return result
        except PermanentResearchError as exc:
            # Caps, the monthly budget and an unusable answer stop LLM work, not the web-only collection.
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
        if request.kind.one_record:
            claude_own = [f for f in extra.findings if f.kind == request.entity_type]
            if claude_own:
                merged = merge_missing(main, claude_own[0])
                others = [f for f in result.findings if f is not main]
                result.findings = [merged, *others]
        else:
            result.findings.extend(extra.findings)
        return result
