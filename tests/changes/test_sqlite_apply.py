"""Applying on the quickstart's SQLite database writes typed values (booleans, dates, datetimes, prices)."""

from __future__ import annotations

from datetime import date, datetime

from app.changes.apply import apply_changes
from app.changes.bulk import propose_updates_bulk
from app.changes.proposals import propose_updates
from app.communities.models import CommunityEvent
from app.core.config import get_settings
from app.core.db import session_scope
from app.properties.models import Property
from tests.changes.conftest import OFFICIAL, finding, make_job
from tests.factories import make_community, make_property

PAGE = "Pool: yes. Move in 2025-06-01. $455,000. Open plan kitchen. Fall Festival 2025-10-04 10:00"


def test_sqlite_apply_writes_typed_values_that_read_back(sqlite_db: None) -> None:
    with session_scope() as session:
        home = make_property(session, has_pool=False, move_in_date=None, price=480000.0, description="Old text")
        community = make_community(session)
        event = CommunityEvent(community_id=community.id, title="Fall Festival", starts_at=None)
        session.add(event)
        session.flush()
        job = make_job(session, entity_type="property")
        home_id, event_id = home.id, event.id
        # Home fields through the set-based detection, the event through the row-at-a-time one.
        ids, rejected, _ = propose_updates_bulk(
            session,
            job,
            "property",
            {
                home.id: finding(
                    "property",
                    has_pool="yes",
                    move_in_date="2025-06-01",
                    price="$455,000",
                    description="Open plan kitchen",
                )
            },
            {OFFICIAL: PAGE},
            settings=get_settings(),
        )
        assert rejected == []
        outcome = propose_updates(
            session,
            job,
            "community",
            community.id,
            finding(
                "community",
                name=community.name,
                children=[finding("event", title="Fall Festival", starts_at="2025-10-04T10:00:00")],
            ),
            {OFFICIAL: PAGE},
            settings=get_settings(),
        )
        change_ids = [*ids, *(c.id for c in outcome.changes)]
        assert len(change_ids) == 5  # has_pool false -> true is detected too
        result = apply_changes(session, change_ids, actor="admin")
        assert (result.applied_changes, result.failed) == (5, 0), result

    with session_scope() as session:
        home = session.get(Property, home_id)
        assert home is not None
        assert home.has_pool is True
        assert home.move_in_date == date(2025, 6, 1)
        assert home.price == 455000.0
        assert home.description == "Open plan kitchen"
        event = session.get(CommunityEvent, event_id)
        assert event is not None and event.starts_at is not None
        assert (event.starts_at.year, event.starts_at.month, event.starts_at.day) == (2025, 10, 4)
        assert isinstance(event.starts_at, datetime)
