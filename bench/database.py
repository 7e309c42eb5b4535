"""A benchmark's own PostgreSQL database: created fresh and migrated to head, dropped at the end."""

from __future__ import annotations

import os

import psycopg
from alembic import command
from alembic.config import Config
from sqlalchemy.engine import make_url

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _admin_dsn(url: str) -> tuple[str, str]:
    parsed = make_url(url)
    admin = parsed.set(drivername="postgresql", database="postgres").render_as_string(hide_password=False)
    return admin, str(parsed.database)


def create_database(url: str) -> None:
    """Drop the database if a crashed run left it, create it and build the schema with the migrations."""
    admin, name = _admin_dsn(url)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    config = Config(os.path.join(ROOT, "alembic.ini"))
    config.attributes["configure_logger"] = False
    config.attributes["database_url"] = url
    command.upgrade(config, "head")


def drop_database(url: str) -> None:
    """Drop the database, whoever is still connected."""
    admin, name = _admin_dsn(url)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
