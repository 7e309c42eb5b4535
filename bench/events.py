"""Live job updates: how soon a committed timeline event reaches a stream, and what open streams cost the API.

    .venv/bin/python -m bench.events [--events 20] [--streams 50] [--broker redis://127.0.0.1:6379/4]

Creates and drops its own PostgreSQL database and runs the API as a uvicorn subprocess. Figures:
- delivery: commit of a timeline event -> the event read by an SSE client, with Redis pub/sub and, as
  the baseline, with the database polled (no Redis, the default poll interval);
- answering: the median time of `GET /collection-jobs/{id}` with no stream open (baseline) and with
  ``--streams`` streams open on the same process.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid

DATABASE_URL = f"postgresql+psycopg://root@127.0.0.1:5432/artitec_bench_events_{os.getpid()}"
os.environ["ARTITEC_DATABASE_URL"] = DATABASE_URL
os.environ.setdefault("ARTITEC_LOG_JSON", "false")

import httpx  # noqa: E402

from bench.database import ROOT, create_database, drop_database  # noqa: E402


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _serve(broker: str) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    env = {**os.environ, "ARTITEC_BROKER_URL": broker, "ARTITEC_LOG_LEVEL": "WARNING"}
    command = [sys.executable, "-m", "uvicorn", "app.main:app", "--host", "127.0.0.1", "--port", str(port)]
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            httpx.get(f"{base}/healthz", timeout=1)
            return server, base
        except httpx.TransportError:
            time.sleep(0.1)
    raise SystemExit("the API did not start")


def _admin() -> dict[str, str]:
    from app import models  # noqa: F401
    from app.auth.models import Role, User
    from app.auth.tokens import issue_token
    from app.core.config import get_settings
    from app.core.db import session_scope

    with session_scope() as session:
        admin = User(email=f"bench-{uuid.uuid4().hex[:6]}@example.com", role=Role.admin)
        session.add(admin)
        session.flush()
        return {"Authorization": f"Bearer {issue_token(admin, get_settings())}"}


def _running_job() -> str:
    from app.core.db import session_scope
    from app.jobs.models import CollectionJob
    from app.jobs.service import add_event

    with session_scope() as session:
        job = CollectionJob(entity_type="builder", job_type="discovery", status="running")
        session.add(job)
        session.flush()
        add_event(session, job.job_id, "status", "running", {"status": "running"})
        return job.job_id


def _stream_url(base: str, job_id: str) -> str:
    return f"{base}/api/v1/admin/collection-jobs/{job_id}/events"


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


def _delivery(base: str, headers: dict[str, str], job_id: str, count: int) -> list[float]:
    """Seconds from each event's commit to its arrival at a streaming client."""
    from app.core.db import session_scope
    from app.jobs.models import JobEvent
    from app.jobs.service import add_event

    arrived: dict[str, float] = {}

    def read() -> None:
        with httpx.stream(
            "GET", f"{base}/api/v1/admin/collection-jobs/{job_id}/events", headers=headers, timeout=60
        ) as r:
            for line in r.iter_lines():
                if line.startswith("id: "):
                    arrived[line[4:]] = time.monotonic()
                if len(arrived) > count:
                    return

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    while not arrived:
        time.sleep(0.01)
    committed: dict[str, float] = {}
    for n in range(count):
        with session_scope() as session:
            add_event(session, job_id, "fetch", f"page {n}")
            session.flush()
            last = session.query(JobEvent.id).filter(JobEvent.job_id == job_id).order_by(JobEvent.id.desc()).first()
        committed[str(last[0] if last else 0)] = time.monotonic()
        time.sleep(0.25)
    reader.join(timeout=30)
    return [arrived[i] - t for i, t in committed.items() if i in arrived]


def _answering(base: str, headers: dict[str, str], job_id: str, streams: int) -> tuple[float, int]:
    """Median seconds of a job read while ``streams`` streams are open; and how many opened."""
    stop = threading.Event()
    opened: list[int] = []

    def hold() -> None:
        with httpx.stream(
            "GET", f"{base}/api/v1/admin/collection-jobs/{job_id}/events", headers=headers, timeout=60
        ) as r:
            for line in r.iter_lines():
                if line.startswith("id: "):
                    opened.append(1)
                    break
            while not stop.is_set():
                time.sleep(0.1)

    holders = [threading.Thread(target=hold, daemon=True) for _ in range(streams)]
    for holder in holders:
        holder.start()
    deadline = time.monotonic() + 60
    while len(opened) < streams and time.monotonic() < deadline:
        time.sleep(0.05)
    times = []
    with httpx.Client(headers=headers, timeout=30) as client:
        for _ in range(10):  # warm-up, not counted
            client.get(f"{base}/api/v1/admin/collection-jobs/{job_id}").raise_for_status()
        for _ in range(40):
            started = time.perf_counter()
            client.get(f"{base}/api/v1/admin/collection-jobs/{job_id}").raise_for_status()
            times.append(time.perf_counter() - started)
    stop.set()
    return statistics.median(times), len(opened)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=20)
    parser.add_argument("--streams", type=int, default=50)
    parser.add_argument("--broker", default="redis://127.0.0.1:6379/4")
    args = parser.parse_args()
    os.environ["ARTITEC_BROKER_URL"] = args.broker
    create_database(DATABASE_URL)
    servers: list[subprocess.Popen[bytes]] = []
    try:
        headers = _admin()
        live, live_base = _serve(args.broker)
        polled, polled_base = _serve("memory://")
        servers += [live, polled]
        with_redis = _delivery(live_base, headers, _running_job(), args.events)
        polling = _delivery(polled_base, headers, _running_job(), args.events)
        job_id = _running_job()
        print(f"delivery, {args.events} events (median / max):")
        print(f"  database polled (baseline): {_ms(statistics.median(polling))} / {_ms(max(polling))}")
        print(f"  Redis pub/sub:              {_ms(statistics.median(with_redis))} / {_ms(max(with_redis))}")
        print(f"  ratio: {statistics.median(polling) / statistics.median(with_redis):.1f}x sooner")
        idle, _ = _answering(live_base, headers, job_id, 0)
        busy, opened = _answering(live_base, headers, job_id, args.streams)
        print("GET /collection-jobs/{id}, median of 40:")
        print(f"  no stream open (baseline): {idle * 1000:.1f} ms")
        print(f"  {opened} streams open:         {busy * 1000:.1f} ms  ({busy / idle:.2f}x)")
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=20)
        from app.core.db import get_engine

        get_engine().dispose()
        drop_database(DATABASE_URL)


if __name__ == "__main__":
    main()
