"""Engine, session factory, declarative Base and the unit-of-work helpers."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any, overload

from sqlalchemy import JSON, BigInteger, DateTime, Engine, Integer, MetaData, create_engine, event, func
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker

from app.core.config import get_settings

# BIGINT identity keys on PostgreSQL; SQLite only auto-increments an INTEGER PRIMARY KEY.
BigIntPK = BigInteger().with_variant(Integer(), "sqlite")
# JSONB on PostgreSQL, JSON text on SQLite.
JSONType = JSON().with_variant(JSONB(), "postgresql")

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


@overload
def aware(moment: datetime) -> datetime: ...
@overload
def aware(moment: None) -> None: ...
def aware(moment: datetime | None) -> datetime | None:
    """A stored timestamp with its zone: SQLite (the quickstart) hands them back naive; they were written in UTC."""
    return moment if moment is None or moment.tzinfo is not None else moment.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: DateTime(timezone=True), dict[str, Any]: JSONType}


class CreatedAtMixin:
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now(), default=utcnow)


class TimestampMixin(CreatedAtMixin):
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), default=utcnow, onupdate=utcnow
    )


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)


@lru_cache
def get_engine() -> Engine:
    return make_engine(get_settings().database_url)


class _SessionFactory:
    """Indirection so tests can bind every session to their outer transaction."""

    def __init__(self) -> None:
        self.maker: sessionmaker[Session] | None = None

    def __call__(self) -> Session:
        if self.maker is None:
            # Every table must be known before the first flush (foreign keys across domains): each entry
            # point (API, worker, CLI, migrations) imports app.models first.
            self.maker = sessionmaker(bind=get_engine(), expire_on_commit=False)
        return self.maker()


SessionFactory = _SessionFactory()


@contextmanager
def session_scope() -> Iterator[Session]:
    """One unit of work: commit on success, roll back on error. Used by tasks and the CLI."""
    session = SessionFactory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


@contextmanager
def independent_scope(session: Session) -> Iterator[Session]:
    """A unit of work that commits on its own, whatever becomes of ``session``'s (counts, back-offs).

    PostgreSQL: a separate session, committed at once, so it survives the caller rolling back and
    holds no row lock for the caller's whole transaction. SQLite (the quickstart) allows one writer at
    a time and the caller may already be it: there the work joins the caller in a savepoint and is
    kept only if the caller commits.
    """
    if session.get_bind().dialect.name == "sqlite":
        with session.begin_nested():
            yield session
        return
    with session_scope() as own:
        yield own


def get_session() -> Iterator[Session]:
    """FastAPI dependency: one unit of work per request."""
    with session_scope() as session:
        yield session
