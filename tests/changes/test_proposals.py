"""Findings become evidence-backed change proposals on real PostgreSQL."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.builders.models import BuilderAward, BuilderCommunity
from app.changes.bulk import propose_updates_bulk
from app.changes.models import ChangeStatus, CollectionChange
from app.changes.proposals import propose_missing_inventory, propose_new_entity, propose_updates
from app.core.config import get_settings
from app.jobs.models import CollectionJob
from app.properties.models import PropertyStatus
from app.research.findings import Extractor, Finding
from app.sources.optouts import OptOuts
from tests.changes.conftest import OFFICIAL, finding, found, make_job
from tests.factories import make_builder, make_community, make_plan, make_property

PAGE = "Perry Homes. Call (713) 555-0199. Founded 1968. Email sales@perryhomes.com"


def test_field_changes_carry_evidence_and_confidence(session: Session, job: CollectionJob) -> None:
    builder = make_builder(session, name="Perry Homes", phone="(713) 555-0100", founded_year=None)
    outcome = propose_updates(
        session,
        job,
        "builder",
        builder.id,
        finding("builder", name="Perry Homes", phone="(713) 555-0199", founded_year="1968"),
        {OFFICIAL: PAGE},
        settings=get_settings(),
    )
    by_field = {c.field_name: c for c in outcome.changes}
    assert set(by_field) == {"phone", "founded_year"}  # the unchanged name proposes nothing
    phone = by_field["phone"]
    assert phone.change_type == "modified"
    assert json.loads(phone.old_value or "") == "(713) 555-0100"
    assert json.loads(phone.new_value or "") == "+17135550199"
    assert phone.evidence == [
        {
            "source_url": OFFICIAL,
            "quote": "(713) 555-0199",
            "extractor": "json_ld",
            "found_in_source": True,
            "source_id": phone.source_id,
            "source_type": "official_website",
            "source_reliability": 0.9,
        }
    ]
    assert phone.confidence > 0.9
    assert phone.confidence_components["evidence_found"] is True
    assert phone.source_id is not None  # the source of the URL, by registered domain
    assert by_field["founded_year"].change_type == "added"
    assert by_field["founded_year"].old_value is None


def test_value_missing_from_its_page_is_capped_low(session: Session, job: CollectionJob) -> None:
    builder = make_builder(session, phone="(713) 555-0100")
    outcome = propose_updates(
        session,
        job,
        "builder",
        builder.id,
        finding("builder", phone="(281) 555-0142"),
        {OFFICIAL: PAGE},
        settings=get_settings(),
    )
    (change,) = outcome.changes
    assert change.confidence == 0.35
    assert change.evidence[0]["found_in_source"] is False


def test_equal_after_normalization_is_no_change(session: Session, job: CollectionJob) -> None:
    builder = make_builder(
        session,
        phone="(713) 555-0100",
        email="Sales@PerryHomes.com",
        website="https://www.perryhomes.com/",
        specialties=["Luxury", "Custom"],
    )
    outcome = propose_updates(
        session,
        job,
        "builder",
        builder.id,
        finding(
            "builder",
            phone="+1 713.555.0100",
            email="sales@perryhomes.com",
            website="HTTPS://WWW.PERRYHOMES.COM",
            specialties=["custom", "luxury "],
        ),
        {},
        settings=get_settings(),
    )
    assert outcome.changes == []
    assert outcome.rejected == []


def test_absent_fields_are_not_removed(session: Session, job: CollectionJob) -> None:
    builder = make_builder(session, phone="(713) 555-0100", email="sales@perryhomes.com")
    outcome = propose_updates(
        session, job, "builder", builder.id, finding("builder", name=builder.name), {}, settings=get_settings()
    )
    assert outcome.changes == []


def test_sanity_rejects_become_rejected_inputs_on_the_job(session: Session, job: CollectionJob) -> None:
    home = make_property(session, price=450000.0, bedrooms=4)
    outcome = propose_updates(
        session,
        job,
        "property",
        home.id,
        finding("property", price="$5", bedrooms="90", sqft="2,600"),
        {},
        settings=get_settings(),
    )
    assert [c.field_name for c in outcome.changes] == ["sqft"]
    reasons = {r["field"]: r for r in outcome.rejected}
    assert set(reasons) == {"price", "bedrooms"}
    assert reasons["price"]["source_url"] == OFFICIAL
    assert "below the sane minimum" in reasons["price"]["reason"]
    assert job.rejected_inputs is not None and len(job.rejected_inputs) == 2


def test_json_ld_nan_and_infinity_are_rejected_inputs_not_errors(session: Session) -> None:
    home = make_property(session, price=450000.0, sqft=2400, bedrooms=4)
    values = json.loads('{"price": NaN, "sqft": Infinity, "bedrooms": 5}')
    found_in_page = finding("property", **values)
    job = make_job(session, entity_type="property")
    outcome = propose_updates(session, job, "property", home.id, found_in_page, {}, settings=get_settings())
    ids, rejected, _ = propose_updates_bulk(
        session,
        make_job(session, entity_type="property"),
        "property",
        {home.id: found_in_page},
        {},
        settings=get_settings(),
    )
    assert [c.field_name for c in outcome.changes] == ["bedrooms"] and len(ids) == 1
    for refused in (outcome.rejected, rejected):
        assert {(r["field"], r["reason"]) for r in refused} == {("price", "not a number"), ("sqft", "not a number")}


def test_invalid_phone_email_url_are_never_proposed(session: Session, job: CollectionJob) -> None:
    builder = make_builder(session, phone=None, email=None, website=None)
    outcome = propose_updates(
        session,
        job,
        "builder",
        builder.id,
        finding("builder", phone="call now", email="sales@", website="javascript:alert(1)"),
        {},
        settings=get_settings(),
    )
    assert outcome.changes == []
    assert {r["field"] for r in outcome.rejected} == {"phone", "email", "website"}


def test_hoa_fee_becomes_amount_and_frequency(session: Session, job: CollectionJob) -> None:
    community = make_community(session, hoa_fee_amount=Decimal("115"), hoa_fee_frequency="monthly", homes=8200)
    outcome = propose_updates(
        session,
        job,
        "community",
        community.id,
        finding("community", hoa_fee="$125/month", homes="8,500"),
        {OFFICIAL: "HOA fee: $125/month. 8,500 homes."},
        settings=get_settings(),
    )
    by_field = {c.field_name: c for c in outcome.changes}
    assert set(by_field) == {"hoa_fee_amount", "homes"}  # frequency unchanged: monthly
    assert json.loads(by_field["hoa_fee_amount"].new_value or "") == 125
    assert json.loads(by_field["hoa_fee_amount"].old_value or "") == 115
    assert by_field["hoa_fee_amount"].evidence[0]["found_in_source"] is True


def test_newer_finding_supersedes_the_pending_change(session: Session) -> None:
    builder = make_builder(session, phone="(713) 555-0100")
    first_job, second_job = make_job(session), make_job(session)
    (first,) = propose_updates(
        session,
        first_job,
        "builder",
        builder.id,
        finding("builder", phone="(713) 555-0199"),
        {},
        settings=get_settings(),
    ).changes
    (second,) = propose_updates(
        session,
        second_job,
        "builder",
        builder.id,
        finding("builder", phone="(713) 555-0188"),
        {},
        settings=get_settings(),
    ).changes
    session.refresh(first)
    assert first.status == ChangeStatus.superseded
    assert first.superseded_by == second.id
    pending = session.scalars(
        select(CollectionChange).where(
            CollectionChange.entity_id == builder.id, CollectionChange.status == ChangeStatus.pending
        )
    ).all()
    assert [c.id for c in pending] == [second.id]


def test_agreeing_independent_source_raises_confidence(session: Session) -> None:
    builder = make_builder(session, phone="(713) 555-0100")
    directory = "https://www.homedirectory.net/perry"
    value = found("(713) 555-0199", url=directory, source_type="directory")
    (first,) = propose_updates(
        session,
        make_job(session),
        "builder",
        builder.id,
        finding("builder", phone=value),
        {directory: PAGE},
        settings=get_settings(),
    ).changes
    (second,) = propose_updates(
        session,
        make_job(session),
        "builder",
        builder.id,
        finding("builder", phone=found("(713) 555-0199", url=OFFICIAL, extractor=Extractor.claude)),
        {OFFICIAL: PAGE},
        settings=get_settings(),
    ).changes
    assert second.confidence_components["agreeing_sources"] == 1
    assert {e["source_url"] for e in second.evidence} == {OFFICIAL, directory}
    alone, _ = (0.7937, None)  # official + claude without agreement (sqrt(0.9 * 0.7))
    assert second.confidence > alone
    assert first.status == ChangeStatus.superseded


def test_children_new_and_existing(session: Session, job: CollectionJob) -> None:
    builder = make_builder(session)
    award = BuilderAward(builder_id=builder.id, title="Best Builder 2023", issuer=None, year=2023)
    session.add(award)
    session.flush()
    outcome = propose_updates(
        session,
        job,
        "builder",
        builder.id,
        finding(
            "builder",
            children=[
                finding("award", title="best builder  2023", issuer="Houston Chronicle"),
                finding("award", title="Builder of the Year", year="2024", issuer="GHBA"),
                finding("home_plan", name="Oakmont", base_price="$485,000", bedrooms=4),
            ],
        ),
        {},
        settings=get_settings(),
    )
    field_changes = [c for c in outcome.changes if not c.is_new_entity]
    new = {c.entity_type: c for c in outcome.changes if c.is_new_entity}
    assert [(c.entity_type, c.entity_id, c.field_name) for c in field_changes] == [("award", award.id, "issuer")]
    assert field_changes[0].parent_entity_type == "builder" and field_changes[0].parent_entity_id == builder.id
    assert set(new) == {"award", "home_plan"}
    assert new["award"].proposed_entity_data["title"] == "Builder of the Year"
    assert new["award"].proposed_entity_data["builder_id"] == builder.id
    assert new["home_plan"].proposed_entity_data["base_price"] == 485000
    assert new["home_plan"].parent_entity_id == builder.id


def test_community_builders_become_link_changes(session: Session, job: CollectionJob) -> None:
    community = make_community(session, name="Cinco Ranch")
    perry = make_builder(session, name="Perry Homes")
    toll = make_builder(session, name="Toll Brothers")
    session.add(BuilderCommunity(builder_id=toll.id, community_id=community.id))
    session.flush()
    outcome = propose_updates(
        session,
        job,
        "community",
        community.id,
        finding(
            "community",
            children=[
                finding("builder", name="PERRY HOMES"),
                finding("builder", name="Toll Brothers"),
                finding("builder", name="Nobody Builds LLC"),
                finding("amenity", name="Dog Park"),
            ],
        ),
        {},
        settings=get_settings(),
    )
    links = [c for c in outcome.changes if c.entity_type == "builder_community"]
    assert len(links) == 1  # Toll Brothers is linked already
    assert links[0].is_new_entity
    assert links[0].proposed_entity_data["builder_id"] == perry.id
    assert links[0].proposed_entity_data["community_id"] == community.id
    assert [c.entity_type for c in outcome.changes if c.entity_type == "amenity"] == ["amenity"]
    assert [r["value"] for r in outcome.rejected] == ["Nobody Builds LLC"]


def test_new_home_has_its_links_resolved(session: Session, job: CollectionJob) -> None:
    builder = make_builder(session, name="Perry Homes")
    community = make_community(session, name="Cinco Ranch")
    plan = make_plan(session, builder, name="Oakmont")
    outcome = propose_new_entity(
        session,
        job,
        finding(
            "property",
            title="The Oakmont - Model Home",
            address1="123 Oak Street",
            city="Houston",
            price="$485,000",
            bedrooms="4",
            bathrooms="3.5",
            plan_name="oakmont",
            community_name="cinco ranch",
        ),
        {OFFICIAL: "The Oakmont - Model Home, 123 Oak Street, Houston. $485,000. 4 beds, 3.5 baths"},
        parent_entity_type="builder",
        parent_entity_id=builder.id,
        settings=get_settings(),
    )
    (change,) = outcome.changes
    data = change.proposed_entity_data
    assert change.is_new_entity and change.entity_id is None and change.change_type == "added"
    assert (data["builder_id"], data["community_id"], data["plan_id"]) == (builder.id, community.id, plan.id)
    assert data["price"] == 485000 and data["bathrooms"] == 3.5 and data["property_status"] == "available"
    assert change.parent_entity_type == "builder" and change.parent_entity_id == builder.id
    assert change.confidence > 0.9
    assert set(change.confidence_components["field_scores"]) >= {"price", "title"}


def test_same_new_home_found_again_supersedes(session: Session) -> None:
    builder = make_builder(session)
    home = finding("property", title="Lot 7", address1="7 Elm Street", price="$400,000")
    first = propose_new_entity(
        session,
        make_job(session),
        home,
        {},
        parent_entity_type="builder",
        parent_entity_id=builder.id,
        settings=get_settings(),
    ).changes[0]
    second = propose_new_entity(
        session,
        make_job(session),
        home,
        {},
        parent_entity_type="builder",
        parent_entity_id=builder.id,
        settings=get_settings(),
    ).changes[0]
    session.refresh(first)
    assert first.status == ChangeStatus.superseded and first.superseded_by == second.id


def _propose_new(session: Session, record: Finding, parent: tuple[str, int] | None = None) -> CollectionChange:
    (change,) = propose_new_entity(
        session, make_job(session), record, {}, parent_entity_type=parent[0] if parent else None,
        parent_entity_id=parent[1] if parent else None, settings=get_settings(),
    ).changes  # fmt: skip
    return change


def test_a_new_community_found_again_under_another_name_supersedes_its_pending_proposal(session: Session) -> None:
    # Two jobs, two spellings of one new community: one proposal waits for review, not two records.
    first = _propose_new(
        session, finding("community", name="Bridgeland", city="Cypress", state="TX", hoa_contact_phone="281-555-0140")
    )
    other_city = _propose_new(
        session, finding("community", name="Bridgeland", city="Austin", state="TX", hoa_contact_phone="512-555-0190")
    )
    again = _propose_new(
        session,
        finding("community", name="Bridgeland Community", city="Cypress", state="TX",
                hoa_contact_phone="(281) 555-0140"),
    )  # fmt: skip
    session.refresh(first)
    session.refresh(other_city)
    assert first.status == ChangeStatus.superseded and first.superseded_by == again.id
    assert other_city.status == ChangeStatus.pending  # the same name in another city is another community


def test_a_new_home_found_again_written_another_way_supersedes_its_pending_proposal(session: Session) -> None:
    builder = make_builder(session)
    parent = ("builder", builder.id)
    first = _propose_new(session, finding("property", address1="123 Oak St", postal_code="77494"), parent)
    next_door = _propose_new(session, finding("property", address1="125 Oak St", postal_code="77494"), parent)
    again = _propose_new(session, finding("property", address1="123 Oak Street", postal_code="77494"), parent)
    session.refresh(first)
    session.refresh(next_door)
    assert first.status == ChangeStatus.superseded and first.superseded_by == again.id
    assert next_door.status == ChangeStatus.pending


def test_another_sources_weaker_reading_of_a_new_record_leaves_the_stronger_proposal(session: Session) -> None:
    record = {"name": "Bridgeland", "city": "Cypress", "state": "TX", "hoa_contact_phone": "281-555-0140"}
    page = "Bridgeland, a master-planned community in Cypress, TX. Call (281) 555-0140."

    def propose(texts: dict[str, str], url: str = OFFICIAL) -> Any:
        return propose_new_entity(session, make_job(session), finding("community", url=url, **record), texts,
                                  parent_entity_type=None, parent_entity_id=None, settings=get_settings())  # fmt: skip

    (strong,) = propose({OFFICIAL: page}).changes
    directory = "https://www.newhomes-directory.example/houston/bridgeland"
    weaker = propose({}, url=directory)  # its values are not on any page text the job kept
    session.refresh(strong)
    assert strong.status == ChangeStatus.pending
    assert weaker.changes == []
    (note,) = weaker.notes
    assert directory in note and f"pending proposal {strong.id}" in note
    assert session.scalar(select(func.count()).select_from(CollectionChange)) == 1
    # The official site's own newer reading replaces its older one, stronger or not.
    (again,) = propose({}).changes
    session.refresh(strong)
    assert strong.status == ChangeStatus.superseded and strong.superseded_by == again.id
    assert again.confidence < strong.confidence


def test_new_entity_without_a_name_is_rejected(session: Session, job: CollectionJob) -> None:
    outcome = propose_new_entity(
        session,
        job,
        finding("community", city="Katy"),
        {},
        parent_entity_type=None,
        parent_entity_id=None,
        settings=get_settings(),
    )
    assert outcome.changes == []
    assert outcome.rejected[0]["field"] == "name"


def test_new_community_carries_children_and_builder_links(session: Session, job: CollectionJob) -> None:
    perry = make_builder(session, name="Perry Homes")
    outcome = propose_new_entity(
        session,
        job,
        finding(
            "community",
            name="Bridgeland",
            city="Cypress",
            children=[finding("amenity", name="Lakeland Village"), finding("builder", name="Perry Homes")],
        ),
        {},
        parent_entity_type=None,
        parent_entity_id=None,
        settings=get_settings(),
    )
    data = outcome.changes[0].proposed_entity_data
    assert data["builder_ids"] == [perry.id]
    assert data["children"] == [{"entity_type": "amenity", "data": {"name": "Lakeland Village"}}]


def test_missing_inventory_proposes_off_market_never_delete(session: Session, job: CollectionJob) -> None:
    builder = make_builder(session)
    seen = make_property(session, builder_id=builder.id)
    gone = make_property(session, builder_id=builder.id)
    sold = make_property(session, builder_id=builder.id, property_status=PropertyStatus.sold)
    make_property(session)  # another builder's home
    outcome = propose_missing_inventory(
        session,
        job,
        builder.id,
        {seen.id},
        "https://www.perryhomes.com/homes/",
        OptOuts.load(session),
        settings=get_settings(),
    )
    assert [(c.entity_id, c.field_name) for c in outcome.changes] == [(gone.id, "property_status")]
    change = outcome.changes[0]
    assert json.loads(change.new_value or "") == "off_market"
    assert change.change_type == "modified"
    assert change.parent_entity_type == "builder" and change.parent_entity_id == builder.id
    assert sold.property_status == PropertyStatus.sold
    # The evidence and the confidence agree: the home's absence was found in the listing read.
    assert change.evidence is not None and change.evidence[0]["found_in_source"] is True
    assert (change.confidence_components or {})["evidence_found"] is True


def test_missing_inventory_leaves_opted_out_homes_alone(session: Session, job: CollectionJob) -> None:
    from app.sources.models import CollectionOptOut

    builder = make_builder(session)
    opted_out = make_property(session, builder_id=builder.id)
    gone = make_property(session, builder_id=builder.id)
    session.add(CollectionOptOut(entity_type="property", entity_id=opted_out.id, reason="owner asked"))
    session.flush()

    outcome = propose_missing_inventory(
        session,
        job,
        builder.id,
        set(),
        "https://www.perryhomes.com/homes/",
        OptOuts.load(session),
        settings=get_settings(),
    )

    assert [c.entity_id for c in outcome.changes] == [gone.id]


def test_unknown_child_kind_is_rejected(session: Session, job: CollectionJob) -> None:
    builder = make_builder(session)
    outcome = propose_updates(
        session,
        job,
        "builder",
        builder.id,
        Finding(kind="builder", children=[finding("amenity", name="Pool")]),
        {},
        settings=get_settings(),
    )
    assert outcome.changes == []
    assert "no child records" in outcome.rejected[0]["reason"]


def test_bulk_proposals_match_row_at_a_time_and_supersede(session: Session) -> None:
    from app.changes.bulk import propose_updates_bulk

    homes = [make_property(session, price=450000.0, sqft=2500) for _ in range(3)]
    first_job, second_job = make_job(session), make_job(session)
    (older,) = propose_updates(
        session, first_job, "property", homes[0].id, finding("property", price="$440,000"), {}, settings=get_settings()
    ).changes
    findings = {
        homes[0].id: finding("property", price="$430,000", sqft="2,500 sq ft"),
        homes[1].id: finding("property", price="$450,000"),  # unchanged
        homes[2].id: finding("property", sqft="2,650", bedrooms="90"),
    }
    ids, rejected, _ = propose_updates_bulk(session, second_job, "property", findings, {}, settings=get_settings())
    changes = {
        (c.entity_id, c.field_name): c
        for c in session.scalars(select(CollectionChange).where(CollectionChange.id.in_(ids)))
    }
    assert set(changes) == {(homes[0].id, "price"), (homes[2].id, "sqft")}
    assert json.loads(changes[(homes[0].id, "price")].new_value or "") == 430000
    assert [r["field"] for r in rejected] == ["bedrooms"]
    session.refresh(older)
    assert older.status == ChangeStatus.superseded
    assert older.superseded_by == changes[(homes[0].id, "price")].id


def test_a_cited_url_finds_its_page_text_without_fragment_or_with_another_final_slash() -> None:
    from app.changes.proposals import _url_variants

    cited = _url_variants("https://builder.example/homes/?page=2&page=3#plan-a")
    assert cited[:2] == [
        "https://builder.example/homes/?page=2&page=3#plan-a",
        "https://builder.example/homes/?page=2&page=3",
    ]
    assert "https://builder.example/homes/" in _url_variants("https://builder.example/homes#top")
    assert "https://builder.example/homes" in _url_variants("https://builder.example/homes/")
