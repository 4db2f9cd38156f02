# migmap: the two commands of the README.
#   make run   – set up .venv, install, create migmap.db from the bundled map, serve the web app
#   make test  – set up .venv with test extras, install Chromium from Debian if possible, run every test

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
DB     ?= migmap.db
HOST   ?= 127.0.0.1
PORT   ?= 8000
STAMP  := $(VENV)/.installed

.PHONY: run test install chromium bench clean help

help:
	@echo "make run    serve the web app on http://$(HOST):$(PORT) with the bundled map ($(DB))"
	@echo "make test   run the whole test suite"
	@echo "make bench  run the benchmarks under bench/"

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

# Debian's Chromium for the browser tests: installed when missing and the machine allows (root + apt).
chromium:
	@if [ -x /usr/bin/chromium ]; then :; \
	elif [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
		echo "installing Debian's chromium for the browser tests"; \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
		|| echo "could not install chromium; browser tests will be skipped (they fail in CI)"; \
	else echo "chromium not found and cannot be installed here; browser tests will be skipped (they fail in CI)"; fi

test: $(STAMP) chromium
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) .pytest_cache build src/*.egg-info
