"""Query helpers shared by the set-based paths."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import BigInteger, ColumnElement, any_, bindparam
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session


def id_in(session: Session, column: Any, ids: Iterable[int]) -> ColumnElement[bool]:
    """``column IN ids``; on PostgreSQL one array parameter, not one placeholder per id."""
    values = list(ids)
    if session.get_bind().dialect.name == "postgresql":
        clause: ColumnElement[bool] = column == any_(bindparam(None, values, type_=ARRAY(BigInteger)))
        return clause
    clause = column.in_(values)
    return clause
