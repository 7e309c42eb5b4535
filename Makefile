# Two commands do all set-up on a fresh machine:
#   make quickstart   installs, then runs API + worker on SQLite with sample data
#   make test         installs, then runs the tests on PostgreSQL and Redis
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: install lock quickstart test lint

# Every dependency, transitive ones too, at the version and hashes in requirements.lock; the project itself
# without dependencies. The Docker image installs from the same lock.
$(VENV)/.installed: pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

install: $(VENV)/.installed

# Regenerates requirements.lock from pyproject.toml's ranges (with the dev extra): after adding or
# widening a dependency. Commit the result. Extras stay on the pins ("coverage[toml]==..."): stripped, pip's
# hash-checking mode refuses a dependency's request for the extra as soon as the index lists a newer release.
lock: install
	$(BIN)/pip-compile --quiet --generate-hashes --allow-unsafe --extra dev --no-strip-extras \
		--no-emit-index-url --no-emit-find-links --output-file requirements.lock pyproject.toml

quickstart: install
	$(BIN)/artitec-collector quickstart

test: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/pytest --cov=app --cov-report=term --cov-fail-under=80 $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports
