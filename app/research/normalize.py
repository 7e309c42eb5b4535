"""Normalization per field type, and the field tables of every collected entity.

The diff compares normalized values, so "(713) 555-0100" and "+1 713-555-0100" are the same phone and
never produce a change. Sanity bounds are validation: a value outside them is refused (``Rejected``)
and the job reports it as a rejected input instead of proposing it. Researchers read answers value by
value with these rules and changes diff by them, so they live in research, below changes.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import phonenumbers

from app.core.db import utcnow
from app.core.schema_types import check_email
from app.core.values import to_jsonable
from app.properties.models import PropertyStatus


class Rejected(ValueError):
    """A value refused by validation or a sanity bound; the message is the reason an admin reads."""


class FieldType(StrEnum):
    text = "text"
    long_text = "long_text"
    phone = "phone"
    email = "email"
    url = "url"
    money = "money"  # amount and period, e.g. an HOA fee "$125/month"
    price = "price"  # an amount only, e.g. a home's price "$485K"
    integer = "integer"
    decimal = "decimal"
    boolean = "boolean"
    date = "date"
    datetime = "datetime"
    text_set = "text_set"  # unordered list compared as a set
    url_set = "url_set"
    property_status = "property_status"
    fee_frequency = "fee_frequency"
    state = "state"


@dataclass(frozen=True)
class FieldSpec:
    type: FieldType
    minimum: float | None = None
    maximum: float | None = None
    max_length: int | None = None


@dataclass(frozen=True)
class Money:
    amount: Decimal
    period: str | None  # monthly, quarterly, semiannual, annual; None when the text gave none

    def monthly_equivalent(self) -> Decimal:
        return self.amount / PERIOD_MONTHS.get(self.period or "monthly", 1)


PERIOD_MONTHS = {"monthly": 1, "quarterly": 3, "semiannual": 6, "annual": 12}
_PERIOD_WORDS = {
    "monthly": ("month", "monthly", "mo", "mon", "mth"),
    "quarterly": ("quarter", "quarterly", "qtr", "qtrly", "q"),
    "semiannual": ("semiannual", "semi-annual", "semiannually", "semi-annually", "half-year", "half year"),
    "annual": ("year", "yearly", "annual", "annually", "yr", "annum", "per annum"),
}
_PERIOD_LOOKUP = {word: period for period, words in _PERIOD_WORDS.items() for word in words}


def current_year() -> int:
    return utcnow().year


def _year(spec_max_offset: int = 2) -> FieldSpec:
    return FieldSpec(FieldType.integer, minimum=1800, maximum=current_year() + spec_max_offset)


TEXT = FieldSpec(FieldType.text, max_length=255)
SHORT = FieldSpec(FieldType.text, max_length=64)
LONG = FieldSpec(FieldType.long_text, max_length=5000)
PHONE = FieldSpec(FieldType.phone)
EMAIL = FieldSpec(FieldType.email)
URL = FieldSpec(FieldType.url, max_length=1024)
STATE = FieldSpec(FieldType.state, max_length=64)
POSTAL = FieldSpec(FieldType.text, max_length=20)
LATITUDE = FieldSpec(FieldType.decimal, minimum=-90, maximum=90)
LONGITUDE = FieldSpec(FieldType.decimal, minimum=-180, maximum=180)
HOME_PRICE = FieldSpec(FieldType.price, minimum=10_000, maximum=50_000_000)
BEDROOMS = FieldSpec(FieldType.integer, minimum=0, maximum=20)
BATHROOMS = FieldSpec(FieldType.decimal, minimum=0, maximum=20)
SQFT = FieldSpec(FieldType.integer, minimum=200, maximum=30_000)
TEXT_SET = FieldSpec(FieldType.text_set, max_length=255)

# Field types per entity; a field not listed here is never written by collection.
ENTITY_FIELDS: dict[str, dict[str, FieldSpec]] = {
    "builder": {
        "name": TEXT,
        "website": URL,
        "phone": PHONE,
        "email": EMAIL,
        "address": TEXT,
        "city": TEXT,
        "state": STATE,
        "postal_code": POSTAL,
        "about": LONG,
        "bio": LONG,
        "title": TEXT,
        "specialties": TEXT_SET,
        "service_areas": TEXT_SET,
        "communities_served": TEXT_SET,
        "rating": FieldSpec(FieldType.decimal, minimum=0, maximum=5),
        "review_count": FieldSpec(FieldType.integer, minimum=0, maximum=10_000_000),
        "founded_year": _year(),
        "employee_count": FieldSpec(FieldType.text, max_length=50),
    },
    "community": {
        "name": TEXT,
        "city": TEXT,
        "state": STATE,
        "postal_code": POSTAL,
        "address": TEXT,
        "latitude": LATITUDE,
        "longitude": LONGITUDE,
        "total_acres": FieldSpec(FieldType.decimal, minimum=1, maximum=1_000_000),
        "school_district": TEXT,
        "community_dues": TEXT,
        "tax_rate": SHORT,
        "monthly_fee": SHORT,
        # The HOA fee as found ("$125/month"): a virtual field split into amount and frequency.
        "hoa_fee": FieldSpec(FieldType.money, minimum=0, maximum=5_000),
        "hoa_fee_amount": FieldSpec(FieldType.price, minimum=0.01, maximum=60_000),
        "hoa_fee_frequency": FieldSpec(FieldType.fee_frequency),
        "homes": FieldSpec(FieldType.integer, minimum=1, maximum=1_000_000),
        "residents": FieldSpec(FieldType.integer, minimum=0, maximum=10_000_000),
        "founded_year": _year(),
        "member_count": FieldSpec(FieldType.integer, minimum=0, maximum=10_000_000),
        "development_stage": SHORT,
        "enterprise_number_hoa": FieldSpec(FieldType.text, max_length=100),
        "hoa_management_company": TEXT,
        "hoa_contact_phone": PHONE,
        "hoa_contact_email": EMAIL,
        "intro_video_url": URL,
        "community_website_url": URL,
        "about": LONG,
    },
    "property": {
        "title": FieldSpec(FieldType.text, max_length=140),
        "description": LONG,
        "address1": TEXT,
        "address2": TEXT,
        "city": TEXT,
        "state": STATE,
        "postal_code": POSTAL,
        "latitude": LATITUDE,
        "longitude": LONGITUDE,
        "price": HOME_PRICE,
        "bedrooms": BEDROOMS,
        "bathrooms": BATHROOMS,
        "sqft": SQFT,
        "lot_sqft": FieldSpec(FieldType.integer, minimum=200, maximum=50_000_000),
        "year_built": _year(),
        "has_pool": FieldSpec(FieldType.boolean),
        "property_status": FieldSpec(FieldType.property_status),
        "move_in_ready": FieldSpec(FieldType.boolean),
        "move_in_date": FieldSpec(FieldType.date),
        "model_name": TEXT,
        "lot_number": FieldSpec(FieldType.text, max_length=50),
        "media_urls": FieldSpec(FieldType.url_set, max_length=1024),
    },
    "home_plan": {
        "name": TEXT,
        "series": TEXT,
        "base_price": HOME_PRICE,
        "base_sqft": SQFT,
        "bedrooms": BEDROOMS,
        "bathrooms": BATHROOMS,
        "stories": FieldSpec(FieldType.integer, minimum=1, maximum=10),
        "garage_spaces": FieldSpec(FieldType.integer, minimum=0, maximum=20),
        "description": LONG,
    },
    "award": {"title": TEXT, "issuer": TEXT, "year": _year(0), "description": LONG},
    "community_award": {"title": TEXT, "issuer": TEXT, "year": _year(0)},
    "credential": {
        "name": TEXT,
        "credential_type": FieldSpec(FieldType.text, max_length=50),
        "issuer": TEXT,
        "number": FieldSpec(FieldType.text, max_length=100),
        "state": STATE,
        "expires_on": FieldSpec(FieldType.date),
    },
    "amenity": {"name": TEXT, "category": SHORT, "description": LONG},
    "event": {
        "title": TEXT,
        "starts_at": FieldSpec(FieldType.datetime),
        "ends_at": FieldSpec(FieldType.datetime),
        "location": TEXT,
        "description": LONG,
    },
}

_TAG = re.compile(r"<[^>]*>")
_SPACE = re.compile(r"\s+")
_NUMBER = re.compile(r"-?\d[\d,]*(?:\.\d+)?|-?\.\d+")
_MONEY = re.compile(r"(-?\d[\d,]*(?:\.\d+)?)\s*([kKmM](?![a-zA-Z]))?")
_STATUS_WORDS = {
    "available": PropertyStatus.available,
    "for sale": PropertyStatus.available,
    "active": PropertyStatus.available,
    "move-in ready": PropertyStatus.available,
    "move in ready": PropertyStatus.available,
    "quick move-in": PropertyStatus.available,
    "under construction": PropertyStatus.available,
    "pending": PropertyStatus.pending,
    "under contract": PropertyStatus.pending,
    "sale pending": PropertyStatus.pending,
    "sold": PropertyStatus.sold,
    "closed": PropertyStatus.sold,
    "model": PropertyStatus.model,
    "model home": PropertyStatus.model,
    "off market": PropertyStatus.off_market,
    "off_market": PropertyStatus.off_market,
}
_TRUE = {"true", "yes", "y", "1", "on", "t"}
_FALSE = {"false", "no", "n", "0", "off", "f", "none"}
_DATE_FORMATS = ("%B %d, %Y", "%b %d, %Y", "%m/%d/%Y", "%m/%d/%y", "%d %B %Y", "%B %Y", "%Y/%m/%d")


def clean_text(value: Any, max_length: int | None = None) -> str:
    """Markup stripped, entities decoded, whitespace collapsed, length capped."""
    text = html.unescape(_TAG.sub(" ", str(value)))
    text = _SPACE.sub(" ", text).strip()
    if max_length is not None and len(text) > max_length:
        text = text[: max_length - 1].rstrip() + "…"
    return text


def name_key(value: Any) -> str:
    """Case- and spacing-insensitive key for matching records by name."""
    return clean_text(value).casefold()


def normalize_phone(value: Any) -> str:
    try:
        number = phonenumbers.parse(str(value), "US")
    except phonenumbers.NumberParseException as exc:
        raise Rejected(f"not a phone number: {exc}") from exc
    if not phonenumbers.is_valid_number(number):
        raise Rejected("not a valid phone number")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalize_email(value: Any) -> str:
    """The same rule as the admin API's e-mail fields (app.core.schema_types.check_email)."""
    try:
        return check_email(str(value))
    except ValueError as exc:
        raise Rejected(str(exc)) from exc


def normalize_url(value: Any) -> str:
    """Canonical URL: http(s) only, lowercased scheme and host, no default port, no fragment, no trailing slash."""
    raw = str(value).strip()
    if not raw or any(c.isspace() for c in raw):
        raise Rejected("not a URL")
    parts = urlsplit(raw if "://" in raw else f"https://{raw}")
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise Rejected(f"URL scheme {scheme!r} is not http(s)")
    if parts.username or parts.password:
        raise Rejected("URL carries credentials")
    host = (parts.hostname or "").lower()
    if not host or not ("." in host or host == "localhost"):
        raise Rejected("URL has no valid host")
    try:
        port = parts.port
    except ValueError as exc:
        raise Rejected("URL has an invalid port") from exc
    netloc = host if port is None or (scheme, port) in (("http", 80), ("https", 443)) else f"{host}:{port}"
    path = parts.path.rstrip("/")
    return urlunsplit((scheme, netloc, path or "/", parts.query, ""))


def parse_decimal(value: Any) -> Decimal:
    """The first number in a value: "4,500 sq ft" -> 4500."""
    if isinstance(value, bool):
        raise Rejected("not a number")
    if isinstance(value, (int, float, Decimal)):
        number = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
        # JSON-LD may carry NaN or Infinity (json.loads accepts both); no bound can be checked against them.
        if not number.is_finite():
            raise Rejected("not a number")
        return number
    match = _NUMBER.search(str(value))
    if match is None:
        raise Rejected("not a number")
    try:
        return Decimal(match.group(0).replace(",", ""))
    except InvalidOperation as exc:
        raise Rejected("not a number") from exc


def parse_money(value: Any) -> Money:
    """Amount and period: "$125/month", "$1,500 per year", "125.00 monthly", "$300/quarter", "$485K"."""
    if isinstance(value, Money):
        return value
    if isinstance(value, dict):
        return Money(parse_decimal(value.get("amount")), parse_period(value.get("period") or value.get("frequency")))
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return Money(parse_decimal(value), None)
    text = str(value)
    match = _MONEY.search(text)
    if match is None:
        raise Rejected("not an amount of money")
    amount = Decimal(match.group(1).replace(",", ""))
    suffix = (match.group(2) or "").lower()
    amount *= {"k": 1_000, "m": 1_000_000}.get(suffix, 1)
    return Money(amount, parse_period(text[match.end() :]))


def parse_period(text: Any) -> str | None:
    if text is None:
        return None
    words = re.sub(r"[^a-z\- ]", " ", str(text).lower()).replace(" per ", " ").split()
    for i in range(len(words)):
        for size in (2, 1):
            candidate = " ".join(words[i : i + size])
            if candidate in _PERIOD_LOOKUP:
                return _PERIOD_LOOKUP[candidate]
            if candidate in PERIOD_MONTHS:
                return candidate
    return None


def parse_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    word = clean_text(value).lower()
    if word in _TRUE:
        return True
    if word in _FALSE:
        return False
    raise Rejected("not a yes/no value")


def parse_date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = clean_text(value)
    try:
        return datetime.fromisoformat(text).date()
    except ValueError:
        pass
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise Rejected("not a date")


def parse_datetime(value: Any) -> datetime:
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, date):
        parsed = datetime(value.year, value.month, value.day)
    else:
        try:
            parsed = datetime.fromisoformat(clean_text(value))
        except ValueError:
            day = parse_date(value)
            parsed = datetime(day.year, day.month, day.day)
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


def _check_bounds(number: Decimal | int | float, spec: FieldSpec, unit: str = "") -> None:
    if spec.minimum is not None and number < Decimal(str(spec.minimum)):
        raise Rejected(f"{number}{unit} is below the sane minimum {spec.minimum:g}")
    if spec.maximum is not None and number > Decimal(str(spec.maximum)):
        raise Rejected(f"{number}{unit} is above the sane maximum {spec.maximum:g}")


def _as_list(value: Any) -> list[Any]:
    if isinstance(value, (list, tuple, set, frozenset)):
        return list(value)
    if isinstance(value, str):
        return [part for part in re.split(r"[,;\n]", value) if part.strip()]
    return [value]


def normalize(spec: FieldSpec, value: Any) -> Any:
    """The normalized Python value of ``value`` for a field of type ``spec``; raises Rejected."""
    if value is None or (isinstance(value, str) and not value.strip()):
        raise Rejected("empty value")
    kind = spec.type
    if kind in (FieldType.text, FieldType.long_text):
        return clean_text(value, spec.max_length)
    if kind == FieldType.state:
        text = clean_text(value, spec.max_length)
        return text.upper() if len(text) == 2 else text
    if kind == FieldType.phone:
        return normalize_phone(value)
    if kind == FieldType.email:
        return normalize_email(value)
    if kind == FieldType.url:
        url = normalize_url(value)
        if spec.max_length and len(url) > spec.max_length:
            raise Rejected("URL is too long")
        return url
    if kind == FieldType.money:
        money = parse_money(value)
        if money.amount <= 0:
            raise Rejected(f"fee {money.amount} is not positive")
        _check_bounds(money.monthly_equivalent(), spec, "/month")
        return money
    if kind == FieldType.price:
        amount = parse_money(value).amount
        _check_bounds(amount, spec)
        return amount.quantize(Decimal("0.01"))
    if kind == FieldType.integer:
        number = parse_decimal(value)
        if number != number.to_integral_value():
            raise Rejected(f"{number} is not a whole number")
        _check_bounds(number, spec)
        return int(number)
    if kind == FieldType.decimal:
        number = parse_decimal(value)
        _check_bounds(number, spec)
        return float(number)
    if kind == FieldType.boolean:
        return parse_bool(value)
    if kind == FieldType.date:
        return parse_date(value)
    if kind == FieldType.datetime:
        return parse_datetime(value)
    if kind == FieldType.property_status:
        word = clean_text(value).lower()
        if word not in _STATUS_WORDS:
            raise Rejected(f"unknown home status {word!r}")
        return _STATUS_WORDS[word]
    if kind == FieldType.fee_frequency:
        period = parse_period(value)
        if period is None:
            raise Rejected(f"unknown fee frequency {value!r}")
        return period
    if kind in (FieldType.text_set, FieldType.url_set):
        return _normalize_set(spec, value)
    raise Rejected(f"unsupported field type {kind}")  # pragma: no cover - every FieldType is handled above


def _normalize_set(spec: FieldSpec, value: Any) -> list[str]:
    items: dict[str, str] = {}
    for item in _as_list(value):
        if item is None or not str(item).strip():
            continue
        if spec.type == FieldType.url_set:
            try:
                text = normalize_url(item)
            except Rejected:
                continue  # one bad URL in a gallery does not refuse the rest
            items.setdefault(text, text)
        else:
            text = clean_text(item, spec.max_length)
            items.setdefault(text.casefold(), text)
    if not items:
        raise Rejected("empty list")
    # Sorted so an unordered list has one canonical form.
    return [items[key] for key in sorted(items)]


def field_spec(entity_type: str, field: str) -> FieldSpec | None:
    return ENTITY_FIELDS.get(entity_type, {}).get(field)


def normalize_field(entity_type: str, field: str, value: Any) -> Any:
    """Normalize a value of ``entity_type.field``; raises Rejected for unknown fields and refused values."""
    spec = field_spec(entity_type, field)
    if spec is None:
        raise Rejected(f"{entity_type} has no collected field {field!r}")
    return normalize(spec, value)


def comparable(entity_type: str, field: str, value: Any) -> Any:
    """A value in the form the diff compares: normalized when possible, else the raw value (old data)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    spec = field_spec(entity_type, field)
    if spec is None:
        return to_jsonable(value)
    try:
        normalized = normalize(spec, value)
    except Rejected:
        return to_jsonable(value)
    return canonical(spec, normalized)


def canonical(spec: FieldSpec, normalized: Any) -> Any:
    """The compared form of an already normalized value."""
    if spec.type in (FieldType.text_set, FieldType.url_set):
        return sorted(str(v).casefold() for v in normalized)
    if spec.type in (FieldType.text, FieldType.long_text):
        # A difference of letter case alone is a site's styling, not a new fact.
        return str(normalized).casefold()
    return to_jsonable(normalized)


def same_value(entity_type: str, field: str, left: Any, right: Any) -> bool:
    """Equal after normalization: such values never produce a change."""
    return bool(comparable(entity_type, field, left) == comparable(entity_type, field, right))


def dumps(value: Any) -> str | None:
    """JSON text of a value for collection_changes.old_value / new_value."""
    if value is None:
        return None
    return json.dumps(to_jsonable(value), sort_keys=True, ensure_ascii=False)


def loads(text: str | None) -> Any:
    return None if text is None else json.loads(text)


def to_column(entity_type: str, field: str, value: Any) -> Any:
    """The Python value to write into a column from a change's JSON value."""
    if value is None:
        return None
    spec = field_spec(entity_type, field)
    if spec is None:
        return value
    normalized = normalize(spec, value)
    if spec.type == FieldType.price:
        return normalized if field == "hoa_fee_amount" else float(normalized)
    return normalized
