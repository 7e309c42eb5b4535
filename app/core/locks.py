"""Field locks: an admin's edit marks a field human verified, and collection may then propose, never auto-apply."""

from __future__ import annotations

from sqlalchemy import BigInteger, Identity, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base, BigIntPK, CreatedAtMixin


class FieldLock(CreatedAtMixin, Base):
    """A human-verified field: collection may propose a change, never auto-apply it."""

    __tablename__ = "field_locks"
    __table_args__ = (UniqueConstraint("entity_type", "entity_id", "field_name"),)

    id: Mapped[int] = mapped_column(BigIntPK, Identity(), primary_key=True)
    entity_type: Mapped[str] = mapped_column(String(50))
    entity_id: Mapped[int] = mapped_column(BigInteger)
    field_name: Mapped[str] = mapped_column(String(100))
    locked_by: Mapped[str | None] = mapped_column(String(50))
    reason: Mapped[str | None] = mapped_column(Text)
