"""Benchmark: the API under concurrent load, started as production starts it.

Run: ``.venv/bin/python -m bench.load [--workers 2] [--seconds 20] [--levels 10,50,100,200]``
(PostgreSQL and Redis on 127.0.0.1; ``wrk`` on the PATH, Debian package ``wrk``; it creates, migrates and
drops its own database; the broker is ``$ARTITEC_BROKER_URL``, Redis database 5 unless set, emptied at the
end as no worker reads it).

``uvicorn app.main:app --workers N`` serves a catalogue of 500 builders, 200 communities and 5,000
homes. For each level of concurrent connections ``wrk`` (C, one thread: the load costs the shared cores
little) runs the mix of ``bench/load.lua`` for a bounded time, three in four ``GET`` of a list (builders,
communities, homes, jobs) and one in four ``POST …/builders/{id}/collect`` (job limits raised by
setting), while this process asks ``/healthz`` every 100 ms on a connection of its own. Printed per
level: requests, req/s (and the ratio to the first level, measured in the same run), p50/p99, answers
by status, the longest ``/healthz`` answer, the API processes' CPU time per request and the load average.
Every level starts from the same tables: the jobs the levels before created are deleted first.
Goal: every probe answered within 1 s, no 5xx, req/s not falling as connections rise.
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field

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
WRK_SCRIPT = os.path.join(ROOT, "bench", "load.lua")


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
    requests: int = 0
    statuses: Counter[str] = field(default_factory=Counter)  # HTTP status, or the kind of socket error
    percentiles_ms: dict[int, float] = field(default_factory=dict)
    probes: list[float] = field(default_factory=list)
    probe_failures: int = 0
    cpu_seconds: float = 0.0  # user + system time of the API's worker processes during the level
    sessions: int = 0  # database connections opened during the level
    load_average: tuple[float, float] = (0.0, 0.0)  # 1-minute load average before and after

    @property
    def rate(self) -> float:
        return self.requests / self.seconds

    @property
    def server_errors(self) -> int:
        return sum(n for s, n in self.statuses.items() if not s.isdigit() or s.startswith("5"))


def require_wrk() -> str:
    path = shutil.which("wrk")
    if path is None:
        sys.exit("bench.load drives the load with wrk, which is not installed: apt-get install -y wrk")
    return path


def worker_pids(server: subprocess.Popen[bytes]) -> list[int]:
    """uvicorn's worker processes: the children of the process it was started as."""
    pids: list[int] = []
    for task in os.listdir(f"/proc/{server.pid}/task"):
        with open(f"/proc/{server.pid}/task/{task}/children") as children:
            pids += [int(pid) for pid in children.read().split()]
    return pids


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time the processes have used so far (fields 14 and 15 of /proc/PID/stat)."""
    ticks = 0
    for pid in pids:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def sessions_opened() -> int:
    """Connections PostgreSQL has accepted to the bench database so far (its statistics lag up to a second)."""
    dsn = DB_URL.replace("postgresql+psycopg", "postgresql")
    with psycopg.connect(dsn) as conn:
        conn.execute("SELECT pg_stat_force_next_flush()")
        row = conn.execute("SELECT sessions FROM pg_stat_database WHERE datname = %s", (DB_NAME,)).fetchone()
    return int(row[0]) if row else 0


def parse_wrk(output: str, result: LevelResult) -> None:
    """Read the "key value" lines the script's done() prints."""
    for line in output.splitlines():
        parts = line.split()
        if parts[:1] == ["status"] and len(parts) == 3:
            result.statuses[parts[1]] += int(parts[2])
        elif len(parts) == 2 and parts[0] == "requests":
            result.requests = int(parts[1])
        elif len(parts) == 2 and parts[0] == "duration_us":
            result.seconds = int(parts[1]) / 1e6  # as wrk measured it, a little over the level's time
        elif len(parts) == 2 and (match := re.fullmatch(r"error_(\w+)", parts[0])) and int(parts[1]):
            # wrk counts a socket error apart from the answers; a timeout is a request with no answer in 60 s.
            result.statuses[match[1]] += int(parts[1])
        elif len(parts) == 2 and (match := re.fullmatch(r"p(\d+)_us", parts[0])):
            result.percentiles_ms[int(match[1])] = int(parts[1]) / 1000


def run_level(
    wrk: str,
    base: str,
    token: str,
    builders: tuple[int, int],
    connections: int,
    seconds: float,
    threads: int,
    pids: list[int],
    post_share: float,
) -> LevelResult:
    """wrk keeps ``connections`` busy for ``seconds`` while this process probes /healthz."""
    result = LevelResult(connections, seconds)
    argv = [wrk, f"-t{min(threads, connections)}", f"-c{connections}", f"-d{seconds:g}s"]
    argv += [f"--timeout={REQUEST_TIMEOUT_SECONDS:g}s", "-s", WRK_SCRIPT, base, "--", token, *map(str, builders)]
    argv.append(f"{post_share:g}")
    load_before = os.getloadavg()[0]
    cpu_before = cpu_seconds(pids)
    sessions_before = sessions_opened()
    load = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    with httpx.Client(base_url=base, timeout=REQUEST_TIMEOUT_SECONDS) as client:
        while load.poll() is None:
            start = time.monotonic()
            try:
                ok = client.get("/healthz").status_code == 200
            except httpx.HTTPError:
                ok = False
            result.probes.append((time.monotonic() - start) * 1000)
            result.probe_failures += not ok
            time.sleep(PROBE_EVERY_SECONDS)
    output = load.communicate()[0]
    result.cpu_seconds = cpu_seconds(pids) - cpu_before
    time.sleep(1.0)  # the API's backends report their statistics within a second
    result.sessions = sessions_opened() - sessions_before - 1  # not this process's own
    result.load_average = (load_before, os.getloadavg()[0])
    if load.returncode != 0:
        raise RuntimeError(f"wrk failed (exit {load.returncode}):\n{output}")
    parse_wrk(output, result)
    return result


def print_results(results: list[LevelResult], workers: int, post_share: float) -> None:
    first = results[0].rate
    print(
        f"\nuvicorn --workers {workers}; wrk: GET lists ({1 - post_share:.0%}) and POST …/collect ({post_share:.0%}); "
        "/healthz probed every 100 ms"
    )
    print(
        f"{'conns':>5} {'requests':>8} {'req/s':>7} {'vs first':>8} {'p50 ms':>8} {'p99 ms':>8} {'5xx':>4} "
        f"{'max /healthz ms':>15} {'CPU ms/req':>10} {'DB conns':>8} {'load avg':>10}  answers by status"
    )
    for r in results:
        by_status = ", ".join(f"{s}: {n}" for s, n in sorted(r.statuses.items()))
        longest = max(r.probes) if r.probes else float("nan")
        per_request = r.cpu_seconds * 1000 / r.requests if r.requests else float("nan")
        load = f"{r.load_average[0]:.1f}-{r.load_average[1]:.1f}"
        print(
            f"{r.connections:>5} {r.requests:>8} {r.rate:>7.1f} {r.rate / first:>7.2f}x "
            f"{r.percentiles_ms.get(50, 0):>8.1f} {r.percentiles_ms.get(99, 0):>8.1f} {r.server_errors:>4} "
            f"{longest:>15.1f} {per_request:>10.1f} {r.sessions:>8} {load:>10}  "
            f"{by_status}" + (f"; {r.probe_failures} probes failed" if r.probe_failures else "")
        )


def start_level_afresh() -> None:
    """Each level on the same tables: the jobs the levels before created are deleted (their events with them),
    the rollups compacted as the beat schedule does every 10 minutes, and the tables vacuumed. Without it
    each level ran on the jobs of all before it (about 700 a level), so a later level also measured a
    longer jobs list to count, and the sweep's order decided the ratios as much as the connections did."""
    from app.core.db import get_engine
    from app.ops.tasks import compact_rollups_task

    dsn = DB_URL.replace("postgresql+psycopg", "postgresql")
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("DELETE FROM collection_jobs")
    compact_rollups_task()
    get_engine.cache_clear()
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
    empty_broker()


def empty_broker() -> None:
    """Drop the jobs sent during the run: no worker reads this broker database."""
    import redis

    redis.Redis.from_url(BROKER_URL).flushdb()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workers", type=int, default=2, help="uvicorn worker processes (ARTITEC_API_WORKERS)")
    parser.add_argument("--seconds", type=float, default=20.0, help="duration of each level")
    parser.add_argument("--levels", default="10,50,100,200", help="concurrent connections, comma separated")
    parser.add_argument("--wrk-threads", type=int, default=1, help="wrk threads (one drives 200 connections)")
    parser.add_argument(
        "--post-share",
        type=float,
        default=0.25,
        help="share of requests that POST …/collect (0: GET lists only, to tell the job-creation path's part)",
    )
    args = parser.parse_args(argv)
    wrk = require_wrk()
    levels = [int(level) for level in args.levels.split(",")]
    create_database(DB_URL)
    server = None
    try:
        seed_catalogue(builders=500, communities=200, homes=5_000)
        token = admin_token()
        dsn = DB_URL.replace("postgresql+psycopg", "postgresql")
        with psycopg.connect(dsn) as conn:
            builders = conn.execute("SELECT min(id), max(id) FROM builder_profiles").fetchone()
        assert builders is not None
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = start_server(port, args.workers)
        wait_until_up(base)
        pids = worker_pids(server)
        # Warm-up, not measured: each worker process's first requests load what they use lazily.
        run_level(wrk, base, token, builders, 4, 3.0, 1, pids, args.post_share)
        results = []
        for connections in levels:
            start_level_afresh()
            result = run_level(
                wrk, base, token, builders, connections, args.seconds, args.wrk_threads, pids, args.post_share
            )
            print(
                f"{connections} connections: {result.requests} requests, "
                f"longest /healthz {max(result.probes):.0f} ms, "
                f"load average {result.load_average[0]:.1f}-{result.load_average[1]:.1f}",
                flush=True,
            )
            results.append(result)
        print_results(results, args.workers, args.post_share)
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
