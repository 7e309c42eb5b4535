"""Users who may use the collector, with their role and auto-apply permission."""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import Boolean, Identity, String
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base, BigIntPK, TimestampMixin
from app.core.ids import new_user_id


class Role(StrEnum):
    user = "user"
    admin = "admin"
    super_admin = "super_admin"


ADMIN_ROLES = frozenset({Role.admin, Role.super_admin})


class User(TimestampMixin, Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(BigIntPK, Identity(), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(50), unique=True, default=new_user_id)
    email: Mapped[str] = mapped_column(String(255), unique=True)
    display_name: Mapped[str | None] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20), default=Role.user, server_default=Role.user.value)
    can_auto_apply: Mapped[bool] = mapped_column(Boolean, default=False, server_default="false")
    is_active: Mapped[bool] = mapped_column(Boolean, default=True, server_default="true")

    @property
    def is_admin(self) -> bool:
        return self.role in ADMIN_ROLES and self.is_active
