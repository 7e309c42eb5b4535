"""A page of homes finds its rows' keys from an index alone, whatever combination of filters is asked.

The list indexes carry every filter column (migration 0004), and the page query reads keys before rows
(app/core/pagination.py): rows a filter rejects, or a page number skips, cost an index entry, not a row read.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, event
from sqlalchemy.orm import Session

from app.builders.models import BuilderProfile
from app.communities.models import Community
from app.core.db import get_engine
from app.properties.models import Property
from tests.factories import auth_headers, make_admin, make_builder, make_property

API = "/api/v1/admin"
LISTED = 2000  # rows of each list already in service, committed and vacuumed


def _listing_text(n: int) -> str:
    """A listing's description as long as a real one's, and as little compressible, so rows are as wide."""
    return " ".join(hashlib.sha256(f"{n}:{part}".encode()).hexdigest() for part in range(15))


@pytest.fixture(scope="module", autouse=True)
def _lists_in_service() -> Iterator[None]:
    """Lists as they are in service: many committed rows, vacuumed, analyzed. The planner's choice between
    walking a list index and walking the primary key is a matter of cost; on a near-empty table whose pages
    nothing has marked all-visible (earlier tests' rolled-back rows leave such pages) an index-only scan costs
    a heap visit per key like any other, and the test would measure when autovacuum last ran."""
    engine = get_engine()
    tables = [str(model.__tablename__) for model in (Property, BuilderProfile, Community)]
    try:
        _commit_and_vacuum(engine, tables)
        yield
    finally:
        with engine.begin() as connection:
            connection.exec_driver_sql(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")


def _commit_and_vacuum(engine: Engine, tables: list[str]) -> None:
    with Session(engine) as db:
        db.add_all(
            Property(title=f"Home {n}", city=("Houston", "Dallas", "Austin")[n % 3], state="TX",
                     property_status=("available", "sold", "pending")[n % 3], description=_listing_text(n))
            for n in range(LISTED)
        )  # fmt: skip
        # Public ids given: 2,000 drawn in one second (epoch second and 6 random characters) collide about once
        # in a thousand runs.
        db.add_all(BuilderProfile(builder_id=f"BLD-LISTED-{n}", name=f"Builder {n}", city="Dallas", state="TX",
                                  about=_listing_text(n)) for n in range(LISTED))  # fmt: skip
        db.add_all(Community(community_id=f"CMY-LISTED-{n}", name=f"Community {n}", city="Austin", state="TX",
                             about=_listing_text(n)) for n in range(LISTED))  # fmt: skip
        db.commit()
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        for table in tables:
            connection.exec_driver_sql(f"VACUUM ANALYZE {table}")


def _page_plan(client: TestClient, session: Session, path: str, params: dict[str, Any]) -> str:
    """The plan of the list's page query, when walking an index in the list's order is the planner's only way."""
    sent: list[tuple[str, Any]] = []

    def record(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        sent.append((statement, parameters))

    engine = session.get_bind()
    event.listen(engine, "before_cursor_execute", record)
    try:
        response = client.get(API + path, params=params, headers=auth_headers(make_admin(session)))
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert response.status_code == 200, response.text
    statement, parameters = next((s, p) for s, p in sent if "page_keys" in s)
    connection = session.connection()
    for setting in ("enable_seqscan", "enable_bitmapscan", "enable_sort"):
        connection.exec_driver_sql(f"SET LOCAL {setting} = off")
    return "\n".join(row[0] for row in connection.exec_driver_sql(f"EXPLAIN {statement}", parameters))


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"city": "Houston", "status": "sold"},
        {"state": "tx", "builder_id": 1},
        {"community_id": 1, "name": "oakmont"},
        {"name": "oakmont", "city": "Houston", "state": "TX", "status": "available", "builder_id": 1},
        {"page": 3, "per_page": 5},
    ],
)
def test_homes_page_keys_come_from_an_index_only_scan(
    client: TestClient, session: Session, params: dict[str, Any]
) -> None:
    builder = make_builder(session)
    for n in range(3):
        make_property(session, title=f"The Oakmont - Lot {n}", city="Houston", state="TX", builder_id=builder.id)

    plan = _page_plan(client, session, "/properties", params)

    assert re.search(r"Index Only Scan (Backward )?using ix_\w+ on properties", plan), plan
    # The table is read for the page's own rows only, each found by its key.
    assert "id = properties_1.id" in plan and "Seq Scan" not in plan, plan


@pytest.mark.parametrize("path", ["/builders", "/communities"])
@pytest.mark.parametrize("params", [{}, {"city": "Houston", "name": "perry"}, {"state": "TX", "page": 2}])
def test_builder_and_community_page_keys_come_from_an_index_only_scan(
    client: TestClient, session: Session, path: str, params: dict[str, Any]
) -> None:
    plan = _page_plan(client, session, path, params)

    assert "Index Only Scan using ix_" in plan, plan
