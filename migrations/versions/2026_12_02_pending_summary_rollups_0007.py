"""pending summary rollups

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 00:30:00

``GET /changes/summary`` counted every pending change on each request (131 ms at a million changes, 206,000 of
them pending): its cost followed the backlog. It now reads two rollups (app/changes/models.py), kept as the
stats rollups of revision 0003 are: after every statement on collection_changes a trigger appends one signed
delta row per key, computed from the statement's transition tables, so writers never wait on a shared counter
row, and the beat's ``compact_rollups`` folds them.
1. rollup_pending_changes: pending changes by entity type and field (a few rows per type once folded).
2. rollup_pending_jobs: pending changes by job; compaction leaves one ``folded`` row per job, and an index on
   the folded counts, highest first, gives the busiest jobs without reading the others.
The two indexes of revision 0006 the summary's counts read are dropped: nothing else reads them, and every
change written paid for them. PostgreSQL only, as 0003; the SQLite quickstart counts the changes.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PENDING = "coalesce(r.status = 'pending', false)::int"
# rollup -> its key columns; each row's measure is PENDING.
ROLLUPS = {
    "rollup_pending_changes": ("entity_type", "field_name"),
    "rollup_pending_jobs": ("job_id",),
}
TOP_INDEX = "ix_expr_rollup_pending_jobs_top"
# Per operation: the transition tables it has, and the sign of their rows.
OPERATIONS = {
    "insert": ("REFERENCING NEW TABLE AS new_rows", {"new_rows": 1}),
    "update": ("REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows", {"new_rows": 1, "old_rows": -1}),
    "delete": ("REFERENCING OLD TABLE AS old_rows", {"old_rows": -1}),
}
SUMMARY_INDEXES = (
    ("ix_collection_changes_status_type", ["status", "entity_type"]),
    ("ix_collection_changes_status_job", ["status", "job_id"]),
)


def _delta_insert(rollup: str, keys: Sequence[str], sources: dict[str, int]) -> str:
    """INSERT of the signed pending counts of the rows in ``sources`` ({relation: +1 or -1}), one row per key;
    a statement that moves no change into or out of pending writes nothing."""
    key_list = ", ".join(keys)
    rows = " UNION ALL ".join(
        f"SELECT {', '.join(f'r.{k}' for k in keys)}, {sign} * {PENDING} AS pending FROM {relation} AS r"
        for relation, sign in sources.items()
    )
    return (
        f"INSERT INTO {rollup} ({key_list}, pending) SELECT {key_list}, sum(pending) FROM ({rows}) AS d "
        f"GROUP BY {key_list} HAVING sum(pending) <> 0"
    )


def _postgresql() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def upgrade() -> None:
    op.create_table(
        "rollup_pending_changes",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), sa.Identity(always=False), nullable=False),
        sa.Column("entity_type", sa.String(50), nullable=False),
        sa.Column("field_name", sa.String(100), nullable=True),
        sa.Column("pending", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rollup_pending_changes")),
    )
    op.create_table(
        "rollup_pending_jobs",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), sa.Identity(always=False), nullable=False),
        sa.Column("job_id", sa.String(50), nullable=False),
        sa.Column("pending", sa.BigInteger(), nullable=False),
        sa.Column("folded", sa.Boolean(), server_default="false", nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rollup_pending_jobs")),
    )
    op.create_index(
        "uq_rollup_pending_jobs_folded",
        "rollup_pending_jobs",
        ["job_id"],
        unique=True,
        postgresql_where=sa.text("folded"),
        sqlite_where=sa.text("folded"),
    )
    op.create_index(
        "ix_rollup_pending_jobs_unfolded",
        "rollup_pending_jobs",
        ["job_id"],
        postgresql_where=sa.text("NOT folded"),
        sqlite_where=sa.text("NOT folded"),
    )
    for name, _columns in SUMMARY_INDEXES:
        op.drop_index(name, table_name="collection_changes")
    if not _postgresql():
        return
    op.execute(f"CREATE INDEX {TOP_INDEX} ON rollup_pending_jobs (pending DESC, job_id) WHERE folded")
    for operation, (referencing, sources) in OPERATIONS.items():
        name = f"rollup_pending_{operation}"
        body = "\n".join(_delta_insert(rollup, keys, sources) + ";" for rollup, keys in ROLLUPS.items())
        op.execute(f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN\n{body}\nRETURN NULL; END $$")
        op.execute(
            f"CREATE TRIGGER {name} AFTER {operation.upper()} ON collection_changes {referencing} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {name}()"
        )
    body = "\n".join(f"DELETE FROM {rollup};" for rollup in ROLLUPS)
    op.execute(f"CREATE FUNCTION rollup_pending_truncate() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN\n{body}\nRETURN NULL; END $$")
    op.execute(
        "CREATE TRIGGER rollup_pending_truncate AFTER TRUNCATE ON collection_changes "
        "FOR EACH STATEMENT EXECUTE FUNCTION rollup_pending_truncate()"
    )
    # The changes pending before this revision, already folded.
    op.execute(_delta_insert("rollup_pending_changes", ROLLUPS["rollup_pending_changes"], {"collection_changes": 1}))
    op.execute(
        "INSERT INTO rollup_pending_jobs (job_id, pending, folded) SELECT job_id, count(*), true "
        "FROM collection_changes WHERE status = 'pending' GROUP BY job_id"
    )


def downgrade() -> None:
    if _postgresql():
        for name in [f"rollup_pending_{operation}" for operation in OPERATIONS] + ["rollup_pending_truncate"]:
            op.execute(f"DROP TRIGGER IF EXISTS {name} ON collection_changes")
            op.execute(f"DROP FUNCTION IF EXISTS {name}()")
    for name, columns in SUMMARY_INDEXES:
        op.create_index(name, "collection_changes", columns)
    op.drop_table("rollup_pending_jobs")
    op.drop_table("rollup_pending_changes")
