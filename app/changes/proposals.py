"""Findings become change proposals: field, child, link, new-entity and status changes, with evidence.

Called by collectors inside the job's unit of work; nothing here commits.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from statistics import fmean
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session
from w3lib.url import url_query_cleaner

from app.builders.models import BuilderCommunity, BuilderHomePlan
from app.changes.alternatives import Settled, disagreement_cap, settle
from app.changes.confidence import compute_confidence
from app.changes.diff import (
    FieldDiff,
    NormalizedValue,
    current_values,
    diff_fields,
    normalize_finding,
    rejected_input,
)
from app.changes.evidence import value_found
from app.changes.models import ChangeStatus, ChangeType, CollectionChange
from app.communities.models import Community
from app.core.config import Settings
from app.core.db import utcnow
from app.core.entities import CHILD_TYPES, ENTITY_MODELS, NAME_FIELD, PARENT_COLUMN, RECORD_TYPES, EntityType
from app.core.errors import NotFound
from app.core.sql import lock_records
from app.core.values import to_jsonable
from app.jobs.models import CollectionJob
from app.matching.records import prepare
from app.matching.repository import key_patterns
from app.matching.service import find_builder_by_name, same_record
from app.properties.models import Property, PropertyStatus
from app.research.findings import Finding, FoundValue
from app.research.guard import refusal_without_lookup
from app.research.normalize import TEXT, FieldSpec, FieldType, clean_text, dumps, loads, name_key
from app.research.text import only_in_hidden
from app.sources import reliability
from app.sources.bookkeeping import known_source, source_for_url
from app.sources.models import CollectionSource, SourceType
from app.sources.optouts import OptOuts

# A home still listed in one of these states is expected in its builder's own inventory.
LISTED_STATUSES = (PropertyStatus.available, PropertyStatus.pending, PropertyStatus.model)
# The pending new-record proposals a new one is scored against, newest first, when none has its identity.
PENDING_LOOKALIKES = 50


@dataclass
class ProposalOutcome:
    changes: list[CollectionChange] = field(default_factory=list)
    rejected: list[dict[str, Any]] = field(default_factory=list)  # rejected inputs with reasons
    notes: list[str] = field(default_factory=list)  # readings kept as alternatives to a stronger proposal

    def extend(self, other: ProposalOutcome) -> None:
        self.changes.extend(other.changes)
        self.rejected.extend(other.rejected)
        self.notes.extend(other.notes)


def kept_values(settled: Settled) -> dict[str, Any]:
    """The columns of a pending change that stays the proposal: it takes in the new reading as an alternative."""
    return {
        "evidence": settled.evidence,
        "confidence": settled.confidence,
        "confidence_components": settled.components,
        "alternatives": settled.alternatives or None,
    }


def alternative_note(older: Any, new_text: str | None, entry: dict[str, Any]) -> str:
    """The job's warning for a reading that did not replace the stronger pending change."""
    return (
        f"{older.entity_type} {older.entity_id} {older.field_name}: {loads(new_text)!r} read at "
        f"{entry['source_url']} kept as an alternative to pending change {older.id} "
        f"({loads(older.new_value)!r}, confidence {older.confidence:.2f})"
    )


def same_source(change: CollectionChange, source_id: int | None, source_url: str | None) -> bool:
    """Whether a reading comes from the source of a pending change: its source row, or its URL when either has
    no row."""
    if change.source_id is not None and source_id is not None:
        return change.source_id == source_id
    return change.source_url == source_url


def _url_variants(url: str) -> list[str]:
    """How a cited URL may be written where its page text is kept: with or without fragment and final slash."""
    bare = url_query_cleaner(url, remove=True, unique=False)
    return [url, bare, bare.rstrip("/"), bare.rstrip("/") + "/"]


def _find_community_id(session: Session, name: str) -> int | None:
    return session.scalar(
        select(Community.id)
        .where(func.lower(Community.name) == clean_text(name).lower(), Community.archived_at.is_(None))
        .order_by(Community.id)
        .limit(1)
    )


def _find_plan_id(session: Session, builder_id: int | None, name: str) -> int | None:
    if builder_id is None:
        return None
    return session.scalar(
        select(BuilderHomePlan.id)
        .where(
            BuilderHomePlan.builder_id == builder_id,
            func.lower(BuilderHomePlan.name) == clean_text(name).lower(),
            BuilderHomePlan.archived_at.is_(None),
        )
        .limit(1)
    )


class _Proposer:
    """One call's state: the job, the fetched texts, and the sources already looked up."""

    def __init__(
        self,
        session: Session,
        job: CollectionJob,
        settings: Settings,
        source_texts: dict[str, str],
        hidden_texts: dict[str, str] | None = None,
    ) -> None:
        self.session = session
        self.job = job
        self.settings = settings
        self.source_texts = source_texts
        self.hidden_texts = hidden_texts or {}
        self.cap = disagreement_cap(settings.auto_apply_threshold)
        self._sources: dict[str, CollectionSource | None] = {}
        self.outcome = ProposalOutcome()

    # --- sources, evidence, confidence -------------------------------------------------------------

    def source(
        self, url: str, source_type: str = SourceType.official_website, linked_from: str | None = None
    ) -> CollectionSource | None:
        """The source row of a URL; a new one is created of the evidence's ``source_type``.

        A page reached by a redirect to a site without a source row of its own counts for the linking page's
        source; a URL the fetch guard refuses is never stored as a source.
        """
        key = f"{urlsplit(url).netloc} {linked_from or ''}"
        if key not in self._sources:
            self._sources[key] = self._lookup_source(url, source_type, linked_from)
        return self._sources[key]

    def _lookup_source(self, url: str, source_type: str, linked_from: str | None) -> CollectionSource | None:
        if not urlsplit(url).hostname or refusal_without_lookup(url, self.settings) is not None:
            return None
        ref = known_source(self.session, url) if linked_from else None
        if ref is None and linked_from:
            if refusal_without_lookup(linked_from, self.settings) is not None:
                return None
            ref = source_for_url(self.session, linked_from, source_type)
        ref = ref or source_for_url(self.session, url, source_type)
        # Found or created (and committed) on its own; read back into this job's session to link changes to it.
        return self.session.get(CollectionSource, ref.id)

    def text_for(self, url: str, texts: dict[str, str] | None = None) -> str | None:
        texts = self.source_texts if texts is None else texts
        for variant in _url_variants(url):
            if variant in texts:
                return texts[variant]
        return None

    def assess(self, item: NormalizedValue) -> tuple[dict[str, Any], dict[str, Any]]:
        """The evidence entry of a value and the inputs of its confidence."""
        evidence = item.found.evidence
        text = self.text_for(evidence.source_url)
        found = value_found(item.spec, item.value, item.found.value, text)
        hidden = only_in_hidden(evidence.quote, text, self.text_for(evidence.source_url, self.hidden_texts))
        if hidden:
            found = False  # read from text a visitor never sees: no evidence
        source = self.source(evidence.source_url, evidence.source_type, evidence.linked_from)
        entry: dict[str, Any] = {
            "source_url": evidence.source_url,
            "quote": evidence.quote,
            "extractor": str(evidence.extractor),
            "found_in_source": found,
        }
        if hidden:
            entry["quote_in_hidden_text"] = True
        inputs: dict[str, Any] = {
            "source_reliability": reliability.reliability(source, evidence.source_type),
            "extractor": str(evidence.extractor),
            "found_in_source": found,
            "source_id": source.id if source is not None else None,
        }
        # Each entry is one source's reading: enough to weigh it again beside other sources' readings.
        entry.update(
            source_id=inputs["source_id"],
            source_type=evidence.source_type,
            source_reliability=round(inputs["source_reliability"], 4),
        )
        return entry, inputs

    # --- writing changes -------------------------------------------------------------------------

    def _pending_field_change(self, entity_type: str, entity_id: int, field_name: str) -> CollectionChange | None:
        """The pending change a new one of this field replaces; the record is locked for proposals first."""
        lock_records(self.session, entity_type, [entity_id])
        return self.session.scalars(
            select(CollectionChange)
            .where(
                CollectionChange.entity_type == entity_type,
                CollectionChange.entity_id == entity_id,
                CollectionChange.field_name == field_name,
                CollectionChange.status == ChangeStatus.pending,
            )
            .with_for_update()
        ).first()

    def _supersede(self, older: CollectionChange | None, change: CollectionChange) -> None:
        if older is not None:
            # The partial unique index allows one pending change per field: retire the older one first.
            older.status = ChangeStatus.superseded
            self.session.flush()
        self.session.add(change)
        self.session.flush()
        if older is not None:
            older.superseded_by = change.id
            self.session.flush()
        self.outcome.changes.append(change)

    def field_change(
        self,
        entity_type: str,
        entity_id: int,
        diff: FieldDiff,
        *,
        parent: tuple[str, int] | None = None,
    ) -> CollectionChange:
        """A field change; a weaker reading than the pending change's waits beside it as an alternative."""
        entry, _inputs = self.assess(diff.normalized)
        new_text = dumps(diff.new)
        older = self._pending_field_change(entity_type, entity_id, diff.field)
        settled = settle(new_text, entry, older, self.cap)
        if older is not None and not settled.includes_new and settled.value == older.new_value:
            for name, value in kept_values(settled).items():
                setattr(older, name, value)
            self.outcome.notes.append(alternative_note(older, new_text, entry))
            self.session.flush()
            return older
        change = CollectionChange(
            job_id=self.job.job_id,
            entity_type=entity_type,
            entity_id=entity_id,
            parent_entity_type=parent[0] if parent else entity_type,
            parent_entity_id=parent[1] if parent else entity_id,
            is_new_entity=False,
            field_name=diff.field,
            old_value=dumps(diff.old),
            new_value=settled.value,
            change_type=diff.change_type,
            status=ChangeStatus.pending,
            confidence=settled.confidence,
            confidence_components=settled.components,
            source_url=settled.source_url,
            source_id=settled.source_id,
            evidence=settled.evidence,
            alternatives=settled.alternatives or None,
        )
        self._supersede(older, change)
        return change

    def new_entity_change(
        self,
        entity_type: str,
        data: dict[str, Any],
        values: list[NormalizedValue],
        *,
        parent: tuple[str, int] | None,
        identity: str,
    ) -> CollectionChange:
        scored = []
        evidence: list[dict[str, Any]] = []
        for item in values:
            entry, inputs = self.assess(item)
            if entry not in evidence:
                evidence.append(entry)
            scored.append(
                (item.field, inputs, compute_confidence(**{k: v for k, v in inputs.items() if k != "source_id"}))
            )
        if scored:
            key_field = NAME_FIELD.get(entity_type)
            _, key_inputs, (_, components) = next((s for s in scored if s[0] == key_field), scored[0])
            score = round(fmean(result[0] for _, _, result in scored), 4)
            components = {**components, "score": score, "field_scores": {f: r[0] for f, _, r in scored}}
            source_id = key_inputs["source_id"]
            source_url = evidence[0]["source_url"]
        else:  # a link: its evidence is the parent finding's page
            score, components, source_id, source_url = 0.0, {}, None, None
        data["_identity"] = identity
        older = self._pending_new_entity(entity_type, parent, identity, data)
        if older is not None and older.confidence > score and not same_source(older, source_id, source_url):
            # Another source's weaker reading of a record already proposed does not replace the stronger proposal,
            # as a field's weaker reading does not replace its pending change; the job's warnings say where it was
            # read. A source's own newer reading does replace its older one.
            self.outcome.notes.append(
                f"new {entity_type} {data.get(NAME_FIELD[entity_type])!r} read at {source_url} "
                f"(confidence {score:.2f}) kept beside pending proposal {older.id} (confidence {older.confidence:.2f})"
            )
            return older
        change = CollectionChange(
            job_id=self.job.job_id,
            entity_type=entity_type,
            entity_id=None,
            parent_entity_type=parent[0] if parent else None,
            parent_entity_id=parent[1] if parent else None,
            is_new_entity=True,
            proposed_entity_data=data,
            change_type=ChangeType.added,
            status=ChangeStatus.pending,
            confidence=score,
            confidence_components=components,
            source_url=source_url,
            source_id=source_id,
            evidence=evidence,
        )
        self._supersede(older, change)
        return change

    def _pending_new_entity(
        self, entity_type: str, parent: tuple[str, int] | None, identity: str, data: dict[str, Any]
    ) -> CollectionChange | None:
        """The pending proposal of this new record, which the new one supersedes: the one with its identity (name,
        or a home's street address, as keyed), else, for a record of its own, one the matcher links it to (the
        same community written "Bridgeland" in one job and "Bridgeland Community" in another)."""
        parent_clause = (
            and_(CollectionChange.parent_entity_type == parent[0], CollectionChange.parent_entity_id == parent[1])
            if parent
            else CollectionChange.parent_entity_id.is_(None)
        )
        pending = select(CollectionChange).where(
            CollectionChange.entity_type == entity_type,
            CollectionChange.is_new_entity.is_(True),
            CollectionChange.status == ChangeStatus.pending,
            parent_clause,
        )
        # The identity is the name (a home's street address) as written, in lower case: what the matcher's lookup
        # patterns are read against. One pass over the parent's pending proposals: the one with this identity
        # first, then look-alikes.
        keyed = CollectionChange.proposed_entity_data["_identity"].as_string()
        same = keyed == identity
        query = prepare(entity_type, data) if entity_type in RECORD_TYPES else None
        patterns = key_patterns(query) if query is not None else []
        rows = self.session.execute(
            pending.with_only_columns(CollectionChange.id, CollectionChange.proposed_entity_data, same.label("same"))
            .where(or_(same, *(keyed.like(p) for p in patterns)))
            .order_by(same.desc(), CollectionChange.id.desc())
            .limit(PENDING_LOOKALIKES)
        ).all()
        found = rows[0].id if rows and rows[0].same else None
        if found is None and rows and query is not None:
            others = [(row.id, row.proposed_entity_data or {}) for row in rows]
            found = same_record(query, others, self.settings.match_high_threshold)
        if found is None:
            return None
        return self.session.scalars(pending.where(CollectionChange.id == found).with_for_update()).first()

    # --- what a finding proposes -----------------------------------------------------------------

    def updates(
        self,
        entity_type: str,
        record: Any,
        finding: Finding,
        parent: tuple[str, int] | None = None,
        *,
        fields: bool = True,
    ) -> None:
        if fields:
            values, rejected = normalize_finding(entity_type, finding)
            self.outcome.rejected.extend(rejected)
            for diff in diff_fields(entity_type, current_values(entity_type, record), values):
                self.field_change(entity_type, record.id, diff, parent=parent)
        if entity_type == EntityType.property:
            self._property_links(record, finding)
        for child in finding.children:
            self.child(entity_type, record, child)

    def _property_links(self, home: Property, finding: Finding) -> None:
        plan_name = finding.value("plan_name")
        if plan_name and home.plan_id is None:
            plan_id = _find_plan_id(self.session, home.builder_id, plan_name)
            if plan_id is not None:
                found = finding.fields["plan_name"]
                self._link_field(home, "plan_id", plan_id, found)
        community_name = finding.value("community_name")
        if community_name and home.community_id is None:
            community_id = _find_community_id(self.session, community_name)
            if community_id is not None:
                self._link_field(home, "community_id", community_id, finding.fields["community_name"])

    def _link_field(self, home: Property, field_name: str, value: int, found: FoundValue) -> None:
        # The evidence check looks for the linked record's name, not its id.
        item = NormalizedValue(field_name, found.value, FieldSpec(FieldType.text), found)
        self.field_change(EntityType.property, home.id, FieldDiff(field_name, None, value, item))

    def child(self, parent_type: str, parent: Any, child: Finding) -> None:
        if parent_type == EntityType.community and child.kind == EntityType.builder:
            self.builder_link(parent, child)
            return
        child_type = CHILD_TYPES.get(parent_type, {}).get(child.kind)
        if child_type is None:
            self.outcome.rejected.append(
                rejected_input(child.kind, None, None, f"a {parent_type} has no child records of kind {child.kind!r}")
            )
            return
        name_field = NAME_FIELD[child_type]
        name = child.value(name_field)
        if not name or not clean_text(name):
            found = next(iter(child.fields.values()), None)
            self.outcome.rejected.append(
                rejected_input(name_field, found, name, f"{child_type} without a {name_field}")
            )
            return
        model = ENTITY_MODELS[child_type]
        fk = getattr(model, PARENT_COLUMN[child_type])
        existing = self.session.scalars(select(model).where(fk == parent.id, model.archived_at.is_(None))).all()
        match = next((r for r in existing if name_key(getattr(r, name_field)) == name_key(name)), None)
        if match is not None:
            self.updates(child_type, match, child, parent=(parent_type, parent.id))
            return
        values, rejected = normalize_finding(child_type, child)
        self.outcome.rejected.extend(rejected)
        if not any(v.field == name_field for v in values):
            return
        data = {v.field: to_jsonable(v.value) for v in values}
        data[PARENT_COLUMN[child_type]] = parent.id
        self.new_entity_change(child_type, data, values, parent=(parent_type, parent.id), identity=name_key(name))

    def builder_link(self, community: Community, child: Finding) -> None:
        name = child.value("name")
        found = child.fields.get("name")
        if not name:
            self.outcome.rejected.append(
                rejected_input(EntityType.builder, found, None, "active builder without a name")
            )
            return
        builder_id = find_builder_by_name(self.session, str(name), self.settings.match_high_threshold)
        if builder_id is None:
            self.outcome.rejected.append(
                rejected_input(EntityType.builder, found, name, "no known builder by this name; discover it first")
            )
            return
        if self.session.get(BuilderCommunity, (builder_id, community.id)) is not None:
            return
        data = {"builder_id": builder_id, "community_id": community.id, "builder_name": clean_text(name)}
        change = self.new_entity_change(
            "builder_community", data, [], parent=(EntityType.community, community.id), identity=str(builder_id)
        )
        if found is not None:
            entry, inputs = self.assess(NormalizedValue("name", clean_text(name), TEXT, found))
            score, components = compute_confidence(
                source_reliability=inputs["source_reliability"],
                extractor=inputs["extractor"],
                found_in_source=inputs["found_in_source"],
            )
            change.evidence = [entry]
            change.confidence, change.confidence_components = score, components
            change.source_url, change.source_id = entry["source_url"], inputs["source_id"]

    def new_record(self, finding: Finding, parent: tuple[str, int] | None) -> None:
        entity_type = finding.kind
        if entity_type in ("award", "home_plan", "credential", "amenity", "event", "community_award"):
            if parent is None:
                raise NotFound(f"a new {entity_type} needs its parent record")
            model = ENTITY_MODELS[parent[0]]
            parent_record = self.session.get(model, parent[1])
            if parent_record is None:
                raise NotFound(f"{parent[0]} {parent[1]} not found")
            self.child(parent[0], parent_record, finding)
            return
        values, rejected = normalize_finding(entity_type, finding)
        self.outcome.rejected.extend(rejected)
        data = {v.field: to_jsonable(v.value) for v in values}
        name_field = NAME_FIELD[entity_type]
        if entity_type == EntityType.property:
            self._resolve_property_links(finding, data, parent)
            if not data.get("title"):
                data["title"] = clean_text(data.get("address1") or data.get("model_name") or "", 140)
            data.setdefault("property_status", PropertyStatus.available)
            identity = name_key(data.get("address1") or data["title"])
        else:
            identity = name_key(data.get(name_field) or "")
            if entity_type == EntityType.community and data.get("city"):
                identity = f"{identity}|{name_key(data['city'])}"
        if not data.get(name_field):
            self.outcome.rejected.append(
                rejected_input(name_field, None, finding.value(name_field), f"a new {entity_type} needs a {name_field}")
            )
            return
        children = _ChildCollector(self)
        for child in finding.children:
            children.add(entity_type, child)
        if children.items:
            data["children"] = children.items
        if children.builder_ids:
            data["builder_ids"] = children.builder_ids
        self.new_entity_change(entity_type, data, values, parent=parent, identity=identity)

    def _resolve_property_links(self, finding: Finding, data: dict[str, Any], parent: tuple[str, int] | None) -> None:
        builder_id = parent[1] if parent and parent[0] == EntityType.builder else None
        if builder_id is None and finding.value("builder_name"):
            builder_id = find_builder_by_name(
                self.session, str(finding.value("builder_name")), self.settings.match_high_threshold
            )
        if builder_id is None and self.job.parent_entity_type == EntityType.builder:
            builder_id = self.job.parent_entity_id
        community_id = parent[1] if parent and parent[0] == EntityType.community else None
        if community_id is None and finding.value("community_name"):
            community_id = _find_community_id(self.session, str(finding.value("community_name")))
        plan_id = None
        if finding.value("plan_name"):
            plan_id = _find_plan_id(self.session, builder_id, str(finding.value("plan_name")))
        for name in ("builder_name", "community_name", "plan_name"):
            if finding.value(name):
                data[name] = clean_text(finding.value(name), 255)
        data.update({"builder_id": builder_id, "community_id": community_id, "plan_id": plan_id})


class _ChildCollector:
    """Children and builder links of a new record, carried in its proposed_entity_data."""

    def __init__(self, proposer: _Proposer) -> None:
        self.proposer = proposer
        self.items: list[dict[str, Any]] = []
        self.builder_ids: list[int] = []

    def add(self, parent_type: str, child: Finding) -> None:
        if parent_type == EntityType.community and child.kind == EntityType.builder:
            builder_id = find_builder_by_name(
                self.proposer.session, str(child.value("name") or ""), self.proposer.settings.match_high_threshold
            )
            if builder_id is not None and builder_id not in self.builder_ids:
                self.builder_ids.append(builder_id)
            return
        child_type = CHILD_TYPES.get(parent_type, {}).get(child.kind)
        if child_type is None:
            return
        values, rejected = normalize_finding(child_type, child)
        self.proposer.outcome.rejected.extend(rejected)
        data = {v.field: to_jsonable(v.value) for v in values}
        if data.get(NAME_FIELD[child_type]):
            self.items.append({"entity_type": child_type, "data": data})


def _record_rejected(job: CollectionJob, rejected: list[dict[str, Any]]) -> None:
    if rejected:
        # A new list, so the JSON column is seen as changed.
        job.rejected_inputs = [*(job.rejected_inputs or []), *rejected]


def propose_updates(
    session: Session,
    job: CollectionJob,
    entity_type: str,
    entity_id: int,
    finding: Finding,
    source_texts: dict[str, str],
    *,
    settings: Settings,
    fields: bool = True,
    hidden_texts: dict[str, str] | None = None,
) -> ProposalOutcome:
    """Changes to one existing record: its fields, its children and (for a community) its builder links.

    ``fields=False`` leaves the record's own fields out (proposed for many records at once by
    ``bulk.propose_updates_bulk``). Refused values are returned as rejected inputs and also recorded
    on ``job.rejected_inputs``.
    """
    model = ENTITY_MODELS.get(entity_type)
    if model is None or entity_type not in RECORD_TYPES:
        raise NotFound(f"unknown entity type {entity_type!r}")
    record = session.get(model, entity_id)
    if record is None:
        raise NotFound(f"{entity_type} {entity_id} not found")
    proposer = _Proposer(session, job, settings, source_texts, hidden_texts)
    proposer.updates(entity_type, record, finding, fields=fields)
    _record_rejected(job, proposer.outcome.rejected)
    return proposer.outcome


def propose_new_entity(
    session: Session,
    job: CollectionJob,
    finding: Finding,
    source_texts: dict[str, str],
    *,
    settings: Settings,
    parent_entity_type: str | None,
    parent_entity_id: int | None,
    hidden_texts: dict[str, str] | None = None,
) -> ProposalOutcome:
    """An ``is_new_entity`` change with the full proposed record (a home's builder, community and plan resolved)."""
    parent = (parent_entity_type, parent_entity_id) if parent_entity_type and parent_entity_id is not None else None
    proposer = _Proposer(session, job, settings, source_texts, hidden_texts)
    proposer.new_record(finding, parent)
    _record_rejected(job, proposer.outcome.rejected)
    return proposer.outcome


def propose_missing_inventory(
    session: Session,
    job: CollectionJob,
    builder_id: int,
    seen_property_ids: set[int],
    source_url: str,
    opt_outs: OptOuts,
    *,
    settings: Settings,
) -> ProposalOutcome:
    """Status changes to off_market for listed homes the builder's own inventory no longer shows; never a delete."""
    proposer = _Proposer(session, job, settings, {})
    homes = session.scalars(
        select(Property).where(
            Property.builder_id == builder_id,
            Property.archived_at.is_(None),
            Property.property_status.in_(LISTED_STATUSES),
        )
    ).all()
    source = proposer.source(source_url)
    # The evidence is the listing itself, read in full: the home's absence from it is what was found there.
    found_in_source = True
    score, components = compute_confidence(
        source_reliability=reliability.reliability(source),
        extractor="inventory_listing",
        found_in_source=found_in_source,
    )
    components = {**components, "reason": "absent from the builder's own inventory listing"}
    opted_out = opt_outs.record_ids(EntityType.property)
    for home in homes:
        if home.id in seen_property_ids or home.id in opted_out:
            continue
        older = proposer._pending_field_change(EntityType.property, home.id, "property_status")
        change = CollectionChange(
            job_id=job.job_id,
            entity_type=EntityType.property,
            entity_id=home.id,
            parent_entity_type=EntityType.builder,
            parent_entity_id=builder_id,
            field_name="property_status",
            old_value=dumps(home.property_status),
            new_value=dumps(PropertyStatus.off_market),
            change_type=ChangeType.modified,
            status=ChangeStatus.pending,
            confidence=score,
            confidence_components=components,
            source_url=source_url,
            source_id=source.id if source is not None else None,
            evidence=[
                {
                    "source_url": source_url,
                    "quote": None,
                    "extractor": "inventory_listing",
                    "found_in_source": found_in_source,
                    "checked_at": utcnow().isoformat(),
                    "source_id": source.id if source is not None else None,
                    "source_type": source.source_type if source is not None else SourceType.official_website,
                    "source_reliability": round(components["source_reliability"], 4),
                }
            ],
        )
        proposer._supersede(older, change)
    return proposer.outcome
