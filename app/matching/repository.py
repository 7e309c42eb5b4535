"""Queries of the matching domain: candidate retrieval by blocking keys, and entity_matches listing.

Candidate retrieval has two paths. On PostgreSQL with pg_trgm (migration 0002) the name, or a home's
street address, is looked up by trigram similarity through a GIN index, best first and limited, so the
cost follows the number of look-alike records rather than the table's size. Elsewhere (the SQLite
quickstart) LIKE on name-word prefixes and equality keys, which scans the table.
"""

from __future__ import annotations

from typing import Any, Literal

from sqlalchemy import ColumnElement, Select, case, false, func, literal, or_, select, text
from sqlalchemy.orm import Session

from app.core.entities import RECORD_MODELS, EntityType
from app.core.pagination import PageRequest, PageResult, SortKey, paginate
from app.matching.models import EntityMatch
from app.matching.normalize import ABBREVIATIONS, FILLER_WORDS, FRACTION_MARKS, GENERIC_WORDS, fold
from app.matching.records import MatchRecord, prepare

CANDIDATE_LIMIT = 2000
# pg_trgm similarity (0..1) a name or street must reach to be a candidate: typos and abbreviations
# ("Bridgland", "DR Horton") stay well above it.
TRIGRAM_THRESHOLD = 0.3
# The look-alikes kept per discovered record, best first (same city or ZIP ranked up).
TRIGRAM_LIMIT = 50
RetrievalMethod = Literal["auto", "trigram", "like"]

_COLUMNS: dict[str, tuple[str, ...]] = {
    "builder": ("id", "name", "website", "email", "phone", "address", "city", "state", "postal_code"),
    "community": (
        "id", "name", "community_website_url", "hoa_contact_phone", "address", "city", "state", "postal_code",
        "latitude", "longitude",
    ),
    "property": ("id", "title", "address1", "address2", "city", "state", "postal_code", "latitude", "longitude"),
}  # fmt: skip


def _like_any(column: Any, patterns: list[str]) -> list[ColumnElement[bool]]:
    return [func.lower(column).like(p) for p in patterns]


def _name_patterns(query: MatchRecord) -> list[str]:
    # Prefixes of the words as written (the table holds names as written: "7-Eleven" is found by "eleven", not
    # by the normalized "11"), so "Bridgland" still finds "Bridgeland"; the most distinctive (longest) words
    # first, without the words naming the kind of business.
    generic = GENERIC_WORDS.get(query.entity_type, frozenset()) | FILLER_WORDS
    words = {w for w in fold(query.name).split() if len(w) >= 3 and ABBREVIATIONS.get(w, w) not in generic}
    return [f"%{w[:4]}%" for w in sorted(words, key=lambda w: (-len(w), w))[:3]]


def key_patterns(query: MatchRecord) -> list[str]:
    """LIKE patterns, in lower case, that find the records worth scoring against ``query`` by their name (a home:
    its street address) as written: the words of its name, or a home's house number at the start."""
    if query.entity_type == EntityType.property:
        number = query.address.number if query.address is not None else None
        return [f"{_written_number(number)} %"] if number else []
    return _name_patterns(query)


def _written_number(number: str) -> str:
    """The house number as a street address begins with it: a half or quarter number's digits ("123 1/2 Oak St")."""
    return number.rstrip(FRACTION_MARKS) or "1/2"


def _city_spellings(query: MatchRecord) -> list[str]:
    """The query's city as the table may write it, lower case with its words run together (``_city_column``): as
    the query wrote it ("st.louis") and spelt out ("saintlouis"). The table holds cities as written, so the
    normalized form alone misses "St. Louis"; run together, "Sugarland" finds "Sugar Land"."""
    cities = (query.city, query.extra.get("city_raw"))
    return sorted({"".join(c.lower().split()) for c in cities if c and c.strip()})


def _city_column(model: Any) -> ColumnElement[Any]:
    return func.replace(func.lower(model.city), " ", "")


def candidate_query(entity_type: str, query: MatchRecord) -> Select[Any]:
    """The LIKE path: existing, unarchived records sharing a blocking key with the query (scans)."""
    model = RECORD_MODELS[entity_type]
    columns = [getattr(model, c) for c in _COLUMNS[entity_type]]
    keys: list[ColumnElement[bool]] = []
    if entity_type == EntityType.property:
        address = query.address
        if address is not None and address.number:
            starts = func.lower(model.address1).like(f"{_written_number(address.number)} %")
            if query.postal_code:
                keys.append(starts & (model.postal_code.like(f"{query.postal_code}%")))
            elif query.city:
                keys.append(starts & _city_column(model).in_(_city_spellings(query)))
            else:
                keys.append(starts)
    else:
        keys.extend(_like_any(model.name, _name_patterns(query)))
        keys.extend(_key_conditions(entity_type, query))
        if entity_type == EntityType.community and query.city:
            keys.append(_city_column(model).in_(_city_spellings(query)))
    if not keys:
        return select(*columns).where(false())
    return select(*columns).where(model.archived_at.is_(None), or_(*keys)).limit(CANDIDATE_LIMIT)


def _key_conditions(entity_type: str, query: MatchRecord) -> list[ColumnElement[bool]]:
    """Website and phone keys (the trigram indexes on them serve these LIKEs on PostgreSQL)."""
    model = RECORD_MODELS[entity_type]
    website_column = model.website if entity_type == EntityType.builder else model.community_website_url
    phone_column = model.phone if entity_type == EntityType.builder else model.hoa_contact_phone
    keys: list[ColumnElement[bool]] = []
    if query.website:
        keys.append(func.lower(website_column).like(f"%{query.website.split('/')[0]}%"))
    for phone in query.phones:
        if len(phone) >= 4:
            # Anywhere in the cell, not only at its end: the table holds phones as written ("713-555-0100 x12",
            # "713-555-0100 / 281-555-0122").
            keys.append(phone_column.like(f"%{phone[-4:]}%"))
    return keys


def _street_text(query: MatchRecord) -> str | None:
    raw = query.extra.get("street_raw")
    if raw:
        return str(raw).lower()
    address = query.address
    if address is None or address.is_empty:
        return None
    return " ".join(p for p in (address.number, address.street) if p)


def trigram_queries(entity_type: str, query: MatchRecord) -> list[Select[Any]]:
    """Index-backed candidate queries for PostgreSQL with pg_trgm: look-alike names (or streets), then keys."""
    model = RECORD_MODELS[entity_type]
    columns = [getattr(model, c) for c in _COLUMNS[entity_type]]
    live = model.archived_at.is_(None)
    statements: list[Select[Any]] = []
    if entity_type == EntityType.property:
        street = _street_text(query)
        if street:
            indexed = func.lower(model.address1)
            rank: ColumnElement[Any] = func.similarity(indexed, street)
            if query.postal_code:
                rank = rank + case((model.postal_code.like(f"{query.postal_code}%"), 0.5), else_=0.0)
            if query.address is not None and query.address.number:
                rank = rank + case((indexed.like(f"{_written_number(query.address.number)} %"), 0.3), else_=0.0)
            statements.append(
                select(*columns).where(live, indexed.op("%")(street)).order_by(rank.desc()).limit(TRIGRAM_LIMIT)
            )
        return statements
    name = query.name.strip().lower()
    if name:
        indexed = func.lower(model.name)
        name_rank: ColumnElement[Any] = func.similarity(indexed, name)
        cities = _city_spellings(query)
        if cities:
            # The same name in another city is another place: the query's own city first.
            name_rank = name_rank + case((_city_column(model).in_(cities), 0.5), else_=0.0)
        statements.append(
            select(*columns).where(live, indexed.op("%")(name)).order_by(name_rank.desc()).limit(TRIGRAM_LIMIT)
        )
    keys = _key_conditions(entity_type, query)
    if keys:
        statements.append(select(*columns).where(live, or_(*keys)).limit(CANDIDATE_LIMIT))
    return statements


_trigram_ready: dict[str, bool] = {}


def trigram_available(session: Session) -> bool:
    """True on PostgreSQL with the pg_trgm extension installed (migration 0002); cached per database."""
    bind = session.get_bind()
    if bind.dialect.name != "postgresql":
        return False
    key = bind.engine.url.render_as_string(hide_password=True)
    if key not in _trigram_ready:
        found = session.scalar(text("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'"))
        _trigram_ready[key] = found is not None
    return _trigram_ready[key]


def candidate_statements(
    session: Session, entity_type: str, query: MatchRecord, method: RetrievalMethod = "auto"
) -> list[Select[Any]]:
    """The candidate queries for one record: trigram where available (or asked for), LIKE otherwise."""
    if method == "auto":
        method = "trigram" if trigram_available(session) else "like"
    if method == "trigram":
        # Transaction-local, so it holds for the queries below and for nobody else.
        session.execute(select(func.set_config("pg_trgm.similarity_threshold", literal(str(TRIGRAM_THRESHOLD)), True)))
        return trigram_queries(entity_type, query)
    return [candidate_query(entity_type, query)]


def load_candidates(
    session: Session, entity_type: str, query: MatchRecord, *, method: RetrievalMethod = "auto"
) -> list[MatchRecord]:
    """Candidates from the database, prepared for scoring."""
    names = _COLUMNS[entity_type]
    rows: dict[Any, Any] = {}
    for statement in candidate_statements(session, entity_type, query, method):
        for row in session.execute(statement):
            rows.setdefault(row[0], row)
    return [prepare(entity_type, dict(zip(names, row, strict=True))) for row in rows.values()]


def count_records(session: Session, entity_type: str) -> int:
    """How many unarchived records of a type there are (the table a value's frequency is taken in)."""
    model = RECORD_MODELS[entity_type]
    return int(session.scalar(select(func.count()).select_from(model).where(model.archived_at.is_(None))) or 0)


def load_all(session: Session, entity_type: str) -> list[MatchRecord]:
    """Every unarchived record of a type, prepared for scoring (the CSV tool's --against-db)."""
    model = RECORD_MODELS[entity_type]
    names = _COLUMNS[entity_type]
    columns = [getattr(model, c) for c in names]
    rows = session.execute(select(*columns).where(model.archived_at.is_(None)).order_by(model.id)).all()
    return [prepare(entity_type, dict(zip(names, row, strict=True))) for row in rows]


# Newest first; the id breaks ties.
MATCH_ORDER = SortKey((EntityMatch.created_at, EntityMatch.id), descending=True)


def list_matches(
    session: Session, paging: PageRequest, *, status: str | None, entity_type: str | None, job_id: str | None
) -> PageResult[EntityMatch]:
    """A page of entity matches, newest first, and the total under the filters."""
    stmt = select(EntityMatch)
    if status:
        stmt = stmt.where(EntityMatch.match_status == status)
    if entity_type:
        stmt = stmt.where(EntityMatch.discovered_entity_type == entity_type)
    if job_id:
        stmt = stmt.where(EntityMatch.job_id == job_id)
    return paginate(session, stmt, MATCH_ORDER, paging)
