"""The JSON listing reader: homes and plans in JSON of any shape, read by their key names."""

from __future__ import annotations

from typing import Any

from app.research.findings import Extractor
from app.research.listings import listing_findings

URL = "https://api.builder.example/v1/inventory"


def values(data: Any) -> list[dict[str, Any]]:
    return [
        {"kind": f.kind, **{name: found.value for name, found in f.fields.items()}} for f in listing_findings(data, URL)
    ]


def test_flat_homes_with_a_one_line_address_are_split_into_street_city_state_zip() -> None:
    data = [
        {"fullAddress": "220 Cedar Ln, Round Rock, TX 78664", "price": "$389,000", "beds": 3, "baths": 2, "sqft": 1800},
        {"fullAddress": "18 Elm St, Austin, TX 78702", "price": 405000, "beds": "4", "baths": "3", "sqft": "2,100"},
    ]
    first, second = values(data)
    assert first == {
        "kind": "property",
        "address1": "220 Cedar Ln",
        "city": "Round Rock",
        "state": "TX",
        "postal_code": "78664",
        "price": 389000,
        "bedrooms": 3,
        "bathrooms": 2,
        "sqft": 1800,
    }
    assert (second["bedrooms"], second["sqft"]) == (4, 2100)


def test_nested_records_under_any_keys_with_wrapped_values() -> None:
    data = {
        "props": {
            "pageProps": {
                "community": {
                    "name": "Oak Hollow",
                    "homesites": [
                        {
                            "homesite": "Lot 12",
                            "status": {"value": "Sold"},
                            "listPrice": {"amount": 512000, "currency": "USD"},
                            "details": {"numberOfBedrooms": 5, "numberOfBathroomsTotal": 3.5, "livingArea": 3010},
                            "street_address": "9 Quail Run",
                        }
                    ],
                }
            }
        }
    }
    [home] = values(data)
    assert home["address1"] == "9 Quail Run"
    assert home["lot_number"] == "Lot 12"
    assert home["price"] == 512000
    assert (home["bedrooms"], home["bathrooms"], home["sqft"]) == (5, 3.5, 3010)
    assert home["property_status"] == "Sold"


def test_plans_have_a_name_and_measures_but_no_street() -> None:
    data = {
        "floorplans": [
            {"planName": "The Brazos", "priceFrom": "From $420K", "bedsMin": 3, "bathrooms": 2.5, "sqFt": 2250},
            {"title": "The Llano", "base_price": 399000, "bedrooms": 3, "stories": 1, "garage": 2},
        ]
    }
    brazos, llano = values(data)
    assert brazos == {
        "kind": "home_plan",
        "name": "The Brazos",
        "base_price": 420000,
        "bedrooms": 3,
        "bathrooms": 2.5,
        "base_sqft": 2250,
    }
    assert llano["kind"] == "home_plan" and llano["base_price"] == 399000 and llano["stories"] == 1


def test_a_price_per_square_foot_or_a_payment_is_not_the_price() -> None:
    [home] = values([{"address": "5 Oak St", "pricePerSqft": 210, "monthlyPayment": 2400, "beds": 3, "sqft": 1500}])
    assert "price" not in home
    assert (home["bedrooms"], home["sqft"]) == (3, 1500)


def test_json_without_homes_or_plans_yields_nothing() -> None:
    assert values({"menu": [{"label": "Home", "href": "/"}], "analytics": {"id": 3, "count": 12}}) == []
    assert values([{"name": "Austin office", "phone": "(512) 555-0100"}]) == []
    assert values("not a listing") == []


def test_evidence_quotes_the_json_fragment_and_names_the_xhr() -> None:
    [home] = listing_findings([{"address": "5 Oak St", "listPrice": 300000, "beds": 3}], URL)
    evidence = home.fields["price"].evidence
    assert (evidence.source_url, evidence.extractor, evidence.quote) == (URL, Extractor.xhr_json, '"listPrice": 300000')
