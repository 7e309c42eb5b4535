"""The pg_trgm indexes candidate retrieval uses (created by migration 0002, PostgreSQL only).

They are expression indexes the models do not declare, so schema comparison must leave them out.
"""

from __future__ import annotations

from typing import Any

TRIGRAM_INDEX_PREFIX = "ix_trgm_"
# Expression indexes of the admin lists (migration 0003), likewise not in the models.
EXPRESSION_INDEX_PREFIX = "ix_expr_"


def include_object(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
    """Alembic's include_object hook: skip the trigram and expression indexes reflected from the database."""
    return not (
        type_ == "index"
        and reflected
        and name is not None
        and name.startswith((TRIGRAM_INDEX_PREFIX, EXPRESSION_INDEX_PREFIX))
    )
