"""trigram candidate indexes

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29 20:10:00

Entity matching retrieves candidates by trigram similarity (pg_trgm) so that a discovered record is
compared with the existing records whose names, addresses, websites or phones look alike, through an
index rather than a scan. PostgreSQL only: the SQLite quickstart keeps its LIKE retrieval. The indexes
are expression indexes the models do not declare; migrations/env.py keeps `alembic check` from
reporting them (every name starts with "ix_trgm_").
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (index name, table, indexed expression); the expressions are the ones app/matching/repository.py queries.
TRIGRAM_INDEXES = (
    ("ix_trgm_builder_profiles_name", "builder_profiles", "lower(name)"),
    ("ix_trgm_builder_profiles_website", "builder_profiles", "lower(website)"),
    ("ix_trgm_builder_profiles_phone", "builder_profiles", "phone"),
    ("ix_trgm_communities_name", "communities", "lower(name)"),
    ("ix_trgm_communities_website", "communities", "lower(community_website_url)"),
    ("ix_trgm_communities_phone", "communities", "hoa_contact_phone"),
    ("ix_trgm_properties_address1", "properties", "lower(address1)"),
)


def _postgresql() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def upgrade() -> None:
    if not _postgresql():
        return
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table, expression in TRIGRAM_INDEXES:
        op.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (({expression}) gin_trgm_ops)")


def downgrade() -> None:
    if not _postgresql():
        return
    for name, _table, _expression in TRIGRAM_INDEXES:
        op.execute(f"DROP INDEX IF EXISTS {name}")
    # The extension stays: dropping it could break other objects that came to rely on it.
