"""list indexes

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 13:30:00

Indexes the admin lists need to stay flat as tables grow, that the models cannot declare: the name search
(`lower(name) LIKE lower(pattern)`, app/core/crud.py) through pg_trgm, and the case-insensitive city and state
filters (`lower(city) = ...`) leading an index in the list's order, so a filtered page is read in order
from the index. PostgreSQL only; migrations/env.py keeps `alembic check` from reporting them (their names
start with "ix_trgm_" or "ix_expr_").
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (index name, table, what it indexes); the expressions are the ones the list queries use.
LIST_INDEXES = (
    ("ix_trgm_properties_title", "properties", "USING gin ((lower(title)) gin_trgm_ops)"),
    ("ix_expr_builder_profiles_city_name", "builder_profiles", "(lower(city), name, id)"),
    ("ix_expr_builder_profiles_state_name", "builder_profiles", "(lower(state), name, id)"),
    ("ix_expr_communities_city_name", "communities", "(lower(city), name, id)"),
    ("ix_expr_communities_state_name", "communities", "(lower(state), name, id)"),
    ("ix_expr_properties_city_title", "properties", "(lower(city), title, id)"),
    ("ix_expr_properties_state_title", "properties", "(lower(state), title, id)"),
)


def _postgresql() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def upgrade() -> None:
    if not _postgresql():
        return
    for name, table, indexed in LIST_INDEXES:
        op.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} {indexed}")


def downgrade() -> None:
    if not _postgresql():
        return
    for name, _table, _indexed in LIST_INDEXES:
        op.execute(f"DROP INDEX IF EXISTS {name}")
