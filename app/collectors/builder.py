"""Builder collector: the builder's profile with its awards, credentials, home plans and service areas."""

from __future__ import annotations

from typing import ClassVar

from app.collectors.base import BaseCollector
from app.core.entities import EntityType


class BuilderCollector(BaseCollector):
    entity_type: ClassVar[str] = EntityType.builder
    # A builder's feed or page may list plans, awards and licenses as records of their own.
    child_kinds: ClassVar[frozenset[str]] = frozenset({"award", "credential", "home_plan"})
