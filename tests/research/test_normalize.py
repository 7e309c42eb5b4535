"""Normalization per field type, and the sanity bounds that refuse absurd values."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from app.research.normalize import Money, Rejected, current_year, normalize_field, same_value


@pytest.mark.parametrize(
    ("entity_type", "field", "raw", "expected"),
    [
        ("builder", "phone", "(713) 555-0100", "+17135550100"),
        ("builder", "phone", "+1 713.555.0100", "+17135550100"),
        ("builder", "email", "  Sales@PerryHomes.COM ", "sales@perryhomes.com"),
        ("builder", "website", "HTTPS://WWW.PerryHomes.com:443/About/#team", "https://www.perryhomes.com/About"),
        ("builder", "website", "http://perryhomes.com:80", "http://perryhomes.com/"),
        ("builder", "website", "perryhomes.com/", "https://perryhomes.com/"),
        ("builder", "website", "http://127.0.0.1:8765/perry-homes/", "http://127.0.0.1:8765/perry-homes"),
        ("community", "hoa_fee", "$125/month", Money(Decimal("125"), "monthly")),
        ("community", "hoa_fee", "$1,500 per year", Money(Decimal("1500"), "annual")),
        ("community", "hoa_fee", "125.00 monthly", Money(Decimal("125.00"), "monthly")),
        ("community", "hoa_fee", "$300/quarter", Money(Decimal("300"), "quarterly")),
        ("community", "hoa_fee", {"amount": "95", "period": "Monthly"}, Money(Decimal("95"), "monthly")),
        ("property", "price", "$485,000", Decimal("485000.00")),
        ("property", "price", "$485K", Decimal("485000.00")),
        ("property", "price", 1_200_000, Decimal("1200000.00")),
        ("property", "sqft", "4,500 sq ft", 4500),
        ("property", "bedrooms", "4 beds", 4),
        ("property", "bathrooms", "3.5", 3.5),
        ("property", "has_pool", "Yes", True),
        ("property", "move_in_ready", "no", False),
        ("property", "move_in_date", "March 5, 2026", date(2026, 3, 5)),
        ("property", "move_in_date", "2026-03-05", date(2026, 3, 5)),
        ("property", "property_status", "Under Contract", "pending"),
        ("property", "description", "<p>Open  plan\n<b>kitchen</b> &amp; den</p>", "Open plan kitchen & den"),
        ("builder", "specialties", ["Luxury", "custom homes", "luxury ", "Custom Homes"], ["custom homes", "Luxury"]),
        ("builder", "founded_year", "1968", 1968),
        ("builder", "rating", "4.7 out of 5", 4.7),
        ("community", "homes", "8,500 homes", 8500),
        ("builder", "state", "tx", "TX"),
    ],
)
def test_normalizes_each_field_type(entity_type: str, field: str, raw: object, expected: object) -> None:
    assert normalize_field(entity_type, field, raw) == expected


def test_text_is_length_capped() -> None:
    assert len(normalize_field("property", "title", "x" * 500)) == 140


@pytest.mark.parametrize(
    ("entity_type", "field", "raw", "reason"),
    [
        ("property", "price", "$5", "below"),
        ("property", "price", "$90,000,000", "above"),
        ("property", "bedrooms", "90", "above"),
        ("property", "bathrooms", "25", "above"),
        ("property", "sqft", "50 sq ft", "below"),
        ("property", "sqft", "45,000", "above"),
        ("community", "hoa_fee", "$1,000,000/month", "above"),
        ("community", "hoa_fee", "$6,000/month", "above"),
        ("community", "hoa_fee", "$0/month", "not positive"),
        ("builder", "founded_year", "1650", "below"),
        ("builder", "founded_year", str(current_year() + 3), "above"),
        ("builder", "rating", "7", "above"),
        ("builder", "phone", "555-0100", "phone"),
        ("builder", "phone", "call us", "phone"),
        ("builder", "email", "sales@", "e-mail"),
        ("builder", "website", "javascript:alert(1)", "URL"),
        ("builder", "website", "ftp://perryhomes.com", "http"),
        ("builder", "website", "https://user:pw@perryhomes.com", "credentials"),
        ("property", "property_status", "haunted", "status"),
        ("property", "bedrooms", "2.5", "whole number"),
        ("builder", "name", "   ", "empty"),
        ("builder", "favourite_colour", "blue", "no collected field"),
    ],
)
def test_sanity_bounds_and_validation_refuse_values(entity_type: str, field: str, raw: object, reason: str) -> None:
    with pytest.raises(Rejected, match=reason):
        normalize_field(entity_type, field, raw)


def test_yearly_fee_is_bounded_by_its_monthly_equivalent() -> None:
    # $36,000 a year is $3,000 a month: within the bound, unlike $36,000 a month.
    assert normalize_field("community", "hoa_fee", "$36,000 per year").amount == Decimal("36000")
    with pytest.raises(Rejected):
        normalize_field("community", "hoa_fee", "$36,000 per month")


@pytest.mark.parametrize(
    ("entity_type", "field", "stored", "found"),
    [
        ("builder", "phone", "(713) 555-0100", "+1 713-555-0100"),
        ("builder", "email", "Sales@PerryHomes.com", "sales@perryhomes.com"),
        ("builder", "website", "https://perryhomes.com/", "HTTPS://PERRYHOMES.COM"),
        ("community", "hoa_fee_amount", Decimal("125.00"), "$125"),
        ("property", "price", 485000.0, "$485,000"),
        ("builder", "specialties", ["Luxury", "Custom"], ["custom", "luxury"]),
        ("builder", "about", "Family  owned\nsince 1968", "Family owned since 1968"),
    ],
)
def test_values_equal_after_normalization_are_the_same(
    entity_type: str, field: str, stored: object, found: object
) -> None:
    assert same_value(entity_type, field, stored, found)


def test_different_values_are_not_the_same() -> None:
    assert not same_value("builder", "phone", "(713) 555-0100", "(713) 555-0199")
    assert not same_value("property", "price", 485000.0, "$474,900")


@pytest.mark.parametrize("raw", [float("nan"), float("inf"), float("-inf"), Decimal("NaN"), Decimal("Infinity")])
@pytest.mark.parametrize(
    ("entity_type", "field"),
    [("property", "price"), ("property", "sqft"), ("property", "bathrooms"), ("community", "hoa_fee")],
)
def test_non_finite_numbers_are_refused(entity_type: str, field: str, raw: object) -> None:
    # JSON-LD may say NaN or Infinity (json.loads accepts both): refused, never an error in the bounds check.
    with pytest.raises(Rejected, match="not a number"):
        normalize_field(entity_type, field, raw)
