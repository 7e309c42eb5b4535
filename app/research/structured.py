"""schema.org JSON-LD and microdata (via extruct) turned into findings, each value with its evidence."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin

import extruct

from app.core.entities import EntityType
from app.research.findings import Evidence, Extractor, Finding, FoundValue

BUILDER_TYPES = {
    "HomeAndConstructionBusiness",
    "GeneralContractor",
    "Organization",
    "LocalBusiness",
    "Corporation",
    "RoofingContractor",
}
COMMUNITY_TYPES = {"Residence", "ApartmentComplex", "GatedResidenceCommunity"}
PROPERTY_TYPES = {"SingleFamilyResidence", "House", "Accommodation", "Apartment"}
PLAN_TYPES = {"FloorPlan"}
AVAILABILITY = {"InStock": "available", "SoldOut": "sold", "PreOrder": "pending", "LimitedAvailability": "available"}
HOA_TEXT = re.compile(
    r"HOA\s+(?:fee|dues)s?\s*[:\-–]?\s*(\$\s?[\d,]+(?:\.\d{2})?\s*(?:/|per\s+)\s*(?:month|mo|year|yr|quarter|annum))",
    re.I,
)
MAX_QUOTE = 500


@dataclass
class _Context:
    url: str
    extractor: Extractor

    def found(self, value: Any, raw: Any = None) -> FoundValue:
        quote = raw if raw is not None else value
        text = quote if isinstance(quote, str) else json.dumps(quote, ensure_ascii=False, default=str)
        return FoundValue(
            value=value, evidence=Evidence(source_url=self.url, quote=text[:MAX_QUOTE], extractor=self.extractor)
        )


def types_of(item: dict[str, Any]) -> set[str]:
    raw = item.get("@type") or []
    names = [raw] if isinstance(raw, str) else list(raw)
    return {str(name).rsplit("/", 1)[-1] for name in names}


def _first(value: Any) -> Any:
    if isinstance(value, list):
        return value[0] if value else None
    return value


def _text(value: Any) -> str | None:
    value = _first(value)
    if isinstance(value, dict):
        value = value.get("name") or value.get("@value") or value.get("value")
    if value is None:
        return None
    text = " ".join(str(value).split())
    return text or None


def _number(value: Any) -> float | None:
    value = _first(value)
    if isinstance(value, dict):
        value = value.get("value") or value.get("@value")
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        match = re.search(r"-?\d[\d,]*(?:\.\d+)?", value)
        if match:
            return float(match.group(0).replace(",", ""))
    return None


def _int(value: Any) -> int | None:
    number = _number(value)
    return int(number) if number is not None else None


def _year(value: Any) -> int | None:
    match = re.search(r"\b(1[89]\d\d|20\d\d)\b", str(_first(value) or ""))
    return int(match.group(1)) if match else None


def _list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _set(finding: Finding, ctx: _Context, name: str, value: Any, raw: Any = None) -> None:
    if value is None or value == "" or value == []:
        return
    finding.fields.setdefault(name, ctx.found(value, raw if raw is not None else value))


def _set_address(finding: Finding, ctx: _Context, address: Any, street_field: str) -> None:
    if isinstance(address, str):
        _set(finding, ctx, street_field, _text(address))
        return
    if not isinstance(address, dict):
        return
    _set(finding, ctx, street_field, _text(address.get("streetAddress")))
    _set(finding, ctx, "city", _text(address.get("addressLocality")))
    _set(finding, ctx, "state", _text(address.get("addressRegion")))
    _set(finding, ctx, "postal_code", _text(address.get("postalCode")))


def _set_geo(finding: Finding, ctx: _Context, geo: Any) -> None:
    if isinstance(geo, dict):
        _set(finding, ctx, "latitude", _number(geo.get("latitude")), geo.get("latitude"))
        _set(finding, ctx, "longitude", _number(geo.get("longitude")), geo.get("longitude"))


def _properties(item: dict[str, Any]) -> dict[str, Any]:
    """additionalProperty PropertyValues by lower-case name."""
    values: dict[str, Any] = {}
    for prop in _list(item.get("additionalProperty")):
        if isinstance(prop, dict) and prop.get("name"):
            value = prop.get("value")
            unit = prop.get("unitText")
            values[str(prop["name"]).strip().lower()] = f"{value}{unit}" if unit and isinstance(value, str) else value
    return values


def _url(ctx: _Context, value: Any) -> str | None:
    text = _text(value)
    return urljoin(ctx.url, text) if text else None


def builder_finding(item: dict[str, Any], ctx: _Context) -> Finding:
    finding = Finding(kind=EntityType.builder)
    _set(finding, ctx, "name", _text(item.get("name")))
    _set(finding, ctx, "phone", _text(item.get("telephone")))
    email = _text(item.get("email"))
    _set(finding, ctx, "email", email.removeprefix("mailto:") if email else None, email)
    _set(finding, ctx, "website", _url(ctx, item.get("url")), _text(item.get("url")))
    _set_address(finding, ctx, _first(item.get("address")), "address")
    _set(finding, ctx, "founded_year", _year(item.get("foundingDate")), _text(item.get("foundingDate")))
    _set(finding, ctx, "about", _text(item.get("description")))
    employees = _first(item.get("numberOfEmployees"))
    _set(finding, ctx, "employee_count", _text(employees) if not isinstance(employees, int) else str(employees))
    rating = item.get("aggregateRating")
    if isinstance(rating, dict):
        _set(finding, ctx, "rating", _number(rating.get("ratingValue")), rating.get("ratingValue"))
    areas = [_text(area) for area in _list(item.get("areaServed"))]
    _set(finding, ctx, "service_areas", [a for a in areas if a] or None, ", ".join(a for a in areas if a))
    for award in _list(item.get("award")):
        title = _text(award)
        if title:
            child = Finding(kind="award")
            _set(child, ctx, "title", title)
            _set(child, ctx, "year", _year(title), title)
            finding.children.append(child)
    for credential in _list(item.get("hasCredential")):
        name = _text(credential)
        if name:
            child = Finding(kind="credential")
            _set(child, ctx, "name", name)
            if isinstance(credential, dict):
                _set(child, ctx, "credential_type", _text(credential.get("credentialCategory")))
                _set(child, ctx, "issuer", _text(credential.get("recognizedBy")))
            finding.children.append(child)
    for plan in _list(item.get("makesOffer")) + _list(item.get("hasOfferCatalog")):
        if isinstance(plan, dict) and types_of(plan) & PLAN_TYPES:
            finding.children.append(plan_finding(plan, ctx))
    return finding


def community_finding(item: dict[str, Any], ctx: _Context) -> Finding:
    finding = Finding(kind=EntityType.community)
    _set(finding, ctx, "name", _text(item.get("name")))
    _set_address(finding, ctx, _first(item.get("address")), "address")
    _set_geo(finding, ctx, item.get("geo"))
    _set(finding, ctx, "community_website_url", _url(ctx, item.get("url")), _text(item.get("url")))
    _set(finding, ctx, "about", _text(item.get("description")))
    _set(finding, ctx, "founded_year", _year(item.get("foundingDate")), _text(item.get("foundingDate")))
    _set(finding, ctx, "homes", _int(item.get("numberOfAccommodationUnits")), item.get("numberOfAccommodationUnits"))
    props = _properties(item)
    for name, value in props.items():
        if "hoa" in name and ("fee" in name or "dues" in name):
            _set(finding, ctx, "hoa_fee", _text(value))
        elif name in ("total homes", "homes", "number of homes"):
            _set(finding, ctx, "homes", _int(value), value)
        elif name in ("acres", "total acres", "acreage"):
            _set(finding, ctx, "total_acres", _number(value), value)
        elif name in ("development stage", "stage"):
            _set(finding, ctx, "development_stage", _text(value))
        elif name in ("school district",):
            _set(finding, ctx, "school_district", _text(value))
        elif name in ("tax rate",):
            _set(finding, ctx, "tax_rate", _text(value))
    for feature in _list(item.get("amenityFeature")):
        amenity = _text(feature)
        if amenity and (not isinstance(feature, dict) or feature.get("value") not in (False, "false", "False")):
            child = Finding(kind="amenity")
            _set(child, ctx, "name", amenity)
            finding.children.append(child)
    for place in _list(item.get("containsPlace")):
        # Builders are Places (LocalBusiness) in schema.org: the ones a community contains are active there.
        if isinstance(place, dict) and types_of(place) & BUILDER_TYPES:
            child = Finding(kind=EntityType.builder)
            _set(child, ctx, "name", _text(place.get("name")))
            _set(child, ctx, "website", _url(ctx, place.get("url")), _text(place.get("url")))
            if child.fields:
                finding.children.append(child)
    return finding


def plan_finding(item: dict[str, Any], ctx: _Context) -> Finding:
    finding = Finding(kind="home_plan")
    _set(finding, ctx, "name", _text(item.get("name")))
    _set(finding, ctx, "bedrooms", _int(item.get("numberOfBedrooms") or item.get("numberOfRooms")))
    _set(finding, ctx, "bathrooms", _number(item.get("numberOfBathroomsTotal")), item.get("numberOfBathroomsTotal"))
    _set(finding, ctx, "base_sqft", _int(item.get("floorSize")), item.get("floorSize"))
    offers = _first(item.get("offers"))
    if isinstance(offers, dict):
        _set(finding, ctx, "base_price", _number(offers.get("price")), offers.get("price"))
    return finding


def property_finding(item: dict[str, Any], ctx: _Context, offer: dict[str, Any] | None = None) -> Finding:
    finding = Finding(kind=EntityType.property)
    _set(finding, ctx, "title", _text(item.get("name")))
    _set_address(finding, ctx, _first(item.get("address")), "address1")
    _set_geo(finding, ctx, item.get("geo"))
    _set(finding, ctx, "description", _text(item.get("description")))
    bedrooms = item.get("numberOfBedrooms") or item.get("numberOfRooms")
    _set(finding, ctx, "bedrooms", _int(bedrooms), bedrooms)
    _set(finding, ctx, "bathrooms", _number(item.get("numberOfBathroomsTotal")), item.get("numberOfBathroomsTotal"))
    _set(finding, ctx, "sqft", _int(item.get("floorSize")), item.get("floorSize"))
    _set(finding, ctx, "lot_sqft", _int(item.get("lotSize")), item.get("lotSize"))
    _set(finding, ctx, "year_built", _int(item.get("yearBuilt")), item.get("yearBuilt"))
    _set(finding, ctx, "community_name", _text(item.get("containedInPlace")))
    images = [_url(ctx, image) for image in _list(item.get("image"))]
    _set(finding, ctx, "media_urls", [i for i in images if i] or None, ", ".join(i for i in images if i))
    props = _properties(item)
    for name, value in props.items():
        if name in ("plan", "floor plan", "model", "plan name"):
            _set(finding, ctx, "plan_name", _text(value))
        elif name in ("move-in ready", "move in ready"):
            _set(finding, ctx, "move_in_ready", value in (True, "true", "True", "yes", "Yes"), value)
        elif name in ("lot", "lot number"):
            _set(finding, ctx, "lot_number", _text(value))
        elif name in ("pool",):
            _set(finding, ctx, "has_pool", value in (True, "true", "True", "yes", "Yes"), value)
    offer = offer or (_first(item.get("offers")) if isinstance(_first(item.get("offers")), dict) else None)
    if offer:
        _set(finding, ctx, "price", _number(offer.get("price")), offer.get("price"))
        availability = _text(offer.get("availability"))
        if availability:
            status = AVAILABILITY.get(availability.rsplit("/", 1)[-1])
            _set(finding, ctx, "property_status", status, availability)
        seller = offer.get("seller") or offer.get("offeredBy")
        _set(finding, ctx, "builder_name", _text(seller))
    return finding


def _nodes(item: Any) -> Iterator[dict[str, Any]]:
    """Top-level entities: the item, its @graph, and the members of an ItemList."""
    if isinstance(item, list):
        for element in item:
            yield from _nodes(element)
        return
    if not isinstance(item, dict):
        return
    if "@graph" in item:
        yield from _nodes(item["@graph"])
    if "ItemList" in types_of(item):
        for element in _list(item.get("itemListElement")):
            if isinstance(element, dict) and "item" in element:
                yield from _nodes(element["item"])
            else:
                yield from _nodes(element)
        return
    if "@type" in item:
        yield item


def finding_for_item(item: dict[str, Any], ctx: _Context) -> Finding | None:
    """The finding a schema.org entity describes, or None when it is nothing we collect."""
    kinds = types_of(item)
    additional = " ".join(str(t) for t in _list(item.get("additionalType")))
    is_community = kinds & COMMUNITY_TYPES or any("Community" in k for k in kinds) or "Community" in additional
    if is_community or ("Place" in kinds and "amenityFeature" in item):
        return community_finding(item, ctx)
    if kinds & PROPERTY_TYPES:
        return property_finding(item, ctx)
    if "Offer" in kinds and isinstance(item.get("itemOffered"), dict):
        offered = item["itemOffered"]
        if types_of(offered) & PROPERTY_TYPES:
            return property_finding(offered, ctx, offer=item)
        if types_of(offered) & PLAN_TYPES:
            return plan_finding({**offered, "offers": item}, ctx)
    if kinds & PLAN_TYPES:
        return plan_finding(item, ctx)
    if kinds & BUILDER_TYPES:
        return builder_finding(item, ctx)
    return None


def schema_org_findings(items: Any, url: str, extractor: Extractor) -> list[Finding]:
    """Findings from parsed schema.org data (JSON-LD items, microdata, or JSON a page loaded)."""
    ctx = _Context(url, extractor)
    findings = []
    for node in _nodes(items):
        finding = finding_for_item(node, ctx)
        if finding is not None and finding.fields:
            findings.append(finding)
    return findings


@dataclass
class StructuredData:
    findings: list[Finding]
    raw_text: str  # the structured data as text, so the evidence check can find its values


def extract_structured(html: str, url: str, page_text: str = "") -> StructuredData:
    """Findings from a page's JSON-LD and microdata."""
    try:
        data = extruct.extract(html, base_url=url, syntaxes=["json-ld", "microdata"], uniform=True, errors="ignore")
    except Exception:  # extruct raises many parser errors; a broken page yields nothing, not a failed job
        return StructuredData([], "")
    findings: list[Finding] = []
    raw_parts: list[str] = []
    for syntax, extractor in (("json-ld", Extractor.json_ld), ("microdata", Extractor.microdata)):
        items = data.get(syntax) or []
        if items:
            raw_parts.append(json.dumps(items, ensure_ascii=False, default=str))
        findings.extend(schema_org_findings(items, url, extractor))
    communities = [f for f in findings if f.kind == EntityType.community]
    # The page's own text names one community's fee; on a directory it could be any listed one's.
    if len(communities) == 1 and "hoa_fee" not in communities[0].fields:
        fee = hoa_fee_from_text(page_text, url)
        if fee is not None:
            communities[0].fields["hoa_fee"] = fee
    return StructuredData(findings, "\n".join(raw_parts))


def hoa_fee_from_text(text: str, url: str) -> FoundValue | None:
    """An "HOA fee: $125/month" phrase in visible text."""
    match = HOA_TEXT.search(text)
    if match is None:
        return None
    return FoundValue(
        value=" ".join(match.group(1).split()),
        evidence=Evidence(source_url=url, quote=match.group(0)[:MAX_QUOTE], extractor=Extractor.html),
    )


def finding_key(finding: Finding) -> str | None:
    """What makes two findings of one kind the same real thing: address for homes, else name."""
    value = finding.value("address1") if finding.kind == EntityType.property else None
    value = value or finding.value("name") or finding.value("title")
    return f"{finding.kind}:{' '.join(str(value).lower().split())}" if value else None


def merge_same_records(findings: list[Finding]) -> list[Finding]:
    """One finding per real entity: later duplicates only fill fields and children the first lacks.

    The findings given are left as they were: a merged finding is a copy.
    """
    merged: list[Finding] = []
    by_key: dict[str, Finding] = {}
    for finding in findings:
        key = finding_key(finding)
        if key is None:
            merged.append(finding)
            continue
        if key not in by_key:
            by_key[key] = finding.model_copy(
                update={"fields": dict(finding.fields), "children": list(finding.children)}
            )
            merged.append(by_key[key])
            continue
        first = by_key[key]
        for name, found in finding.fields.items():
            first.fields.setdefault(name, found)
        known = {finding_key(child) for child in first.children}
        first.children.extend(child for child in finding.children if finding_key(child) not in known)
    return merged
