# Thin wrappers: every target calls `python -m service ...`, pytest, or a linter.
# The first `make run` or `make test` creates .venv and installs the project into it.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test bench lint check-sql db-upgrade db-rollback db-status db-new db-url db-stop db-seed db-reset clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	touch $(STAMP)

run: $(STAMP)               ## serve on http://127.0.0.1:8000 (embedded PostgreSQL unless DATABASE_URL)
	$(BIN)/python -m service serve

test: lint $(STAMP)         ## lint, then the whole suite against real PostgreSQL
	$(BIN)/python -m pytest

bench: $(STAMP)             ## load-test the hot paths beside pgbench's ceiling (README: Load testing)
	$(BIN)/python -m service bench --json .data/bench/latest.json

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/squawk --exclude-path='*.rollback.sql' 'migrations/*.sql'
	$(BIN)/sqlfluff lint --disable-progress-bar sql migrations

check-sql: $(STAMP)
	$(BIN)/python -m service check-sql

db-upgrade: $(STAMP)
	$(BIN)/python -m service db upgrade
db-rollback: $(STAMP)
	$(BIN)/python -m service db rollback
db-status: $(STAMP)
	$(BIN)/python -m service db status
db-new: $(STAMP)            ## make db-new name=add_something
	$(BIN)/python -m service db new $(name)
db-url: $(STAMP)
	$(BIN)/python -m service db url
db-stop: $(STAMP)
	$(BIN)/python -m service db stop
db-seed: $(STAMP)
	$(BIN)/python -m service db seed
db-reset: $(STAMP)
	$(BIN)/python -m service db reset

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
