"""Fault suite: no fault loses, strands or duplicates a job, and nothing a stranger sends stalls the API.

Run: ``.venv/bin/python -m bench.faults [--deadline 300]``

Starts everything it breaks on loopback, under a temporary folder: its own PostgreSQL cluster (initdb on
a free port), its own redis-server, the API (uvicorn), a Celery worker, the bundled sample sites and the
fake Anthropic Messages API. The machine's own PostgreSQL and Redis are never touched. Then, in order:

  baseline          20 builder refreshes, no fault: the figures every other row is read against
  concurrent        50 collects sent at once (10 threads)
  worker SIGKILL    the worker is killed (-9) while jobs run, then a new one starts; the sweeper runs the
                    jobs it was running again (the "run again" column)
  broker down POST  Redis is stopped while collects are posted, then started again
  broker down run   Redis is stopped for 5 s while jobs run
  PG restart        PostgreSQL is stopped for ~8 s while collects are posted and jobs run
  LLM storm         Claude jobs while the Messages API answers 429 and 529 for 8 s
  100 MB body       100 MB posted without a token (declared, and chunked)

Beat is replaced by the bench sending ``jobs.sweep`` every 10 s (the running timeout is 1 minute here).
Prints one row per scenario and exits 1 when a job is lost, stuck or completed twice, a change is
duplicated, a failure has no clear message, or the API answers 5xx outside a PostgreSQL outage.
"""

from __future__ import annotations

import argparse
import glob
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.fakes.anthropic_server import FakeAnthropic, Reply, answer, error  # noqa: E402

API = "/api/v1/admin"
BIN = Path(sys.executable).parent
OUTAGE_GRACE_SECONDS = 5.0  # after PostgreSQL is back, pooled connections are replaced within this


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until(check: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except Exception:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{what} did not come up within {timeout:.0f}s")


class Postgres:
    """A throw-away cluster owned by the postgres user (the server refuses to run as root)."""

    def __init__(self, folder: Path) -> None:
        self.bin = Path(sorted(glob.glob("/usr/lib/postgresql/*/bin"))[-1])
        self.data, self.port = folder / "pg", free_port()
        self.user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        folder.chmod(0o777)

    def _ctl(self, *args: str) -> None:
        subprocess.run([*self.user, str(self.bin / "pg_ctl"), "-D", str(self.data), *args], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip

    def init(self) -> None:
        initdb = [*self.user, str(self.bin / "initdb"), "-D", str(self.data), "-U", "root", "-A", "trust"]
        subprocess.run([*initdb, "--no-sync"], check=True, stdout=subprocess.DEVNULL)
        self.start()
        subprocess.run([str(self.bin / "createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "root", "artitec"],
                       check=True)  # fmt: skip

    def start(self) -> None:
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.data} -c fsync=off -c max_connections=200"
        self._ctl("-o", options, "-l", str(self.data / "server.log"), "-w", "start")

    def stop(self) -> None:
        self._ctl("-m", "fast", "-w", "stop")

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://root@127.0.0.1:{self.port}/artitec"


class Redis:
    def __init__(self) -> None:
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        command = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
        wait_until(lambda: socket.create_connection(("127.0.0.1", self.port), timeout=1).close() is None, 20, "redis")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=20)
            self.process = None


@dataclass
class Calls:
    """Every answer the API gave the bench (time, status), and the windows PostgreSQL was down."""

    answers: list[tuple[float, int]] = field(default_factory=list)
    outages: list[tuple[float, float]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, status: int) -> None:
        with self.lock:
            self.answers.append((time.monotonic(), status))

    def server_errors(self, since: float, until: float) -> tuple[int, int]:
        """5xx answers in [since, until): (outside any outage window, inside one)."""
        outside = inside = 0
        for at, status in self.answers:
            if since <= at < until and status >= 500:
                if any(start <= at <= end + OUTAGE_GRACE_SECONDS for start, end in self.outages):
                    inside += 1
                else:
                    outside += 1
        return outside, inside


class HealthProbe:
    """Asks /healthz every 0.2 s from its own thread; keeps the longest answer time per window."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.samples: list[tuple[float, float]] = []
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        with httpx.Client(timeout=60) as client:
            while not self.stopped.is_set():
                started = time.monotonic()
                with suppress(httpx.HTTPError):
                    client.get(f"{self.base}/healthz")
                self.samples.append((started, time.monotonic() - started))
                self.stopped.wait(0.2)

    def longest(self, since: float, until: float) -> float:
        return max((took for at, took in self.samples if since <= at < until), default=0.0)


class Stack:
    """PostgreSQL, Redis, the sample sites, the fake Messages API, the API and a worker, all on loopback."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.postgres, self.redis = Postgres(folder), Redis()
        self.storm_until = 0.0
        self.fake = FakeAnthropic(default=self._messages)
        self.api_port = free_port()
        self.api: subprocess.Popen[bytes] | None = None
        self.worker: subprocess.Popen[bytes] | None = None
        self.env: dict[str, str] = {}

    def _messages(self, _body: dict[str, Any]) -> Reply:
        """A storm of 429 and 529 while it lasts, then empty answers."""
        if time.monotonic() < self.storm_until:
            return error(429 if int(time.monotonic() * 10) % 2 else 529, retry_after_seconds=0.05)
        return answer([])

    def start(self) -> None:
        from app.research.sample_sites import start_sample_sites_server

        self.postgres.init()
        self.redis.start()
        self.sites, sites_url = start_sample_sites_server()
        self.fake.start()
        self.env = {
            **os.environ,
            "ARTITEC_ENVIRONMENT": "test",
            "ARTITEC_DATABASE_URL": self.postgres.url,
            "ARTITEC_BROKER_URL": f"redis://127.0.0.1:{self.redis.port}/0",
            "ARTITEC_RUN_TASKS_EAGERLY": "false",
            "ARTITEC_FETCH_ALLOWED_HOSTS": '["127.0.0.1"]',
            "ARTITEC_PER_HOST_DELAY_SECONDS": "0",
            "ARTITEC_SAMPLE_SITES_URL": sites_url,
            "ARTITEC_ANTHROPIC_API_KEY": "sk-ant-fault-bench",
            "ARTITEC_ANTHROPIC_BASE_URL": self.fake.base_url,
            "ARTITEC_JOBS_PER_USER_PER_HOUR": "100000",
            "ARTITEC_JOBS_PER_DAY_SYSTEM": "100000",
            "ARTITEC_JOB_RUNNING_TIMEOUT_MINUTES": "1",
            "ARTITEC_LOG_JSON": "false",
            "ARTITEC_LOG_LEVEL": "WARNING",
        }
        os.environ.update(self.env)  # the bench's own reads (seeding, counting) go to the same database
        from app.core.config import get_settings
        from app.core.db import get_engine

        get_settings.cache_clear()
        get_engine.cache_clear()
        subprocess.run([str(BIN / "artitec-collector"), "migrate"], env=self.env, check=True, cwd=ROOT,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
        self.start_api()
        self.start_worker()

    def start_api(self) -> None:
        command = [str(BIN / "uvicorn"), "app.main:app", "--host", "127.0.0.1", "--port", str(self.api_port)]
        self.api = subprocess.Popen([*command, "--log-level", "warning"], env=self.env, cwd=ROOT)
        wait_until(lambda: httpx.get(f"{self.base}/healthz", timeout=2).status_code == 200, 60, "the API")

    def start_worker(self) -> None:
        command = [str(BIN / "celery"), "-A", "app.worker", "worker", "--pool", "threads", "-c", "4"]
        command += ["--without-gossip", "--without-mingle", "--loglevel", "WARNING"]
        log = open(self.folder / "worker.log", "ab")  # noqa: SIM115 (the worker keeps it open)
        self.worker = subprocess.Popen(command, env=self.env, cwd=ROOT, stdout=log, stderr=log, start_new_session=True)

    def kill_worker(self) -> None:
        if self.worker is not None:
            os.killpg(self.worker.pid, signal.SIGKILL)
            self.worker.wait(timeout=20)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.api_port}"

    def stop(self) -> None:
        for process in (self.api, self.worker):
            if process is None or process.poll() is not None:
                continue
            if process is self.worker:
                os.killpg(process.pid, signal.SIGTERM)
            else:
                process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        self.fake.stop()
        self.sites.shutdown()
        self.redis.stop()
        self.postgres.stop()


def seed_and_token() -> tuple[str, list[int], list[int]]:
    """Sample builders and communities, and an admin's token; returns (token, builder ids, community ids)."""
    from sqlalchemy import select

    from app.auth.tokens import issue_token
    from app.builders.models import BuilderProfile
    from app.cli import ensure_admin
    from app.communities.models import Community
    from app.core.config import get_settings
    from app.core.db import session_scope
    from app.sample_data import seed_sample

    with session_scope() as session:
        seed_sample(session, os.environ["ARTITEC_SAMPLE_SITES_URL"])
        admin = ensure_admin(session, "faults@artitec.local", super_admin=True)
        token = issue_token(admin, get_settings(), days=1)
    with session_scope() as session:
        builders = list(session.scalars(select(BuilderProfile.id).order_by(BuilderProfile.id)))
        communities = list(session.scalars(select(Community.id).order_by(Community.id)))
    return token, builders, communities


class Bench:
    def __init__(self, stack: Stack, token: str, builders: list[int], communities: list[int]) -> None:
        self.stack, self.builders, self.communities = stack, builders, communities
        self.headers = {"Authorization": f"Bearer {token}"}
        self.calls = Calls()
        self.jobs: dict[str, list[str]] = {}
        self.refused: dict[str, dict[int, int]] = {}
        self.windows: dict[str, tuple[float, float]] = {}
        self.client = httpx.Client(base_url=stack.base, headers=self.headers, timeout=60)

    def collect(self, scenario: str, index: int, researcher: str = "web") -> None:
        """POST one collect (builders and communities in turn); keeps the job id of each 202."""
        if index % 3 == 2 and self.communities:
            path = f"{API}/communities/{self.communities[index % len(self.communities)]}/collect"
        else:
            path = f"{API}/builders/{self.builders[index % len(self.builders)]}/collect"
        try:
            response = self.client.post(path, json={"researcher": researcher, "force_refresh": True})
        except httpx.HTTPError:
            self.calls.record(599)
            return
        self.calls.record(response.status_code)
        if response.status_code == 202:
            self.jobs.setdefault(scenario, []).append(response.json()["job_id"])
        else:
            counts = self.refused.setdefault(scenario, {})
            counts[response.status_code] = counts.get(response.status_code, 0) + 1

    def poll_jobs(self) -> None:
        for job_id in [job for jobs in self.jobs.values() for job in jobs][-5:]:
            try:
                self.calls.record(self.client.get(f"{API}/collection-jobs/{job_id}").status_code)
            except httpx.HTTPError:
                self.calls.record(599)

    @contextmanager
    def scenario(self, name: str) -> Iterator[None]:
        started = time.monotonic()
        print(f"-- {name}", flush=True)
        yield
        self.windows[name] = (started, time.monotonic())

    def some_job_running(self, scenario: str) -> bool:
        from sqlalchemy import func, select

        from app.core.db import session_scope
        from app.jobs.models import CollectionJob

        with session_scope() as session:
            query = select(func.count()).where(
                CollectionJob.job_id.in_(self.jobs.get(scenario, [])), CollectionJob.status == "running"
            )
            return bool(session.scalar(query))

    def post_many(self, scenario: str, count: int, threads: int = 10, researcher: str = "web") -> None:
        with ThreadPoolExecutor(threads) as pool:
            list(pool.map(lambda i: self.collect(scenario, i, researcher), range(count)))


def sweep_every(stop: threading.Event, seconds: float) -> None:
    """Stands in for beat: sends the sweeper while the bench runs (a broker that is down just skips one)."""
    from app.worker import celery_app

    while not stop.wait(seconds):
        with suppress(Exception):
            celery_app.send_task("jobs.sweep")


def run(bench: Bench, stack: Stack) -> None:
    """The scenarios in turn; each starts once the jobs before it have finished, so its row is its own."""

    def quiet() -> None:
        settle(bench, time.monotonic() + 120)

    with bench.scenario("baseline"):
        bench.post_many("baseline", 10)
    quiet()
    with bench.scenario("concurrent"):
        bench.post_many("concurrent", 50)
    quiet()
    with bench.scenario("worker SIGKILL"):
        bench.post_many("worker SIGKILL", 8, threads=4)
        wait_until(lambda: bench.some_job_running("worker SIGKILL"), 60, "a running job")
        stack.kill_worker()
        stack.start_worker()
    quiet()
    with bench.scenario("broker down POST"):
        stack.redis.stop()
        bench.post_many("broker down POST", 6, threads=3)
        stack.redis.start()
    quiet()
    with bench.scenario("broker down run"):
        bench.post_many("broker down run", 8, threads=4)
        wait_until(lambda: bench.some_job_running("broker down run"), 60, "a running job")
        stack.redis.stop()
        time.sleep(5)
        stack.redis.start()
    quiet()
    with bench.scenario("PG restart"):
        posting = threading.Event()
        poster = threading.Thread(target=post_while, args=(bench, "PG restart", posting))
        posting.set()
        poster.start()
        wait_until(lambda: bench.some_job_running("PG restart"), 60, "a running job")
        down = time.monotonic()
        stack.postgres.stop()
        while time.monotonic() < down + 8:  # the API keeps being asked while the database is down
            bench.poll_jobs()
            time.sleep(0.5)
        stack.postgres.start()
        bench.calls.outages.append((down, time.monotonic()))
        time.sleep(10)  # and jobs keep coming once it is back
        posting.clear()
        poster.join()
    quiet()
    with bench.scenario("LLM storm"):
        stack.storm_until = time.monotonic() + 8
        bench.post_many("LLM storm", 8, threads=4, researcher="claude")
    with bench.scenario("100 MB body"):
        huge_body_answers(bench, stack)


def post_while(bench: Bench, scenario: str, posting: threading.Event) -> None:
    index = 0
    while posting.is_set():
        bench.collect(scenario, index)
        index += 1
        time.sleep(0.5)


def huge_body_answers(bench: Bench, stack: Stack) -> None:
    """100 MB without a token, declared up front and then chunked; the API must answer before it is sent."""
    size = 100 * 1024 * 1024
    for framing in (f"Content-Length: {size}", "Transfer-Encoding: chunked"):
        with socket.create_connection(("127.0.0.1", stack.api_port), timeout=60) as sock:
            head = f"POST {API}/builders HTTP/1.1\r\nHost: bench\r\nContent-Type: application/json\r\n{framing}\r\n\r\n"
            sock.sendall(head.encode() + (b"400000\r\n" if "chunked" in framing else b"") + b"[" * 65536)
            status = int(sock.recv(4096).split(b" ", 2)[1])
        bench.calls.record(status)
        bench.refused.setdefault("100 MB body", {}).setdefault(status, 0)
        bench.refused["100 MB body"][status] += 1


def settle(bench: Bench, deadline: float) -> None:
    """Waits until no job of the bench is pending or running (or the deadline)."""
    from sqlalchemy import func, select

    from app.core.db import session_scope
    from app.jobs.models import CollectionJob

    every = [job for jobs in bench.jobs.values() for job in jobs]
    while time.monotonic() < deadline:
        try:
            with session_scope() as session:
                query = select(func.count()).where(
                    CollectionJob.job_id.in_(every), CollectionJob.status.in_(["pending", "running"])
                )
                if not session.scalar(query):
                    return
        except Exception:
            pass
        bench.poll_jobs()
        time.sleep(2)


@dataclass
class Row:
    scenario: str
    created: int = 0
    completed_once: int = 0
    failed_clearly: int = 0
    failed_unclear: int = 0
    stuck: int = 0
    lost: int = 0
    completed_twice: int = 0
    duplicated_changes: int = 0
    outage_retries: int = 0
    swept_again: int = 0  # attempts the sweeper took for lost (their worker killed) and ran again
    refused: str = ""
    errors_outside: int = 0
    errors_inside: int = 0
    longest_healthz: float = 0.0

    @property
    def ok(self) -> bool:
        bad = self.stuck + self.lost + self.completed_twice + self.duplicated_changes + self.failed_unclear
        return bad + self.errors_outside == 0


def count(bench: Bench, probe: HealthProbe) -> list[Row]:
    from sqlalchemy import func, select

    from app.changes.models import CollectionChange
    from app.core.db import session_scope
    from app.jobs.models import CollectionJob, JobEvent

    rows = []
    with session_scope() as session:
        for name, (since, until) in bench.windows.items():
            ids = bench.jobs.get(name, [])
            row = Row(name, created=len(ids))
            jobs = {
                job.job_id: job for job in session.scalars(select(CollectionJob).where(CollectionJob.job_id.in_(ids)))
            }
            completions = dict(
                session.execute(
                    select(JobEvent.job_id, func.count())
                    .where(JobEvent.job_id.in_(ids), JobEvent.kind == "status", JobEvent.message == "completed")
                    .group_by(JobEvent.job_id)
                ).all()
            )
            for job_id in ids:
                job = jobs.get(job_id)
                if job is None:
                    row.lost += 1
                elif job.status in ("pending", "running"):
                    row.stuck += 1
                elif job.status == "completed":
                    row.completed_once += completions.get(job_id, 0) == 1
                    row.completed_twice += completions.get(job_id, 0) > 1
                elif job.status == "failed":
                    clear = bool(job.error_message) and not job.error_message.startswith("unexpected error")
                    row.failed_clearly += clear
                    row.failed_unclear += not clear
            duplicate_groups = (
                select(func.count() - 1)
                .where(CollectionChange.job_id.in_(ids))
                .group_by(
                    CollectionChange.job_id,
                    CollectionChange.entity_type,
                    CollectionChange.entity_id,
                    CollectionChange.parent_entity_type,
                    CollectionChange.parent_entity_id,
                    CollectionChange.field_name,
                    CollectionChange.new_value,
                    CollectionChange.proposed_entity_data,
                )
            ).subquery()
            row.duplicated_changes = int(session.scalar(select(func.coalesce(func.sum(duplicate_groups.c[0]), 0))) or 0)
            outage_retry = JobEvent.message.contains("database unavailable")
            row.outage_retries = int(
                session.scalar(
                    select(func.count()).where(JobEvent.job_id.in_(ids), JobEvent.kind == "retry", outage_retry)
                )
                or 0
            )
            row.swept_again = int(
                session.scalar(
                    select(func.count()).where(
                        JobEvent.job_id.in_(ids), JobEvent.kind == "retry", JobEvent.message.contains("abandoned")
                    )
                )
                or 0
            )
            row.refused = " ".join(f"{n}x{status}" for status, n in sorted(bench.refused.get(name, {}).items()))
            row.errors_outside, row.errors_inside = bench.calls.server_errors(since, until)
            row.longest_healthz = probe.longest(since, until)
            rows.append(row)
    return rows


def print_table(rows: list[Row], settle_errors: tuple[int, int], longest_healthz: float) -> None:
    header = (
        f"{'scenario':<17} {'created':>7} {'done once':>9} {'failed (clear)':>14} {'unclear':>7} {'stuck':>5} "
        f"{'lost':>4} {'twice':>5} {'dup chg':>7} {'db retry':>8} {'run again':>9} {'5xx':>4} {'5xx outage':>10} "
        f"{'healthz max':>11}"
        "  refused"
    )
    print(header)
    print("-" * len(header))
    for r in rows:
        print(
            f"{r.scenario:<17} {r.created:>7} {r.completed_once:>9} {r.failed_clearly:>14} {r.failed_unclear:>7} "
            f"{r.stuck:>5} {r.lost:>4} {r.completed_twice:>5} {r.duplicated_changes:>7} {r.outage_retries:>8} "
            f"{r.swept_again:>9} {r.errors_outside:>4} "
            f"{r.errors_inside:>10} {r.longest_healthz:>10.2f}s  {r.refused}"
        )
    print(f"while settling: {settle_errors[0]} 5xx outside the outage, {settle_errors[1]} inside")
    print(f"longest /healthz answer over the whole run: {longest_healthz:.2f}s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deadline", type=float, default=300, help="seconds jobs get to finish after the faults")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="artitec-faults-"))
    stack = Stack(folder)
    stop_sweeping = threading.Event()
    healthy = False
    try:
        stack.start()
        token, builders, communities = seed_and_token()
        bench = Bench(stack, token, builders, communities)
        probe = HealthProbe(stack.base)
        probe.thread.start()
        threading.Thread(target=sweep_every, args=(stop_sweeping, 10), daemon=True).start()
        run(bench, stack)
        settled_from = time.monotonic()
        settle(bench, time.monotonic() + args.deadline)
        probe.stopped.set()
        rows = count(bench, probe)
        longest = probe.longest(0, time.monotonic())
        print_table(rows, bench.calls.server_errors(settled_from, time.monotonic()), longest)
        healthy = all(row.ok for row in rows) and bench.calls.server_errors(settled_from, time.monotonic())[0] == 0
        print("PASS" if healthy else f"FAIL (logs kept in {folder})")
        return 0 if healthy else 1
    finally:
        stop_sweeping.set()
        stack.stop()
        if healthy:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
