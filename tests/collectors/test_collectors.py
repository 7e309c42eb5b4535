"""Collectors on the bundled sample sites: builders, communities and inventories become evidence-backed changes."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.auth.models import User
from app.changes.models import CollectionChange
from app.core.config import get_settings
from app.jobs import repository
from app.jobs.models import CollectionJob, JobStatus, JobType
from app.jobs.service import create_job
from app.matching.models import EntityMatch
from app.pipeline.tasks import run_collection_job
from app.properties.models import Property
from tests.collectors.conftest import builder_named, community_named
from tests.factories import make_builder


def _run(session: Session, admin: User, **job: Any) -> CollectionJob:
    job.setdefault("researcher", "web")
    created = create_job(session, admin, **job, settings=get_settings())
    run_collection_job.apply(args=[created.job_id])
    session.expire_all()
    reloaded = repository.get_job(session, created.job_id)
    assert reloaded is not None
    return reloaded


def _changes(session: Session, job: CollectionJob) -> list[CollectionChange]:
    return list(session.scalars(select(CollectionChange).where(CollectionChange.job_id == job.job_id)).all())


def _field(changes: list[CollectionChange], entity_type: str, field: str) -> CollectionChange:
    found = [c for c in changes if c.entity_type == entity_type and c.field_name == field and not c.is_new_entity]
    assert len(found) == 1, [(c.entity_type, c.field_name) for c in changes]
    return found[0]


def _new_value(change: CollectionChange) -> Any:
    return json.loads(change.new_value) if change.new_value is not None else None


def test_builder_update_proposes_the_new_phone_with_evidence_from_the_builders_site(
    session: Session, seeded: str, admin: User
) -> None:
    perry = builder_named(session, "Perry Homes")

    job = _run(session, admin, entity_type="builder", entity_id=perry.id, job_type=JobType.update)

    assert job.status == JobStatus.completed, job.error_message
    changes = _changes(session, job)
    phone = _field(changes, "builder", "phone")
    assert "7135550199" in str(_new_value(phone)).replace("-", "").replace(" ", "").replace("(", "").replace(")", "")
    [evidence] = phone.evidence or [{}]
    assert evidence["source_url"].startswith(f"{seeded}/perry-homes/")
    assert "555-0199" in evidence["quote"]
    assert job.changes_detected == len(changes) and job.items_found >= 1
    assert job.pages_fetched >= 1 and job.llm_calls == 0 and job.cost_usd == 0
    # Children of the builder come along: its awards, credentials or plans that the site lists and we lack.
    assert {c.entity_type for c in changes} - {"builder"}


def test_builder_update_of_a_page_without_structured_data_says_it_found_nothing(
    session: Session, seeded: str, admin: User
) -> None:
    highland = builder_named(session, "Highland Homes")

    job = _run(session, admin, entity_type="builder", entity_id=highland.id, job_type=JobType.update)

    assert job.status == JobStatus.completed
    assert job.items_found == 0 and _changes(session, job) == []
    assert job.warnings and any(w.startswith("no findings: ") for w in job.warnings)


def test_a_page_that_needs_javascript_is_reported_not_read_as_empty(session: Session, seeded: str, admin: User) -> None:
    spa = make_builder(session, name="Spa Builder", website=f"{seeded}/spa-builder/")

    job = _run(session, admin, entity_type="builder", entity_id=spa.id, job_type=JobType.update)

    assert job.status == JobStatus.completed
    assert any("needs_javascript" in w or "JavaScript" in w for w in job.warnings or [])
    assert any(w.startswith("no findings: ") for w in job.warnings or [])


def test_community_update_proposes_fee_homes_amenity_and_builder_links(
    session: Session, seeded: str, admin: User
) -> None:
    cinco = community_named(session, "Cinco Ranch")

    job = _run(
        session,
        admin,
        entity_type="community",
        entity_id=cinco.id,
        job_type=JobType.update,
        search_filters={"include_builders": True, "include_amenities": True},
    )

    assert job.status == JobStatus.completed, job.error_message
    changes = _changes(session, job)
    assert str(_new_value(_field(changes, "community", "homes"))) == "8500"
    assert float(_new_value(_field(changes, "community", "hoa_fee_amount"))) == 125.0
    amenities = [c for c in changes if c.entity_type == "amenity"]
    assert any("Dog Park" in json.dumps(c.proposed_entity_data or _new_value(c)) for c in amenities)
    links = [c for c in changes if c.entity_type in ("builder_community", "builder_communities")]
    assert links, sorted({c.entity_type for c in changes})
    assert all(c.evidence for c in changes)


def test_community_update_without_builders_or_amenities_leaves_them_out(
    session: Session, seeded: str, admin: User
) -> None:
    cinco = community_named(session, "Cinco Ranch")

    job = _run(
        session,
        admin,
        entity_type="community",
        entity_id=cinco.id,
        job_type=JobType.update,
        search_filters={"include_builders": False, "include_amenities": False},
    )

    types = {c.entity_type for c in _changes(session, job)}
    assert "community" in types
    assert not types & {"amenity", "builder_community", "builder_communities"}


def test_community_discovery_links_known_communities_and_proposes_new_ones(
    session: Session, seeded: str, admin: User
) -> None:
    job = _run(
        session,
        admin,
        entity_type="community",
        job_type=JobType.discovery,
        target_url=f"{seeded}/communities/houston/",
        search_filters={"location": "Houston, TX", "radius_miles": 25, "max_communities": 20},
    )

    assert job.status == JobStatus.completed, job.error_message
    changes = _changes(session, job)
    new = [c for c in changes if c.is_new_entity and c.entity_type == "community"]
    matches = session.scalars(select(EntityMatch).where(EntityMatch.job_id == job.job_id)).all()
    assert job.new_entities_found == len(new) >= 2
    assert len(matches) >= 3  # Cinco Ranch, Bridgeland and Aliana exist already
    assert job.items_found == job.new_entities_found + len(matches)


def test_community_discovery_respects_max_communities(session: Session, seeded: str, admin: User) -> None:
    job = _run(
        session,
        admin,
        entity_type="community",
        job_type=JobType.discovery,
        target_url=f"{seeded}/communities/houston/",
        search_filters={"location": "Houston, TX", "max_communities": 2},
    )

    assert job.items_found == 2
    assert any("beyond the maximum" in w for w in job.warnings or [])


def test_inventory_discovery_reads_every_page_proposes_new_homes_and_flags_homes_no_longer_listed(
    session: Session, seeded: str, admin: User
) -> None:
    perry = builder_named(session, "Perry Homes")
    gone = Property(
        title="Gone - 5 Nowhere Lane", address1="5 Nowhere Lane", city="Katy", state="TX", postal_code="77494",
        builder_id=perry.id, property_status="available", price=400000.0,
    )  # fmt: skip
    session.add(gone)
    session.flush()

    job = _run(
        session,
        admin,
        entity_type="property",
        job_type=JobType.property_discovery,
        parent_entity_type="builder",
        parent_entity_id=perry.id,
        search_filters={"max_properties": 50},
    )

    assert job.status == JobStatus.completed, job.error_message
    changes = _changes(session, job)
    new_homes = [c for c in changes if c.is_new_entity and c.entity_type == "property"]
    assert job.items_found == 8  # three pages of the builder's inventory
    assert job.new_entities_found == len(new_homes) >= 4
    assert all((c.proposed_entity_data or {}).get("builder_id") == perry.id for c in new_homes)
    off_market = [c for c in changes if c.field_name == "property_status" and c.entity_id == gone.id]
    assert len(off_market) == 1 and _new_value(off_market[0]) == "off_market"
    # Homes the site still lists are never flagged, whatever else changed about them.
    assert not [c for c in changes if _new_value(c) == "off_market" and c.entity_id != gone.id]


def test_inventory_within_one_community_keeps_its_homes_and_never_flags_missing_ones(
    session: Session, seeded: str, admin: User
) -> None:
    perry = builder_named(session, "Perry Homes")
    session.add(Property(title="Gone", address1="5 Nowhere Lane", city="Katy", state="TX", builder_id=perry.id))
    session.flush()

    def inventory(community: str) -> CollectionJob:
        return _run(
            session,
            admin,
            entity_type="property",
            job_type=JobType.property_discovery,
            parent_entity_type="builder",
            parent_entity_id=perry.id,
            search_filters={"community": community, "max_properties": 50},
        )

    cinco, bridgeland = inventory("Cinco Ranch"), inventory("Bridgeland")

    assert cinco.status == JobStatus.completed, cinco.error_message
    assert cinco.items_found == 8  # every sample home is in Cinco Ranch
    assert bridgeland.items_found == 0
    assert any("outside the job's filters" in w for w in bridgeland.warnings or [])
    for job in (cinco, bridgeland):
        assert not [c for c in _changes(session, job) if _new_value(c) == "off_market"]


def test_inventory_capped_by_max_properties_never_flags_missing_homes(
    session: Session, seeded: str, admin: User
) -> None:
    perry = builder_named(session, "Perry Homes")
    session.add(Property(title="Gone", address1="5 Nowhere Lane", city="Katy", state="TX", builder_id=perry.id))
    session.flush()

    job = _run(
        session,
        admin,
        entity_type="property",
        job_type=JobType.property_discovery,
        parent_entity_type="builder",
        parent_entity_id=perry.id,
        search_filters={"max_properties": 3},
    )

    assert job.items_found == 3
    assert not [c for c in _changes(session, job) if _new_value(c) == "off_market"]
