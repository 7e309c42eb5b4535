"""Homes and plans in JSON a page loaded (its inventory API): records recognised by their key names.

Sites shape their JSON freely (``beds``, ``bedrooms``, ``numBedrooms``, ``specs.bedroomCount``...), so a
record is read by what its keys say, anywhere in the document: a dict with at least two of price, beds,
baths and square feet is a home when it has a street address or a lot, and a plan when it has a name.
Nested dicts (``address: {...}``, ``pricing: {...}``) are read as part of the record.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import usaddress

from app.core.entities import EntityType
from app.research.findings import Evidence, Extractor, Finding, FoundValue

MAX_QUOTE = 500
MAX_DEPTH = 12
MAX_RECORDS = 500
_NON_ALNUM = re.compile(r"[^a-z0-9]")
_STREET = re.compile(r"^\s*\d+[a-z]?\s+\S+", re.I)  # "123 Main St": a number, then a street name

# Each field's key names, normalised (lower case, letters and digits only), best first; then key fragments.
_EXACT: dict[str, tuple[str, ...]] = {
    "price": (
        "price", "listprice", "currentprice", "saleprice", "salesprice", "askingprice", "baseprice", "startingprice",
        "pricefrom", "fromprice", "startingat", "displayprice", "amount",
    ),
    "bedrooms": ("beds", "bedrooms", "bedroomcount", "numberofbedrooms", "numbedrooms", "bedroomstotal", "br", "bd"),
    "bathrooms": (
        "baths", "bathrooms", "bathroomcount", "numberofbathrooms", "numberofbathroomstotal", "bathroomstotal",
        "numbathrooms", "totalbaths", "ba",
    ),
    "full_baths": ("fullbaths", "fullbathrooms", "bathsfull", "numfullbaths"),
    "half_baths": ("halfbaths", "halfbathrooms", "bathshalf", "numhalfbaths"),
    "sqft": (
        "sqft", "squarefeet", "squarefootage", "sqfeet", "livingarea", "livingsqft", "floorsize", "totalsqft",
        "basesqft", "homesize", "size", "area",
    ),
    "address": (
        "streetaddress", "address1", "addressline1", "street", "street1", "streetline1", "line1", "address",
        "fulladdress",
    ),
    "city": ("city", "addresslocality", "locality", "town"),
    "state": ("state", "statecode", "addressregion", "region", "province"),
    "postal_code": ("zip", "zipcode", "postalcode", "postcode"),
    "status": (
        "status", "salesstatus", "salestatus", "listingstatus", "homestatus", "availability", "availabilitystatus",
    ),
    "name": ("name", "title", "planname", "modelname", "displayname"),
    "title": ("title", "name", "homename", "displayname", "headline"),
    "plan_name": ("planname", "plan", "floorplan", "floorplanname", "modelname", "model"),
    "lot_number": ("lot", "lotnumber", "homesite", "homesitenumber", "lotnum"),
    "community_name": ("communityname", "community", "subdivision", "subdivisionname", "neighborhood"),
    "latitude": ("latitude", "lat"),
    "longitude": ("longitude", "lng", "lon", "long"),
    "year_built": ("yearbuilt",),
    "stories": ("stories", "storycount", "numberofstories", "floors", "levels"),
    "garage_spaces": ("garage", "garages", "garagespaces", "garagecount", "cargarage"),
    "description": ("description", "summary"),
    "move_in_date": ("moveindate", "availabledate", "estimatedcompletion", "completiondate"),
}  # fmt: skip
_FRAGMENTS: dict[str, tuple[str, ...]] = {
    "price": ("price", "pricing"),
    "bedrooms": ("bedroom", "beds"),
    "bathrooms": ("bathroom", "baths"),
    "sqft": ("sqft", "squarefe", "footage"),
    "status": ("status",),
}
# Keys that contain a field's fragment but are not it: a price per square foot is not the price.
_NOT = {"per", "max", "hoa", "tax", "monthly", "payment", "deposit", "original", "previous", "was", "change"}
_WORDS = re.compile(r"[A-Z]?[a-z]+|[0-9]+|[A-Z]+(?![a-z])")
_VALUE_KEYS = ("value", "amount", "number", "text", "display")
_MEASURES = ("price", "bedrooms", "bathrooms", "sqft")


def _norm(key: str) -> str:
    return _NON_ALNUM.sub("", key.lower())


def _scalar(value: Any) -> Any:
    """The plain value of a leaf, or of a ``{"value": ...}`` wrapper; None for anything else."""
    if isinstance(value, dict):
        for key in _VALUE_KEYS:
            if key in value and not isinstance(value[key], dict | list):
                return value[key]
        return None
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        return value
    return None


def _leaves(record: dict[str, Any], parent: str = "", depth: int = 0) -> Iterator[tuple[str, str, Any, str]]:
    """(normalised key, original key, value, key path) of the record and its nested dicts, shallowest first.

    The path keeps the parent's name for keys that say little alone: ``pricing: {current: ...}``.
    """
    nested = []
    for key, value in record.items():
        key = str(key)
        path = f"{parent}_{key}" if parent else key
        leaf = _scalar(value)
        if leaf is not None and leaf != "":
            yield _norm(key), key, leaf, path
        elif isinstance(value, dict) and depth < 2:
            nested.append((value, path))
    for child, path in nested:
        yield from _leaves(child, path, depth + 1)


class _Record:
    """One candidate record: its leaves by field name, each with the fragment it was read from."""

    def __init__(self, record: dict[str, Any]) -> None:
        self.leaves = list(_leaves(record))
        self.fields: dict[str, tuple[Any, str]] = {}
        for name in _EXACT:
            found = self._find(name)
            if found is not None:
                self.fields[name] = found

    def _find(self, name: str) -> tuple[Any, str] | None:
        for wanted in _EXACT[name]:
            for norm, key, value, _path in self.leaves:
                if norm == wanted:
                    return value, _fragment(key, value)
        for fragment in _FRAGMENTS.get(name, ()):
            for _norm_key, key, value, path in self.leaves:
                norm = _norm(path)
                words = {word.lower() for word in _WORDS.findall(path)}
                numeric = name not in _MEASURES or _number(value) is not None
                if fragment in norm and not words & _NOT and numeric:
                    if (name == "bedrooms" and "bath" in norm) or (name == "bathrooms" and words & {"full", "half"}):
                        continue
                    return value, _fragment(key, value)
        return None

    def number(self, name: str) -> float | None:
        found = self.fields.get(name)
        return _number(found[0]) if found is not None else None

    def text(self, name: str) -> str | None:
        found = self.fields.get(name)
        if found is None or isinstance(found[0], bool):
            return None
        text = " ".join(str(found[0]).split())
        return text or None

    def measures(self) -> int:
        return sum(1 for name in _MEASURES if self.number(name) is not None) + (
            1 if self.number("bathrooms") is None and self.number("full_baths") is not None else 0
        )

    def street(self) -> str | None:
        address = self.text("address")
        return address if address and _STREET.match(address) else None


def _fragment(key: str, value: Any) -> str:
    return json.dumps({key: value}, ensure_ascii=False)[1:-1]


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        match = re.search(r"\d[\d,]*(?:\.\d+)?", value)
        if match:
            number = float(match.group(0).replace(",", ""))
            # "$450K", "1.2M": prices written short
            suffix = value[match.end() : match.end() + 1].lower()
            return number * 1_000 if suffix == "k" else number * 1_000_000 if suffix == "m" else number
    return None


def _records(data: Any, depth: int = 0) -> Iterator[_Record]:
    """Every dict that reads as a home or a plan; a record's own insides are not searched further."""
    if depth > MAX_DEPTH:
        return
    if isinstance(data, list):
        for item in data:
            yield from _records(item, depth + 1)
    elif isinstance(data, dict):
        record = _Record(data)
        if record.measures() >= 2 and (record.street() or record.text("lot_number") or record.text("name")):
            yield record
            return
        for value in data.values():
            if isinstance(value, dict | list):
                yield from _records(value, depth + 1)


class _Reader:
    def __init__(self, url: str, extractor: Extractor) -> None:
        self.url = url
        self.extractor = extractor

    def set(self, finding: Finding, record: _Record, source: str, name: str, value: Any) -> None:
        if value is None or value == "":
            return
        quote = record.fields[source][1] if source in record.fields else None
        evidence = Evidence(source_url=self.url, quote=(quote or "")[:MAX_QUOTE] or None, extractor=self.extractor)
        finding.fields.setdefault(name, FoundValue(value=value, evidence=evidence))

    def bathrooms(self, record: _Record) -> tuple[float | None, str]:
        total = record.number("bathrooms")
        if total is not None:
            return total, "bathrooms"
        full = record.number("full_baths")
        if full is None:
            return None, "full_baths"
        return full + 0.5 * (record.number("half_baths") or 0), "full_baths"

    def home(self, record: _Record) -> Finding:
        finding = Finding(kind=EntityType.property)
        street = record.street()
        parts = _split_address(street) if street else {}
        self.set(finding, record, "address", "address1", parts.get("address1") or street)
        for name in ("city", "state", "postal_code"):
            source = name if name in record.fields else "address"
            self.set(finding, record, source, name, record.text(name) or parts.get(name))
        title = record.text("title")
        self.set(finding, record, "title", "title", title if title != street else None)
        self.set(finding, record, "price", "price", record.number("price"))
        self.set(finding, record, "bedrooms", "bedrooms", _whole(record.number("bedrooms")))
        baths, bath_source = self.bathrooms(record)
        self.set(finding, record, bath_source, "bathrooms", baths)
        self.set(finding, record, "sqft", "sqft", _whole(record.number("sqft")))
        self.set(finding, record, "status", "property_status", record.text("status"))
        self.set(finding, record, "plan_name", "plan_name", record.text("plan_name"))
        self.set(finding, record, "lot_number", "lot_number", record.text("lot_number"))
        self.set(finding, record, "community_name", "community_name", record.text("community_name"))
        self.set(finding, record, "latitude", "latitude", record.number("latitude"))
        self.set(finding, record, "longitude", "longitude", record.number("longitude"))
        self.set(finding, record, "year_built", "year_built", _whole(record.number("year_built")))
        self.set(finding, record, "description", "description", record.text("description"))
        self.set(finding, record, "move_in_date", "move_in_date", record.text("move_in_date"))
        return finding

    def plan(self, record: _Record) -> Finding:
        finding = Finding(kind="home_plan")
        self.set(finding, record, "name", "name", record.text("name"))
        self.set(finding, record, "price", "base_price", record.number("price"))
        self.set(finding, record, "bedrooms", "bedrooms", _whole(record.number("bedrooms")))
        baths, source = self.bathrooms(record)
        self.set(finding, record, source, "bathrooms", baths)
        self.set(finding, record, "sqft", "base_sqft", _whole(record.number("sqft")))
        self.set(finding, record, "stories", "stories", _whole(record.number("stories")))
        self.set(finding, record, "garage_spaces", "garage_spaces", _whole(record.number("garage_spaces")))
        self.set(finding, record, "description", "description", record.text("description"))
        return finding


def _whole(number: float | None) -> int | None:
    return int(number) if number is not None else None


def _split_address(address: str) -> dict[str, str]:
    """Street, city, state and ZIP of a one-line US address ("123 Elm St, Austin, TX 78701"), by usaddress."""
    try:
        tagged, _kind = usaddress.tag(address)
    except usaddress.RepeatedLabelError:
        return {}
    street = [v for k, v in tagged.items() if k not in ("PlaceName", "StateName", "ZipCode", "CountryName")]
    parts = {"address1": " ".join(street).strip(" ,")}
    for label, name in (("PlaceName", "city"), ("StateName", "state"), ("ZipCode", "postal_code")):
        if tagged.get(label):
            parts[name] = tagged[label].strip(" ,")
    return parts


def listing_findings(data: Any, url: str, extractor: Extractor = Extractor.xhr_json) -> list[Finding]:
    """The homes and plans in a JSON document, each value quoted as the JSON fragment it came from."""
    reader = _Reader(url, extractor)
    findings: list[Finding] = []
    for record in _records(data):
        if len(findings) >= MAX_RECORDS:
            break
        is_home = record.street() is not None or (record.text("lot_number") and record.text("status"))
        findings.append(reader.home(record) if is_home else reader.plan(record))
    return findings
