# Fazhi — the two commands of the quick start are `make run` and `make test`.
# Everything installs into .venv from the pinned lock files; nothing is fetched at run time.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
WORKERS ?= 1
# Test workers (pytest-xdist): one per core, at most 4; a file's tests stay on one worker so
# its module fixtures (servers, databases of its own) are built once.
JOBS ?= $(shell n=$$(nproc 2>/dev/null || echo 2); [ $$n -gt 4 ] && n=4; echo $$n)
PYTEST := $(BIN)/python -m pytest -q -n $(JOBS) --dist loadfile --durations=15

.PHONY: install install-test system-deps run test test-sqlite test-postgres lint bench bench-scale clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.run-installed: $(BIN)/python requirements/run.lock pyproject.toml
	$(BIN)/pip install --quiet -r requirements/run.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

$(VENV)/.test-installed: $(VENV)/.run-installed requirements/test.lock
	$(BIN)/pip install --quiet -r requirements/test.lock
	touch $@

# Console assets come from the npm registry at build time and are served by the platform.
VENDOR := src/fazhi/web/static/vendor
ASSETS := $(VENDOR)/htmx.min.js $(VENDOR)/leaflet/leaflet.js $(VENDOR)/leaflet/leaflet.css
$(ASSETS) &: package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	mkdir -p $(VENDOR)/leaflet
	cp node_modules/htmx.org/dist/htmx.min.js $(VENDOR)/htmx.min.js
	cp -r node_modules/leaflet/dist/leaflet.js node_modules/leaflet/dist/leaflet.css node_modules/leaflet/dist/images $(VENDOR)/leaflet/

## install: create the virtualenv, install the platform and its console assets (idempotent)
install: $(VENV)/.run-installed $(ASSETS)

install-test: $(VENV)/.test-installed $(ASSETS)

## run: create var/fazhi.db with the 石峰区 demo data and serve on 127.0.0.1:8000
run: install
	$(BIN)/fazhi demo
	$(BIN)/fazhi serve --host $(HOST) --port $(PORT) --workers $(WORKERS) --show-logins

## system-deps: Chromium, a CJK font and PostgreSQL from Debian's packages when missing (as root)
system-deps:
	@scripts/install-system-deps.sh

## test: lint, type-check, then the whole suite on SQLite and again on PostgreSQL
test: install-test system-deps lint test-sqlite test-postgres

## lint: ruff, mypy on the domain, and the import contracts of pyproject.toml (the layers)
lint: install-test
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports

test-sqlite: install-test
	$(PYTEST) -m "not postgresql_only"

# Runs on FAZHI_TEST_PG_URL when given, else on a private cluster started here.
# Outside strict mode a machine without PostgreSQL skips this suite with a notice;
# with FAZHI_STRICT=1 (CI) that is a failure.
test-postgres: install-test
	@if [ -n "$$FAZHI_TEST_PG_URL" ]; then \
	  FAZHI_TEST_DATABASE_URL="$$FAZHI_TEST_PG_URL" $(PYTEST) -m "not sqlite_only and not dialect_neutral and not browser"; \
	else \
	  url=$$(scripts/pg-test-cluster.sh start); rc=$$?; \
	  if [ $$rc -ne 0 ]; then \
	    if [ "$$FAZHI_STRICT" = "1" ]; then echo "PostgreSQL is required in strict mode" >&2; exit 1; fi; \
	    echo "NOTICE: PostgreSQL not installed; the PostgreSQL run of the suite was skipped" >&2; exit 0; \
	  fi; \
	  FAZHI_TEST_DATABASE_URL="$$url" $(PYTEST) -m "not sqlite_only and not dialect_neutral and not browser"; rc=$$?; \
	  scripts/pg-test-cluster.sh stop; exit $$rc; \
	fi

bench: install-test
	$(BIN)/python bench/intake.py
	$(BIN)/python bench/cost.py
	$(BIN)/python bench/workers.py

# Long: generates synthetic cities of 10,000 and 100,000 orders (issue 15, bench/scale.py).
bench-scale: install-test
	$(BIN)/python bench/scale.py

clean:
	rm -rf $(VENV) var node_modules src/fazhi/web/static/vendor .pytest_cache .mypy_cache .ruff_cache build src/*.egg-info
