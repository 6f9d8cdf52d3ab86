# micrograd notes: the two commands are `make serve` and `make test`. Everything else is a step of
# those, or a benchmark run by hand.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SITE_DIR := site
export NO_MKDOCS_2_WARNING := 1
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.DEFAULT_GOAL := help
.PHONY: help serve build test lint format strip check-notebooks bench bench-engine bench-site bench-live lighthouse clean system-deps

help:
	@echo "make serve   build the site and serve it at http://127.0.0.1:8000 (installs everything first)"
	@echo "make test    run every test: lint, engine, notebooks, strict site build, browser"
	@echo "make build   build the site into $(SITE_DIR)/ with --strict"
	@echo "make format  format the code and strip notebook outputs"
	@echo "make bench   print the engine and site benchmarks (make bench-engine, bench-site,"
	@echo "             bench-live, lighthouse)"
	@echo "make clean   remove the virtual environment, caches and the built site"

# -- installation: a stamp per requirements set, redone when a requirements file changes --------

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.site-installed: requirements.txt pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt -e .
	@touch $@

$(VENV)/.dev-installed: requirements-dev.txt $(VENV)/.site-installed
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	@touch $@

node_modules/.package-lock.json: package.json package-lock.json
	@scripts/system-deps.sh npm
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

system-deps:
	@scripts/system-deps.sh dot npm

# -- the site -------------------------------------------------------------------------------------

serve: system-deps $(VENV)/.site-installed node_modules/.package-lock.json
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000

build: system-deps $(VENV)/.site-installed node_modules/.package-lock.json
	$(BIN)/mkdocs build --strict --site-dir $(SITE_DIR)

# -- checks ---------------------------------------------------------------------------------------

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

check-notebooks: $(VENV)/.dev-installed
	$(BIN)/python scripts/notebooks.py check

test: $(VENV)/.dev-installed lint check-notebooks build
	@scripts/system-deps.sh chromium
	SITE_DIR=$(SITE_DIR) $(BIN)/python -m pytest

format: $(VENV)/.dev-installed
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .
	$(BIN)/python scripts/notebooks.py strip

strip: $(VENV)/.dev-installed
	$(BIN)/python scripts/notebooks.py strip

# -- benchmarks: figures to read, never timed assertions ------------------------------------------

bench: bench-engine bench-site bench-live

bench-engine: $(VENV)/.dev-installed
	$(BIN)/python benchmarks/engine.py

bench-site: system-deps $(VENV)/.dev-installed node_modules/.package-lock.json
	$(BIN)/python benchmarks/site.py

bench-live: build
	@scripts/system-deps.sh chromium
	$(BIN)/python benchmarks/live.py

lighthouse: build
	@scripts/system-deps.sh chromium
	$(BIN)/python benchmarks/lighthouse.py

clean:
	rm -rf $(VENV) node_modules $(SITE_DIR) .cache .pytest_cache .ruff_cache .hypothesis
