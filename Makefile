# Two commands on a fresh clone: `make run` and `make test`. Everything else is optional.
SHELL := /bin/bash
export UV_PYTHON_DOWNLOADS := never
# Debian's own Python 3.11 where the machine has it: its interpreter has libpython linked in,
# and it ran the suite's CPU-bound tests ~10% faster than pyenv's 3.11.7 here (a default build,
# libpython a shared library); any 3.11 elsewhere (docs/operations.md, the suite).
export UV_PYTHON := $(or $(wildcard /usr/bin/python3.11),3.11)
# Bytecode compiled once at install and kept: some machines set PYTHONDONTWRITEBYTECODE, and
# then every process (each test worker, each service `awasi up` starts) compiled all it imported
# again: 4.8 s of CPU to import a service instead of 2.0 s (docs/operations.md, the suite's time).
export UV_COMPILE_BYTECODE := 1
unexport PYTHONDONTWRITEBYTECODE
UV_VERSION := 0.13.8
UV := $(shell command -v uv 2>/dev/null || echo $(CURDIR)/.tools/bin/uv)
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: setup run test test-fast lint typecheck bench catalog migration clean

$(CURDIR)/.tools/bin/uv:
	python3 -m venv .tools
	.tools/bin/pip install --quiet uv==$(UV_VERSION)

$(VENV)/.synced: $(UV) uv.lock pyproject.toml libs/*/pyproject.toml services/*/pyproject.toml
	$(UV) sync --frozen
	touch $@

setup: $(VENV)/.synced ## Create the virtual environment and install everything (pinned by uv.lock)

run: setup ## Start broker + four services on the embedded default, load demo data, print URLs
	$(VENV)/bin/awasi up

# Most of the suite waits (on group joins, processes starting, deliveries): six processes share
# the two cores, each with a broker of its own; a file's tests stay in one process. Six, not
# four: the last minutes are small files that mostly wait, and more of them overlap
# (docs/operations.md, the suite). A test that
# fails is run once more (shown as R, and failed only if it fails again): on two busy cores a
# timing can slip; a real fault fails both times. `-rR` names each rerun test in the summary and
# tests/conftest.py prints why its first try failed, so a test that keeps needing its second try
# is seen and mended.
TEST_WORKERS ?= 6
TEST_RERUNS ?= 1

test: setup ## The whole suite: real broker over TCP, PostgreSQL when it answers (TEST_WORKERS=1: one process)
	bash scripts/ensure-chromium.sh
	$(VENV)/bin/pytest -n $(TEST_WORKERS) --dist loadfile --no-loadscope-reorder --reruns $(TEST_RERUNS) -rR --durations=15 $(PYTEST_ARGS)

bench: setup ## Submissions at rising rates end to end (collective, one Form A and one laporan per request), against a one-row and a CRUD baseline (bench/results/latest.json, .png); BENCH_SHORT=1 for a quick check
	$(PY) -m bench.run

lint: setup
	$(VENV)/bin/ruff check libs services tests scripts bench
	$(VENV)/bin/ruff format --check libs services tests scripts bench
	$(VENV)/bin/lint-imports  # the layers and walls of pyproject.toml's [tool.importlinter]

typecheck: setup
	$(VENV)/bin/mypy libs/common/src libs/cli/src services/*/src bench

migration: setup ## make migration SERVICE=planning MSG="add column"
	$(PY) scripts/new_migration.py $(SERVICE) "$(MSG)"

clean:
	rm -rf $(VENV) .tools .awasi

catalog: setup ## Regenerate docs/events (AsyncAPI + JSON Schemas) from the event contracts
	$(PY) -m awasi_common.catalog docs/events
