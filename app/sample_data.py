"""Sample builders, communities, plans and homes for the quickstart and the demo.

The bundled sample sites (app.research.sample_sites) show some values that differ from this seed
(Perry Homes' phone, Cinco Ranch's fee and home count, a new amenity, new homes), so a collection
job run against them finds real changes.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.builders.models import BuilderCommunity, BuilderHomePlan, BuilderProfile
from app.communities.models import Community, CommunityAmenity
from app.properties.models import Property


def sample_builders(base_url: str) -> list[dict[str, Any]]:
    """The seeded builders; websites point at the sample sites served under ``base_url``."""
    base = base_url.rstrip("/")
    return [
        {
            "name": "Perry Homes",
            "website": f"{base}/perry-homes/",
            "phone": "(713) 555-0100",
            "email": "info@perryhomes.example",
            "address": "9000 Gulf Freeway",
            "city": "Houston",
            "state": "TX",
            "postal_code": "77017",
            "founded_year": 1967,
            "specialties": ["Single-family homes", "Master-planned communities"],
            "service_areas": ["Houston", "Dallas", "Austin", "San Antonio"],
            "about": "Family-owned Texas home builder.",
        },
        {
            "name": "Toll Brothers",
            "website": f"{base}/toll-brothers/",
            "phone": "(214) 555-0140",
            "city": "Dallas",
            "state": "TX",
            "postal_code": "75201",
            "founded_year": 1967,
            "specialties": ["Luxury homes"],
        },
        {
            "name": "Highland Homes",
            "website": f"{base}/highland-homes/",
            "phone": "(972) 555-0120",
            "city": "Plano",
            "state": "TX",
            "postal_code": "75024",
        },
        {
            "name": "David Weekley Homes",
            "website": None,
            "phone": "(713) 555-0160",
            "city": "Houston",
            "state": "TX",
            "postal_code": "77057",
            "founded_year": 1976,
        },
    ]


def sample_communities(base_url: str) -> list[dict[str, Any]]:
    """The seeded communities; Cinco Ranch's website is its sample site."""
    base = base_url.rstrip("/")
    return [
        {
            "name": "Cinco Ranch",
            "city": "Katy",
            "state": "TX",
            "postal_code": "77494",
            "community_website_url": f"{base}/cinco-ranch/",
            "monthly_fee": "$115/month",
            "hoa_fee_amount": Decimal("115.00"),
            "hoa_fee_frequency": "monthly",
            "homes": 8200,
            "total_acres": 7600.0,
            "school_district": "Katy ISD",
            "development_stage": "Established",
            "hoa_management_company": "Cinco Ranch Residential Association",
            "about": "Master-planned community in Katy, Texas.",
        },
        {
            "name": "Bridgeland",
            "city": "Cypress",
            "state": "TX",
            "postal_code": "77433",
            "homes": 6200,
            "hoa_fee_amount": Decimal("1400.00"),
            "hoa_fee_frequency": "annual",
            "school_district": "Cypress-Fairbanks ISD",
        },
        {
            "name": "Aliana",
            "city": "Richmond",
            "state": "TX",
            "postal_code": "77407",
            "homes": 4500,
            "school_district": "Fort Bend ISD",
        },
    ]


# Cinco Ranch's amenities before collection; its site adds "Dog Park".
SAMPLE_AMENITIES: dict[str, list[str]] = {
    "Cinco Ranch": ["Swimming Pool", "Clubhouse", "Hike and Bike Trails", "Tennis Courts"],
}

# Builders active in a community before collection; Cinco Ranch's site adds David Weekley Homes.
SAMPLE_LINKS: dict[str, list[str]] = {
    "Cinco Ranch": ["Perry Homes", "Toll Brothers"],
    "Bridgeland": ["Perry Homes", "Highland Homes"],
}

# Perry Homes' plans (models it offers).
SAMPLE_PLANS: list[dict[str, Any]] = [
    {
        "name": "The Oakmont",
        "series": "50' Homesites",
        "base_price": 485000.0,
        "base_sqft": 2950,
        "bedrooms": 4,
        "bathrooms": 3.5,
        "stories": 2,
        "garage_spaces": 2,
    },
    {
        "name": "The Madison",
        "series": "60' Homesites",
        "base_price": 525000.0,
        "base_sqft": 3400,
        "bedrooms": 5,
        "bathrooms": 4.0,
        "stories": 2,
        "garage_spaces": 3,
    },
    {
        "name": "The Brazos",
        "series": "40' Homesites",
        "base_price": 389000.0,
        "base_sqft": 2100,
        "bedrooms": 3,
        "bathrooms": 2.5,
        "stories": 1,
        "garage_spaces": 2,
    },
]

# Perry Homes' homes on lots (specs) in Cinco Ranch; the sample inventory lists these and more.
SAMPLE_HOMES: list[dict[str, Any]] = [
    {
        "title": "The Oakmont - 123 Oak Street",
        "plan": "The Oakmont",
        "address1": "123 Oak Street",
        "city": "Katy",
        "state": "TX",
        "postal_code": "77494",
        "price": 485000.0,
        "bedrooms": 4,
        "bathrooms": 3.5,
        "sqft": 2950,
        "lot_number": "12",
        "property_status": "available",
        "move_in_ready": True,
    },
    {
        "title": "The Madison - 456 Pecan Lane",
        "plan": "The Madison",
        "address1": "456 Pecan Lane",
        "city": "Katy",
        "state": "TX",
        "postal_code": "77494",
        "price": 529000.0,
        "bedrooms": 5,
        "bathrooms": 4.0,
        "sqft": 3400,
        "lot_number": "27",
        "property_status": "available",
    },
    {
        "title": "The Brazos - 789 Cedar Court",
        "plan": "The Brazos",
        "address1": "789 Cedar Court",
        "city": "Katy",
        "state": "TX",
        "postal_code": "77494",
        "price": 395000.0,
        "bedrooms": 3,
        "bathrooms": 2.5,
        "sqft": 2100,
        "lot_number": "31",
        "property_status": "pending",
    },
]

SAMPLE_HOMES_BUILDER = "Perry Homes"
SAMPLE_HOMES_COMMUNITY = "Cinco Ranch"


def seed_sample(session: Session, base_url: str) -> dict[str, int]:
    """Load the sample records; idempotent: records that exist by name are left as they are.

    Returns how many records of each kind were created. Flushes, never commits.
    """
    created = {"builders": 0, "communities": 0, "amenities": 0, "links": 0, "plans": 0, "homes": 0}

    builders: dict[str, BuilderProfile] = {}
    for values in sample_builders(base_url):
        builder = session.scalar(select(BuilderProfile).where(BuilderProfile.name == values["name"]).limit(1))
        if builder is None:
            builder = BuilderProfile(**values)
            session.add(builder)
            created["builders"] += 1
        builders[builder.name] = builder

    communities: dict[str, Community] = {}
    for values in sample_communities(base_url):
        community = session.scalar(select(Community).where(Community.name == values["name"]).limit(1))
        if community is None:
            community = Community(**values)
            session.add(community)
            created["communities"] += 1
        communities[community.name] = community
    session.flush()

    for community_name, amenity_names in SAMPLE_AMENITIES.items():
        community = communities[community_name]
        existing = set(
            session.scalars(select(CommunityAmenity.name).where(CommunityAmenity.community_id == community.id))
        )
        for name in amenity_names:
            if name not in existing:
                session.add(CommunityAmenity(community_id=community.id, name=name))
                created["amenities"] += 1

    for community_name, builder_names in SAMPLE_LINKS.items():
        community = communities[community_name]
        for builder_name in builder_names:
            builder = builders[builder_name]
            if session.get(BuilderCommunity, (builder.id, community.id)) is None:
                session.add(BuilderCommunity(builder_id=builder.id, community_id=community.id))
                created["links"] += 1

    perry = builders[SAMPLE_HOMES_BUILDER]
    plans: dict[str, BuilderHomePlan] = {}
    for values in SAMPLE_PLANS:
        plan = session.scalar(
            select(BuilderHomePlan)
            .where(BuilderHomePlan.builder_id == perry.id, BuilderHomePlan.name == values["name"])
            .limit(1)
        )
        if plan is None:
            plan = BuilderHomePlan(builder_id=perry.id, **values)
            session.add(plan)
            created["plans"] += 1
        plans[plan.name] = plan
    session.flush()

    community = communities[SAMPLE_HOMES_COMMUNITY]
    for values in SAMPLE_HOMES:
        home_values = dict(values)
        plan_name = home_values.pop("plan")
        exists = session.scalar(
            select(Property.id).where(Property.builder_id == perry.id, Property.title == home_values["title"]).limit(1)
        )
        if exists is None:
            session.add(
                Property(
                    builder_id=perry.id,
                    community_id=community.id,
                    plan_id=plans[plan_name].id,
                    model_name=plan_name,
                    **home_values,
                )
            )
            created["homes"] += 1
    session.flush()
    return created
