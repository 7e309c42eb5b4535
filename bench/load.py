"""Benchmark: the API under concurrent load, started as production starts it.

Run: ``.venv/bin/python -m bench.load [--workers 2] [--seconds 20] [--levels 10,50,100,200]``
(PostgreSQL and Redis on 127.0.0.1; it creates, migrates and drops its own database; the broker is
``$ARTITEC_BROKER_URL``, Redis database 5 unless set, emptied at the end as no worker reads it).

``uvicorn app.main:app --workers N`` serves a catalogue of 500 builders, 200 communities and 5,000
homes. For each level of concurrent connections a bounded time of mixed requests runs, three in
four ``GET`` of a list (builders, communities, homes, jobs) and one in four ``POST
…/builders/{id}/collect`` (job limits raised by setting), while a probe asks ``/healthz`` every
100 ms on a connection of its own, from a process of its own: the client's event loop, busy with up to
200 connections, would delay the probe's own reading of the answer (that probe is kept beside it, to show
the difference). Printed per level: requests, req/s (and the ratio to the first level, measured in the
same run), p50/p99, answers by status, and the longest ``/healthz`` answer of each probe.
Goal: every probe answered within 1 s, no 5xx, req/s not falling as connections rise.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import multiprocessing
import os
import random
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import httpx
import psycopg

from bench.database import create_database, drop_database

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DB_NAME = f"artitec_bench_load_{os.getpid()}"
DB_URL = f"postgresql+psycopg://root@127.0.0.1:5432/{DB_NAME}"
BROKER_URL = os.environ.get("ARTITEC_BROKER_URL", "redis://127.0.0.1:6379/5")
# The server's token key, fresh for each run; this process signs the bench admin's token with it.
SECRET = secrets.token_urlsafe(48)
os.environ.update({"ARTITEC_DATABASE_URL": DB_URL, "ARTITEC_JWT_SECRET": SECRET, "ARTITEC_LOG_JSON": "false"})
API = "/api/v1/admin"
REQUEST_TIMEOUT_SECONDS = 60.0
PROBE_EVERY_SECONDS = 0.1


def server_environment() -> dict[str, str]:
    """The API's settings for the run: production, its own database, job limits out of the way."""
    return {
        **os.environ,
        "ARTITEC_ENVIRONMENT": "production",
        "ARTITEC_DATABASE_URL": DB_URL,
        "ARTITEC_BROKER_URL": BROKER_URL,
        "ARTITEC_JWT_SECRET": SECRET,
        "ARTITEC_METRICS_TOKEN": secrets.token_urlsafe(24),  # production refuses to start without one
        "ARTITEC_JOBS_PER_USER_PER_HOUR": "100000000",
        "ARTITEC_JOBS_PER_DAY_SYSTEM": "100000000",
        "ARTITEC_LOG_LEVEL": "WARNING",
        "ARTITEC_LOG_JSON": "false",
        "ARTITEC_FETCH_ALLOWED_HOSTS": "[]",
    }


def seed_catalogue(builders: int, communities: int, homes: int) -> None:
    """The records the requests read, written in a few set-based statements."""
    dsn = DB_URL.replace("postgresql+psycopg", "postgresql")
    with psycopg.connect(dsn) as conn:
        conn.execute(
            "INSERT INTO builder_profiles (builder_id, name, city, state, website) "
            "SELECT 'BLD-0-' || lpad(g::text, 6, '0'), 'Load Builder ' || g, 'Houston', 'TX', "
            "'https://builder' || g || '.example' "
            "FROM generate_series(1, %s) AS g",
            (builders,),
        )
        conn.execute(
            "INSERT INTO communities (community_id, name, city, state) "
            "SELECT 'CMY-0-' || lpad(g::text, 6, '0'), 'Load Community ' || g, 'Houston', 'TX' "
            "FROM generate_series(1, %s) AS g",
            (communities,),
        )
        conn.execute(
            "INSERT INTO properties (title, address1, city, state, price, property_status, builder_id) "
            "SELECT 'Lot ' || g, g || ' Oak Street', 'Houston', 'TX', 400000 + g, 'available', "
            "(SELECT min(id) FROM builder_profiles) + g %% %s FROM generate_series(1, %s) AS g",
            (builders, homes),
        )
        conn.execute("ANALYZE")


def admin_token() -> str:
    """An admin in the bench database and a token signed with the server's secret."""
    from app.auth.models import Role, User
    from app.auth.tokens import issue_token
    from app.core.config import get_settings
    from app.core.db import get_engine, session_scope

    with session_scope() as session:
        admin = User(email="load@artitec.example", role=Role.admin)
        session.add(admin)
        session.flush()
        token = issue_token(admin, get_settings())
    get_engine.cache_clear()
    return token


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(port: int, workers: int) -> subprocess.Popen[bytes]:
    """The production command (see the Dockerfile), on loopback."""
    argv = [sys.executable, "-m", "uvicorn", "app.main:app", "--host", "127.0.0.1", "--port", str(port)]
    argv += ["--workers", str(workers), "--no-access-log"]
    return subprocess.Popen(argv, cwd=ROOT, env=server_environment(), start_new_session=True)


def wait_until_up(base: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/readyz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise RuntimeError("the API did not become ready within a minute")


def stop_server(server: subprocess.Popen[bytes]) -> str:
    """SIGTERM, as an orchestrator stops it; how it went, for the report."""
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(timeout=30)
        return f"stopped on SIGTERM (exit {server.returncode})"
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()
        return "did NOT stop within 30 s of SIGTERM (killed)"


@dataclass
class LevelResult:
    connections: int
    seconds: float
    latencies: list[float] = field(default_factory=list)
    statuses: Counter[str] = field(default_factory=Counter)
    probes: list[float] = field(default_factory=list)  # from a process of its own
    probe_failures: int = 0
    loop_probes: list[float] = field(default_factory=list)  # from the client's busy event loop

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.seconds

    def quantile(self, q: int) -> float:
        if len(self.latencies) < 2:
            return self.latencies[0] if self.latencies else 0.0
        return statistics.quantiles(self.latencies, n=100)[q - 1]


def pick_request(rng: random.Random, builders: list[int]) -> tuple[str, str, dict[str, str] | None]:
    roll = rng.random()
    if roll < 0.25:
        return "POST", f"{API}/builders/{rng.choice(builders)}/collect", {"researcher": "web"}
    page = str(rng.randint(1, 5))
    path = rng.choice(["builders", "communities", "properties", "collection-jobs"])
    return "GET", f"{API}/{path}?page={page}&per_page=20", None


async def run_level(base: str, token: str, connections: int, seconds: float, builders: list[int]) -> LevelResult:
    result = LevelResult(connections, seconds)
    headers = {"Authorization": f"Bearer {token}"}
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    stop_at = time.monotonic() + seconds

    async def user(client: httpx.AsyncClient, rng: random.Random) -> None:
        while time.monotonic() < stop_at:
            method, path, body = pick_request(rng, builders)
            start = time.monotonic()
            try:
                response = await client.request(method, path, json=body, headers=headers)
                status = str(response.status_code)
            except httpx.TimeoutException:
                status = "timeout"
            except httpx.HTTPError as exc:
                status = type(exc).__name__
            result.latencies.append((time.monotonic() - start) * 1000)
            result.statuses[status] += 1

    async def loop_probe() -> None:
        async with httpx.AsyncClient(base_url=base, timeout=REQUEST_TIMEOUT_SECONDS) as client:
            while time.monotonic() < stop_at:
                start = time.monotonic()
                with contextlib.suppress(httpx.HTTPError):
                    await client.get("/healthz")
                result.loop_probes.append((time.monotonic() - start) * 1000)
                await asyncio.sleep(PROBE_EVERY_SECONDS)

    context = multiprocessing.get_context("spawn")
    answers = context.Queue()
    prober = context.Process(target=probe_healthz, args=(base, seconds, answers))
    prober.start()
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=REQUEST_TIMEOUT_SECONDS) as client:
        await asyncio.gather(loop_probe(), *(user(client, random.Random(n)) for n in range(connections)))
    result.probes, result.probe_failures = await asyncio.to_thread(answers.get, timeout=REQUEST_TIMEOUT_SECONDS)
    prober.join()
    return result


def probe_healthz(base: str, seconds: float, answers: Any) -> None:
    """Ask /healthz every PROBE_EVERY_SECONDS for ``seconds``; put (latencies in ms, failures) on ``answers``."""
    latencies: list[float] = []
    failures = 0
    stop_at = time.monotonic() + seconds
    with httpx.Client(base_url=base, timeout=REQUEST_TIMEOUT_SECONDS) as client:
        while time.monotonic() < stop_at:
            start = time.monotonic()
            try:
                ok = client.get("/healthz").status_code == 200
            except httpx.HTTPError:
                ok = False
            latencies.append((time.monotonic() - start) * 1000)
            failures += not ok
            time.sleep(PROBE_EVERY_SECONDS)
    answers.put((latencies, failures))


def print_results(results: list[LevelResult], workers: int) -> None:
    first = results[0].rate
    print(f"\nuvicorn --workers {workers}; GET lists (3/4) and POST …/collect (1/4); /healthz probed every 100 ms")
    print(
        f"{'conns':>5} {'requests':>8} {'req/s':>7} {'vs first':>8} {'p50 ms':>8} {'p99 ms':>8} "
        f"{'5xx':>4} {'max /healthz ms':>15} {'(client loop)':>13}  answers by status"
    )
    for r in results:
        errors = sum(n for s, n in r.statuses.items() if not s.isdigit() or s.startswith("5"))
        by_status = ", ".join(f"{s}: {n}" for s, n in sorted(r.statuses.items()))
        longest = max(r.probes) if r.probes else float("nan")
        loop_longest = max(r.loop_probes) if r.loop_probes else float("nan")
        print(
            f"{r.connections:>5} {len(r.latencies):>8} {r.rate:>7.1f} {r.rate / first:>7.2f}x "
            f"{r.quantile(50):>8.1f} {r.quantile(99):>8.1f} {errors:>4} {longest:>15.1f} {loop_longest:>13.1f}  "
            f"{by_status}" + (f"; {r.probe_failures} probes failed" if r.probe_failures else "")
        )


def empty_broker() -> None:
    """Drop the jobs sent during the run: no worker reads this broker database."""
    import redis

    redis.Redis.from_url(BROKER_URL).flushdb()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workers", type=int, default=2, help="uvicorn worker processes (ARTITEC_API_WORKERS)")
    parser.add_argument("--seconds", type=float, default=20.0, help="duration of each level")
    parser.add_argument("--levels", default="10,50,100,200", help="concurrent connections, comma separated")
    args = parser.parse_args(argv)
    levels = [int(level) for level in args.levels.split(",")]
    create_database(DB_URL)
    server = None
    try:
        seed_catalogue(builders=500, communities=200, homes=5_000)
        token = admin_token()
        dsn = DB_URL.replace("postgresql+psycopg", "postgresql")
        with psycopg.connect(dsn) as conn:
            builders = [row[0] for row in conn.execute("SELECT id FROM builder_profiles ORDER BY id")]
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = start_server(port, args.workers)
        wait_until_up(base)
        # Warm-up, not measured: each worker process's first requests load what they use lazily.
        asyncio.run(run_level(base, token, 4, 3.0, builders))
        results = []
        for connections in levels:
            result = asyncio.run(run_level(base, token, connections, args.seconds, builders))
            print(
                f"{connections} connections: {len(result.latencies)} requests, "
                f"longest /healthz {max(result.probes):.0f} ms "
                f"(from the client's loop {max(result.loop_probes):.0f} ms), "
                f"load average {os.getloadavg()[0]:.1f}",
                flush=True,
            )
            results.append(result)
        print_results(results, args.workers)
        print(f"server: {stop_server(server)}")
        server = None
    finally:
        if server is not None:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
        empty_broker()
        drop_database(DB_URL)
    return 0


if __name__ == "__main__":
    sys.exit(main())
