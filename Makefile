# fawang — the two commands: `make run` (demo platform on http://127.0.0.1:8000) and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PG_URL ?= postgres://postgres@127.0.0.1:5432/test
PYTEST_ARGS ?=
# Two workers (the machine's two cores); the browser tests share one worker and one demo server.
PYTEST_WORKERS ?= 2
PYTEST := $(BIN)/pytest -n $(PYTEST_WORKERS) --dist loadgroup
# A topic model the suite trains (where the packaged one does not fit its database), kept for
# both database passes and the servers the fault tests start.
TEST_MODEL_DIR := $(CURDIR)/var/test-consult
test-sqlite test-pg: export FAWANG_CONSULT_MODEL_DIR := $(TEST_MODEL_DIR)

.PHONY: run install test lint typecheck migrations-check openapi openapi-check test-sqlite test-pg fresh-test-model \
        browser messages clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

install: $(BIN)/.installed

# The whole platform (web, job worker, scheduler) under one command; Ctrl-C stops all of it.
run: install
	$(BIN)/fawang demo
	$(BIN)/fawang up

test: install browser lint typecheck migrations-check openapi-check fresh-test-model test-sqlite test-pg

# A whole run trains its own model (the passes alone reuse one whose training data is unchanged).
fresh-test-model:
	rm -rf $(TEST_MODEL_DIR)

lint: install
	$(BIN)/ruff check fawang tests benchmarks scripts
	$(BIN)/ruff format --check fawang tests benchmarks scripts
	$(BIN)/lint-imports

typecheck: install
	$(BIN)/mypy

migrations-check: install
	FAWANG_VAR_DIR=$$(mktemp -d) $(BIN)/fawang makemigrations --check --dry-run

openapi: install
	FAWANG_VAR_DIR=$$(mktemp -d) $(BIN)/python -m scripts.export_openapi > docs/openapi.json

openapi-check: install
	FAWANG_VAR_DIR=$$(mktemp -d) $(BIN)/python -m scripts.export_openapi | diff -u docs/openapi.json - \
	  || { echo "The API changed: review it, then run 'make openapi' and commit docs/openapi.json"; exit 1; }

# pytest exits 5 when it collected no test: that fails here like any other error.
# The browser tests drive the whole platform once: on PostgreSQL when it answers (the production
# database), else here on SQLite, so a newcomer without PostgreSQL still runs every test.
test-sqlite: install
	@if $(BIN)/python scripts/port_open.py 127.0.0.1 5432; then \
	  echo "== SQLite (browser tests run once, on PostgreSQL) =="; \
	  $(PYTEST) -m "not e2e" $(PYTEST_ARGS); \
	else $(PYTEST) $(PYTEST_ARGS); fi

test-pg: install
	@if $(BIN)/python scripts/port_open.py 127.0.0.1 5432; then \
	  echo "== PostgreSQL ($(PG_URL)) =="; \
	  FAWANG_DATABASE_URL=$(PG_URL) $(PYTEST) $(PYTEST_ARGS); \
	elif [ "$$FAWANG_REQUIRE_POSTGRES" = "1" ]; then \
	  echo "PostgreSQL is required (FAWANG_REQUIRE_POSTGRES=1) but nothing answers on 127.0.0.1:5432"; exit 1; \
	else echo "PostgreSQL not reachable on 127.0.0.1:5432: PostgreSQL suite skipped"; fi

# Browser tests drive Debian's Chromium (Playwright's own browser download does not work here).
browser:
	@if [ ! -x /usr/bin/chromium ]; then \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; \
	fi

messages: install
	cd fawang && ../$(BIN)/fawang makemessages -l en --no-obsolete --ignore '*/migrations/*' && ../$(BIN)/fawang compilemessages -l en

clean:
	rm -rf $(VENV) var *.egg-info
