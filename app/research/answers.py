"""What the LLM must answer, per entity type, and how its answer is read: value by value.

The pydantic models below are the JSON schema put in the prompt. The answer is not validated against
them as a whole: a model's JSON is read tolerantly (prose, code fences, a draft before the final object,
an object cut at max_tokens), then each value is read with the normalizers of the web path. A value that
does not fit, or lacks a usable quote or source URL, is dropped alone and named in a warning; other
fields and other entities are ignored.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Generic, TypeVar

import partial_json_parser
from pydantic import BaseModel, ConfigDict, Field

from app.core.entities import NAME_FIELD
from app.research.findings import Evidence, Extractor, Finding, FoundValue
from app.research.normalize import FieldSpec, FieldType, Rejected, field_spec, normalize
from app.sources.bookkeeping import registered_domain

T = TypeVar("T")
MAX_QUOTE_CHARS = 500
# Dropped values named one by one in the job's warnings; beyond this they are counted.
MAX_DROP_WARNINGS = 20


class Sourced(BaseModel, Generic[T]):
    """A value, the page it was read from, and the words on that page that say it."""

    model_config = ConfigDict(extra="ignore")

    value: T
    source_url: str = Field(description="the http(s) URL of the page the value was read from")
    quote: str = Field(
        min_length=1, max_length=MAX_QUOTE_CHARS, description="verbatim text of that page containing the value"
    )


class _Answer(BaseModel):
    model_config = ConfigDict(extra="ignore")


class AwardAnswer(_Answer):
    title: Sourced[str]
    issuer: Sourced[str] | None = None
    year: Sourced[int] | None = None


class CredentialAnswer(_Answer):
    name: Sourced[str]
    credential_type: Sourced[str] | None = Field(None, description="license, certification or membership")
    issuer: Sourced[str] | None = None
    number: Sourced[str] | None = None
    state: Sourced[str] | None = None
    expires_on: Sourced[date] | None = None


class PlanAnswer(_Answer):
    name: Sourced[str]
    series: Sourced[str] | None = None
    base_price: Sourced[float] | None = None
    base_sqft: Sourced[int] | None = None
    bedrooms: Sourced[int] | None = None
    bathrooms: Sourced[float] | None = None
    stories: Sourced[int] | None = None
    garage_spaces: Sourced[int] | None = None
    description: Sourced[str] | None = None


class BuilderRecord(_Answer):
    name: Sourced[str] | None = None
    phone: Sourced[str] | None = None
    email: Sourced[str] | None = None
    website: Sourced[str] | None = None
    address: Sourced[str] | None = None
    city: Sourced[str] | None = None
    state: Sourced[str] | None = None
    postal_code: Sourced[str] | None = None
    founded_year: Sourced[int] | None = None
    employee_count: Sourced[str] | None = None
    about: Sourced[str] | None = None
    specialties: Sourced[list[str]] | None = None
    service_areas: Sourced[list[str]] | None = None
    communities_served: Sourced[list[str]] | None = None
    rating: Sourced[float] | None = Field(None, description="average review rating out of 5")
    review_count: Sourced[int] | None = None
    awards: list[AwardAnswer] = Field(default_factory=list)
    credentials: list[CredentialAnswer] = Field(default_factory=list)
    home_plans: list[PlanAnswer] = Field(default_factory=list)


class CommunityRecord(_Answer):
    name: Sourced[str] | None = None
    address: Sourced[str] | None = None
    city: Sourced[str] | None = None
    state: Sourced[str] | None = None
    postal_code: Sourced[str] | None = None
    hoa_fee: Sourced[str] | None = Field(None, description='the HOA fee with its period as written, e.g. "$125/month"')
    homes: Sourced[int] | None = None
    total_acres: Sourced[float] | None = None
    founded_year: Sourced[int] | None = None
    development_stage: Sourced[str] | None = None
    school_district: Sourced[str] | None = None
    hoa_management_company: Sourced[str] | None = None
    hoa_contact_phone: Sourced[str] | None = None
    hoa_contact_email: Sourced[str] | None = None
    tax_rate: Sourced[str] | None = Field(None, description='the property tax rate as written, e.g. "3.1%"')
    community_website_url: Sourced[str] | None = None
    intro_video_url: Sourced[str] | None = None
    about: Sourced[str] | None = None
    amenities: list[Sourced[str]] = Field(default_factory=list)
    builders: list[Sourced[str]] = Field(default_factory=list, description="home builders active in the community")


class PropertyRecord(_Answer):
    title: Sourced[str] | None = None
    address1: Sourced[str] | None = None
    address2: Sourced[str] | None = None
    city: Sourced[str] | None = None
    state: Sourced[str] | None = None
    postal_code: Sourced[str] | None = None
    description: Sourced[str] | None = None
    price: Sourced[float] | None = None
    bedrooms: Sourced[int] | None = None
    bathrooms: Sourced[float] | None = None
    sqft: Sourced[int] | None = None
    lot_sqft: Sourced[int] | None = None
    year_built: Sourced[int] | None = None
    has_pool: Sourced[bool] | None = None
    lot_number: Sourced[str] | None = None
    model_name: Sourced[str] | None = None
    property_status: Sourced[str] | None = Field(None, description="available, pending, sold or model")
    move_in_ready: Sourced[bool] | None = None
    move_in_date: Sourced[date] | None = None
    plan_name: Sourced[str] | None = None
    community_name: Sourced[str] | None = None
    builder_name: Sourced[str] | None = None


class BuilderAnswer(_Answer):
    records: list[BuilderRecord] = Field(default_factory=list)


class CommunityAnswer(_Answer):
    records: list[CommunityRecord] = Field(default_factory=list)


class PropertyAnswer(_Answer):
    records: list[PropertyRecord] = Field(default_factory=list)


ANSWERS: dict[str, type[_Answer]] = {
    "builder": BuilderAnswer,
    "community": CommunityAnswer,
    "property": PropertyAnswer,
}
RECORDS: dict[str, type[_Answer]] = {
    "builder": BuilderRecord,
    "community": CommunityRecord,
    "property": PropertyRecord,
}
# List fields of a record that become child findings: the child's kind, and its answer model
# (None: a list of sourced names, e.g. amenities).
CHILD_LISTS: dict[str, tuple[str, type[_Answer] | None]] = {
    "awards": ("award", AwardAnswer),
    "credentials": ("credential", CredentialAnswer),
    "home_plans": ("home_plan", PlanAnswer),
    "amenities": ("amenity", None),
    "builders": ("builder", None),
}
# What names a record of a discovery: a home may be named by its address alone.
IDENTITY_FIELDS = {"property": ("title", "address1")}
# Answer fields that are no column (a home's links, resolved by the collector) are read as text.
_LINK_TEXT = FieldSpec(FieldType.text, max_length=255)
_LIST_TYPES = (FieldType.text_set, FieldType.url_set)


# -- finding the answer object in the model's text ---------------------------------------------------


class AnswerUnreadable(ValueError):
    """No JSON object of the answer's shape could be read from the model's text; the message says why."""


@dataclass
class AnswerObject:
    """The JSON object chosen as the answer; ``cut`` when it was read from a text cut short."""

    data: dict[str, Any]
    cut: bool = False
    # Why the first answer could not be read, when a repair turn asked for this one.
    repaired: str = ""


def _cut_object(text: str) -> dict[str, Any] | None:
    """The complete part of a JSON object cut short (max_tokens): unfinished strings and numbers left out."""
    try:
        value = partial_json_parser.loads(text, partial_json_parser.OBJ | partial_json_parser.ARR)
    except (ValueError, RecursionError):
        return None
    return value if isinstance(value, dict) else None


def _json_objects(text: str) -> tuple[list[AnswerObject], str]:
    """Every top-level JSON object in the text, in order, and the first parse error met on the way."""
    decoder = json.JSONDecoder()
    objects: list[AnswerObject] = []
    first_error = ""
    index = text.find("{")
    while index != -1:
        try:
            value, end = decoder.raw_decode(text, index)
        except json.JSONDecodeError as exc:
            cut = _cut_object(text[index:])
            if cut is not None:
                # The object runs to the end of the text: nothing follows it.
                objects.append(AnswerObject(cut, cut=True))
                break
            first_error = first_error or str(exc)
            index = text.find("{", index + 1)
            continue
        if isinstance(value, dict):
            objects.append(AnswerObject(value))
        index = text.find("{", end)
    return objects, first_error


def _holds_a_record(data: dict[str, Any]) -> bool:
    return any(name in data for model in RECORDS.values() for name in model.model_fields)


def answer_object(text: str) -> AnswerObject:
    """The final answer object in a model's text: the last one with ``records`` (a draft before it is
    ignored), else the last bare record; AnswerUnreadable when there is none."""
    objects, error = _json_objects(text)
    with_records = [o for o in objects if isinstance(o.data.get("records"), list | dict)]
    if with_records:
        return with_records[-1]
    bare = [o for o in objects if _holds_a_record(o.data)]
    if bare:
        return AnswerObject({"records": [bare[-1].data]}, cut=bare[-1].cut)
    if objects:
        raise AnswerUnreadable('no JSON object with a "records" list')
    raise AnswerUnreadable(f"no JSON object could be read ({error})" if error else "no JSON object in the answer")


# -- reading the answer value by value -----------------------------------------------------------------


class Dropped(ValueError):
    """A value or record of the answer left out; the message is the reason an admin reads."""


@dataclass
class AnswerReader:
    """Reads records of an answer object into findings; what it drops is listed in ``warnings``."""

    official_domain: str = ""
    warnings: list[str] = field(default_factory=list)
    dropped: int = 0

    def drop(self, path: str, reason: str) -> None:
        self.dropped += 1
        if self.dropped <= MAX_DROP_WARNINGS:
            self.warnings.append(f"model answer {path} dropped: {reason}")

    def summary(self) -> list[str]:
        """The warnings, with a count of the dropped values beyond those named."""
        beyond = self.dropped - MAX_DROP_WARNINGS
        return [*self.warnings, f"{beyond} more value(s) of the model answer dropped"] if beyond > 0 else self.warnings

    def records(
        self, answer: AnswerObject, entity_type: str, *, wanted: set[str] | None, limit: int, named: bool
    ) -> list[Finding]:
        """Up to ``limit`` findings of the answer's records; ``named``: a record without its name is dropped."""
        raw = answer.data.get("records")
        items = [raw] if isinstance(raw, dict) else list(raw or [])
        findings: list[Finding] = []
        for index, item in enumerate(items):
            if len(findings) >= limit:
                break
            path = f"records[{index}]"
            if not isinstance(item, dict):
                self.drop(path, "not a JSON object")
                continue
            finding = self.record(entity_type, RECORDS[entity_type], item, path, wanted=wanted, named=named)
            if finding is not None:
                findings.append(finding)
        return findings

    def record(
        self,
        kind: str,
        model: type[_Answer],
        data: dict[str, Any],
        path: str,
        *,
        wanted: set[str] | None = None,
        named: bool = True,
    ) -> Finding | None:
        """One record as a finding (None when it had to be dropped); unknown fields are ignored."""
        finding = Finding.model_validate({"kind": kind})
        for name in model.model_fields:
            if name not in data or (wanted is not None and name not in wanted):
                continue
            if name in CHILD_LISTS:
                finding.children.extend(self.children(name, data[name], f"{path}.{name}"))
                continue
            found = self.value(kind, name, data[name], f"{path}.{name}")
            if found is not None:
                finding.fields[name] = found
        if named:
            identity = IDENTITY_FIELDS.get(kind, (NAME_FIELD[kind],))
            if not any(name in finding.fields for name in identity):
                self.drop(path, f"a record without its {' or '.join(identity)}")
                return None
        return finding

    def children(self, list_name: str, items: Any, path: str) -> list[Finding]:
        kind, model = CHILD_LISTS[list_name]
        if items is None:
            return []
        if not isinstance(items, list):
            self.drop(path, "not a list")
            return []
        children = []
        for index, item in enumerate(items):
            where = f"{path}[{index}]"
            if model is not None:
                child = self.record(kind, model, item, where) if isinstance(item, dict) else None
                if child is None and not isinstance(item, dict):
                    self.drop(where, "not a JSON object")
            else:
                name = NAME_FIELD[kind]
                found = self.value(kind, name, item, where)
                child = Finding.model_validate({"kind": kind, "fields": {name: found}}) if found else None
            if child is not None:
                children.append(child)
        return children

    def value(self, kind: str, name: str, item: Any, path: str) -> FoundValue | None:
        """One sourced value, or None when the model gave none (null) or it was dropped."""
        try:
            return self._value(kind, name, item)
        except Dropped as exc:
            self.drop(path, str(exc))
            return None

    def _value(self, kind: str, name: str, item: Any) -> FoundValue | None:
        if item is None:
            return None  # the model says it found nothing: no value, nothing to warn about
        if not isinstance(item, dict):
            raise Dropped("no source_url and quote (a bare value)")
        value = item.get("value")
        if value is None or value == "" or value == []:
            return None
        url = item.get("source_url")
        if not isinstance(url, str) or not url.strip():
            raise Dropped("no source_url")
        url = url.strip()
        if not url.startswith(("http://", "https://")) or any(c.isspace() for c in url):
            raise Dropped(f"source_url {url[:100]!r} is not an http(s) URL")
        quote = item.get("quote")
        if not isinstance(quote, str) or not quote.strip():
            raise Dropped("no quote" if quote is None else "an empty quote")
        quote = quote.strip()
        if len(quote) > MAX_QUOTE_CHARS:
            raise Dropped(f"a quote longer than {MAX_QUOTE_CHARS} characters")
        check_value(kind, name, value)
        source_type = (
            "official_website" if self.official_domain and registered_domain(url) == self.official_domain else "search"
        )
        evidence = Evidence(source_url=url, quote=quote, extractor=Extractor.claude, source_type=source_type)
        return FoundValue(value=value, evidence=evidence)


def check_value(kind: str, name: str, value: Any) -> None:
    """Dropped unless the value reads as the field's type with the web path's normalizers ("1,850" does)."""
    spec = field_spec(kind, name) or _LINK_TEXT
    shown = json.dumps(value, ensure_ascii=False, default=str)[:80]
    if isinstance(value, list) and spec.type not in _LIST_TYPES:
        raise Dropped(f"one value expected, got a list {shown}")
    if isinstance(value, dict) and spec.type != FieldType.money:
        raise Dropped(f"one value expected, got an object {shown}")
    if isinstance(value, bool) and spec.type != FieldType.boolean:
        raise Dropped(f"{spec.type} expected, got {shown}")
    try:
        normalize(spec, value)
    except Rejected as exc:
        raise Dropped(f"{exc} (got {shown})") from exc
