"""review inbox indexes

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 16:30:00

The review inbox (app/changes/inbox.py) lists changes of one status, newest or oldest first or by
confidence, across all records: these indexes serve those orders with the status filter, so a page
reads its rows in order instead of sorting every pending change. Declared in app/changes/models.py.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXES = (
    ("ix_collection_changes_status_created", ["status", "created_at", "id"]),
    ("ix_collection_changes_status_confidence", ["status", "confidence", "id"]),
)


def upgrade() -> None:
    for name, columns in INDEXES:
        op.create_index(name, "collection_changes", columns)


def downgrade() -> None:
    for name, _columns in INDEXES:
        op.drop_index(name, table_name="collection_changes")
