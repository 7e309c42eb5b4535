"""resolve_discovered and find_builder_by_name against records in PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.changes import match_review
from app.changes.models import CollectionChange
from app.core.audit import AuditEvent
from app.core.config import get_settings
from app.core.errors import Conflict, InvalidInput, NotFound
from app.jobs.models import CollectionJob
from app.matching import service
from app.matching.models import EntityMatch
from app.matching.records import prepare
from app.matching.repository import candidate_query
from tests.factories import make_builder, make_community, make_property
from tests.matching.conftest import make_finding


def test_exact_community_in_its_city_is_linked_automatically(session: Session, job: CollectionJob) -> None:
    cinco = make_community(session, name="Cinco Ranch", city="Katy", state="TX")
    make_community(session, name="Cinco Ranch West", city="Katy", state="TX")
    finding = make_finding("community", name="Cinco Ranch", city="Katy", state="TX", homes=8500)

    resolution = service.resolve_discovered(session, job, "community", finding, get_settings())

    assert resolution.outcome == "linked"
    assert resolution.entity_id == cinco.id
    assert resolution.method == "name_exact"
    match = resolution.match
    assert match is not None
    assert (match.match_status, match.matched_by, match.job_id) == ("confirmed", "auto", job.job_id)
    assert match.discovered_data == finding.model_dump(mode="json")
    assert match.discovered_location == "Katy, TX"


def test_uncertain_match_waits_for_review(session: Session, job: CollectionJob) -> None:
    aliana = make_community(session, name="Aliana", city="Richmond", state="TX")
    finding = make_finding("community", name="Alianna")

    resolution = service.resolve_discovered(session, job, "community", finding, get_settings())

    assert resolution.outcome == "review"
    assert resolution.entity_id == aliana.id
    assert resolution.match is not None and resolution.match.match_status == "pending"
    assert 0.6 <= resolution.confidence < 0.9


def test_same_name_in_another_city_is_new(session: Session, job: CollectionJob) -> None:
    make_community(session, name="Riverstone", city="Sugar Land", state="TX")
    finding = make_finding("community", name="Riverstone", city="Frisco", state="TX")

    resolution = service.resolve_discovered(session, job, "community", finding, get_settings())

    assert resolution.outcome == "new"
    assert resolution.match is None
    assert session.scalar(select(EntityMatch).where(EntityMatch.job_id == job.job_id)) is None


def test_archived_records_are_never_candidates(session: Session, job: CollectionJob) -> None:
    from app.core.db import utcnow

    make_community(session, name="Bridgeland", city="Cypress", state="TX", archived_at=utcnow())
    resolution = service.resolve_discovered(
        session,
        job,
        "community",
        make_finding("community", name="Bridgeland", city="Cypress", state="TX"),
        get_settings(),
    )
    assert resolution.outcome == "new"


def test_builder_found_by_phone_after_its_website_moved(session: Session, job: CollectionJob) -> None:
    builder = make_builder(
        session, name="Ashton Woods Homes", website="https://ashtonwoods.com", phone="(770) 555-0110"
    )
    finding = make_finding("builder", name="Ashton Woods", website="https://ashtonwoodshomes.com", phone="770-555-0110")

    resolution = service.resolve_discovered(session, job, "builder", finding, get_settings())

    assert (resolution.outcome, resolution.entity_id, resolution.method) == ("linked", builder.id, "phone_match")


def test_home_with_another_unit_is_new_and_same_unit_links(session: Session, job: CollectionJob) -> None:
    home = make_property(session, address1="500 Elm St", address2="Apt 4B", postal_code="77002", city="Houston")
    other_unit = make_finding("property", address1="500 Elm St Apt 5C", postal_code="77002", city="Houston")
    same_unit = make_finding("property", address1="500 Elm Street #4b", postal_code="77002", city="Houston")

    assert service.resolve_discovered(session, job, "property", other_unit, get_settings()).outcome == "new"
    linked = service.resolve_discovered(session, job, "property", same_unit, get_settings())
    assert (linked.outcome, linked.entity_id, linked.method) == ("linked", home.id, "address_match")


def test_unknown_entity_type_is_refused(session: Session, job: CollectionJob) -> None:
    with pytest.raises(InvalidInput):
        service.resolve_discovered(session, job, "plan", make_finding("builder", name="X"), get_settings())


def test_find_builder_by_name_ignores_suffix_and_refuses_guesses(session: Session) -> None:
    perry = make_builder(session, name="Perry Homes")
    make_builder(session, name="Toll Brothers")
    assert service.find_builder_by_name(session, "Perry Homes, LLC", get_settings().match_high_threshold) == perry.id
    assert service.find_builder_by_name(session, "perry homes", get_settings().match_high_threshold) == perry.id
    assert service.find_builder_by_name(session, "Perrin Builders", get_settings().match_high_threshold) is None
    assert service.find_builder_by_name(session, "  ", get_settings().match_high_threshold) is None


def test_candidate_query_uses_blocking_keys_not_the_whole_table(session: Session) -> None:
    for n in range(30):
        make_community(session, name=f"Unrelated {n}", city="Austin", state="TX")
    target = make_community(session, name="Bridgeland", city="Cypress", state="TX")
    query = prepare("community", {"name": "Bridgland", "city": "Houston", "state": "TX"})
    ids = [row[0] for row in session.execute(candidate_query("community", query))]
    assert ids == [target.id]


@pytest.mark.parametrize(
    ("stored", "discovered"), [("7-Eleven", "Seven Eleven"), ("Elm St. Grill", "Elm Street Grill")]
)
def test_candidate_query_finds_a_name_written_another_way(session: Session, stored: str, discovered: str) -> None:
    # The table holds names as written; the normalized "7 11" has no word to look up.
    for n in range(5):
        make_builder(session, name=f"Unrelated {n}", website=None, phone=None)
    target = make_builder(session, name=stored, website=None, phone=None)
    query = prepare("builder", {"name": discovered, "city": "Dallas", "state": "TX"})
    ids = [row[0] for row in session.execute(candidate_query("builder", query))]
    assert ids == [target.id]


def test_candidate_query_finds_a_record_on_any_number_of_a_phone_cell(session: Session) -> None:
    for n in range(5):
        make_builder(session, name=f"Unrelated {n}", website=None, phone=f"(713) 555-01{n:02d}")
    target = make_builder(session, name="Lone Star Residential", website=None, phone="(281) 555-0122")
    query = prepare("builder", {"name": "LSR Homes", "phone": "Office: 713-555-0150 Cell: 281-555-0122"})
    ids = [row[0] for row in session.execute(candidate_query("builder", query))]
    assert ids == [target.id]


@pytest.mark.parametrize("stored", ["(281) 555-0122 ext. 4", "281-555-0122 / 713-555-0150", "281.555.0122"])
def test_candidate_query_finds_a_phone_wherever_the_tables_cell_has_it(session: Session, stored: str) -> None:
    for n in range(5):
        make_builder(session, name=f"Unrelated {n}", website=None, phone=f"(713) 555-01{n:02d}")
    target = make_builder(session, name="Lone Star Residential", website=None, phone=stored)
    query = prepare("builder", {"name": "LSR Homes", "phone": "281-555-0122"})
    ids = [row[0] for row in session.execute(candidate_query("builder", query))]
    assert ids == [target.id]


def test_candidate_query_finds_a_half_house_number_as_the_table_writes_it(session: Session) -> None:
    half = make_property(session, address1="123 1/2 Oak St", postal_code="77002", city="Houston")
    whole = make_property(session, address1="123 Oak St", postal_code="77002", city="Houston")
    make_property(session, address1="125 Oak St", postal_code="77002", city="Houston")
    query = prepare("property", {"address1": "123-1/2 Oak Street", "postal_code": "77002", "city": "Houston"})
    ids = {row[0] for row in session.execute(candidate_query("property", query))}
    assert ids == {half.id, whole.id}  # both homes on the lot, each scored; the next number is not fetched


@pytest.mark.parametrize(
    ("stored", "discovered"),
    [("St. Louis", "St. Louis"), ("Mt. Juliet", "Mt. Juliet"), ("N. Richland Hills", "N. Richland Hills"),
     ("Sugar Land", "Sugarland"), ("McKinney", "Mc Kinney")],
)  # fmt: skip
def test_candidate_query_finds_a_home_in_its_city_however_written(
    session: Session, stored: str, discovered: str
) -> None:
    # No ZIP: the home is looked up by its house number in its city, which the table writes as the listing did.
    home = make_property(session, address1="123 Oak St", postal_code=None, city=stored)
    make_property(session, address1="123 Oak St", postal_code=None, city="Springfield")
    query = prepare("property", {"address1": "123 Oak Street", "city": discovered})
    ids = {row[0] for row in session.execute(candidate_query("property", query))}
    assert ids == {home.id}


def test_confirm_proposes_changes_of_the_matched_record(session: Session, job: CollectionJob) -> None:
    aliana = make_community(session, name="Aliana", city="Richmond", state="TX", homes=4000)
    finding = make_finding("community", name="Alianna", homes=4500)
    match = service.resolve_discovered(session, job, "community", finding, get_settings()).match
    assert match is not None

    outcome = match_review.confirm_match(session, match.id, "USR-1", "same place", settings=get_settings())

    assert outcome.match.match_status == "confirmed"
    assert outcome.match.matched_by == "USR-1"
    assert outcome.match.reviewed_at is not None
    changes = session.scalars(select(CollectionChange).where(CollectionChange.id.in_(outcome.change_ids))).all()
    homes = [c for c in changes if c.field_name == "homes"]
    assert homes and homes[0].entity_id == aliana.id
    audit = session.scalars(select(AuditEvent).where(AuditEvent.action == "match.confirm")).one()
    assert (audit.actor, audit.target_id, audit.notes) == ("USR-1", match.id, "same place")
    assert audit.after == {
        "match_status": "confirmed",
        "matched_entity_id": aliana.id,
        "proposed_change_ids": outcome.change_ids,
    }
    with pytest.raises(Conflict):
        match_review.confirm_match(session, match.id, "USR-1", settings=get_settings())


def test_reject_proposes_a_new_entity(session: Session, job: CollectionJob) -> None:
    make_community(session, name="Aliana", city="Richmond", state="TX")
    finding = make_finding("community", name="Alianna")
    match = service.resolve_discovered(session, job, "community", finding, get_settings()).match
    assert match is not None

    outcome = match_review.reject_match(session, match.id, "USR-1", settings=get_settings())

    assert outcome.match.match_status == "rejected"
    new = session.scalars(select(CollectionChange).where(CollectionChange.id.in_(outcome.change_ids))).all()
    assert len(new) == 1 and new[0].is_new_entity
    assert new[0].proposed_entity_data is not None and new[0].proposed_entity_data["name"] == "Alianna"


def test_override_links_to_another_record_and_checks_it_exists(session: Session, job: CollectionJob) -> None:
    make_community(session, name="Aliana", city="Richmond", state="TX")
    other = make_community(session, name="Aliana Lakes", city="Richmond", state="TX")
    match = service.resolve_discovered(
        session, job, "community", make_finding("community", name="Alianna"), get_settings()
    ).match
    assert match is not None

    with pytest.raises(NotFound):
        match_review.override_match(session, match.id, 10**9, "USR-1", settings=get_settings())
    outcome = match_review.override_match(session, match.id, other.id, "USR-1", settings=get_settings())

    assert (outcome.match.matched_entity_id, outcome.match.match_method) == (other.id, "manual")
    assert outcome.match.match_status == "confirmed"
    audit = session.scalars(select(AuditEvent).where(AuditEvent.action == "match.override")).one()
    assert audit.before == {"match_status": "pending"} and audit.after["matched_entity_id"] == other.id


def test_rejecting_an_auto_link_withdraws_the_changes_proposed_for_the_wrong_record(
    session: Session, job: CollectionJob
) -> None:
    from app.changes.proposals import propose_updates
    from tests.matching.conftest import make_job

    cinco = make_community(session, name="Cinco Ranch", city="Katy", state="TX", homes=8000)
    finding = make_finding("community", name="Cinco Ranch", city="Katy", state="TX", homes=8500, residents=30000)
    resolution = service.resolve_discovered(session, job, "community", finding, get_settings())
    assert resolution.outcome == "linked" and resolution.match is not None
    proposed = propose_updates(session, job, "community", cinco.id, finding, {}, settings=get_settings()).changes
    assert {c.field_name for c in proposed} == {"homes", "residents"}
    # Another job's open change on the same record is not this match's doing.
    other_job = make_job(session)
    other = CollectionChange(
        job_id=other_job.job_id, entity_type="community", entity_id=cinco.id, field_name="founded_year",
        old_value="null", new_value="1984", change_type="added",
    )  # fmt: skip
    session.add(other)
    session.flush()

    outcome = match_review.reject_match(session, resolution.match.id, "USR-1", settings=get_settings())

    for change in proposed:
        session.refresh(change)
        assert change.status == "withdrawn"
        assert change.review_notes is not None and f"entity match {resolution.match.id}" in change.review_notes
        assert change.reviewed_by == "USR-1"
    session.refresh(other)
    assert other.status == "pending"
    audits = session.scalars(select(AuditEvent).where(AuditEvent.action == "change.withdraw")).all()
    assert sorted(a.change_id for a in audits) == sorted(c.id for c in proposed)
    assert all(a.actor == "USR-1" and a.after and a.after["status"] == "withdrawn" for a in audits)
    new = session.scalars(select(CollectionChange).where(CollectionChange.id.in_(outcome.change_ids))).all()
    assert len(new) == 1 and new[0].is_new_entity


def test_rejecting_a_pending_match_withdraws_nothing(session: Session, job: CollectionJob) -> None:
    from app.changes.proposals import propose_updates

    aliana = make_community(session, name="Aliana", city="Richmond", state="TX", homes=100)
    finding = make_finding("community", name="Alianna", homes=200)
    match = service.resolve_discovered(session, job, "community", finding, get_settings()).match
    assert match is not None and match.match_status == "pending"
    # A change the same job proposed on that record for its own reasons (not through this match).
    kept = propose_updates(session, job, "community", aliana.id, finding, {}, settings=get_settings()).changes

    match_review.reject_match(session, match.id, "USR-1", settings=get_settings())

    for change in kept:
        session.refresh(change)
        assert change.status == "pending"


def test_another_site_of_one_builder_waits_for_review_and_says_why(session: Session, job: CollectionJob) -> None:
    # One organisation's central phone and name at another street address: another site, not linked.
    site = make_builder(session, name="Sunrise Learning Center", website=None, phone="(773) 555-0110",
                        address="2141 S Archer Ave", city="Chicago", state="IL", postal_code="60616")  # fmt: skip
    finding = make_finding("builder", name="Sunrise Learning", phone="773-555-0110", address="4300 W Ogden Ave",
                           city="Chicago", state="IL", postal_code="60623")  # fmt: skip

    resolution = service.resolve_discovered(session, job, "builder", finding, get_settings())

    assert (resolution.outcome, resolution.entity_id) == ("review", site.id)
    assert resolution.match is not None
    details = resolution.match.match_details
    assert details["addresses_disagree"] is True
    assert details["fields"]["address"]["level"] == "different" and details["fields"]["address"]["weight"] < 0
    assert details["fields"]["phone"]["level"] == "same"


def test_a_home_two_records_both_fit_waits_for_review_naming_both(session: Session, job: CollectionJob) -> None:
    """A home entered twice: linking either copy could write the other's facts, so neither is linked."""
    first = make_property(session, address1="123 Main St", postal_code="77002", city="Houston")
    second = make_property(session, address1="123 Main Street", postal_code="77002", city="Houston")
    finding = make_finding("property", address1="123 Main St.", postal_code="77002", city="Houston")

    resolution = service.resolve_discovered(session, job, "property", finding, get_settings())

    assert resolution.outcome == "review" and resolution.entity_id in (first.id, second.id)
    assert resolution.confidence < get_settings().match_high_threshold
    match = resolution.match
    assert match is not None and match.match_status == "pending"
    other = second.id if resolution.entity_id == first.id else first.id
    assert match.match_details["ambiguous_with"]["entity_id"] == other
    assert match.match_details["ambiguous_with"]["confidence"] >= get_settings().match_high_threshold


def test_a_home_listed_without_its_streets_direction_waits_for_review(session: Session, job: CollectionJob) -> None:
    """ "123 Main St" fits the north and the south home alike, and either alone: no automatic link."""
    north = make_property(session, address1="123 N Main St", postal_code="77002", city="Houston")
    finding = make_finding("property", address1="123 Main St", postal_code="77002", city="Houston")

    resolution = service.resolve_discovered(session, job, "property", finding, get_settings())

    assert (resolution.outcome, resolution.entity_id) == ("review", north.id)
    assert resolution.match is not None and resolution.match.match_details["direction_unconfirmed"] is True
    south = make_property(session, address1="123 S Main St", postal_code="77002", city="Houston")
    assert service.resolve_discovered(session, job, "property", finding, get_settings()).outcome == "review"
    # With the direction written, one home fits: it is linked.
    exact = make_finding("property", address1="123 S Main Street", postal_code="77002", city="Houston")
    assert service.resolve_discovered(session, job, "property", exact, get_settings()).entity_id == south.id
    assert service.resolve_discovered(session, job, "property", exact, get_settings()).outcome == "linked"


def test_a_builder_entered_twice_is_not_linked_to_either_copy(session: Session, job: CollectionJob) -> None:
    first = make_builder(session, name="Ashton Woods Homes", phone="(770) 555-0110", city="Atlanta", state="GA")
    second = make_builder(session, name="Ashton Woods Homes", phone="(770) 555-0110", city="Atlanta", state="GA")
    finding = make_finding("builder", name="Ashton Woods Homes", phone="770-555-0110", city="Atlanta", state="GA")

    resolution = service.resolve_discovered(session, job, "builder", finding, get_settings())

    assert resolution.outcome == "review" and {resolution.entity_id} < {first.id, second.id}
    assert resolution.match is not None and "ambiguous_with" in resolution.match.match_details
    assert service.find_builder_by_name(session, "Ashton Woods Homes", get_settings().match_high_threshold) is None
