"""A page of homes finds its rows' keys from an index alone, whatever combination of filters is asked.

The list indexes carry every filter column (migration 0004), and the page query reads keys before rows
(app/core/pagination.py): rows a filter rejects, or a page number skips, cost an index entry, not a row read.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event
from sqlalchemy.orm import Session

from tests.factories import auth_headers, make_admin, make_builder, make_property

API = "/api/v1/admin"


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
