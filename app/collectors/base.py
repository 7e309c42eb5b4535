"""One collector: ask a researcher, resolve what each finding is about, propose changes, count.

The builder, community and property collectors differ only in the request they build, which
findings they keep, and what they do after the findings (the property inventory's missing homes).
Everything is written in the caller's unit of work: a job that fails leaves nothing behind.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, ClassVar

from rapidfuzz import fuzz
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from app.changes.bulk import propose_updates_bulk
from app.changes.diff import LINK_NAMES
from app.changes.proposals import propose_new_entity, propose_updates
from app.core.config import Settings
from app.core.db import independent_scope
from app.core.entities import SUBJECT_FIELDS
from app.jobs import repository
from app.jobs.limits import llm_spend_this_month
from app.jobs.models import CollectionJob
from app.matching.service import resolve_discovered
from app.research.errors import PermanentResearchError
from app.research.factory import get_researcher
from app.research.findings import Extractor, Finding, FoundValue, ResearchRequest, ResearchResult, Usage
from app.sources.optouts import OptOuts

log = logging.getLogger(__name__)

# Structured data beats an LLM's reading when two findings of one record disagree.
_EXTRACTOR_RANK = {
    Extractor.json_ld: 0,
    Extractor.microdata: 0,
    Extractor.bdx_feed: 0,
    Extractor.rendered_json_ld: 0,
    Extractor.rendered_microdata: 0,
    Extractor.rendered_bdx: 0,
    Extractor.xhr_json: 0,
    Extractor.html: 1,
    Extractor.rendered_html: 1,
    Extractor.claude: 2,
}
# Children are the same record when these fields agree (case-insensitive).
_CHILD_KEYS = {
    "award": ("title", "year"),
    "community_award": ("title", "year"),
    "credential": ("name", "number"),
    "home_plan": ("name",),
    "amenity": ("name",),
    "event": ("title", "starts_at"),
    "builder": ("name",),
    "property": ("address1", "lot_number", "title"),
}
# Page outcomes that mean part of the web could not be read this time.
INCOMPLETE_OUTCOMES = {"robots_disallowed", "refused", "opted_out", "needs_javascript", "error", "rate_limited"}


@dataclass
class CollectionOutcome:
    """What one run found and proposed; the task writes it onto the job."""

    items_found: int = 0
    changes_detected: int = 0
    new_entities_found: int = 0
    linked: int = 0
    in_review: int = 0
    rejected_inputs: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    usage: Usage = field(default_factory=Usage)
    pages: list[dict[str, Any]] = field(default_factory=list)
    researcher: str = ""
    llm_outage: bool = False


def _rank(found: FoundValue) -> int:
    return _EXTRACTOR_RANK.get(found.evidence.extractor, 3)


def _key_part(value: Any) -> str:
    return " ".join(str(value).casefold().split()) if value is not None else ""


def child_key(finding: Finding) -> tuple[str, ...]:
    """What makes two children one record (an award's title and year, a plan's name...)."""
    names = _CHILD_KEYS.get(finding.kind, ("name", "title"))
    return (finding.kind, *(_key_part(finding.value(n)) for n in names))


def merge_findings(findings: list[Finding]) -> Finding:
    """Several findings of one record as one: each field from its best source, children de-duplicated."""
    merged = Finding(kind=findings[0].kind)
    children: dict[tuple[str, ...], Finding] = {}
    for finding in findings:
        for name, found in finding.fields.items():
            current = merged.fields.get(name)
            if current is None or current.value in (None, "") or _rank(found) < _rank(current):
                merged.fields[name] = found
        for child in finding.children:
            key = child_key(child)
            children[key] = merge_findings([children[key], child]) if key in children else child
    merged.children = list(children.values())
    return merged


def names_match(a: Any, b: Any, threshold: float = 85.0) -> bool:
    """Loose name comparison for filters ("Cinco Ranch" vs "Cinco Ranch Southwest")."""
    if not a or not b:
        return False
    left, right = _key_part(a), _key_part(b)
    return left in right or right in left or fuzz.token_set_ratio(left, right) >= threshold


class BaseCollector:
    """Research -> resolve -> propose, for one job."""

    entity_type: ClassVar[str]
    # Top-level finding kinds that belong to the target record as children (a feed's plans, say).
    child_kinds: ClassVar[frozenset[str]] = frozenset()

    def __init__(
        self, session: Session, job: CollectionJob, settings: Settings, opt_outs: OptOuts | None = None
    ) -> None:
        self.session = session
        self.job = job
        self.settings = settings
        # Read once per job, then handed to the researcher, its fetcher and the proposals.
        self.opt_outs = opt_outs if opt_outs is not None else OptOuts.load(session)
        self.filters: dict[str, Any] = dict(job.search_filters or {})
        self.outcome = CollectionOutcome()
        self.source_texts: dict[str, str] = {}
        self.result = ResearchResult()

    # What differs per entity type ------------------------------------------------------------

    def subject(self) -> dict[str, Any]:
        """What we already know of the record the job is about (empty for open discovery)."""
        if self.job.entity_id is None:
            return {}
        entity = repository.get_entity(self.session, self.job.entity_type, self.job.entity_id)
        if entity is None:
            raise PermanentResearchError(f"{self.job.entity_type} {self.job.entity_id} no longer exists")
        return {
            name: getattr(entity, name)
            for name in SUBJECT_FIELDS[self.job.entity_type]
            if getattr(entity, name, None) is not None
        }

    def research_filters(self) -> dict[str, Any]:
        return {k: v for k, v in self.filters.items() if v is not None and k != "force_refresh"}

    def max_items(self) -> int:
        return 50

    def target_url(self) -> str | None:
        return self.job.target_url

    def prepare(self, finding: Finding) -> Finding | None:
        """Trim or drop a finding before it is proposed (filters, include_* options)."""
        return finding

    def finish(self, proposed_ids: set[int], in_review_ids: set[int]) -> None:
        """Anything after the findings were proposed (the inventory's missing homes)."""

    # The shared flow ---------------------------------------------------------------------------

    def build_request(self) -> ResearchRequest:
        return ResearchRequest(
            job_id=self.job.job_id,
            entity_type=self.job.entity_type,
            entity_id=self.job.entity_id,
            job_type=self.job.job_type,
            subject=self.subject(),
            search_query=self.job.search_query,
            target_url=self.target_url(),
            filters=self.research_filters(),
            max_items=self.max_items(),
            force_refresh=bool(self.filters.get("force_refresh")),
            # Each attempt's usage is added to the job row: what the earlier attempts spent.
            spent_before=Usage.recorded_on(self.job),
            model_owed=repository.model_owed(self.session, self.job.job_id),
            # Only a job that may ask the model needs the month's spend (the budget check before each call).
            spent_this_month=llm_spend_this_month(self.session) if self.job.researcher != "web" else Decimal(0),
            on_llm_call=self.record_llm_call,
        )

    def record_llm_call(self, usage: Usage) -> None:
        """One LLM call's usage on the job row at once, in its own transaction (PostgreSQL): a worker killed
        before the job ends, or a job cancelled while it runs, has spent it, and the month's budget counts it.
        The attempt's end records whatever this could not (app.pipeline.tasks)."""
        try:
            with independent_scope(self.session) as session:
                repository.add_usage(session, self.job.job_id, usage.model_dump())
        except SQLAlchemyError as exc:
            log.warning("job %s: an LLM call's usage is recorded when the attempt ends: %s", self.job.job_id, exc)

    def research(self, request: ResearchRequest) -> ResearchResult:
        researcher = get_researcher(self.job.researcher, self.settings)  # type: ignore[arg-type]
        self.outcome.researcher = getattr(researcher, "name", self.job.researcher)
        return researcher.research(self.session, request, self.opt_outs)

    def run(self) -> CollectionOutcome:
        request = self.build_request()
        self.result = self.research(request)
        self.source_texts = dict(self.result.source_texts)
        self.outcome.usage = self.result.usage
        self.outcome.warnings.extend(self.result.warnings)
        self.outcome.llm_outage = self.result.llm_outage
        self.outcome.pages = [p.model_dump(mode="json") for p in self.result.pages]
        if request.kind.one_record:
            self._update_target()
        else:
            self._discover()
        if self.outcome.items_found == 0:
            self.outcome.warnings.append(f"no findings: {self.why_nothing()}")
        return self.outcome

    def why_nothing(self) -> str:
        """Why a job found nothing, from what its pages said: an empty result must never look like success."""
        reasons = [f"{p.url}: {p.outcome}{f' ({p.detail})' if p.detail else ''}" for p in self.result.pages]
        if not self.result.pages:
            return "the researcher read no page (no website, target_url or search result to read)"
        if all(p.outcome == "fetched" for p in self.result.pages):
            return "pages were read but held no " + self.entity_type + " data: " + "; ".join(reasons[:5])
        return "; ".join(reasons[:5])

    def _update_target(self) -> None:
        assert self.job.entity_id is not None
        own = [f for f in self.result.findings if f.kind == self.entity_type]
        loose = [f for f in self.result.findings if f.kind in self.child_kinds]
        if not own and not loose:
            return
        target = merge_findings(own) if own else Finding(kind=self.entity_type)
        if loose:
            target = merge_findings([target, Finding(kind=target.kind, children=loose)])
        prepared = self.prepare(target)
        if prepared is None:
            return
        self.outcome.items_found = 1 + len(prepared.children)
        self._propose_updates(self.job.entity_type, self.job.entity_id, prepared)
        self.finish({self.job.entity_id}, set())

    def discovered(self) -> list[Finding]:
        """This job's findings of its kind, one per real record, filtered and capped."""
        groups: dict[tuple[str, ...], list[Finding]] = {}
        for finding in self.result.findings:
            if finding.kind == self.entity_type:
                groups.setdefault(self.identity(finding), []).append(finding)
        merged = [merge_findings(group) for group in groups.values()]
        kept = [f for f in (self.prepare(f) for f in merged) if f is not None]
        dropped = len(merged) - len(kept)
        if dropped:
            self.outcome.warnings.append(f"{dropped} {self.entity_type} finding(s) outside the job's filters skipped")
        cap = self.max_items()
        if len(kept) > cap:
            self.outcome.warnings.append(f"{len(kept) - cap} more {self.entity_type} finding(s) beyond the maximum")
            kept = kept[:cap]
        return kept

    def identity(self, finding: Finding) -> tuple[str, ...]:
        """Findings with the same identity are one real record."""
        return child_key(finding) + (_key_part(finding.value("city")),)

    def _discover(self) -> None:
        findings = self.discovered()
        self.outcome.items_found = len(findings)
        proposed_ids: set[int] = set()
        in_review_ids: set[int] = set()
        linked: dict[int, Finding] = {}
        for finding in findings:
            resolution = resolve_discovered(self.session, self.job, self.entity_type, finding, self.settings)
            target = resolution.entity_id if resolution.outcome in ("linked", "review") else None
            if target is not None and self.opt_outs.covers_record(self.entity_type, target):
                # Still counted as listed (never flagged missing), but a record that opted out gets no changes.
                proposed_ids.add(target)
                self.outcome.warnings.append(f"{self.entity_type} {target} opted out of collection: its data not used")
                continue
            if resolution.outcome == "linked" and resolution.entity_id is not None:
                self.outcome.linked += 1
                proposed_ids.add(resolution.entity_id)
                earlier = linked.get(resolution.entity_id)
                linked[resolution.entity_id] = merge_findings([earlier, finding]) if earlier else finding
            elif resolution.outcome == "review":
                # The pending EntityMatch waits for an admin; confirming it proposes the changes.
                self.outcome.in_review += 1
                if resolution.entity_id is not None:
                    in_review_ids.add(resolution.entity_id)
            else:
                self.outcome.new_entities_found += 1
                self._propose_new(finding)
        self._propose_linked(linked)
        self.finish(proposed_ids, in_review_ids)

    def _propose_linked(self, linked: dict[int, Finding]) -> None:
        """Updates of the existing records discovery linked: their fields for all of them at once
        (an inventory of thousands of homes is one set-based diff), then each one's children and links."""
        if not linked:
            return
        ids, rejected, notes = propose_updates_bulk(
            self.session,
            self.job,
            self.entity_type,
            linked,
            self.source_texts,
            self.result.hidden_texts,
            settings=self.settings,
        )
        self.outcome.changes_detected += len(ids)
        self.outcome.rejected_inputs.extend(rejected)
        self.outcome.warnings.extend(notes)
        for entity_id, finding in linked.items():
            if finding.children or any(finding.value(name) for name in LINK_NAMES):
                result = propose_updates(
                    self.session,
                    self.job,
                    self.entity_type,
                    entity_id,
                    finding,
                    self.source_texts,
                    fields=False,
                    hidden_texts=self.result.hidden_texts,
                    settings=self.settings,
                )
                self._count(result)

    def parent(self) -> tuple[str | None, int | None]:
        return self.job.parent_entity_type, self.job.parent_entity_id

    def _propose_updates(self, entity_type: str, entity_id: int, finding: Finding) -> None:
        hidden = self.result.hidden_texts
        result = propose_updates(
            self.session,
            self.job,
            entity_type,
            entity_id,
            finding,
            self.source_texts,
            hidden_texts=hidden,
            settings=self.settings,
        )
        self._count(result)

    def _propose_new(self, finding: Finding) -> None:
        parent_type, parent_id = self.parent()
        result = propose_new_entity(
            self.session,
            self.job,
            finding,
            self.source_texts,
            parent_entity_type=parent_type,
            parent_entity_id=parent_id,
            hidden_texts=self.result.hidden_texts,
            settings=self.settings,
        )
        self._count(result)

    def _count(self, result: Any) -> None:
        self.outcome.changes_detected += len(result.changes)
        self.outcome.rejected_inputs.extend(result.rejected)
        self.outcome.warnings.extend(result.notes)
