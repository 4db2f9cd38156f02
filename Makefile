# migmap: the two commands of the README.
#   make run   – set up .venv, install, create migmap.db from the bundled map, serve the web app
#   make test  – set up .venv with test extras, install Chromium from Debian if possible, run every test
#   make bench – every benchmark under bench/ (long); make bench-load – only the load and scale table

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
DB     ?= migmap.db
HOST   ?= 127.0.0.1
PORT   ?= 8000
STAMP  := $(VENV)/.installed

.PHONY: run test lint install system-deps bench bench-load clean help

help:
	@echo "make run    serve the web app on http://$(HOST):$(PORT) with the bundled map ($(DB))"
	@echo "make test   lint (ruff) and run the whole test suite, doctests included"
	@echo "make lint   ruff check and ruff format --check"
	@echo "make bench  run the benchmarks under bench/ (about two hours; Datasette is installed in .venv-bench to compare)"
	@echo "make bench-load  only the load and scale table (about an hour)"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

$(DB): | $(STAMP)
	MIGMAP_DATABASE_URL=sqlite:///$(DB) $(BIN)/migmap init

run: $(STAMP) $(DB)
	MIGMAP_DATABASE_URL=sqlite:///$(DB) $(BIN)/migmap serve --host $(HOST) --port $(PORT)

# Debian packages the tests use: Chromium (browser tests) and poppler-utils (PDF pages to PNG).
# Installed when missing and the machine allows it (root + apt); otherwise those tests skip
# with the reason shown (and the browser tests fail when CI=true).
SYSTEM_PACKAGES := chromium:/usr/bin/chromium poppler-utils:/usr/bin/pdftoppm

system-deps:
	@missing=""; for pair in $(SYSTEM_PACKAGES); do pkg=$${pair%%:*}; bin=$${pair#*:}; \
		[ -x "$$bin" ] || missing="$$missing $$pkg"; done; \
	if [ -z "$$missing" ]; then :; \
	elif [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
		echo "installing Debian packages for the tests:$$missing"; \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null) \
		|| echo "could not install$$missing; the tests that need them will skip (browser tests fail in CI)"; \
	else echo "missing$$missing and cannot install here; the tests that need them will skip (browser tests fail in CI)"; fi

LINTED := src tests bench scripts

lint: $(STAMP)
	$(BIN)/ruff check $(LINTED)
	$(BIN)/ruff format --check $(LINTED)

test: $(STAMP) system-deps lint
	$(BIN)/python -m pytest

# Datasette, DuckDB and sqlite-utils, for the side-by-side figures, live in their own venv: they are not dependencies of migmap.
BENCH_VENV := .venv-bench
DATASETTE  := $(BENCH_VENV)/bin/datasette

$(DATASETTE):
	$(PYTHON) -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/python -m pip install --quiet datasette duckdb pandas sqlite-utils

bench: $(STAMP) $(DATASETTE)
	$(BIN)/python bench/run_all.py --datasette $(DATASETTE)

bench-load: $(STAMP) $(DATASETTE)
	$(BIN)/python bench/bench_load.py --datasette $(DATASETTE)

clean:
	rm -rf $(VENV) $(BENCH_VENV) .pytest_cache build src/*.egg-info
