"""list indexes and stats rollups

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 13:30:00

1. Indexes the admin lists need to stay flat as tables grow, that the models cannot declare: the name search
   (`lower(name) LIKE lower(pattern)`, app/core/crud.py) through pg_trgm, and the case-insensitive city and
   state filters (`lower(city) = ...`) leading an index in the list's order. migrations/env.py keeps
   `alembic check` from reporting them (their names start with "ix_trgm_" or "ix_expr_").
2. The triggers that keep the stats rollups (app/ops/models.py) current: after every statement on
   collection_jobs, collection_changes and the three record tables, one signed delta row per rollup key,
   computed from the statement's transition tables; then the rollups are filled from the existing rows.
   The rollups' definitions are app/ops/stats.py's (tests compare both).
PostgreSQL only: the SQLite quickstart computes its stats from the tables.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (index name, table, what it indexes); the expressions are the ones the queries use.
LIST_INDEXES = (
    ("ix_trgm_properties_title", "properties", "USING gin ((lower(title)) gin_trgm_ops)"),
    ("ix_expr_builder_profiles_city_name", "builder_profiles", "(lower(city), name, id)"),
    ("ix_expr_builder_profiles_state_name", "builder_profiles", "(lower(state), name, id)"),
    ("ix_expr_communities_city_name", "communities", "(lower(city), name, id)"),
    ("ix_expr_communities_state_name", "communities", "(lower(state), name, id)"),
    ("ix_expr_properties_city_title", "properties", "(lower(city), title, id)"),
    ("ix_expr_properties_state_title", "properties", "(lower(state), title, id)"),
)

# The record a change updates: a builder, community or home itself (a new one once created), or, for a child
# (an award, an amenity), its parent. The same expressions as app/ops/stats.py's cost_per_entity.
_IS_RECORD = "{r}.entity_type IN ('builder', 'community', 'property')"
RECORD_TYPE = f"CASE WHEN {_IS_RECORD} THEN {{r}}.entity_type ELSE {{r}}.parent_entity_type END"
RECORD_ID = f"CASE WHEN {_IS_RECORD} THEN coalesce({{r}}.entity_id, {{r}}.created_entity_id) ELSE {{r}}.parent_entity_id END"
RECORD_INDEX = (
    "ix_expr_collection_changes_applied_record",
    "collection_changes",
    f"(({RECORD_TYPE.format(r='collection_changes')}), ({RECORD_ID.format(r='collection_changes')}), created_at) "
    "WHERE status = 'applied'",
)


def _flag(condition: str) -> str:
    """1 when ``condition`` holds, else 0 (NULL counts as false, as in COUNT(*) FILTER)."""
    return f"coalesce({condition}, false)::int"


def _utc_day(column: str) -> str:
    return f"({column} AT TIME ZONE 'UTC')::date"


# rollup -> (source table, key columns {name: expression}, measures {name: expression}); expressions over row "r".
DELTA_ROLLUPS: dict[str, tuple[str, dict[str, str], dict[str, str]]] = {
    "rollup_jobs_daily": (
        "collection_jobs",
        {"day": _utc_day("r.created_at"), "entity_type": "r.entity_type"},
        {
            "jobs": "1",
            "failed": _flag("r.status = 'failed'"),
            "finished": _flag("r.status IN ('failed', 'completed')"),
            "llm_calls": "r.llm_calls",
            "input_tokens": "r.input_tokens",
            "output_tokens": "r.output_tokens",
            "cache_read_input_tokens": "r.cache_read_input_tokens",
            "cache_creation_input_tokens": "r.cache_creation_input_tokens",
            "web_search_requests": "r.web_search_requests",
            "cost_usd": "r.cost_usd",
        },
    ),
    "rollup_changes_daily": (
        "collection_changes",
        {"day": _utc_day("r.created_at")},
        {
            "accepted": _flag("r.status IN ('approved', 'applied') OR (r.status = 'rolled_back' AND r.applied_at IS NOT NULL)"),
            "detected": _flag("r.status NOT IN ('superseded', 'withdrawn')"),
            "rejected": _flag("r.status = 'rejected'"),
            "applied": _flag("r.status = 'applied'"),
            "applied_auto": _flag("r.status = 'applied' AND r.applied_by = 'auto'"),
            "applied_confidence": "CASE WHEN r.status = 'applied' THEN r.confidence::numeric ELSE 0 END",
            "reviewed": _flag("r.reviewed_at IS NOT NULL AND r.status <> 'withdrawn'"),
            "review_seconds": "CASE WHEN r.reviewed_at IS NOT NULL AND r.status <> 'withdrawn' "
            "THEN extract(epoch FROM r.reviewed_at) - extract(epoch FROM r.created_at) ELSE 0 END",
        },
    ),
    **{
        f"rollup_record_sync:{table}": (
            table,
            {"entity_type": f"'{entity_type}'", "day": _utc_day("r.last_data_sync")},
            {
                "records": _flag("r.archived_at IS NULL"),
                "sync_epoch_sum": "CASE WHEN r.archived_at IS NULL AND r.last_data_sync IS NOT NULL "
                "THEN extract(epoch FROM r.last_data_sync) ELSE 0 END",
            },
        )
        for table, entity_type in (
            ("builder_profiles", "builder"),
            ("communities", "community"),
            ("properties", "property"),
        )
    },
}


def _delta_insert(rollup: str, keys: dict[str, str], measures: dict[str, str], sources: dict[str, int]) -> str:
    """INSERT of the signed deltas of the rows in ``sources`` ({relation: +1 or -1}), one row per key."""
    parts = [
        f"SELECT {', '.join(f'{e} AS {k}' for k, e in keys.items())}, "
        + ", ".join(f"{sign} * ({e}) AS {m}" for m, e in measures.items())
        + f" FROM {relation} AS r"
        for relation, sign in sources.items()
    ]
    key_list = ", ".join(keys)
    return (
        f"INSERT INTO {rollup.split(':')[0]} ({key_list}, {', '.join(measures)}) "
        f"SELECT {key_list}, {', '.join(f'sum({m})' for m in measures)} "
        f"FROM ({' UNION ALL '.join(parts)}) AS d GROUP BY {key_list} "
        f"HAVING {' OR '.join(f'sum({m}) <> 0' for m in measures)}"
    )


def _latest_applied_refresh(sources: list[str]) -> str:
    """Statements that re-read the newest applied change of every record the rows in ``sources`` touch.

    Each record's row is locked first (in key order, so concurrent writers cannot deadlock), then re-read in a
    new statement, which sees what other transactions committed meanwhile; the day histogram moves by the
    difference.
    """
    touched = " UNION ".join(
        f"SELECT {RECORD_TYPE.format(r='r')} AS record_type, {RECORD_ID.format(r='r')} AS record_id "
        f"FROM {relation} AS r WHERE r.status = 'applied'"
        for relation in sources
    )
    keys = f"(SELECT * FROM ({touched}) AS t WHERE record_id IS NOT NULL AND record_type IS NOT NULL)"
    newest = (
        f"SELECT max(c.created_at) FROM collection_changes AS c WHERE c.status = 'applied' "
        f"AND {RECORD_TYPE.format(r='c')} = k.record_type AND {RECORD_ID.format(r='c')} = k.record_id"
    )
    return f"""
    INSERT INTO rollup_record_latest_applied (record_type, record_id)
        SELECT record_type, record_id FROM {keys} AS k ORDER BY 1, 2 ON CONFLICT DO NOTHING;
    PERFORM 1 FROM rollup_record_latest_applied AS s JOIN {keys} AS k USING (record_type, record_id)
        ORDER BY s.record_type, s.record_id FOR UPDATE OF s;
    WITH fresh AS (SELECT k.record_type, k.record_id, ({newest}) AS latest_at FROM {keys} AS k),
    prior AS (
        SELECT s.record_type, s.record_id, s.latest_at FROM rollup_record_latest_applied AS s
        JOIN fresh USING (record_type, record_id)
    ),
    moved AS (
        UPDATE rollup_record_latest_applied AS s SET latest_at = fresh.latest_at FROM fresh
        WHERE s.record_type = fresh.record_type AND s.record_id = fresh.record_id
          AND s.latest_at IS DISTINCT FROM fresh.latest_at
        RETURNING s.record_type, s.record_id, s.latest_at
    )
    INSERT INTO rollup_record_latest_daily (day, records)
        SELECT day, sum(n) FROM (
            SELECT {_utc_day("prior.latest_at")} AS day, -1 AS n FROM moved JOIN prior USING (record_type, record_id)
            WHERE prior.latest_at IS NOT NULL
            UNION ALL
            SELECT {_utc_day("moved.latest_at")}, 1 FROM moved WHERE moved.latest_at IS NOT NULL
        ) AS d GROUP BY day HAVING sum(n) <> 0;"""


# Per operation: the transition tables it has, and the sign of their rows.
OPERATIONS = {
    "insert": ("REFERENCING NEW TABLE AS new_rows", {"new_rows": 1}),
    "update": ("REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows", {"new_rows": 1, "old_rows": -1}),
    "delete": ("REFERENCING OLD TABLE AS old_rows", {"old_rows": -1}),
}


def _triggers() -> list[tuple[str, str, str]]:
    """(function name, table, trigger definition tail) of every rollup trigger, with its function's body."""
    made = []
    by_table: dict[str, list[tuple[str, dict[str, str], dict[str, str]]]] = {}
    for rollup, (table, keys, measures) in DELTA_ROLLUPS.items():
        by_table.setdefault(table, []).append((rollup, keys, measures))
    for table, rollups in by_table.items():
        for operation, (referencing, sources) in OPERATIONS.items():
            body = [_delta_insert(rollup, keys, measures, sources) + ";" for rollup, keys, measures in rollups]
            if table == "collection_changes":
                body.append(_latest_applied_refresh(list(sources)))
            name = f"rollup_{table}_{operation}"
            made.append((name, table, f"AFTER {operation.upper()} ON {table} {referencing}", "\n".join(body)))
    return made


TRUNCATED = {
    "collection_jobs": ["DELETE FROM rollup_jobs_daily"],
    "collection_changes": [
        "DELETE FROM rollup_changes_daily",
        "DELETE FROM rollup_record_latest_applied",
        "DELETE FROM rollup_record_latest_daily",
    ],
    "builder_profiles": ["DELETE FROM rollup_record_sync WHERE entity_type = 'builder'"],
    "communities": ["DELETE FROM rollup_record_sync WHERE entity_type = 'community'"],
    "properties": ["DELETE FROM rollup_record_sync WHERE entity_type = 'property'"],
}


def _postgresql() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def upgrade() -> None:
    if not _postgresql():
        return
    for name, table, indexed in (*LIST_INDEXES, RECORD_INDEX):
        op.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} {indexed}")
    for name, table, when, body in _triggers():
        op.execute(f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN\n{body}\nRETURN NULL; END $$")
        op.execute(f"CREATE TRIGGER {name} {when} FOR EACH STATEMENT EXECUTE FUNCTION {name}()")
    for table, statements in TRUNCATED.items():
        name = f"rollup_{table}_truncate"
        body = ";\n".join(statements)
        op.execute(f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN\n{body};\nRETURN NULL; END $$")
        op.execute(f"CREATE TRIGGER {name} AFTER TRUNCATE ON {table} FOR EACH STATEMENT EXECUTE FUNCTION {name}()")
    # Rows written before this revision: their deltas, as if each had just been inserted.
    for rollup, (table, keys, measures) in DELTA_ROLLUPS.items():
        op.execute(_delta_insert(rollup, keys, measures, {table: 1}))
    op.execute(
        f"""INSERT INTO rollup_record_latest_applied (record_type, record_id, latest_at)
        SELECT {RECORD_TYPE.format(r="r")}, {RECORD_ID.format(r="r")}, max(r.created_at) FROM collection_changes AS r
        WHERE r.status = 'applied' AND {RECORD_ID.format(r="r")} IS NOT NULL AND {RECORD_TYPE.format(r="r")} IS NOT NULL
        GROUP BY 1, 2"""
    )
    op.execute(
        f"""INSERT INTO rollup_record_latest_daily (day, records)
        SELECT {_utc_day("latest_at")}, count(*) FROM rollup_record_latest_applied GROUP BY 1"""
    )


def downgrade() -> None:
    if not _postgresql():
        return
    for table in TRUNCATED:
        op.execute(f"DROP TRIGGER IF EXISTS rollup_{table}_truncate ON {table}")
        op.execute(f"DROP FUNCTION IF EXISTS rollup_{table}_truncate()")
    for name, table, _when, _body in _triggers():
        op.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
        op.execute(f"DROP FUNCTION IF EXISTS {name}()")
    for name, _table, _indexed in (*LIST_INDEXES, RECORD_INDEX):
        op.execute(f"DROP INDEX IF EXISTS {name}")
    for rollup in (
        "rollup_jobs_daily",
        "rollup_changes_daily",
        "rollup_record_latest_applied",
        "rollup_record_latest_daily",
        "rollup_record_sync",
    ):
        op.execute(f"DELETE FROM {rollup}")
