#!/usr/bin/env bash
# Regenerates the initial migration (0001) from the models, keeps the later hand-written revisions
# (0002: pg_trgm indexes, which autogenerate cannot express), then upgrades a scratch database to head
# and runs `alembic check`. Nothing has been deployed yet, so the models' schema is one reviewed
# migration; once a database exists in production, add revisions instead.
set -euo pipefail
cd "$(dirname "$0")/.."
db="artitec_regen_$$"
held="$(mktemp -d)"
old="$(mktemp -d)"
restore() {
  # The later revisions come back whatever happened; so does the old 0001 if no new one was written.
  if compgen -G "$held/*.py" >/dev/null; then mv "$held"/*.py migrations/versions/; fi
  if ! compgen -G "migrations/versions/*initial_schema_0001.py" >/dev/null && compgen -G "$old/*.py" >/dev/null; then
    echo "regeneration failed: the previous initial migration is restored" >&2
    mv "$old"/*.py migrations/versions/
  fi
  rm -rf "$held" "$old"
  psql -q -h 127.0.0.1 -U root -d postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)"
}
psql -q -h 127.0.0.1 -U root -d postgres -c "CREATE DATABASE $db"
trap restore EXIT
# Revisions after 0001 name it as down_revision; set them aside while 0001 is regenerated.
for f in migrations/versions/*.py; do
  case "$f" in *initial_schema_0001.py) ;; *) mv "$f" "$held"/ ;; esac
done
mv migrations/versions/*initial_schema_0001.py "$old"/
export ARTITEC_DATABASE_URL="postgresql+psycopg://root@127.0.0.1:5432/$db"
.venv/bin/alembic revision --autogenerate -m "initial schema" --rev-id 0001 >/dev/null
.venv/bin/ruff format -q migrations/versions
mv "$held"/*.py migrations/versions/ 2>/dev/null || true
.venv/bin/alembic upgrade head >/dev/null
.venv/bin/alembic heads
.venv/bin/alembic check 2>&1 | tail -n 1
