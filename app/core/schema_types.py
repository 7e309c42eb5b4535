"""Validated field types shared by the admin schemas: phones, e-mails, URLs, US states, paging."""

from __future__ import annotations

import re
from typing import Annotated
from urllib.parse import urlsplit

import email_validator
import phonenumbers
from email_validator import EmailNotValidError, validate_email
from pydantic import AfterValidator, Field

_STATE = re.compile(r"^[A-Za-z]{2}$")

# Private installs name their admins on a ".local" domain (the quickstart's admin@artitec.local); nothing is
# mailed by DNS lookup here, so that special-use name is taken off the library's list (its documented way).
if "local" in email_validator.SPECIAL_USE_DOMAIN_NAMES:
    email_validator.SPECIAL_USE_DOMAIN_NAMES.remove("local")


def check_phone(value: str) -> str:
    """A phone number valid for its region (US unless it starts with +); stored as entered."""
    value = value.strip()
    try:
        parsed = phonenumbers.parse(value, "US")
    except phonenumbers.NumberParseException as exc:
        raise ValueError(f"not a phone number: {value!r}") from exc
    if not phonenumbers.is_valid_number(parsed):
        raise ValueError(f"not a valid phone number: {value!r}")
    return value


def check_email(value: str) -> str:
    """A syntactically valid e-mail address, normalized and lowercased; no DNS lookup."""
    try:
        return validate_email(value.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as exc:
        raise ValueError(f"not a valid e-mail address: {exc}") from exc


def check_http_url(value: str) -> str:
    """An absolute http(s) URL with a host; other schemes (javascript:, file:, ftp:) are refused."""
    value = value.strip()
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname or any(c.isspace() for c in value):
        raise ValueError(f"not an http(s) URL: {value!r}")
    return value


def check_state(value: str) -> str:
    """A two-letter state code, upper-cased."""
    if not _STATE.match(value.strip()):
        raise ValueError(f"state must be a two-letter code such as 'TX', not {value!r}")
    return value.strip().upper()


Phone = Annotated[str, Field(max_length=64, examples=["(713) 555-0100"]), AfterValidator(check_phone)]
Email = Annotated[str, Field(max_length=255, examples=["info@perryhomes.com"]), AfterValidator(check_email)]
HttpUrl = Annotated[str, Field(max_length=1024, examples=["https://perryhomes.com"]), AfterValidator(check_http_url)]
State = Annotated[str, Field(max_length=16, examples=["TX"]), AfterValidator(check_state)]
PostalCode = Annotated[str, Field(max_length=10, pattern=r"^\d{5}(-\d{4})?$", examples=["77494"])]
# One entry of a list field (a specialty, a served area); lists hold at most MAX_LIST_ITEMS of them.
Label = Annotated[str, Field(max_length=255)]
MAX_LIST_ITEMS = 100
Year = Annotated[int, Field(ge=1800, le=2100)]


def to_the_millionth(dollars: float) -> float:
    """Dollars to the millionth, the precision job costs are kept in (NUMERIC(12, 6))."""
    return round(dollars, 6)


# Money in every answer (job costs, cost reports, stats): one representation, a JSON number of US dollars.
# A float rounded once when the answer is built (a Decimal from the database is taken as its float), so a
# year of cost rows is written without a Decimal and a Python call per value.
Usd = Annotated[float, AfterValidator(to_the_millionth), Field(examples=[0.0185])]
# A reference to a record in a request body (BIGINT keys).
RecordRef = Annotated[int, Field(ge=1, le=2**63 - 1, examples=[123])]
