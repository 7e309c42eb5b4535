#!/usr/bin/env bash
# Regenerates the single initial migration from the models. Nothing has been deployed yet, so the
# schema is one reviewed migration; once a database exists in production, add revisions instead.
set -euo pipefail
cd "$(dirname "$0")/.."
db="artitec_regen_$$"
psql -q -h 127.0.0.1 -U root -d postgres -c "CREATE DATABASE $db"
trap 'psql -q -h 127.0.0.1 -U root -d postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)"' EXIT
rm -f migrations/versions/*initial_schema_0001.py
export ARTITEC_DATABASE_URL="postgresql+psycopg://root@127.0.0.1:5432/$db"
.venv/bin/alembic revision --autogenerate -m "initial schema" --rev-id 0001 >/dev/null 2>&1
.venv/bin/alembic upgrade head >/dev/null 2>&1
.venv/bin/alembic check 2>&1 | tail -n 1
.venv/bin/ruff format -q migrations/versions
