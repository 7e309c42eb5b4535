"""manual retries counted against the job limits

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02 03:00:00

A retry of a failed or cancelled job is new work, but the job limits counted only the jobs created, by their
creation time: an admin under the hour's limit could retry jobs without end. Each manual retry is now a row
of collection_job_retries (who and when), and the limits count the jobs created and the retries together.
Retries made before this revision are not known (they were events only) and are not counted.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "collection_job_retries",
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), sa.Identity(always=False), nullable=False
        ),
        sa.Column("job_id", sa.String(length=50), nullable=False),
        sa.Column("retried_by", sa.String(length=50), nullable=True),
        sa.Column("retried_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["job_id"],
            ["collection_jobs.job_id"],
            name=op.f("fk_collection_job_retries_job_id_collection_jobs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_collection_job_retries")),
    )
    op.create_index("ix_collection_job_retries_retried_at", "collection_job_retries", ["retried_at"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_collection_job_retries_retried_at", table_name="collection_job_retries")
    op.drop_table("collection_job_retries")
