"""Blocking against brute force: discovered communities matched against a large existing table.

Synthetic data with known ground truth: N existing communities in a few hundred cities, and D discovered
ones, most of them existing communities written differently (typos, "Community" suffix, abbreviations,
"&" for "and", case, a missing city) and the rest new. In one run it measures:
- blocked matching (CandidateIndex: exact keys + per-city cdist blocks, then the full scorer) of all D;
- brute force (the same full scorer on every pair) of a random subset of D against all N, extrapolated;
- recall: of the subset's correct brute-force matches, how many blocking keeps.

    .venv/bin/python -m bench.matching [--existing 200000] [--discovered 2000] [--subset 40]

With --db it measures the service's path instead (resolve_discovered's candidate retrieval): the
existing communities go into a PostgreSQL database the bench creates (built by the migrations) and
drops afterwards, and --db-discovered records each fetch their candidates with the pg_trgm query and
with the old LIKE query in the same run, then go through the same scorer.

    .venv/bin/python -m bench.matching --db [--existing 200000] [--db-discovered 200]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import time
import tracemalloc
from dataclasses import dataclass

from app.core.config import get_settings
from app.matching.blocking import CandidateIndex
from app.matching.records import MatchRecord, prepare

BENCH_DB_URL = "postgresql+psycopg://root@127.0.0.1:5432/artitec_bench_matching"


def _words(text: str) -> list[str]:
    return text.split()


FIRST = _words(
    "Cinco Bridge Alia Sienna Harvest Cross Towne Eagle River Oak Cedar Willow Maple Pecan Magnolia Cypress Stone "
    "Falcon Hawk Sun Silver Golden Green Blue Red Shadow Spring Summer Autumn Winter Hidden Grand Royal Heritage "
    "Legacy Liberty Union Pioneer Frontier Canyon Mesa Prairie Meadow Timber Forest Lake Bay Harbor Coral Pine Elm "
    "Aspen Birch Hickory Laurel Briar Thorn Fox Deer Elk Bear Wolf Raven Dove Swan Heron Crane Quail Sparrow Robin"
)
SECOND = _words(
    "ridge wood land field brook dale view crest haven wick ford ton gate side shire mont vale worth mere bury"
)
THIRD = _words(
    "Ranch Village Park Estates Lakes Crossing Trails Hills Meadows Reserve Preserve Landing Point Grove Springs "
    "Creek Commons Place Farms Heights Shores Glen Hollow Bend"
)
STATES = ["TX", "FL", "AZ", "GA", "NC", "CO", "TN", "NV", "UT", "CA"]


@dataclass
class Synthetic:
    existing: list[MatchRecord]
    discovered: list[MatchRecord]
    truth: dict[int, int | None]  # discovered index -> existing id, None for a new community


def _name(rng: random.Random) -> str:
    base = rng.choice(FIRST) + rng.choice(SECOND)
    return base if rng.random() < 0.3 else f"{base} {rng.choice(THIRD)}"


def _typo(rng: random.Random, text: str) -> str:
    i = rng.randrange(1, max(2, len(text) - 1))
    kind = rng.random()
    if kind < 0.4:
        return text[:i] + text[i + 1 :]  # deletion
    if kind < 0.7:
        return text[:i] + text[i] + text[i:]  # doubled letter
    return text[: i - 1] + text[i] + text[i - 1] + text[i + 1 :]  # transposition


def _variant(rng: random.Random, values: dict[str, object]) -> dict[str, object]:
    name = str(values["name"])
    out = dict(values)
    kind = rng.randrange(6)
    if kind == 0:
        name = _typo(rng, name)
    elif kind == 1:
        name = f"{name} Community"
    elif kind == 2:
        name = name.upper()
    elif kind == 3:
        name = f"The {name}"
    elif kind == 4:
        out["state"] = {"TX": "Texas", "FL": "Florida"}.get(str(values["state"]), values["state"])
    else:
        name = name.replace("Heights", "Hts").replace("Park", "Pk") if rng.random() < 0.5 else _typo(rng, name)
    out["name"] = name
    return out


def synthesize(n_existing: int, n_discovered: int, seed: int = 7) -> Synthetic:
    rng = random.Random(seed)
    cities = [(f"City{c}", STATES[c % len(STATES)]) for c in range(400)]
    raw: list[dict[str, object]] = []
    seen: set[tuple[str, str, str]] = set()
    while len(raw) < n_existing:
        city, state = rng.choice(cities)
        name = _name(rng)
        if (name.lower(), city, state) in seen:
            continue  # one name per city: a second one would be a duplicate of the first
        seen.add((name.lower(), city, state))
        raw.append({"id": len(raw) + 1, "name": name, "city": city, "state": state})
    existing = [prepare("community", r, r["id"]) for r in raw]

    discovered: list[MatchRecord] = []
    truth: dict[int, int | None] = {}
    for i in range(n_discovered):
        if rng.random() < 0.8:
            source = rng.choice(raw)
            discovered.append(prepare("community", _variant(rng, source), f"d{i}"))
            truth[i] = int(source["id"])  # type: ignore[call-overload]
        else:
            city, state = rng.choice(cities)
            name = _name(rng)
            while (name.lower(), city, state) in seen:
                name = _name(rng)
            discovered.append(prepare("community", {"name": name, "city": city, "state": state}, f"d{i}"))
            truth[i] = None
    return Synthetic(existing, discovered, truth)


def _best(candidates: list, threshold: float) -> int | None:  # type: ignore[type-arg]
    if candidates and candidates[0].score.confidence >= threshold:
        return int(candidates[0].record.id)
    return None


def _admin_dsn(url: str) -> tuple[str, str]:
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    admin = parsed.set(drivername="postgresql", database="postgres").render_as_string(hide_password=False)
    return admin, str(parsed.database)


def _load_existing(url: str, existing: list[MatchRecord]) -> None:
    """Fresh database built by the migrations, then every existing community through COPY."""
    import psycopg
    from alembic import command
    from alembic.config import Config

    admin, name = _admin_dsn(url)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    config = Config(os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "alembic.ini"))
    config.attributes["configure_logger"] = False
    config.attributes["database_url"] = url
    command.upgrade(config, "head")
    with psycopg.connect(url.replace("postgresql+psycopg", "postgresql")) as conn:
        with conn.cursor() as cur:
            with cur.copy("COPY communities (id, community_id, name, city, state) FROM STDIN") as copy:
                for r in existing:
                    copy.write_row((r.id, f"CMY-B{r.id}", r.name, r.extra["city_raw"], r.extra["state_raw"]))
            cur.execute("ANALYZE communities")
        conn.commit()


def _drop(url: str) -> None:
    import psycopg

    admin, name = _admin_dsn(url)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run_db(args: argparse.Namespace) -> None:
    """resolve_discovered's retrieval against a PostgreSQL table: trigram index beside the LIKE path."""
    from sqlalchemy import text
    from sqlalchemy.orm import Session

    from app.core.db import make_engine
    from app.matching import repository

    low = get_settings().match_low_threshold
    high = get_settings().match_high_threshold
    data = synthesize(args.existing, args.db_discovered, args.seed)
    t0 = time.perf_counter()
    _load_existing(args.db_url, data.existing)
    print(
        f"{len(data.existing):,} existing communities loaded (migrations, COPY, ANALYZE) "
        f"in {time.perf_counter() - t0:.1f} s"
    )
    engine = make_engine(args.db_url)
    try:
        with Session(engine) as session:
            plan = "\n".join(
                session.scalars(
                    text(
                        "EXPLAIN SELECT id FROM communities WHERE lower(name) % 'bridgland ranch' "
                        "ORDER BY similarity(lower(name), 'bridgland ranch') DESC LIMIT 50"
                    )
                )
            )
            print("plan of a trigram name query:\n" + plan)
            rows = []
            for method in ("trigram", "like"):
                times: list[float] = []
                candidates = correct = 0
                for i, query in enumerate(data.discovered):
                    t0 = time.perf_counter()
                    found = repository.load_candidates(session, "community", query, method=method)  # type: ignore[arg-type]
                    best = CandidateIndex(found).match(query, link_threshold=high) if found else []
                    times.append(time.perf_counter() - t0)
                    candidates += len(found)
                    correct += _best(best, low) == data.truth[i]
                    session.rollback()
                total = sum(times)
                p95 = statistics.quantiles(times, n=20)[-1] if len(times) >= 20 else max(times)
                rows.append((method, total, statistics.median(times), p95, candidates / len(times), correct))
    finally:
        engine.dispose()
        _drop(args.db_url)
    n = len(data.discovered)
    print()
    print(f"| retrieval ({n} discovered vs {len(data.existing):,} existing) | total | p50 per record | p95 per record "
          f"| candidates per record | right outcome at {low} |")  # fmt: skip
    print("|---|---|---|---|---|---|")
    for method, total, p50, p95, per, correct in rows:
        print(
            f"| {method} | {total:.2f} s | {p50 * 1000:.1f} ms | {p95 * 1000:.1f} ms | {per:.0f} | {correct} of {n} |"
        )
    print(f"\ntrigram vs LIKE: {rows[1][1] / rows[0][1]:.1f}x faster in total")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--existing", type=int, default=200_000)
    parser.add_argument("--discovered", type=int, default=2_000)
    parser.add_argument("--subset", type=int, default=40, help="discovered records also matched by brute force")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--db", action="store_true", help="time the database retrieval path instead")
    parser.add_argument("--db-discovered", type=int, default=200)
    parser.add_argument("--db-url", default=BENCH_DB_URL, help="a database the bench may create and drop")
    args = parser.parse_args(argv)
    if args.db:
        run_db(args)
        return
    low = get_settings().match_low_threshold
    high = get_settings().match_high_threshold

    t0 = time.perf_counter()
    data = synthesize(args.existing, args.discovered, args.seed)
    prep = time.perf_counter() - t0
    print(
        f"synthetic data: {len(data.existing):,} existing, {len(data.discovered):,} discovered "
        f"(normalized in {prep:.1f} s, shared by both methods)"
    )

    # Blocked: index build + every discovered record, timed without tracemalloc's overhead.
    t0 = time.perf_counter()
    index = CandidateIndex(data.existing)
    build = time.perf_counter() - t0
    t0 = time.perf_counter()
    blocked = index.match_many(data.discovered, min_confidence=low, link_threshold=high)
    match_time = time.perf_counter() - t0
    blocked_total = build + match_time
    pairs_scored = sum(len(ids) for ids in index.candidate_ids(data.discovered))  # untimed: the blocks again

    tracemalloc.start()
    CandidateIndex(data.existing).match_many(data.discovered, min_confidence=low, link_threshold=high)
    _current, blocked_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    # Brute force on a random subset, every pair through the same scorer.
    rng = random.Random(args.seed + 1)
    subset = rng.sample(range(len(data.discovered)), min(args.subset, len(data.discovered)))
    t0 = time.perf_counter()
    brute = {i: index.brute_force(data.discovered[i], min_confidence=low, link_threshold=high) for i in subset}
    brute_time = time.perf_counter() - t0
    tracemalloc.start()
    index.brute_force(data.discovered[subset[0]], min_confidence=low, link_threshold=high)
    _current, brute_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    brute_per_record = brute_time / len(subset)
    brute_extrapolated = brute_per_record * len(data.discovered)

    # Recall against brute force: its correct matches (truth, at the low threshold) that blocking keeps.
    brute_correct = [i for i in subset if data.truth[i] is not None and _best(brute[i], low) == data.truth[i]]
    kept = [i for i in brute_correct if _best(blocked[i], low) == data.truth[i]]
    same_top = sum(1 for i in subset if _best(brute[i], low) == _best(blocked[i], low))

    # Blocking's accuracy over every discovered record, against the ground truth.
    def accuracy(threshold: float) -> tuple[float, float]:
        tp = fp = fn = 0
        for i, candidates in enumerate(blocked):
            predicted, actual = _best(candidates, threshold), data.truth[i]
            if predicted is not None and predicted == actual:
                tp += 1
            elif predicted is not None:
                fp += 1
                fn += actual is not None
            elif actual is not None:
                fn += 1
        return tp / max(1, tp + fp), tp / max(1, tp + fn)

    speedup = brute_extrapolated / blocked_total
    print()
    print("| figure | blocking | brute force (baseline) |")
    print("|---|---|---|")
    print(
        f"| time for {len(data.discovered):,} discovered | {blocked_total:.2f} s (index {build:.2f} s + "
        f"match {match_time:.2f} s) | {brute_extrapolated:,.0f} s (measured {brute_time:.1f} s on "
        f"{len(subset)}, extrapolated) |"
    )
    print(
        f"| per discovered record | {blocked_total / len(data.discovered) * 1000:.2f} ms | "
        f"{brute_per_record * 1000:.0f} ms |"
    )
    print(
        f"| pairs scored per discovered record | {pairs_scored / len(data.discovered):.1f} | {len(data.existing):,} |"
    )
    print(
        f"| peak memory (tracemalloc) | {blocked_peak / 2**20:.1f} MiB (index + all matches) | "
        f"{brute_peak / 2**20:.1f} MiB (one record at a time) |"
    )
    print(f"| correct matches on the subset | {len(kept)} of {len(brute_correct)} | {len(brute_correct)} |")
    print(f"| same outcome (best at >= {low} or none) on the subset | {same_top} of {len(subset)} | {len(subset)} |")
    print()
    print(
        f"speedup: {speedup:.0f}x (target >= 50x); recall vs brute force: "
        f"{len(kept) / max(1, len(brute_correct)):.1%} (target >= 99%)"
    )
    for threshold in (high, low):
        precision, recall = accuracy(threshold)
        print(
            f"blocking vs ground truth, all {len(data.discovered):,} discovered, at {threshold}: "
            f"precision {precision:.3f}, recall {recall:.3f}"
        )


if __name__ == "__main__":
    main()
