"""schema.org JSON-LD and microdata, BDX-style feeds: findings with evidence."""

from __future__ import annotations

from pathlib import Path

from app.research.bdx import parse_bdx
from app.research.findings import Evidence, Extractor, Finding, FoundValue
from app.research.structured import extract_structured, merge_same_records
from app.research.text import main_text

SITE = Path(__file__).resolve().parents[2] / "app" / "research" / "sample_sites" / "site"
BASE = "http://sites.test"


def read(path: str, url: str) -> list[Finding]:
    html = (SITE / path).read_text()
    return extract_structured(html, url, main_text(html)).findings


def test_json_ld_builder_with_awards_credentials_and_service_areas() -> None:
    [builder] = read("perry-homes/index.html", f"{BASE}/perry-homes/")
    assert builder.kind == "builder"
    assert builder.value("phone") == "(713) 555-0199"
    assert builder.value("website") == f"{BASE}/perry-homes/"
    assert builder.value("founded_year") == 1967
    assert (builder.value("city"), builder.value("state"), builder.value("postal_code")) == ("Houston", "TX", "77017")
    assert "Fort Worth" in builder.value("service_areas")
    awards = [c for c in builder.children if c.kind == "award"]
    assert [a.value("year") for a in awards] == [2024, 2023]
    assert [c.value("name") for c in builder.children if c.kind == "credential"] == [
        "Member, Texas Association of Builders"
    ]
    evidence = builder.fields["phone"].evidence
    assert (evidence.source_url, evidence.quote, evidence.extractor) == (
        f"{BASE}/perry-homes/",
        "(713) 555-0199",
        Extractor.json_ld,
    )


def test_microdata_builder() -> None:
    [builder] = read("toll-brothers/index.html", f"{BASE}/toll-brothers/")
    assert builder.value("name") == "Toll Brothers"
    assert builder.value("phone") == "(214) 555-0147"
    assert builder.value("email") == "dallas@tollbrothers.example"
    assert builder.value("service_areas") == ["Dallas", "Fort Worth", "Frisco", "Prosper"]
    assert builder.fields["name"].evidence.extractor == Extractor.microdata


def test_community_with_fee_amenities_and_active_builders() -> None:
    [community] = read("cinco-ranch/index.html", f"{BASE}/cinco-ranch/")
    assert community.kind == "community"
    assert community.value("hoa_fee") == "$125/month"
    assert community.value("homes") == 8500
    amenities = [c.value("name") for c in community.children if c.kind == "amenity"]
    assert "Dog Park" in amenities and len(amenities) == 5
    builders = [c.value("name") for c in community.children if c.kind == "builder"]
    assert builders == ["Perry Homes", "Toll Brothers", "David Weekley Homes"]


def test_hoa_fee_from_visible_text_when_structured_data_lacks_it() -> None:
    html = """<html><head><script type="application/ld+json">
      {"@context": "https://schema.org", "@type": "Residence", "name": "Aliana"}</script></head>
      <body><p>Annual HOA dues: $1,200/year for every home.</p></body></html>"""
    [community] = extract_structured(html, f"{BASE}/aliana/", main_text(html)).findings
    assert community.value("hoa_fee") == "$1,200/year"
    assert community.fields["hoa_fee"].evidence.extractor == Extractor.html
    assert community.fields["hoa_fee"].evidence.quote == "HOA dues: $1,200/year"


def test_directory_item_list_yields_every_community_without_borrowing_fees() -> None:
    communities = read("communities/houston/index.html", f"{BASE}/communities/houston/")
    names = [c.value("name") for c in communities]
    assert names == ["Cinco Ranch", "Bridgeland", "Aliana", "Elyson", "Harvest Green"]
    aliana = communities[2]
    assert aliana.value("hoa_fee") is None


def test_inventory_offers_in_json_ld_and_microdata() -> None:
    first = read("perry-homes/homes/index.html", f"{BASE}/perry-homes/homes/")
    oak = first[0]
    assert (oak.kind, oak.value("address1"), oak.value("price"), oak.value("plan_name")) == (
        "property",
        "123 Oak Street",
        479990.0,
        "The Oakmont",
    )
    assert oak.value("community_name") == "Cinco Ranch" and oak.value("builder_name") == "Perry Homes"
    assert oak.value("move_in_ready") is True and oak.value("property_status") == "available"
    second = read("perry-homes/homes/page-2.html", f"{BASE}/perry-homes/homes/?page=2")
    assert [h.value("address1") for h in second] == [
        "318 Magnolia Drive",
        "902 Bluebonnet Trail",
        "1105 Live Oak Court",
    ]
    assert second[1].value("property_status") == "pending"
    assert second[0].fields["price"].evidence.extractor == Extractor.microdata
    third = read("perry-homes/homes/page-3.html", f"{BASE}/perry-homes/homes/?page=3")
    assert third[1].value("property_status") == "sold"


def test_bdx_feed_plans_and_specs() -> None:
    findings = parse_bdx((SITE / "perry-homes/feed.xml").read_bytes(), f"{BASE}/perry-homes/feed.xml")
    builder = findings[0]
    assert builder.kind == "builder" and builder.value("name") == "Perry Homes"
    plans = {p.value("name"): p for p in builder.children}
    assert set(plans) == {"The Oakmont", "The Madison", "The Brazos", "The Sabine"}
    assert plans["The Oakmont"].value("base_price") == 489990.0
    assert plans["The Oakmont"].value("bathrooms") == 3.5
    homes = [f for f in findings if f.kind == "property"]
    assert [h.value("address1") for h in homes] == ["123 Oak Street", "318 Magnolia Drive", "214 Willow Bend Drive"]
    oak = homes[0]
    assert (oak.value("plan_name"), oak.value("community_name"), oak.value("price")) == (
        "The Oakmont",
        "Cinco Ranch",
        479990.0,
    )
    assert oak.fields["price"].evidence.quote == "<SpecPrice>479990</SpecPrice>"
    assert oak.fields["price"].evidence.extractor == Extractor.bdx_feed


def test_bdx_parser_ignores_entities_and_broken_xml() -> None:
    hostile = b"""<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>
      <Builders><Corporation><Builder><BrandName>&e;</BrandName></Builder></Corporation></Builders>"""
    findings = parse_bdx(hostile, f"{BASE}/feed.xml")
    assert all("root:" not in str(f.value("name")) for f in findings)
    assert parse_bdx(b"<Builders><oops>", f"{BASE}/feed.xml") == []


def test_duplicates_merge_into_one_finding_per_entity() -> None:
    page = read("perry-homes/homes/index.html", f"{BASE}/perry-homes/homes/")
    feed = parse_bdx((SITE / "perry-homes/feed.xml").read_bytes(), f"{BASE}/perry-homes/feed.xml")
    merged = merge_same_records(page + feed)
    oaks = [f for f in merged if f.value("address1") == "123 Oak Street"]
    assert len(oaks) == 1
    assert oaks[0].fields["price"].evidence.extractor == Extractor.json_ld  # first source kept
    assert oaks[0].value("lot_number") == "12"


def test_quotes_are_capped_at_500_characters() -> None:
    long = "x" * 900
    html = f"""<script type="application/ld+json">{{"@type": "HomeAndConstructionBusiness",
        "name": "Long Homes", "description": "{long}"}}</script>"""
    [builder] = extract_structured(html, f"{BASE}/long/").findings
    assert len(builder.fields["about"].evidence.quote or "") == 500


def test_merging_same_records_leaves_the_findings_given_as_they_were() -> None:
    def found(value: str) -> FoundValue:
        return FoundValue(value=value, evidence=Evidence(source_url=BASE, quote=value, extractor=Extractor.html))

    page = Finding(kind="property", fields={"address1": found("123 Oak Street"), "price": found("$400,000")})
    feed = Finding(
        kind="property",
        fields={"address1": found("123 Oak Street"), "lot_number": found("12")},
        children=[Finding(kind="home_plan", fields={"name": found("The Sabine")})],
    )
    before = [page.model_dump(), feed.model_dump()]
    [merged] = merge_same_records([page, feed])
    assert (merged.value("price"), merged.value("lot_number"), len(merged.children)) == ("$400,000", "12", 1)
    assert [page.model_dump(), feed.model_dump()] == before
