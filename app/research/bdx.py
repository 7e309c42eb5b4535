"""BDX-style XML listing feeds (Builder > Subdivision > Plan > Spec): builder, plan and home findings."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin

from lxml import etree

from app.core.entities import EntityType
from app.research.findings import Evidence, Extractor, Finding, FoundValue

# No entities, no network, no huge trees: feeds are untrusted input.
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, remove_comments=True)


@dataclass
class _Feed:
    url: str

    def found(self, element: etree._Element, value: Any) -> FoundValue:
        quote = etree.tostring(element, encoding="unicode", with_tail=False).strip()[:500]
        evidence = Evidence(source_url=self.url, quote=quote, extractor=Extractor.bdx_feed)
        return FoundValue(value=value, evidence=evidence)


def looks_like_bdx(body: str) -> bool:
    head = body.lstrip()[:2000]
    return head.startswith("<?xml") or head.startswith("<Builders")


def _child(element: etree._Element, path: str) -> etree._Element | None:
    found = element.find(path)
    return found if found is not None and (found.text or "").strip() else None


def _set(finding: Finding, feed: _Feed, element: etree._Element, path: str, name: str, cast: Any = str) -> None:
    child = _child(element, path)
    if child is None:
        return
    text = " ".join((child.text or "").split())
    try:
        value = cast(text.replace(",", "")) if cast is not str else text
    except ValueError:
        return
    finding.fields[name] = feed.found(child, value)


def _baths(finding: Finding, feed: _Feed, element: etree._Element, full: str, half: str, name: str) -> None:
    full_el = _child(element, full)
    if full_el is None:
        return
    half_el = _child(element, half)
    try:
        value = float(full_el.text or 0) + 0.5 * float((half_el.text if half_el is not None else None) or 0)
    except ValueError:
        return
    finding.fields[name] = feed.found(full_el, value)
    # Quote both numbers verbatim: "<Baths>3</Baths>" and "<HalfBaths>1</HalfBaths>".
    quote = etree.tostring(full_el, encoding="unicode", with_tail=False)
    if half_el is not None:
        quote += " " + etree.tostring(half_el, encoding="unicode", with_tail=False)
    finding.fields[name].evidence.quote = quote[:500]


def parse_bdx(body: str | bytes, url: str) -> list[Finding]:
    """Builder findings (with their plans as children) and one property finding per spec."""
    data = body.encode() if isinstance(body, str) else body
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError:
        return []
    feed = _Feed(url)
    findings: list[Finding] = []
    for builder_el in root.iter("Builder"):
        builder = Finding(kind=EntityType.builder)
        corporation = builder_el.getparent()
        name_el = _child(builder_el, "BrandName")
        if name_el is None and corporation is not None:
            name_el = _child(corporation, "CorporateName")
        if name_el is None:
            continue
        builder_name = " ".join((name_el.text or "").split())
        builder.fields["name"] = feed.found(name_el, builder_name)
        _set(builder, feed, builder_el, "DefaultLeadsEmail", "email")
        website = _child(builder_el, "BuilderWebsite")
        if website is not None:
            builder.fields["website"] = feed.found(website, urljoin(url, (website.text or "").strip()))
        findings.append(builder)
        for subdivision in builder_el.iter("Subdivision"):
            community_name = (subdivision.findtext("SubdivisionName") or "").strip() or None
            for plan_el in subdivision.iter("Plan"):
                plan = Finding(kind="home_plan")
                _set(plan, feed, plan_el, "PlanName", "name")
                if "name" not in plan.fields:
                    continue
                _set(plan, feed, plan_el, "SeriesName", "series")
                _set(plan, feed, plan_el, "BasePrice", "base_price", float)
                _set(plan, feed, plan_el, "BaseSqft", "base_sqft", int)
                _set(plan, feed, plan_el, "Bedrooms", "bedrooms", int)
                _baths(plan, feed, plan_el, "Baths", "HalfBaths", "bathrooms")
                _set(plan, feed, plan_el, "Stories", "stories", int)
                _set(plan, feed, plan_el, "Garage", "garage_spaces", int)
                _set(plan, feed, plan_el, "Description", "description")
                if not any(finding_name(c) == finding_name(plan) for c in builder.children):
                    builder.children.append(plan)
                for spec_el in plan_el.iter("Spec"):
                    home = _spec(spec_el, feed, plan, builder_name, community_name, subdivision)
                    if home is not None:
                        findings.append(home)
    return findings


def finding_name(finding: Finding) -> str:
    return str(finding.value("name") or "").lower()


def _spec(
    spec_el: etree._Element,
    feed: _Feed,
    plan: Finding,
    builder_name: str,
    community_name: str | None,
    subdivision: etree._Element,
) -> Finding | None:
    home = Finding(kind=EntityType.property)
    _set(home, feed, spec_el, "SpecAddress/SpecStreet1", "address1")
    if "address1" not in home.fields:
        return None
    _set(home, feed, spec_el, "SpecAddress/SpecCity", "city")
    _set(home, feed, spec_el, "SpecAddress/SpecState", "state")
    _set(home, feed, spec_el, "SpecAddress/SpecZIP", "postal_code")
    _set(home, feed, spec_el, "SpecAddress/SpecLot", "lot_number")
    _set(home, feed, spec_el, "SpecPrice", "price", float)
    _set(home, feed, spec_el, "SpecSqft", "sqft", int)
    _set(home, feed, spec_el, "SpecBedrooms", "bedrooms", int)
    _baths(home, feed, spec_el, "SpecBaths", "SpecHalfBaths", "bathrooms")
    _set(home, feed, spec_el, "SpecDescription", "description")
    home.fields["plan_name"] = plan.fields["name"]
    name_el = subdivision.find("SubdivisionName")
    if community_name and name_el is not None:
        home.fields["community_name"] = feed.found(name_el, community_name)
    home.fields["builder_name"] = FoundValue(
        value=builder_name, evidence=Evidence(source_url=feed.url, quote=builder_name, extractor=Extractor.bdx_feed)
    )
    is_model = spec_el.findtext("SpecIsModel")
    if is_model and is_model.strip() in ("1", "true", "True"):
        home.fields["property_status"] = feed.found(spec_el.find("SpecIsModel"), "model")
    return home
