"""covering list indexes

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 16:10:00

1. The list indexes of homes, builders and communities also carry every column the lists filter on
   (INCLUDE). A list reads its page's keys from one of them without touching the table
   (app/core/pagination.py): whichever filter leads, the others and a name search are checked on the index
   entry, and rows a page number skips cost an index entry each. So any combination of filters needs one
   index per leading filter, not one per combination. A title search on homes lists the newest first, through
   an index in id order that carries the title and the filters. PostgreSQL only (SQLite has no INCLUDE).
2. Two partial indexes behind the daily digest and the failure alert, so they read the day's rows, not the
   history: changes by applied_at (applied ones), and failed jobs by when they finished.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PROPERTY_FILTERS = ("archived_at", "city", "state", "property_status", "builder_id", "community_id")
RECORD_FILTERS = ("archived_at", "city", "state")

# (index name, table, key) -> the columns it carries besides its key.
COVERING_INDEXES = {
    ("ix_properties_title", "properties", "title, id"): PROPERTY_FILTERS,
    ("ix_properties_builder_id_title", "properties", "builder_id, title, id"): PROPERTY_FILTERS,
    ("ix_properties_community_id_title", "properties", "community_id, title, id"): PROPERTY_FILTERS,
    ("ix_properties_property_status_title", "properties", "property_status, title, id"): PROPERTY_FILTERS,
    ("ix_expr_properties_city_title", "properties", "lower(city), title, id"): PROPERTY_FILTERS,
    ("ix_expr_properties_state_title", "properties", "lower(state), title, id"): PROPERTY_FILTERS,
    ("ix_builder_profiles_name", "builder_profiles", "name, id"): RECORD_FILTERS,
    ("ix_expr_builder_profiles_city_name", "builder_profiles", "lower(city), name, id"): RECORD_FILTERS,
    ("ix_expr_builder_profiles_state_name", "builder_profiles", "lower(state), name, id"): RECORD_FILTERS,
    ("ix_communities_name", "communities", "name, id"): RECORD_FILTERS,
    ("ix_expr_communities_city_name", "communities", "lower(city), name, id"): RECORD_FILTERS,
    ("ix_expr_communities_state_name", "communities", "lower(state), name, id"): RECORD_FILTERS,
}
# A title search lists the newest homes first, through this index (id order) rather than the title's.
NEWEST_HOMES_INDEX = "ix_properties_newest"
FAILED_JOBS_INDEX = "ix_expr_collection_jobs_failed_at"


def _postgresql() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def _carried(key: str, columns: tuple[str, ...]) -> list[str]:
    """The filter columns not already plain key columns of the index."""
    keys = {part.strip() for part in key.split(",")}
    return [c for c in columns if c not in keys]


def upgrade() -> None:
    applied = sa.text("status = 'applied'")
    op.create_index(
        "ix_collection_changes_applied_at",
        "collection_changes",
        ["applied_at"],
        postgresql_where=applied,
        sqlite_where=applied,
    )
    op.create_index(NEWEST_HOMES_INDEX, "properties", ["id"], postgresql_include=["title", *PROPERTY_FILTERS])
    if not _postgresql():
        return
    for (name, table, key), columns in COVERING_INDEXES.items():
        op.execute(f"DROP INDEX IF EXISTS {name}")
        op.execute(f"CREATE INDEX {name} ON {table} ({key}) INCLUDE ({', '.join(_carried(key, columns))})")
    op.execute(
        f"CREATE INDEX {FAILED_JOBS_INDEX} ON collection_jobs ((coalesce(completed_at, updated_at))) "
        "WHERE status = 'failed'"
    )


def downgrade() -> None:
    op.drop_index("ix_collection_changes_applied_at", table_name="collection_changes")
    op.drop_index(NEWEST_HOMES_INDEX, table_name="properties")
    if not _postgresql():
        return
    op.execute(f"DROP INDEX IF EXISTS {FAILED_JOBS_INDEX}")
    for name, table, key in COVERING_INDEXES:
        op.execute(f"DROP INDEX IF EXISTS {name}")
        op.execute(f"CREATE INDEX {name} ON {table} ({key})")
