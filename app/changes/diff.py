"""The diff: which found values differ from a record after normalization, and which are refused."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from app.core.entities import EntityType
from app.core.values import to_jsonable
from app.research.findings import Finding, FoundValue
from app.research.normalize import (
    ENTITY_FIELDS,
    FieldSpec,
    Money,
    Rejected,
    canonical,
    comparable,
    field_spec,
    normalize,
)

# Names in a property finding that the collector resolves to ids, not columns.
LINK_NAMES = ("builder_name", "community_name", "plan_name")


@dataclass(slots=True)
class NormalizedValue:
    field: str
    value: Any  # normalized Python value
    spec: FieldSpec
    found: FoundValue


@dataclass(slots=True)
class FieldDiff:
    field: str
    old: Any  # the record's current value, as stored
    new: Any  # the normalized proposed value (JSON-ready)
    normalized: NormalizedValue

    @property
    def change_type(self) -> str:
        return "added" if self.old is None or self.old == "" or self.old == [] else "modified"


def rejected_input(field: str, found: FoundValue | None, value: Any, reason: str) -> dict[str, Any]:
    """A refused value as the job reports it."""
    shown = value if isinstance(value, (str, int, float, bool)) or value is None else str(value)
    if isinstance(shown, float) and not math.isfinite(shown):
        shown = str(shown)  # NaN and Infinity are not JSON: the job's rejected_inputs column would refuse them
    if isinstance(shown, str) and len(shown) > 300:
        shown = shown[:300]
    return {
        "field": field,
        "value": shown,
        "reason": reason,
        "source_url": found.evidence.source_url if found is not None else None,
    }


def _normalized(spec: FieldSpec, raw: Any, memo: dict[Any, Any] | None) -> Any:
    """``normalize`` of one value, remembered in ``memo`` when given: an inventory repeats its values."""
    if memo is None or type(raw) not in (str, int, float):
        return normalize(spec, raw)
    key = (spec, type(raw), raw)
    if key not in memo:
        try:
            memo[key] = normalize(spec, raw)
        except Rejected as exc:
            memo[key] = exc
    hit = memo[key]
    if isinstance(hit, Rejected):
        raise Rejected(str(hit))
    return hit


def normalize_finding(
    entity_type: str, finding: Finding, memo: dict[Any, Any] | None = None
) -> tuple[list[NormalizedValue], list[dict[str, Any]]]:
    """Normalize every found value of a record; the refused ones come back as rejected inputs.

    ``memo`` (a dict the caller keeps across records) skips re-normalizing a value already seen.
    """
    values: list[NormalizedValue] = []
    rejected: list[dict[str, Any]] = []
    fields = ENTITY_FIELDS[entity_type]
    for name, found in finding.fields.items():
        if name in LINK_NAMES and entity_type == EntityType.property:
            continue  # resolved to ids by the proposals, not a column
        spec = fields.get(name)
        if spec is None:
            rejected.append(rejected_input(name, found, found.value, f"{entity_type} has no collected field {name!r}"))
            continue
        try:
            normalized = _normalized(spec, found.value, memo)
        except Rejected as exc:
            rejected.append(rejected_input(name, found, found.value, str(exc)))
            continue
        if isinstance(normalized, Money):
            # The HOA fee as found becomes the two columns that keep amount and frequency apart.
            amount_spec = fields["hoa_fee_amount"]
            values.append(
                NormalizedValue("hoa_fee_amount", normalize(amount_spec, normalized.amount), amount_spec, found)
            )
            if normalized.period is not None:
                values.append(
                    NormalizedValue("hoa_fee_frequency", normalized.period, fields["hoa_fee_frequency"], found)
                )
            continue
        values.append(NormalizedValue(name, normalized, spec, found))
    return values, rejected


def diff_fields(entity_type: str, current: Mapping[str, Any], values: list[NormalizedValue]) -> list[FieldDiff]:
    """Field changes: values that differ from the current record after normalization (absent is not removed)."""
    diffs: list[FieldDiff] = []
    for item in values:
        old = current.get(item.field)
        # The found value is normalized already: only the stored one needs normalizing.
        if comparable(entity_type, item.field, old) == canonical(item.spec, item.value):
            continue
        diffs.append(FieldDiff(item.field, old, to_jsonable(item.value), item))
    return diffs


def current_values(entity_type: str, record: Any) -> dict[str, Any]:
    """The collected fields of a record as stored."""
    return {
        name: getattr(record, name)
        for name in ENTITY_FIELDS[entity_type]
        if name != "hoa_fee" and hasattr(record, name)
    }


def is_collected_field(entity_type: str, field: str) -> bool:
    return field_spec(entity_type, field) is not None and field != "hoa_fee"
