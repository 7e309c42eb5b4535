"""Keyset (cursor) paging shared by every list: the work per page stays flat however deep or large the list.

A list is ordered by a unique key (e.g. ``(name, id)``). A page answers with ``next_cursor``, the position of its
last row; the next request passes it as ``cursor`` and reads on from there through the key's index, so page
10,000 costs what page 1 costs and rows inserted meanwhile neither repeat nor go missing. ``page`` still works
for the first ``MAX_OFFSET_ROWS`` rows (the plan's paging); deeper pages are reached by cursor only. A page's
rows are found by their keys first, read whole only then, so the rows a page number skips (or a filter rejects)
cost an index entry each where the list's index carries its filter columns.
Totals are exact up to ``EXACT_TOTAL_LIMIT`` and the planner's estimate above it (``total_is_estimate``),
so no request counts a million rows.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated, Any, Generic, TypeVar

from fastapi import Depends, Query
from pydantic import BaseModel, Field
from sqlalchemy import ColumnElement, Select, and_, func, literal, select, tuple_, union
from sqlalchemy.orm import QueryableAttribute, Session

from app.core.errors import InvalidInput

T = TypeVar("T")

# Rows a page number may skip: deeper pages follow next_cursor, so no request scans an unbounded OFFSET.
MAX_OFFSET_ROWS = 10_000
# Totals above this are the query planner's estimate, flagged by total_is_estimate.
EXACT_TOTAL_LIMIT = 1_000

PageNumber = Annotated[
    int,
    Query(
        ge=1,
        le=MAX_OFFSET_ROWS,
        description=f"1-based page number. A page number skips the rows before it (read from an index, never "
        f"the table), so it may skip at most {MAX_OFFSET_ROWS:,} rows: a deeper page is a 422; follow "
        "`next_cursor` instead, which costs the same on every page however deep",
    ),
]
PerPage = Annotated[int, Query(ge=1, le=100, description="rows per page, at most 100")]
CursorParam = Annotated[
    str | None,
    Query(
        max_length=2000,
        description="`next_cursor` of the previous page: reads on from there (then `page` is ignored)",
    ),
]


class Page(BaseModel):
    """Paging fields every list answers with: the plan's total, page and per_page, and the keyset cursor."""

    total: int = Field(examples=[1], description=f"exact up to {EXACT_TOTAL_LIMIT:,}; above it see total_is_estimate")
    total_is_estimate: bool = Field(
        False, description="true when total is the database's estimate (lists longer than the exact limit)"
    )
    page: int = Field(examples=[1])
    per_page: int = Field(examples=[20])
    next_cursor: str | None = Field(
        None, description="pass as `cursor` to get the next page; null on the last page", examples=[None]
    )


@dataclass(frozen=True)
class PageRequest:
    """What the client asked for: a page number, or the cursor of the previous page."""

    page: int = 1
    per_page: int = 20
    cursor: str | None = None


def page_request(page: PageNumber = 1, per_page: PerPage = 20, cursor: CursorParam = None) -> PageRequest:
    return PageRequest(page=page, per_page=per_page, cursor=cursor)


PageDep = Annotated[PageRequest, Depends(page_request)]


@dataclass(frozen=True)
class SortKey:
    """A list's order: columns that together are unique (the last is usually the id), all ascending or descending."""

    keys: tuple[ColumnElement[Any] | QueryableAttribute[Any], ...]
    descending: bool = False

    @property
    def columns(self) -> tuple[ColumnElement[Any], ...]:
        return tuple(k.expression if isinstance(k, QueryableAttribute) else k for k in self.keys)

    def order_by(self) -> list[ColumnElement[Any]]:
        return [c.desc() if self.descending else c.asc() for c in self.columns]

    def after(self, values: Sequence[Any]) -> ColumnElement[bool]:
        """Rows past the position ``values`` in this order (a row comparison the key's index serves)."""
        position = tuple_(*(literal(v, type_=c.type) for c, v in zip(self.columns, values, strict=True)))
        row = tuple_(*self.columns)
        return row < position if self.descending else row > position


@dataclass(frozen=True)
class Cursor:
    """A position in a list: the sort key of the last row shown, and the number of the page that follows."""

    page: int
    values: tuple[Any, ...]

    def encode(self) -> str:
        data = [self.page, [_plain(v) for v in self.values]]
        return base64.urlsafe_b64encode(json.dumps(data, separators=(",", ":")).encode()).decode().rstrip("=")

    @classmethod
    def decode(cls, text: str, key: SortKey) -> Cursor:
        """The cursor a previous page handed out; InvalidInput naming ``cursor`` for anything else."""
        try:
            page, raw = json.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))
            if not isinstance(page, int) or page < 2 or not isinstance(raw, list) or len(raw) != len(key.columns):
                raise ValueError("wrong shape")
            return cls(page=page, values=tuple(_typed(c, v) for c, v in zip(key.columns, raw, strict=True)))
        except (ValueError, TypeError, binascii.Error, UnicodeDecodeError) as exc:
            raise InvalidInput(
                "cursor: not a cursor of this list; pass the next_cursor of the previous page unchanged"
            ) from exc


def _plain(value: Any) -> Any:
    """A key value as JSON; times with their zone (SQLite hands back UTC times without one)."""
    if isinstance(value, datetime):
        return (value if value.tzinfo is not None else value.replace(tzinfo=UTC)).isoformat()
    return value


def _typed(column: ColumnElement[Any], value: Any) -> Any:
    expected = column.type.python_type
    if expected is datetime and isinstance(value, str):
        parsed = datetime.fromisoformat(value)
        if parsed.tzinfo is None:
            raise ValueError("cursor time without a zone")
        return parsed
    if expected is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if value is None or type(value) is not expected:
        raise ValueError(f"cursor value {value!r} is not a {expected.__name__}")
    return value


@dataclass(frozen=True)
class PageResult(Generic[T]):
    rows: list[T]
    page: int
    per_page: int
    total: int
    total_is_estimate: bool
    next_cursor: str | None

    def paging(self) -> dict[str, Any]:
        """The Page fields of a list response."""
        return {
            "total": self.total,
            "total_is_estimate": self.total_is_estimate,
            "page": self.page,
            "per_page": self.per_page,
            "next_cursor": self.next_cursor,
        }


def paginate(session: Session, stmt: Select[Any], key: SortKey, request: PageRequest) -> PageResult[Any]:
    """One page of ``stmt`` (a select of one entity or column, filtered, not ordered) in ``key``'s order."""
    return paginate_union(session, [stmt], key, request)


def paginate_union(
    session: Session, branches: Sequence[Select[Any]], key: SortKey, request: PageRequest
) -> PageResult[Any]:
    """One page of the rows any of ``branches`` yields, each branch read through its own index.

    For a filter with OR whose sides different indexes serve: each branch reads at most one page (plus what a
    page number skips) in key order, and the pages merge. The key's SQL order must match Python's (ids, times).
    """
    cursor = Cursor.decode(request.cursor, key) if request.cursor is not None else None
    skipped = 0 if cursor is not None else (request.page - 1) * request.per_page
    if skipped > MAX_OFFSET_ROWS:
        raise InvalidInput(
            f"page: pages past row {MAX_OFFSET_ROWS:,} are read by cursor; "
            "follow next_cursor from an earlier page (or narrow the filters)"
        )
    wanted = request.per_page + 1
    found: dict[tuple[Any, ...], Any] = {}
    for branch in branches:
        stmt = branch.where(key.after(cursor.values)) if cursor is not None else branch
        if len(branches) == 1:
            # One branch is read with SQL OFFSET; several merge first, so each reads what the page skips too.
            stmt = _rows_by_key(stmt, key, skipped, wanted)
        else:
            stmt = stmt.add_columns(*key.columns).order_by(*key.order_by()).limit(skipped + wanted)
        for row in session.execute(stmt):
            found.setdefault(tuple(row[1:]), row[0])
    # One branch comes in the database's order (its collation, for names); merged branches are sorted here.
    positions = list(found) if len(branches) == 1 else sorted(found, reverse=key.descending)[skipped:]
    positions = positions[:wanted]
    more = len(positions) > request.per_page
    positions = positions[: request.per_page]
    page_number = cursor.page if cursor is not None else request.page
    if cursor is None and len(branches) == 1 and not more and (positions or not skipped):
        # The list ends on this page: its rows are the total, no count needed (a filter matching few rows
        # would otherwise be read twice).
        total, estimated = skipped + len(positions), False
    else:
        total, estimated = count_rows(session, branches, key)
    return PageResult(
        rows=[found[p] for p in positions],
        page=page_number,
        per_page=request.per_page,
        total=total,
        total_is_estimate=estimated,
        next_cursor=Cursor(page_number + 1, positions[-1]).encode() if more else None,
    )


def _rows_by_key(stmt: Select[Any], key: SortKey, skipped: int, wanted: int) -> Select[Any]:
    """The page's rows, found by their sort key first and read whole only then (a "deferred join").

    The inner query reads only the key and filter columns, so an index that holds them all (the lists'
    covering indexes) answers it without touching the table: the rows a filter rejects, and the rows a
    page number skips, cost an index entry each, never a row read. Only the page's own rows are read.
    """
    labels = [f"key_{i}" for i in range(len(key.columns))]
    found = (
        stmt.with_only_columns(
            *(c.label(n) for c, n in zip(key.columns, labels, strict=True)), maintain_column_froms=True
        )
        .order_by(*key.order_by())
        .offset(skipped)
        .limit(wanted)
        .subquery("page_keys")
    )
    keys = [found.c[n] for n in labels]
    same_row = and_(*(c == k for c, k in zip(key.columns, keys, strict=True)))
    return stmt.add_columns(*keys).join(found, same_row).order_by(*(k.desc() if key.descending else k for k in keys))


def count_rows(session: Session, branches: Sequence[Select[Any]], key: SortKey) -> tuple[int, bool]:
    """How many rows the branches yield together: exact up to EXACT_TOTAL_LIMIT, else the planner's estimate."""
    keyed = [b.with_only_columns(*key.columns, maintain_column_froms=True).order_by(None) for b in branches]
    limited = [select(*b.limit(EXACT_TOTAL_LIMIT + 1).subquery().c) for b in keyed]
    rows = limited[0] if len(limited) == 1 else union(*limited)
    exact = session.scalar(select(func.count()).select_from(rows.subquery())) or 0
    if exact <= EXACT_TOTAL_LIMIT:
        return exact, False
    if session.get_bind().dialect.name != "postgresql":
        # SQLite (the quickstart's small database) has no row estimate; its exact count is cheap.
        every = keyed[0] if len(keyed) == 1 else union(*keyed)
        return session.scalar(select(func.count()).select_from(every.subquery())) or 0, False
    estimate = sum(_planner_estimate(session, b) for b in keyed)
    return max(estimate, EXACT_TOTAL_LIMIT + 1), True


def _planner_estimate(session: Session, stmt: Select[Any]) -> int:
    """PostgreSQL's estimate of the rows ``stmt`` yields (EXPLAIN's Plan Rows), from table statistics."""
    connection = session.connection()
    compiled = stmt.compile(connection)
    plan: Any = connection.exec_driver_sql(f"EXPLAIN (FORMAT JSON) {compiled}", compiled.params).scalar()
    return int(plan[0]["Plan"]["Plan Rows"])
