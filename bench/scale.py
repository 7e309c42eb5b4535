"""Benchmark: read latency of every list and detail endpoint at 1k homes and at 1M homes.

Run: ``.venv/bin/python -m bench.scale [--scale 1.0] [--requests 40] [--keep] [--reuse] [--only WORDS]``
(PostgreSQL on 127.0.0.1).

It builds two catalogues, each in its own database, with ``artitec-collector migrate`` and ``generate_series``:
the baseline (0.1% of the national catalogue: 100 builders, 50 communities, 1,000 homes, ...) and the
national one times ``--scale`` (at 1.0: 100k builders, 50k communities, 1M homes, 200k jobs, 600k job events,
1M changes, plus 100k entity matches, 10k sources, 1k opt-outs). Both hold one job with 10k changes, one
builder with 10k pending new homes (scaled, at least 200), and a national builder with 5,000 home plans in
2,000 communities (the baseline's 50). Then it serves each with uvicorn (one
process; as an admin over HTTP; requests to the two alternate so both see the same machine load) and prints
p50/p95 of every list (first page, page 100, a cursor halfway through, each filter) and detail endpoint,
beside the baseline, with the ratio.
Goal: every ratio <= 2 and every p95 under 100 ms at 1M homes.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from typing import Any

import httpx
import psycopg

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ADMIN_DSN = "postgresql://root@127.0.0.1:5432/postgres"
NATIONAL = {
    "builders": 100_000,
    "communities": 50_000,
    "homes": 1_000_000,
    "jobs": 200_000,
    "events": 600_000,
    "changes": 1_000_000,
    "matches": 100_000,
    "sources": 10_000,
    "opt_outs": 1_000,
}
# The job with many changes and the builder with many pending new homes (the issue's 10k cases).
HEAVY = 10_000

CITIES = [
    ("Houston", "TX"), ("Dallas", "TX"), ("Austin", "TX"), ("San Antonio", "TX"), ("Phoenix", "AZ"),
    ("Tucson", "AZ"), ("Denver", "CO"), ("Atlanta", "GA"), ("Charlotte", "NC"), ("Raleigh", "NC"),
    ("Nashville", "TN"), ("Orlando", "FL"), ("Tampa", "FL"), ("Jacksonville", "FL"), ("Las Vegas", "NV"),
    ("Boise", "ID"), ("Salt Lake City", "UT"), ("Columbus", "OH"), ("Indianapolis", "IN"), ("Sacramento", "CA"),
]  # fmt: skip
WORDS = [
    "Perry", "Highland", "Ashton", "David", "Taylor", "Meritage", "Lennar", "Pulte", "Toll", "Beazer",
    "Coventry", "Trendmaker", "Chesmar", "Empire", "Brightland", "Castlerock", "Sitterle", "Newmark", "Gehan",
    "Drees", "Wilshire", "Sterling", "Harbor", "Cedar", "Oak", "Maple", "Willow", "Summit", "Lakeside", "Legacy",
]  # fmt: skip
PLANS = ["The Oakmont", "The Sabine", "The Brazos", "The Pecos", "The Frio", "The Llano", "The Nueces", "The Red"]


def _array(values: list[str]) -> str:
    return "ARRAY[" + ",".join("'" + v.replace("'", "''") + "'" for v in values) + "]"


def catalogue_sql(n: dict[str, int], heavy: int) -> list[tuple[str, str]]:
    """The statements that fill a migrated database: (what, SQL), in order."""
    cities = _array([c for c, _ in CITIES])
    states = _array([s for _, s in CITIES])
    words = _array(WORDS)
    plans = _array(PLANS)
    nc, nw = len(CITIES), len(WORDS)
    b, c, h, j, ch = n["builders"], n["communities"], n["homes"], n["jobs"], n["changes"]
    # Jobs: one every `step` seconds back from now, newest last; the heavy job is the newest.
    step = max(1, int(2 * 365 * 86400 / j))
    return [
        (
            "builders",
            f"""INSERT INTO builder_profiles (builder_id, name, city, state, website, phone, last_data_sync, created_at)
            SELECT 'BLD-' || lpad(i::text, 10, '0'),
                   ({words})[1 + i % {nw}] || ' ' || ({words})[1 + (i / {nw}) % {nw}] || ' Homes ' || i,
                   ({cities})[1 + i % {nc}], ({states})[1 + i % {nc}],
                   'https://builder' || i || '.example.com', '+1713555' || lpad((i % 10000)::text, 4, '0'),
                   CASE WHEN i % 10 < 7 THEN now() - (i % 400) * interval '1 day' END,
                   now() - (i % 1000) * interval '1 hour'
            FROM generate_series(1, {b}) AS i""",
        ),
        (
            "communities",
            f"""INSERT INTO communities (community_id, name, city, state, last_data_sync, created_at)
            SELECT 'CMY-' || lpad(i::text, 10, '0'),
                   ({words})[1 + (i * 7) % {nw}] || ' ' || ({words})[1 + (i / {nw}) % {nw}] || ' Ranch ' || i,
                   ({cities})[1 + i % {nc}], ({states})[1 + i % {nc}],
                   CASE WHEN i % 10 < 6 THEN now() - (i % 300) * interval '1 day' END,
                   now() - (i % 1000) * interval '1 hour'
            FROM generate_series(1, {c}) AS i""",
        ),
        # Builder 7 (the detail case) is a national builder in both catalogues: 5,000 plans, and 2,000 communities
        # (all 50 of the baseline's).
        (
            "plans of builder 7",
            f"""INSERT INTO builder_home_plans (builder_id, name, base_price, bedrooms)
            SELECT 7, ({plans})[1 + i % {len(PLANS)}] || ' ' || i, 300000 + (i % 300) * 1000, 2 + i % 4
            FROM generate_series(1, 5000) AS i""",
        ),
        (
            "communities of builder 7",
            f"""INSERT INTO builder_communities (builder_id, community_id, created_at)
            SELECT 7, i, now() FROM generate_series(1, {min(2000, c)}) AS i""",
        ),
        (
            "homes",
            f"""INSERT INTO properties (title, address1, city, state, postal_code, price, bedrooms, bathrooms, sqft,
                                       property_status, builder_id, community_id, last_data_sync)
            SELECT ({plans})[1 + i % {len(PLANS)}] || ' - Lot ' || i, i || ' Oak Street',
                   ({cities})[1 + i % {nc}], ({states})[1 + i % {nc}], lpad((77000 + i % 999)::text, 5, '0'),
                   250000 + (i % 500) * 1000, 2 + i % 4, 2 + (i % 3) * 0.5, 1500 + i % 2500,
                   (ARRAY['available','available','pending','sold','model'])[1 + i % 5],
                   1 + (i::bigint * 7919) % {b}, 1 + i % {c},
                   CASE WHEN i % 10 < 5 THEN now() - (i % 200) * interval '1 day' END
            FROM generate_series(1, {h}) AS i""",
        ),
        (
            "jobs",
            f"""INSERT INTO collection_jobs (job_id, entity_type, entity_id, job_type, parent_entity_type,
                    parent_entity_id, status, researcher, items_found, changes_detected, initiated_by, created_at,
                    started_at, completed_at, llm_calls, input_tokens, output_tokens, cache_read_input_tokens,
                    web_search_requests, cost_usd)
            SELECT 'JOB-' || (1700000000 + i) || '-' || upper(substr(md5(i::text), 1, 6)),
                   (ARRAY['builder','community','property'])[1 + i % 3],
                   CASE WHEN i % 3 = 0 THEN 1 + i % {b} WHEN i % 3 = 1 THEN 1 + i % {c} END,
                   CASE WHEN i % 3 = 2 THEN 'property_discovery' ELSE 'update' END,
                   CASE WHEN i % 3 = 2 THEN 'builder' END, CASE WHEN i % 3 = 2 THEN 1 + i % {b} END,
                   CASE WHEN i % 20 = 0 THEN 'failed' WHEN i = {j} THEN 'completed'
                        WHEN i % 50 = 1 THEN 'cancelled' ELSE 'completed' END,
                   (ARRAY['web','auto','claude'])[1 + i % 3], i % 12, i % 8, 'USR-BENCH',
                   now() - ({j} - i) * {step} * interval '1 second',
                   now() - ({j} - i) * {step} * interval '1 second' + interval '5 seconds',
                   now() - ({j} - i) * {step} * interval '1 second' + interval '90 seconds',
                   i % 3, (i % 3) * 2100, (i % 3) * 400, (i % 3) * 1800, i % 2, (i % 3) * 0.0031
            FROM generate_series(1, {j}) AS i""",
        ),
        (
            "job events",
            f"""INSERT INTO collection_job_events (job_id, kind, message, created_at)
            SELECT job.job_id, (ARRAY['status','fetch','counts'])[1 + e], 'event ' || e, job.created_at
            FROM collection_jobs AS job CROSS JOIN generate_series(0, {max(1, n["events"] // j) - 1}) AS e""",
        ),
        (
            "changes",
            # Field changes of homes, reviewed under their builder; each job gets consecutive changes.
            f"""INSERT INTO collection_changes (job_id, entity_type, entity_id, parent_entity_type, parent_entity_id,
                    field_name, old_value, new_value, change_type, status, confidence, source_url,
                    reviewed_by, reviewed_at, applied_at, applied_by, created_at)
            SELECT job.job_id, 'property', 1 + (i - 1) % {h}, 'builder', 1 + ((1 + (i - 1) % {h})::bigint * 7919) % {b},
                   (ARRAY['price','property_status','sqft','bedrooms'])[1 + i % 4], '400000', '410000', 'modified',
                   st.status, 0.5 + (i % 50) / 100.0, 'https://builder.example.com/homes/' || i,
                   CASE WHEN st.status <> 'pending' THEN 'USR-BENCH' END,
                   CASE WHEN st.status IN ('applied','rejected','rolled_back','approved')
                        THEN job.created_at + (1 + i % 72) * interval '1 hour' END,
                   CASE WHEN st.status IN ('applied','rolled_back')
                        THEN job.created_at + (1 + i % 72) * interval '1 hour' END,
                   CASE WHEN st.status IN ('applied','rolled_back') THEN
                        CASE WHEN i % 3 = 0 THEN 'auto' ELSE 'USR-BENCH' END END,
                   job.created_at + (i % 60) * interval '1 second'
            FROM generate_series(1, {ch - 2 * heavy}) AS i
            JOIN collection_jobs AS job ON job.id = 1 + (i::bigint - 1) * {j - 1} / {ch}
            CROSS JOIN LATERAL (SELECT (ARRAY['pending','applied','applied','applied','rejected','superseded',
                    'applied','pending','rolled_back','approved'])[1 + i % 10] AS status) AS st""",
        ),
        (
            "the heavy job's changes",
            f"""INSERT INTO collection_changes (job_id, entity_type, entity_id, parent_entity_type, parent_entity_id,
                    field_name, old_value, new_value, change_type, status, confidence, created_at)
            SELECT job.job_id, 'builder', 1 + i % {b}, 'builder', 1 + i % {b}, 'employee_count', '"50"', '"60"',
                   'modified', 'superseded', 0.8, job.created_at
            FROM collection_jobs AS job CROSS JOIN generate_series(1, {heavy}) AS i WHERE job.id = {j}""",
        ),
        (
            "the heavy builder's pending new homes",
            f"""INSERT INTO collection_changes (job_id, entity_type, parent_entity_type, parent_entity_id,
                    is_new_entity, proposed_entity_data, change_type, status, confidence, source_url, created_at)
            SELECT job.job_id, 'property', 'builder', 7, true,
                   jsonb_build_object('title', 'New Lot ' || i, 'address1', i || ' Elm Street', 'city', 'Houston',
                                      'price', 300000 + i),
                   'added', 'pending', 0.9, 'https://builder7.example.com/homes/' || i, job.created_at
            FROM collection_jobs AS job CROSS JOIN generate_series(1, {heavy}) AS i WHERE job.id = {j - 1}""",
        ),
        (
            "entity matches",
            f"""INSERT INTO entity_matches (discovered_entity_type, discovered_name, matched_entity_type,
                    matched_entity_id, match_confidence, match_method, match_status, job_id, created_at)
            SELECT (ARRAY['builder','community','property'])[1 + i % 3], 'Discovered ' || i,
                   (ARRAY['builder','community','property'])[1 + i % 3], 1 + i % {c}, 0.5 + (i % 50) / 100.0,
                   'name_address', (ARRAY['pending','confirmed','rejected','merged'])[1 + i % 4],
                   job.job_id, job.created_at
            FROM generate_series(1, {n["matches"]}) AS i JOIN collection_jobs AS job ON job.id = 1 + i % {j}""",
        ),
        (
            "sources",
            f"""INSERT INTO collection_sources (source_id, source_name, source_url, domain, source_type, is_active)
            SELECT 'SRC-' || lpad(i::text, 10, '0'), 'Source ' || i, 'https://site' || i || '.example.com',
                   'site' || i || '.example.com',
                   (ARRAY['official_website','directory','review_site','search'])[1 + i % 4], i % 10 <> 0
            FROM generate_series(1, {n["sources"]}) AS i""",
        ),
        (
            "opt-outs",
            f"""INSERT INTO collection_opt_outs (domain, entity_type, entity_id, reason)
            SELECT CASE WHEN i % 2 = 0 THEN 'optout' || i || '.example.com' END,
                   CASE WHEN i % 2 = 1 THEN 'builder' END, CASE WHEN i % 2 = 1 THEN i END, 'asked by e-mail'
            FROM generate_series(1, {n["opt_outs"]}) AS i""",
        ),
        ("admin", "INSERT INTO users (user_id, email, role) VALUES ('USR-BENCH', 'bench@example.com', 'admin')"),
    ]


def build(db_name: str, factor: float) -> dict[str, Any]:
    """Create ``db_name``, migrate it with the CLI and fill it; returns the counts and the seconds each step took."""
    counts = {name: max(1, round(value * factor)) for name, value in NATIONAL.items()}
    heavy = max(200, round(HEAVY * factor)) if factor < 1 else HEAVY
    with psycopg.connect(ADMIN_DSN, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{db_name}"')
    env = {**os.environ, "ARTITEC_DATABASE_URL": f"postgresql+psycopg://root@127.0.0.1:5432/{db_name}"}
    started = time.perf_counter()
    subprocess.run([os.path.join(ROOT, ".venv/bin/artitec-collector"), "migrate"], env=env, cwd=ROOT, check=True)
    timings = {"migrate": time.perf_counter() - started}
    with psycopg.connect(f"postgresql://root@127.0.0.1:5432/{db_name}", autocommit=True) as conn:
        conn.execute("SET synchronous_commit = off")
        conn.execute("SET maintenance_work_mem = '256MB'")
        # A bulk load builds each index once at the end rather than row by row (the usual way to load a
        # database); indexes behind primary keys and unique constraints stay, as do all triggers and the
        # index the rollup triggers look records up by.
        indexes = conn.execute(
            """SELECT i.indexname, i.indexdef FROM pg_indexes AS i
            WHERE i.schemaname = 'public' AND i.tablename <> 'alembic_version'
              AND i.indexname <> 'ix_expr_collection_changes_applied_record' AND NOT EXISTS (
                SELECT 1 FROM pg_constraint AS c WHERE c.conindid = format('%I', i.indexname)::regclass)"""
        ).fetchall()
        for name, _definition in indexes:
            conn.execute(f'DROP INDEX "{name}"')
        for what, sql in catalogue_sql(counts, heavy):
            started = time.perf_counter()
            conn.execute(sql)
            timings[what] = time.perf_counter() - started
        started = time.perf_counter()
        for _name, definition in indexes:
            conn.execute(definition)
        timings["indexes"] = time.perf_counter() - started
        # The rollups' delta rows folded, as the beat's compact_rollups does every ten minutes.
        from sqlalchemy import create_engine
        from sqlalchemy.orm import Session
        from sqlalchemy.pool import NullPool

        import app.models  # noqa: F401  (every mapper, before a session is used)
        from app.ops.stats import compact_rollups

        started = time.perf_counter()
        with Session(create_engine(env["ARTITEC_DATABASE_URL"], poolclass=NullPool)) as session:
            compact_rollups(session)
            session.commit()
        timings["compact rollups"] = time.perf_counter() - started
        started = time.perf_counter()
        conn.execute("VACUUM ANALYZE")
        timings["vacuum analyze"] = time.perf_counter() - started
    return {"counts": counts, "heavy": heavy, "seconds": timings}


def drop(db_name: str) -> None:
    with psycopg.connect(ADMIN_DSN, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')


# --- measuring (in a child process per database, so each gets its own settings and engine) ------------


def cases(session: Any, heavy_builder: int) -> list[tuple[str, str]]:
    """(label, path) of every request measured; cursors halfway through each list come from the data."""
    from sqlalchemy import func, select

    from app.builders.models import BuilderProfile
    from app.changes.models import CollectionChange
    from app.communities.models import Community
    from app.core.pagination import Cursor
    from app.jobs.models import CollectionJob
    from app.matching.models import EntityMatch
    from app.properties.models import Property
    from app.sources.models import CollectionOptOut, CollectionSource

    def middle(model: Any, *columns: Any, descending: bool = False) -> str:
        count = session.scalar(select(func.count()).select_from(model))
        order = [c.desc() for c in columns] if descending else list(columns)
        row = session.execute(select(*columns).order_by(*order).offset(count // 2).limit(1)).one()
        return Cursor(page=max(2, count // 40), values=tuple(row)).encode()

    newest_job = session.scalar(select(CollectionJob.job_id).order_by(CollectionJob.id.desc()).limit(1))
    typical_job = session.scalar(select(CollectionJob.job_id).where(CollectionJob.id == 3))
    home = session.scalar(select(func.max(Property.id)))
    changed_home = session.scalar(
        select(CollectionChange.entity_id).where(CollectionChange.status == "applied").limit(1)
    )
    lists = {
        "builders": (middle(BuilderProfile, BuilderProfile.name, BuilderProfile.id), ["name=perry", "city=Houston",
                     "state=TX", "name=perry&city=Houston"]),
        "communities": (middle(Community, Community.name, Community.id), ["name=ranch", "city=Austin", "state=TX"]),
        "properties": (middle(Property, Property.title, Property.id), ["name=oakmont", "city=Houston", "state=TX",
                       "builder_id=42", "community_id=42", "status=sold", "city=Houston&status=sold"]),
        "collection-jobs": (middle(CollectionJob, CollectionJob.created_at, CollectionJob.id, descending=True),
                            ["status=failed", "entity_type=community", "job_type=property_discovery"]),
        "entity-matches": (middle(EntityMatch, EntityMatch.created_at, EntityMatch.id, descending=True),
                           ["status=pending", "entity_type=builder", f"job_id={typical_job}"]),
        "sources": (middle(CollectionSource, CollectionSource.domain), ["source_type=directory", "is_active=false"]),
        "opt-outs": (middle(CollectionOptOut, CollectionOptOut.id, descending=True), ["entity_type=builder"]),
    }  # fmt: skip
    found: list[tuple[str, str]] = []
    for path, (cursor, filters) in lists.items():
        found += [
            (f"{path} first page", f"/{path}"),
            (f"{path} page 100 (per_page 100)", f"/{path}?page=100&per_page=100"),
            (f"{path} cursor halfway", f"/{path}?cursor={cursor}"),
        ]
        found += [(f"{path} ?{f}", f"/{path}?{f}") for f in filters]
    found += [
        ("builder detail (5,000 plans, 2,000 communities)", "/builders/7"),
        ("builder's home plans page 10 (per_page 100)", "/builders/7/home-plans?page=10&per_page=100"),
        ("community detail", "/communities/7"),
        ("home detail", f"/properties/{home}"),
        ("job detail (typical job)", f"/collection-jobs/{typical_job}"),
        ("job detail (heavy job)", f"/collection-jobs/{newest_job}"),
        ("pending-changes (heavy builder)", f"/builders/{heavy_builder}/pending-changes"),
        ("pending-changes (heavy builder) cursor", f"/builders/{heavy_builder}/pending-changes?cursor=__PENDING__"),
        ("history of a home", f"/properties/{changed_home}/history"),
        ("collection-stats", "/collection-stats"),
        ("collection-stats ?days=30", "/collection-stats?days=30"),
        ("costs (30 days)", "/costs"),
        ("costs (365 days)", "/costs?from=__YEAR_AGO__"),
        # The review inbox: every pending change across all records, in each of its orders.
        ("inbox (newest)", "/changes"),
        ("inbox ?sort=age", "/changes?sort=age"),
        ("inbox ?sort=confidence", "/changes?sort=confidence"),
        ("inbox ?sort=record", "/changes?sort=record"),
        ("inbox ?entity_type=property&sort=record", "/changes?entity_type=property&sort=record"),
        ("inbox ?field=price", "/changes?field=price"),
        ("inbox summary", "/changes/summary"),
    ]
    return found


def _serve(db_name: str, port: int) -> subprocess.Popen[bytes]:
    """The API on ``port`` against ``db_name``, started the way production starts it (uvicorn, one process)."""
    env = {
        **os.environ,
        "ARTITEC_DATABASE_URL": f"postgresql+psycopg://root@127.0.0.1:5432/{db_name}",
        "ARTITEC_LOG_JSON": "false",
        "ARTITEC_LOG_LEVEL": "WARNING",
        "ARTITEC_BROKER_URL": os.environ.get("ARTITEC_BROKER_URL", "memory://"),
    }
    command = [sys.executable, "-m", "uvicorn", "app.main:app", "--port", str(port), "--log-level", "warning"]
    server = subprocess.Popen(command, env=env, cwd=ROOT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return server
        except httpx.TransportError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit(f"the API on port {port} did not start")


def _case_paths(db_name: str) -> tuple[str, list[tuple[str, str]]]:
    """A bearer token of the bench admin and the cases, read from ``db_name``."""
    from datetime import timedelta

    from sqlalchemy import create_engine, select
    from sqlalchemy.orm import Session

    from app.auth.models import User
    from app.auth.tokens import issue_token
    from app.core.config import get_settings
    from app.core.db import utcnow

    engine = create_engine(f"postgresql+psycopg://root@127.0.0.1:5432/{db_name}")
    with Session(engine) as session:
        admin = session.scalars(select(User).where(User.user_id == "USR-BENCH")).one()
        token = issue_token(admin, get_settings())
        year_ago = (utcnow() - timedelta(days=364)).date().isoformat()
        todo = [(label, path.replace("__YEAR_AGO__", year_ago)) for label, path in cases(session, heavy_builder=7)]
    engine.dispose()
    return token, todo


def measure(
    small_db: str, large_db: str, requests: int, only: list[str] | None = None
) -> dict[str, tuple[list[float], list[float]]]:
    """Every case's latencies in ms on both catalogues, requests alternating so both see the same load.

    With ``only``, just the cases whose label contains one of its words."""
    servers = [_serve(small_db, 18431), _serve(large_db, 18432)]
    try:
        sides = []
        for db_name, port in ((small_db, 18431), (large_db, 18432)):
            token, todo = _case_paths(db_name)
            client = httpx.Client(base_url=f"http://127.0.0.1:{port}/api/v1/admin", timeout=60)
            client.headers["Authorization"] = f"Bearer {token}"
            pending = client.get("/builders/7/pending-changes").json()
            todo = [(label, path.replace("__PENDING__", pending.get("next_cursor") or "")) for label, path in todo]
            sides.append((client, dict(todo)))
        results: dict[str, tuple[list[float], list[float]]] = {}
        for label in sides[0][1]:
            if only and not any(word in label for word in only):
                continue
            timings: tuple[list[float], list[float]] = ([], [])
            for round_ in range(3 + requests):  # 3 warm-up rounds
                for (client, paths), times in zip(sides, timings, strict=True):
                    started = time.perf_counter()
                    response = client.get(paths[label])
                    elapsed = (time.perf_counter() - started) * 1000
                    if response.status_code != 200:
                        raise SystemExit(
                            f"{label}: {paths[label]} answered {response.status_code}: {response.text[:300]}"
                        )
                    if round_ >= 3:
                        times.append(elapsed)
            results[label] = timings
        return results
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=30)


def _cut(timings: list[float]) -> tuple[float, float]:
    cuts = statistics.quantiles(timings, n=100, method="inclusive")
    return cuts[49], cuts[94]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="national catalogue times this (1.0: 1M homes)")
    parser.add_argument("--requests", type=int, default=40, help="timed requests per case")
    parser.add_argument("--keep", action="store_true", help="keep both databases (names printed)")
    parser.add_argument("--reuse", action="store_true", help="measure databases a --keep run left")
    parser.add_argument("--only", help="comma-separated words: measure only the cases whose label has one")
    args = parser.parse_args(argv)

    small_db, large_db = "artitec_bench_scale_small", f"artitec_bench_scale_{str(args.scale).replace('.', '_')}"
    if not args.reuse:
        for db_name, factor in ((small_db, 0.001), (large_db, args.scale)):
            started = time.perf_counter()
            built = build(db_name, factor)
            print(f"built {db_name} (scale {factor}) in {time.perf_counter() - started:.0f} s: {built['counts']}")
            print("  seconds per step: " + ", ".join(f"{k} {v:.1f}" for k, v in built["seconds"].items()))
    try:
        results = measure(small_db, large_db, args.requests, args.only.split(",") if args.only else None)
    finally:
        if not args.keep:
            drop(small_db)
            drop(large_db)
    print(
        f"\n{'case':<48} {'1k homes p50/p95':>18} {'scale ' + str(args.scale) + ' p50/p95':>20} {'ratio p50/p95':>14}"
    )
    worst_ratio = worst_p95 = 0.0
    for label, (small, large) in results.items():
        s50, s95 = _cut(small)
        l50, l95 = _cut(large)
        worst_ratio = max(worst_ratio, l50 / s50, l95 / s95)
        worst_p95 = max(worst_p95, l95)
        flag = "" if l95 < 100 and max(l50 / s50, l95 / s95) <= 2 else "  <-"
        print(
            f"{label:<48} {s50:8.1f} /{s95:7.1f} ms {l50:9.1f} /{l95:7.1f} ms {l50 / s50:6.2f} /{l95 / s95:5.2f}{flag}"
        )
    print(f"\nworst ratio {worst_ratio:.2f} (goal <= 2), worst p95 {worst_p95:.1f} ms (goal < 100 ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
