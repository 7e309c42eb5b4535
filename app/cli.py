"""The command line: `artitec-collector migrate | create-admin | issue-token | seed-sample | quickstart`."""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from types import FrameType
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.exc import OperationalError, ProgrammingError
from sqlalchemy.orm import Session

QUICKSTART_ADMIN = "admin@artitec.local"

# The zero-setup default: a SQLite file, a broker made of files, the bundled sample sites fetchable on localhost.
QUICKSTART_ENV = {
    "ARTITEC_DATABASE_URL": "sqlite:///./var/artitec.db",
    "ARTITEC_BROKER_URL": "filesystem://",
    "ARTITEC_FETCH_ALLOWED_HOSTS": '["127.0.0.1","localhost"]',
}


def _fail(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return 1


def _reset_settings() -> None:
    """Forget cached settings and engine, so environment set by this process takes effect."""
    from app.core.config import get_settings
    from app.core.db import SessionFactory, get_engine

    get_settings.cache_clear()
    get_engine.cache_clear()
    SessionFactory.maker = None


def _alembic_ini() -> Path:
    # A source checkout (editable install) keeps alembic.ini beside the package; an image runs from its folder.
    beside_package = Path(__file__).resolve().parent.parent / "alembic.ini"
    return beside_package if beside_package.exists() else Path.cwd() / "alembic.ini"


def migrate() -> None:
    """Bring the database schema to the newest migration."""
    from alembic import command
    from alembic.config import Config

    from app.core.config import get_settings

    ini = _alembic_ini()
    if not ini.exists():
        raise FileNotFoundError(f"alembic.ini not found beside the package or in {Path.cwd()}")
    config = Config(str(ini))
    config.attributes["database_url"] = get_settings().database_url
    config.attributes["configure_logger"] = False
    command.upgrade(config, "head")


def ensure_admin(session: Session, email: str, *, super_admin: bool = False, auto_apply: bool = False) -> Any:
    """Create the admin, or raise an existing user to admin; never lowers a role or a permission."""
    from app.auth.models import Role, User

    user = session.scalar(select(User).where(User.email == email))
    if user is None:
        user = User(email=email, display_name=email.split("@")[0], role=Role.admin)
        session.add(user)
    if super_admin:
        user.role = Role.super_admin
    elif user.role != Role.super_admin:
        user.role = Role.admin
    user.can_auto_apply = bool(user.can_auto_apply) or auto_apply
    user.is_active = True
    session.flush()
    return user


def _create_admin(args: argparse.Namespace) -> int:
    from app.core.db import session_scope
    from app.core.schema_types import check_email

    try:
        email = check_email(args.email)
    except ValueError as exc:
        return _fail(str(exc))
    with session_scope() as session:
        user = ensure_admin(session, email, super_admin=args.super, auto_apply=args.auto_apply)
        print(
            f"{user.email} is {user.role} (user_id {user.user_id}, auto-apply {'on' if user.can_auto_apply else 'off'})"
        )
    return 0


def _issue_token(args: argparse.Namespace) -> int:
    from app.auth.models import User
    from app.auth.tokens import issue_token
    from app.core.config import get_settings
    from app.core.db import session_scope

    if args.days is not None and args.days < 1:
        return _fail("--days must be at least 1")
    with session_scope() as session:
        user = session.scalar(select(User).where(User.email == args.email.strip().lower()))
        if user is None:
            return _fail(f"no user with e-mail {args.email}; create one with `artitec-collector create-admin`")
        if not user.is_admin:
            print(f"warning: {user.email} is not an admin; the admin API will answer 403", file=sys.stderr)
        print(issue_token(user, get_settings(), days=args.days))
    return 0


def seed(base_url: str) -> dict[str, int]:
    """Load the sample records in one unit of work."""
    from app.core.db import session_scope
    from app.sample_data import seed_sample

    with session_scope() as session:
        return seed_sample(session, base_url)


def _seed_sample(args: argparse.Namespace) -> int:
    from app.core.config import get_settings

    created = seed(args.base_url or get_settings().sample_sites_url)
    print("sample data: " + ", ".join(f"{count} {kind}" for kind, count in created.items()) + " created")
    return 0


def _migrate(_args: argparse.Namespace) -> int:
    migrate()
    print("database schema is up to date")
    return 0


def _start_sample_sites(base_url: str) -> tuple[Any, str]:
    """Serve the bundled sample sites; a busy port is a warning, not a failure."""
    from app.research.sample_sites import start_sample_sites_server

    parts = urlsplit(base_url)
    try:
        server, served_url = start_sample_sites_server(
            host=parts.hostname or "127.0.0.1", port=parts.port if parts.port is not None else 8765
        )
    except OSError as exc:
        print(f"warning: could not serve the sample sites at {base_url}: {exc}", file=sys.stderr)
        return None, base_url
    return server, served_url


def _stop_server(server: Any) -> None:
    for name in ("shutdown", "server_close"):
        method = getattr(server, name, None)
        if callable(method):
            method()


def _rendering(settings: Any) -> str:
    """The banner's word on rendering pages that need JavaScript."""
    from app.research.render import chromium_executable

    if settings.render_browsers <= 0:
        return "off (ARTITEC_RENDER_BROWSERS=0)"
    executable = chromium_executable(settings)
    if executable is None:
        return "off: Chromium is not installed (apt-get install chromium)"
    return f"on: pages that need JavaScript render in headless Chromium ({executable})"


def _banner(api_url: str, token: str, sites_url: str, rendering: str) -> str:
    line = "=" * 78
    return f"""
{line}
 Artitec Data Collector is starting (SQLite in ./var, files as the task broker)

 Dashboard      {api_url}/dashboard  (sign in with the admin token below)
 Swagger UI     {api_url}/docs
 Sample sites   {sites_url}/perry-homes/
 Rendering      {rendering}
 Admin          {QUICKSTART_ADMIN} (super_admin, auto-apply)
 Admin token    {token}

 Try it:
   curl -s -H "Authorization: Bearer {token}" \\
     {api_url}/api/v1/admin/builders

 In Swagger UI press "Authorize" and paste the token. Ctrl-C stops everything.
{line}
"""


def _quickstart(args: argparse.Namespace) -> int:
    from app.auth.tokens import issue_token
    from app.core.config import get_settings
    from app.core.db import session_scope

    for name, value in QUICKSTART_ENV.items():
        os.environ.setdefault(name, value)
    os.environ.setdefault("ARTITEC_LOG_JSON", "false")  # readable logs in a terminal
    _reset_settings()
    settings = get_settings()
    Path("var").mkdir(exist_ok=True)

    print("applying database migrations ...", flush=True)
    migrate()
    server, sites_url = _start_sample_sites(settings.sample_sites_url)
    try:
        created = seed(sites_url)
        print("sample data: " + ", ".join(f"{n} {kind}" for kind, n in created.items()) + " created", flush=True)
        with session_scope() as session:
            admin = ensure_admin(session, QUICKSTART_ADMIN, super_admin=True, auto_apply=True)
            token = issue_token(admin, settings, days=30)
        api_url = f"http://{args.host}:{args.port}"
        print(_banner(api_url, token, sites_url.rstrip("/"), _rendering(settings)), flush=True)
        if args.setup_only:
            return 0
        return _serve(args.host, args.port)
    finally:
        if server is not None:
            _stop_server(server)


def _serve(host: str, port: int) -> int:
    """Run the worker (with embedded beat) and the API until Ctrl-C or SIGTERM; stop both together."""
    python = sys.executable
    commands = [
        [python, "-m", "celery", "-A", "app.worker", "worker", "-B", "--pool=solo", "--loglevel=INFO",
         "-s", str(Path("var") / "celerybeat-schedule")],
        [python, "-m", "uvicorn", "app.main:app", "--host", host, "--port", str(port)],
    ]  # fmt: skip
    children = [subprocess.Popen(command, env=os.environ.copy()) for command in commands]
    stopping = False

    def _stop(_signum: int, _frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True

    previous = {sig: signal.signal(sig, _stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        while not stopping and all(child.poll() is None for child in children):
            time.sleep(0.2)
    finally:
        for child in children:
            if child.poll() is None:
                child.terminate()
        for child in children:
            try:
                child.wait(timeout=15)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    if stopping:
        print("stopped", flush=True)
        return 0
    failed = [child for child in children if child.returncode not in (0, None)]
    return failed[0].returncode if failed else 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every subcommand."""
    parser = argparse.ArgumentParser(prog="artitec-collector", description="Artitec Data Collector")
    sub = parser.add_subparsers(dest="command", required=True)

    sub.add_parser("migrate", help="apply database migrations (alembic upgrade head)").set_defaults(func=_migrate)

    admin = sub.add_parser("create-admin", help="create an admin, or make an existing user one")
    admin.add_argument("email")
    admin.add_argument("--super", action="store_true", help="make the user super_admin")
    admin.add_argument("--auto-apply", action="store_true", help="allow the user to auto-apply changes")
    admin.set_defaults(func=_create_admin)

    token = sub.add_parser("issue-token", help="print a bearer token for a user")
    token.add_argument("email")
    token.add_argument("--days", type=int, default=None, help="days until the token expires")
    token.set_defaults(func=_issue_token)

    sample = sub.add_parser("seed-sample", help="load sample builders, communities, plans and homes")
    sample.add_argument("--base-url", default=None, help="where the sample sites are served")
    sample.set_defaults(func=_seed_sample)

    quick = sub.add_parser("quickstart", help="zero-setup demo: SQLite, sample data, API and worker")
    quick.add_argument("--host", default="127.0.0.1")
    quick.add_argument("--port", type=int, default=8000)
    quick.add_argument("--setup-only", action="store_true", help="prepare everything and print the banner, then exit")
    quick.set_defaults(func=_quickstart)
    from app.matching.csv_tool import register as register_match_csv  # matching owns its subcommands
    from app.matching.training import register as register_match_train

    register_match_csv(sub)
    register_match_train(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `artitec-collector` console script."""
    import app.models  # noqa: F401  (every table mapped before a command's first query)

    args = build_parser().parse_args(argv)
    try:
        result: int = args.func(args)
    except (OperationalError, ProgrammingError) as exc:
        # A database that cannot be opened, or has no tables yet: say which, and what to do, not a traceback.
        # Any other database error is a fault of its own and keeps its traceback.
        problem = _database_problem(exc)
        if problem is None:
            raise
        print(f"error: {problem}", file=sys.stderr)
        return 2
    return result


def _database_problem(exc: OperationalError | ProgrammingError) -> str | None:
    from sqlalchemy.engine import make_url

    from app.core.config import get_settings

    url = make_url(get_settings().database_url).render_as_string(hide_password=True)
    cause = " ".join(str(exc.orig).split())[:300]
    if "no such table" in cause or ("relation" in cause and "does not exist" in cause):
        return f"the database {url} has no tables yet ({cause}); run `artitec-collector migrate` first"
    if not isinstance(exc, OperationalError):
        return None
    where = (
        "run from the folder whose ./var holds the quickstart's SQLite file, or set ARTITEC_DATABASE_URL"
        if url.startswith("sqlite")
        else "check ARTITEC_DATABASE_URL and that the server is running"
    )
    return f"cannot use the database {url} ({cause}); {where}"


if __name__ == "__main__":
    sys.exit(main())
