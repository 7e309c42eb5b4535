"""Query helpers shared by the set-based paths."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    FromClause,
    Select,
    String,
    Text,
    any_,
    bindparam,
    cast,
    column,
    func,
    insert,
    select,
    text,
    values,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSON
from sqlalchemy.orm import Session
from sqlalchemy.types import TypeEngine

from app.core.values import to_jsonable


def is_postgresql(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def lock_records(session: Session, entity_type: str, ids: Iterable[int]) -> None:
    """Serialize proposals per record until this transaction ends (PostgreSQL advisory locks, in id order).

    The check for an older pending change cannot see another job's uncommitted one; without this lock
    both jobs insert a pending change of the same field and the later fails on the partial unique index.
    SQLite has one writer at a time and needs none.
    """
    wanted = sorted(set(ids))
    if not wanted or not is_postgresql(session):
        return
    # Two int4 keys: the type's hash and the id folded into 31 bits (a collision only serializes more).
    session.execute(
        text(
            "SELECT pg_advisory_xact_lock(hashtext(:kind), (id % 2147483648)::int) "
            "FROM unnest(CAST(:ids AS bigint[])) AS id ORDER BY id"
        ),
        {"kind": entity_type, "ids": wanted},
    )


def id_in(session: Session, column: Any, ids: Iterable[int]) -> ColumnElement[bool]:
    """``column IN ids``; on PostgreSQL one array parameter, not one placeholder per id."""
    values = list(ids)
    if is_postgresql(session):
        clause: ColumnElement[bool] = column == any_(bindparam(None, values, type_=ARRAY(BigInteger)))
        return clause
    clause = column.in_(values)
    return clause


def lock_by_id(
    session: Session, query: Select[Any], id_column: Any, ids: Iterable[int], *, of: Any = None
) -> Select[Any]:
    """The query narrowed to the ids, in id order, FOR UPDATE: every locker takes rows in the same order, so
    concurrent appliers and rollbacks never deadlock."""
    return query.where(id_in(session, id_column, sorted(set(ids)))).order_by(id_column).with_for_update(of=of)


def rows_table(
    session: Session, name: str, columns: Sequence[tuple[str, TypeEngine[Any]]], rows: Sequence[Sequence[Any]]
) -> FromClause:
    """Rows usable in FROM / JOIN as ``name``; on PostgreSQL one JSON parameter read by ``json_to_recordset``.

    Thousands of rows then cost one parameter instead of one placeholder per value, which keeps the
    driver's query building and the server's parsing small. Values must be JSON-ready.
    """
    cols = [column(col_name, col_type) for col_name, col_type in columns]
    if is_postgresql(session):
        names = [col_name for col_name, _ in columns]
        payload = json.dumps([dict(zip(names, row, strict=True)) for row in rows], separators=(",", ":"))
        return (
            func.json_to_recordset(cast(bindparam(None, payload, type_=Text), JSON))
            .table_valued(*cols)
            .render_derived(name=name, with_types=True)
        )
    # SQLite names the columns of VALUES only in a common table expression.
    return values(*cols, name=name).data([tuple(row) for row in rows]).cte(name)


def insert_rows(
    session: Session,
    model: Any,
    columns: Sequence[tuple[str, TypeEngine[Any]]],
    rows: Sequence[dict[str, Any]],
    returning: Sequence[Any] = (),
) -> list[Any]:
    """One INSERT … SELECT of many rows (``created_at`` set by the database); returns the ``returning`` columns."""
    if not rows:
        return []
    if not is_postgresql(session):
        statement = insert(model).returning(*returning) if returning else insert(model)
        result = session.execute(statement, list(rows))
        return list(result) if returning else []
    names = [col_name for col_name, _ in columns]
    source = rows_table(session, "new_rows", columns, [[row.get(n) for n in names] for row in rows])
    statement = insert(model).from_select([*names, "created_at"], select(*[source.c[n] for n in names], func.now()))
    if returning:
        return list(session.execute(statement.returning(*returning)))
    session.execute(statement)
    return []


def sql_text(value: Any) -> str | None:
    """A Python value as the text PostgreSQL casts to the column's type."""
    if value is None or type(value) is str:
        return value  # the common case first: called once per found value of an inventory
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    value = to_jsonable(value)
    if isinstance(value, (list, dict)):
        return json.dumps(value, sort_keys=True)
    return str(value)


def as_column_type(expression: Any, column: Any) -> Any:
    """Text cast to ``column``'s type; strings stay text (a cast to VARCHAR(n) would truncate)."""
    if isinstance(column.type, String):
        return expression
    return cast(expression, column.type)
