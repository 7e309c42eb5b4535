"""The command line, called in-process: admins, tokens that work, an idempotent seed, the quickstart's setup."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.auth.models import User
from app.auth.tokens import decode_token
from app.builders.models import BuilderProfile
from app.cli import main
from app.communities.models import Community
from app.core.config import get_settings
from app.core.db import SessionFactory, get_engine
from app.properties.models import Property


def test_create_admin_creates_and_promotes(session: Session, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["create-admin", "Ops@Example.com"]) == 0
    user = session.scalar(select(User).where(User.email == "ops@example.com"))
    assert user is not None and user.role == "admin" and not user.can_auto_apply

    assert main(["create-admin", "ops@example.com", "--super", "--auto-apply"]) == 0
    session.refresh(user)
    assert user.role == "super_admin" and user.can_auto_apply
    assert "super_admin" in capsys.readouterr().out

    # Without --super the role is never lowered.
    assert main(["create-admin", "ops@example.com"]) == 0
    session.refresh(user)
    assert user.role == "super_admin"


def test_create_admin_accepts_the_quickstarts_local_address(session: Session) -> None:
    assert main(["create-admin", "admin@artitec.local"]) == 0
    assert session.scalar(select(User).where(User.email == "admin@artitec.local")) is not None


def test_create_admin_refuses_a_bad_email(session: Session, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["create-admin", "not-an-email"]) == 1
    assert "not a valid e-mail" in capsys.readouterr().err


def test_issue_token_prints_only_a_token_that_works(
    client: TestClient, session: Session, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["create-admin", "token@example.com"])
    capsys.readouterr()

    assert main(["issue-token", "token@example.com", "--days", "2"]) == 0
    output = capsys.readouterr().out
    token = output.strip()

    assert output.count("\n") == 1 and " " not in token
    claims = decode_token(token, get_settings())
    assert claims["exp"] - claims["iat"] == 2 * 86400
    response = client.get("/api/v1/admin/builders", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200


def test_issue_token_for_unknown_user_fails(session: Session, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["issue-token", "nobody@example.com"]) == 1
    captured = capsys.readouterr()
    assert captured.out == "" and "no user" in captured.err


def test_issue_token_refuses_days_below_one(session: Session, capsys: pytest.CaptureFixture[str]) -> None:
    main(["create-admin", "days@example.com"])

    assert main(["issue-token", "days@example.com", "--days", "0"]) == 1


def _counts(session: Session) -> tuple[int, int, int]:
    return (
        session.scalar(select(func.count()).select_from(BuilderProfile)) or 0,
        session.scalar(select(func.count()).select_from(Community)) or 0,
        session.scalar(select(func.count()).select_from(Property)) or 0,
    )


def test_seed_sample_is_idempotent(session: Session, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["seed-sample", "--base-url", "http://127.0.0.1:9999"]) == 0
    first = _counts(session)
    assert main(["seed-sample", "--base-url", "http://127.0.0.1:9999"]) == 0
    second_output = capsys.readouterr().out.splitlines()[-1]

    assert first == (4, 3, 3)
    assert _counts(session) == first
    assert second_output == "sample data: 0 builders, 0 communities, 0 amenities, 0 links, 0 plans, 0 homes created"
    perry = session.scalar(select(BuilderProfile).where(BuilderProfile.name == "Perry Homes"))
    assert perry is not None and perry.website == "http://127.0.0.1:9999/perry-homes/"
    assert perry.phone == "(713) 555-0100"
    cinco = session.scalar(select(Community).where(Community.name == "Cinco Ranch"))
    assert (
        cinco is not None
        and cinco.homes == 8200
        and [b.name for b in cinco.builders]
        == [
            "Perry Homes",
            "Toll Brothers",
        ]
    )


def test_migrate_is_a_no_op_at_head(session: Session, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["migrate"]) == 0
    assert "up to date" in capsys.readouterr().out


@pytest.fixture
def sqlite_quickstart(tmp_path: Path) -> Iterator[Path]:
    """Run in an empty folder with the quickstart's own defaults; restore the test database afterwards."""
    saved = dict(os.environ)
    cwd = Path.cwd()
    for name in ("ARTITEC_DATABASE_URL", "ARTITEC_BROKER_URL", "ARTITEC_FETCH_ALLOWED_HOSTS"):
        os.environ.pop(name, None)
    os.environ["ARTITEC_SAMPLE_SITES_URL"] = "http://127.0.0.1:0"  # any free port
    os.environ["ARTITEC_BROKER_FOLDER"] = str(tmp_path / "var" / "broker")
    os.chdir(tmp_path)
    try:
        yield tmp_path
    finally:
        os.chdir(cwd)
        os.environ.clear()
        os.environ.update(saved)
        get_engine().dispose()
        get_settings.cache_clear()
        get_engine.cache_clear()
        SessionFactory.maker = None


def test_quickstart_setup_builds_a_sqlite_demo_and_prints_a_working_token(
    sqlite_quickstart: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["quickstart", "--setup-only"]) == 0
    output = capsys.readouterr().out

    assert (sqlite_quickstart / "var" / "artitec.db").exists()
    assert get_settings().database_url == "sqlite:///./var/artitec.db"
    assert get_settings().fetch_allowed_hosts == ["127.0.0.1", "localhost"]
    assert "http://127.0.0.1:8000/docs" in output
    token = next(line.split()[-1] for line in output.splitlines() if "Admin token" in line)
    assert decode_token(token, get_settings())["role"] == "super_admin"
    assert f"Bearer {token}" in output

    from app.main import create_app

    with TestClient(create_app()) as client:
        body = client.get("/api/v1/admin/builders", headers={"Authorization": f"Bearer {token}"}).json()
    assert sorted(b["name"] for b in body["builders"]) == [
        "David Weekley Homes",
        "Highland Homes",
        "Perry Homes",
        "Toll Brothers",
    ]

    # A second run finds everything in place.
    assert main(["quickstart", "--setup-only"]) == 0
    assert "0 builders" in capsys.readouterr().out


def test_seed_sample_works_in_a_fresh_process(committed_db: None) -> None:
    """The console script alone (no API imported first) knows every table it writes."""
    from app.core.config import get_settings

    done = _in_a_fresh_process(["seed-sample"], database=get_settings().database_url)

    assert done.returncode == 0, done.stderr
    assert "4 builders" in done.stdout


@pytest.mark.parametrize(
    ("database", "message"),
    [
        ("sqlite:///{tmp}/missing/artitec.db", "cannot use the database sqlite:///{tmp}/missing/artitec.db"),
        ("sqlite:///{tmp}/empty.db", "has no tables yet (no such table: users); run `artitec-collector migrate`"),
        ("postgresql+psycopg://collector:s3cret@127.0.0.1:1/artitec",
         "cannot use the database postgresql+psycopg://collector:***@127.0.0.1:1/artitec"),
    ],
)  # fmt: skip
def test_a_database_it_cannot_use_is_named_not_a_traceback(tmp_path: Path, database: str, message: str) -> None:
    done = _in_a_fresh_process(["issue-token", "a@example.com"], database=database.format(tmp=tmp_path))

    assert done.returncode == 2
    assert message.format(tmp=tmp_path) in done.stderr
    assert "Traceback" not in done.stderr and "s3cret" not in done.stderr


def _in_a_fresh_process(argv: list[str], *, database: str) -> subprocess.CompletedProcess[str]:
    """The CLI run as the console script runs it: a new process, with its own settings."""
    return subprocess.run(
        [sys.executable, "-c", f"from app.cli import main; raise SystemExit(main({argv!r}))"],
        env={**os.environ, "ARTITEC_DATABASE_URL": database},
        capture_output=True,
        text=True,
        timeout=120,
    )
