"""Candidate retrieval on PostgreSQL goes through the pg_trgm indexes and still finds the hard cases."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import Select, text
from sqlalchemy.orm import Session

from app.builders.models import BuilderProfile
from app.communities.models import Community
from app.matching import repository
from app.matching.records import prepare
from app.properties.models import Property
from tests.factories import make_builder, make_community, make_property

WORDS = str.split(
    "Oak Elm Pine Cedar Maple Willow Birch Aspen Laurel Hickory Magnolia Cypress Falcon Heron Quail Sparrow"
)
KINDS = str.split("Ranch Village Park Estates Crossing Trails Hills Meadows Reserve Landing Grove Springs")


def _distractors(session: Session, n: int = 400) -> None:
    """Many unrelated communities, builders and homes, so the planner has a table worth indexing."""
    rows = [
        {"name": f"{WORDS[i % len(WORDS)]}{WORDS[(i // 7) % len(WORDS)].lower()} {KINDS[i % len(KINDS)]}",
         "city": f"Town{i % 40}", "state": "TX"}
        for i in range(n)
    ]  # fmt: skip
    session.execute(Community.__table__.insert(), rows)
    session.execute(BuilderProfile.__table__.insert(), [{**r, "name": f"{r['name']} Homes"} for r in rows])
    session.execute(
        Property.__table__.insert(),
        [{"title": f"Home {i}", "address1": f"{100 + i} {WORDS[i % len(WORDS)]} St", "city": r["city"], "state": "TX",
          "postal_code": f"77{i % 1000:03d}"} for i, r in enumerate(rows)],
    )  # fmt: skip
    session.execute(text("ANALYZE communities, builder_profiles, properties"))


def _explain(session: Session, statement: Select[Any]) -> str:
    """The plan of a candidate query with sequential scans priced out (small test tables would favour them)."""
    compiled = statement.compile(dialect=session.get_bind().dialect, compile_kwargs={"render_postcompile": True})
    connection = session.connection()
    connection.execute(text("SET LOCAL enable_seqscan = off"))
    rows = connection.exec_driver_sql("EXPLAIN " + str(compiled), compiled.params).all()  # type: ignore[arg-type]
    return "\n".join(row[0] for row in rows)


def _plan(session: Session, entity_type: str, values: dict[str, object]) -> str:
    return _explain(session, repository.trigram_queries(entity_type, prepare(entity_type, values))[0])


def test_the_migration_installs_pg_trgm_and_its_indexes(session: Session) -> None:
    assert repository.trigram_available(session)
    names = set(session.scalars(text("SELECT indexname FROM pg_indexes WHERE indexname LIKE 'ix_trgm_%'")))
    assert {"ix_trgm_communities_name", "ix_trgm_builder_profiles_name", "ix_trgm_properties_address1"} <= names


@pytest.mark.parametrize(
    ("entity_type", "values", "index"),
    [
        ("community", {"name": "Bridgland", "city": "Cypress", "state": "TX"}, "ix_trgm_communities_name"),
        ("builder", {"name": "D.R. Horton, Inc."}, "ix_trgm_builder_profiles_name"),
        ("property", {"address1": "123 Main Street", "postal_code": "77001"}, "ix_trgm_properties_address1"),
    ],
)
def test_the_candidate_query_uses_the_trigram_index(
    session: Session, entity_type: str, values: dict[str, object], index: str
) -> None:
    _distractors(session)

    plan = _plan(session, entity_type, values)

    assert index in plan, plan
    assert "Seq Scan" not in plan, plan


def test_the_key_query_uses_the_website_and_phone_indexes(session: Session) -> None:
    _distractors(session)
    query = prepare("builder", {"name": "Perry", "website": "https://www.perryhomes.com", "phone": "713-555-0142"})
    plan = _explain(session, repository.trigram_queries("builder", query)[1])

    assert "ix_trgm_builder_profiles_website" in plan and "ix_trgm_builder_profiles_phone" in plan, plan


@pytest.mark.parametrize(
    ("existing", "discovered"),
    [
        ({"name": "Bridgeland", "city": "Cypress", "state": "TX"}, {"name": "Bridgland", "city": "Cypress"}),
        ({"name": "Towne Lake", "city": "Cypress", "state": "TX"}, {"name": "Town Lake Community", "city": "Cypress"}),
        ({"name": "Harvest Green", "city": "Richmond", "state": "TX"}, {"name": "HARVEST GREEN"}),
        ({"name": "Sienna Plantation", "city": "Missouri City", "state": "TX"}, {"name": "Siena Plantaton"}),
        ({"name": "Mount Pleasant Heights", "city": "Austin", "state": "TX"}, {"name": "Mt. Pleasant Hts"}),
    ],
)
def test_trigram_retrieval_finds_typos_and_abbreviations(
    session: Session, existing: dict[str, str], discovered: dict[str, str]
) -> None:
    _distractors(session)
    target = make_community(session, **existing)

    found = repository.load_candidates(session, "community", prepare("community", discovered), method="trigram")

    assert target.id in {c.id for c in found}
    assert len(found) <= repository.TRIGRAM_LIMIT


@pytest.mark.parametrize(
    ("existing", "discovered"),
    [
        ("D.R. Horton, Inc.", "DR Horton"),
        ("Perry Homes LLC", "Perry Homes"),
        ("Toll Brothers", "Toll Bros."),
        ("Taylor Morrison", "Tayler Morison Homes"),
    ],
)
def test_trigram_retrieval_finds_builder_names_written_differently(
    session: Session, existing: str, discovered: str
) -> None:
    _distractors(session)
    target = make_builder(session, name=existing)

    found = repository.load_candidates(session, "builder", prepare("builder", {"name": discovered}), method="trigram")

    assert target.id in {c.id for c in found}


def test_trigram_retrieval_ranks_the_same_city_first_among_namesakes(session: Session) -> None:
    for i in range(repository.TRIGRAM_LIMIT + 10):
        make_community(session, name="Cinco Ranch", city=f"Elsewhere {i}", state="TX")
    katy = make_community(session, name="Cinco Ranch", city="Katy", state="TX")

    found = repository.load_candidates(
        session, "community", prepare("community", {"name": "Cinco Ranch", "city": "Katy"}), method="trigram"
    )

    assert len(found) == repository.TRIGRAM_LIMIT
    assert found[0].id == katy.id


def test_trigram_retrieval_finds_a_home_by_its_street_address(session: Session) -> None:
    _distractors(session)
    home = make_property(session, address1="4521 Cypress Creek Pkwy", address2="Unit 12", postal_code="77429")

    query = prepare("property", {"address1": "4521 Cypress Creek Parkway", "address2": "#12", "postal_code": "77429"})
    found = repository.load_candidates(session, "property", query, method="trigram")

    assert found and found[0].id == home.id


def test_both_paths_agree_on_a_website_and_skip_archived_records(session: Session) -> None:
    from app.core.db import utcnow

    live = make_builder(session, name="Chesmar Homes", website="https://chesmar.com")
    gone = make_builder(session, name="Chesmar Homes", website="https://chesmar.com/old")
    gone.archived_at = utcnow()
    session.flush()
    query = prepare("builder", {"name": "Chesmar", "website": "chesmar.com"})

    for method in ("trigram", "like"):
        ids = {c.id for c in repository.load_candidates(session, "builder", query, method=method)}  # type: ignore[arg-type]
        assert live.id in ids and gone.id not in ids, method
