"""Engine, session factory, declarative Base and the unit-of-work helpers."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any, overload

from sqlalchemy import (
    JSON,
    BigInteger,
    DateTime,
    Dialect,
    Engine,
    Integer,
    MetaData,
    create_engine,
    event,
    func,
    select,
)
from sqlalchemy import exc as sa_exc
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker
from sqlalchemy.types import TypeDecorator

from app.core.config import Settings, get_settings

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


# SQLSTATEs of a server that is not answering: connection exceptions (class 08), and shutting down or
# starting up (57P01 admin shutdown, 57P02 crash shutdown, 57P03 cannot connect now).
_OUTAGE_SQLSTATES = ("08", "57P01", "57P02", "57P03")


def database_unreachable(exc: BaseException) -> bool:
    """True when ``exc`` says the database could not be reached (down, restarting, pool exhausted)."""
    if isinstance(exc, sa_exc.TimeoutError):  # no pooled connection came free in time
        return True
    if not isinstance(exc, sa_exc.DBAPIError):
        return False
    if exc.connection_invalidated:
        return True
    sqlstate = getattr(exc.orig, "sqlstate", None)
    if sqlstate is None:  # refused or dropped before the server said anything (SQLite's errors are local)
        return not hasattr(exc.orig, "sqlite_errorcode") and isinstance(
            exc, sa_exc.OperationalError | sa_exc.InterfaceError
        )
    return str(sqlstate).startswith(_OUTAGE_SQLSTATES)


def rollups_kept(session: Session) -> bool:
    """Whether triggers keep the rollups (PostgreSQL, migrations 0003 and 0007); the SQLite quickstart reads
    its rows instead."""
    return session.get_bind().dialect.name == "postgresql"


def utcnow() -> datetime:
    return datetime.now(UTC)


class UtcDateTime(TypeDecorator[datetime]):
    """timestamptz that always reads back with its offset: SQLite keeps no zone, and it was written in UTC."""

    impl = DateTime(timezone=True)
    cache_ok = True

    @property
    def python_type(self) -> type[datetime]:
        # TypeDecorator answers ``object``; keyset cursors check their values against the column's type.
        return datetime

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None or value.tzinfo is not None:
            return value
        return value.replace(tzinfo=UTC)


@overload
def aware(moment: datetime) -> datetime: ...
@overload
def aware(moment: None) -> None: ...
def aware(moment: datetime | None) -> datetime | None:
    """A stored timestamp with its zone: SQLite (the quickstart) hands them back naive; they were written in UTC."""
    return moment if moment is None or moment.tzinfo is not None else moment.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UtcDateTime(), dict[str, Any]: JSONType}


class CreatedAtMixin:
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), server_default=func.now(), default=utcnow)


class TimestampMixin(CreatedAtMixin):
    updated_at: Mapped[datetime] = mapped_column(
        UtcDateTime(), server_default=func.now(), default=utcnow, onupdate=utcnow
    )


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def make_engine(url: str, settings: Settings | None = None) -> Engine:
    """An engine whose every wait is bounded: for a pool connection (pool_timeout) and for a lock (lock_timeout).

    JIT compilation is off for its connections: the app's queries are short or read rollups, and PostgreSQL's
    cost-based JIT trigger fired on large stats queries and added over a second of compiling to one of them.
    """
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    settings = settings or get_settings()
    lock_timeout_ms = int(settings.db_lock_timeout_seconds * 1000)
    return create_engine(
        url,
        pool_pre_ping=True,
        pool_size=settings.db_pool_size,
        max_overflow=settings.db_max_overflow,
        pool_timeout=settings.db_pool_timeout_seconds,
        connect_args={"options": f"-c lock_timeout={lock_timeout_ms} -c jit=off"},
    )


class LazyEngine:
    """The process's one engine, built on first use; threads arriving together still build it once."""

    def __init__(self, build: Callable[[], Engine]) -> None:
        self._build = build
        self._engine: Engine | None = None
        self._lock = threading.Lock()

    def __call__(self) -> Engine:
        engine = self._engine
        if engine is None:
            with self._lock:
                if self._engine is None:
                    self._engine = self._build()
                engine = self._engine
        return engine

    def cache_clear(self) -> None:
        """Forget the engine (its connections are closed), so the next call builds one from current settings."""
        with self._lock:
            if self._engine is not None:
                self._engine.dispose()
            self._engine = None


get_engine = LazyEngine(lambda: make_engine(get_settings().database_url))


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


def limit_statement_time(session: Session, seconds: float) -> None:
    """Cancel any statement of this transaction that runs longer than ``seconds`` (PostgreSQL)."""
    if seconds > 0 and session.get_bind().dialect.name == "postgresql":
        session.execute(select(func.set_config("statement_timeout", f"{int(seconds * 1000)}ms", True)))


def get_session() -> Iterator[Session]:
    """FastAPI dependency: one unit of work per request, no statement of it longer than the API allows."""
    with session_scope() as session:
        limit_statement_time(session, get_settings().api_statement_timeout_seconds)
        yield session
