"""Keyset paging of the lists: every row exactly once while rows arrive, filters kept, bounded pages and totals."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event
from sqlalchemy.orm import Session

from app.auth.models import User
from app.core import pagination
from app.core.pagination import MAX_OFFSET_ROWS, Cursor, SortKey
from app.jobs.models import CollectionJob
from tests.factories import auth_headers, make_admin, make_builder, make_property
from tests.ops.jobdata import make_change, make_job

API = "/api/v1/admin"


def _walk(client: TestClient, admin: User, path: str, key: str, params: dict[str, Any], between: Any = None) -> list:
    """Every page of a list by following next_cursor; ``between(page_number)`` runs before each next page."""
    seen: list[Any] = []
    body = client.get(API + path, params=params, headers=auth_headers(admin)).json()
    pages = 1
    while True:
        seen += body[key]
        if body["next_cursor"] is None:
            return seen
        if between is not None:
            between(pages)
        pages += 1
        body = client.get(
            API + path, params={**params, "cursor": body["next_cursor"]}, headers=auth_headers(admin)
        ).json()
        assert body["page"] == pages


def test_every_builder_is_listed_exactly_once_while_builders_are_added_between_pages(
    client: TestClient, session: Session
) -> None:
    admin = make_admin(session)
    originals = {make_builder(session, name=f"Keyset Homes {n:03}").id for n in range(23)}
    added_after: set[int] = set()

    def add_builders(page: int) -> None:
        # One sorts before every row already shown, one after everything: neither may shift what follows.
        make_builder(session, name=f"Keyset Homes {page:03} early")
        added_after.add(make_builder(session, name=f"Keyset Homes zz {page}").id)

    seen = _walk(client, admin, "/builders", "builders", {"name": "keyset homes", "per_page": 5}, add_builders)
    counts = Counter(b["id"] for b in seen)

    assert max(counts.values()) == 1
    assert originals <= set(counts)
    assert added_after <= set(counts)  # rows added ahead of the position are read when the list gets there


def test_newest_first_jobs_page_once_each_while_new_jobs_start(client: TestClient, session: Session) -> None:
    admin = make_admin(session)
    originals = {make_job(session, created_ago=timedelta(minutes=n)).job_id for n in range(17)}
    # Two jobs created in the same microsecond: the id keeps them apart.
    same = make_job(session, created_ago=timedelta(minutes=30))
    twin = make_job(session, created_at=same.created_at)
    originals |= {same.job_id, twin.job_id}
    newer: set[str] = set()

    seen = _walk(
        client,
        admin,
        "/collection-jobs",
        "jobs",
        {"per_page": 4},
        lambda _page: newer.add(make_job(session).job_id),
    )
    ids = [j["job_id"] for j in seen]

    # New jobs sort before the position (newest first): they neither repeat nor push an original off a page.
    assert len(ids) == len(set(ids)) and set(ids) == originals and len(newer) == 4
    times = [j["created_at"] for j in seen]
    assert times == sorted(times, reverse=True)


def test_cursor_pages_keep_the_filters(client: TestClient, session: Session) -> None:
    admin = make_admin(session)
    builder = make_builder(session)
    wanted = {
        make_property(session, title=f"Lot {n}", city="Katy", property_status="sold", builder_id=builder.id).id
        for n in range(9)
    }
    make_property(session, title="Lot other city", city="Houston", property_status="sold", builder_id=builder.id)
    make_property(session, title="Lot unsold", city="Katy", property_status="available", builder_id=builder.id)

    seen = _walk(
        client, admin, "/properties", "properties", {"city": "KATY", "status": "sold", "per_page": 2, "name": "lot"}
    )

    assert [p["id"] for p in seen] and {p["id"] for p in seen} == wanted and len(seen) == len(wanted)


def test_a_page_number_and_the_cursor_of_the_page_before_give_the_same_page(
    client: TestClient, session: Session
) -> None:
    admin = make_admin(session)
    for n in range(7):
        make_builder(session, name=f"Same Page Homes {n}")
    params = {"name": "same page", "per_page": 3}
    first = client.get(f"{API}/builders", params=params, headers=auth_headers(admin)).json()
    by_number = client.get(f"{API}/builders", params={**params, "page": 2}, headers=auth_headers(admin)).json()
    by_cursor = client.get(
        f"{API}/builders", params={**params, "cursor": first["next_cursor"]}, headers=auth_headers(admin)
    ).json()

    assert by_number["builders"] == by_cursor["builders"] and len(by_number["builders"]) == 3
    assert by_number["page"] == by_cursor["page"] == 2
    assert first["total"] == 7 and first["total_is_estimate"] is False


@pytest.mark.parametrize(
    "path", ["/builders", "/communities", "/properties", "/collection-jobs", "/entity-matches", "/sources", "/opt-outs"]
)
def test_every_list_refuses_a_page_past_the_offset_limit_and_a_forged_cursor(
    client: TestClient, session: Session, path: str
) -> None:
    headers = auth_headers(make_admin(session))
    deep = client.get(API + path, params={"page": MAX_OFFSET_ROWS // 20 + 2, "per_page": 20}, headers=headers)
    forged = client.get(API + path, params={"cursor": "not-a-cursor"}, headers=headers)
    wrong_shape = client.get(API + path, params={"cursor": Cursor(2, ("a", "b", "c")).encode()}, headers=headers)

    assert deep.status_code == 422 and "page" in deep.json()["detail"] and "cursor" in deep.json()["detail"]
    assert forged.status_code == 422 and forged.json()["detail"].startswith("cursor:")
    assert wrong_shape.status_code == 422 and wrong_shape.json()["detail"].startswith("cursor:")


def test_a_cursor_of_another_list_is_refused(client: TestClient, session: Session) -> None:
    admin = make_admin(session)
    for n in range(3):
        make_builder(session, name=f"Cursor Homes {n}")
    builders = client.get(f"{API}/builders", params={"per_page": 1}, headers=auth_headers(admin)).json()

    jobs = client.get(f"{API}/collection-jobs", params={"cursor": builders["next_cursor"]}, headers=auth_headers(admin))

    assert jobs.status_code == 422 and jobs.json()["detail"].startswith("cursor:")


def test_totals_past_the_exact_limit_are_flagged_as_estimates(
    client: TestClient, session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    admin = make_admin(session)
    for n in range(8):
        make_builder(session, name=f"Counted Homes {n}")
    monkeypatch.setattr(pagination, "EXACT_TOTAL_LIMIT", 5)

    params = {"name": "counted homes", "per_page": 3}  # more pages follow, so the total is counted
    many = client.get(f"{API}/builders", params=params, headers=auth_headers(admin)).json()
    few = client.get(f"{API}/builders", params={"name": "counted homes 1"}, headers=auth_headers(admin)).json()

    assert many["total_is_estimate"] is True and many["total"] >= 6 and len(many["builders"]) == 3
    assert few == {**few, "total": 1, "total_is_estimate": False}


def test_pending_changes_page_through_both_lists_in_proposal_order(client: TestClient, session: Session) -> None:
    admin = make_admin(session)
    builder = make_builder(session)
    job = make_job(session, entity_type="builder", entity_id=builder.id)
    own = [make_change(session, job, entity_id=builder.id, field_name=f"field{n}").id for n in range(5)]
    homes = [
        make_change(
            session, job, entity_type="property", entity_id=None, field_name=None, is_new_entity=True,
            change_type="added", parent_entity_type="builder", parent_entity_id=builder.id,
            proposed_entity_data={"title": f"New Lot {n}"},
        ).id
        for n in range(230)
    ]  # fmt: skip
    other = make_builder(session)
    make_change(session, job, entity_id=other.id, field_name="phone")  # another builder's: never listed

    pages = []
    params: dict[str, Any] = {}
    while True:
        body = client.get(
            f"{API}/builders/{builder.id}/pending-changes", params=params, headers=auth_headers(admin)
        ).json()
        pages.append(body)
        if body["next_cursor"] is None:
            break
        params = {"cursor": body["next_cursor"]}

    assert [len(p["pending_changes"]) + len(p["pending_new_entities"]) for p in pages] == [100, 100, 35]
    assert [p["total"] for p in pages] == [235] * 3 and [p["page"] for p in pages] == [1, 2, 3]
    listed = [c["change_id"] for p in pages for c in p["pending_changes"] + p["pending_new_entities"]]
    assert sorted(listed) == sorted(own + homes)
    assert [c["change_id"] for c in pages[0]["pending_changes"]] == own


def test_a_cursor_keeps_times_in_utc_even_when_the_database_hands_them_back_without_a_zone() -> None:
    key = SortKey((CollectionJob.created_at, CollectionJob.id), descending=True)
    naive = datetime(2025, 11, 24, 15, 0, 0, 123456)  # how SQLite returns a UTC time

    cursor = Cursor.decode(Cursor(3, (naive, 42)).encode(), key)

    assert cursor == Cursor(3, (naive.replace(tzinfo=UTC), 42))


def test_a_list_that_ends_on_its_page_takes_its_total_from_the_page_without_counting(
    client: TestClient, session: Session
) -> None:
    headers = auth_headers(make_admin(session))
    for n in range(3):
        make_builder(session, name=f"Short List Homes {n}")
    sent: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        sent.append(statement)

    engine = session.get_bind()
    event.listen(engine, "before_cursor_execute", record)
    try:
        whole = client.get(f"{API}/builders", params={"name": "short list"}, headers=headers).json()
        counted_whole = sum("count(" in s for s in sent)
        last = client.get(f"{API}/builders", params={"name": "short list", "page": 2, "per_page": 2}, headers=headers)
        past_the_end = client.get(
            f"{API}/builders", params={"name": "short list", "page": 5, "per_page": 2}, headers=headers
        ).json()
    finally:
        event.remove(engine, "before_cursor_execute", record)

    assert whole["total"] == 3 and whole["total_is_estimate"] is False and counted_whole == 0
    assert last.json()["total"] == 3 and [b["name"] for b in last.json()["builders"]] == ["Short List Homes 2"]
    assert past_the_end["total"] == 3 and past_the_end["builders"] == []  # an empty page far out still counts
