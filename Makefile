# common-kpi: `make build` sets everything up and builds the demo; `make test` runs every test.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
export DBT_PROFILES_DIR := $(CURDIR)
export COMMON_KPI_RAW_PATH ?= $(CURDIR)/data/raw/demo
export COMMON_KPI_RAW_FORMAT ?= csv
# Readers (BI, dashboard) open the published files; each build writes a new file in the
# build folder (README "Running it in CI").
export COMMON_KPI_PUBLISHED_PATH ?= $(CURDIR)/warehouse/common_kpi.duckdb
export COMMON_KPI_BUILD_DIR ?= $(CURDIR)/warehouse/build
CK := $(BIN)/common-kpi
DBT := $(BIN)/dbt

.PHONY: help setup data build published test check-raw kpi-compile lint quality alerts docs dashboard pack bench clean postgres build-postgres build-spark test-engines

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(VENV)/.installed: requirements.txt pyproject.toml
	@echo "[setup] creating $(VENV) and installing the pinned dependencies (first run only, a few minutes; pip shows each package)"
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip==25.3
	$(BIN)/pip install --progress-bar on -r requirements.txt
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

setup: $(VENV)/.installed ## Create the virtual environment with pinned dependencies

# The demo data is regenerated whenever the generator changes; data you point
# COMMON_KPI_RAW_PATH at is never touched.
DEMO_RAW := $(CURDIR)/data/raw/demo
$(DEMO_RAW)/_manifest.json: $(VENV)/.installed $(wildcard python/common_kpi/generator/*.py)
	@echo "[data] generating the demo raw data (scale 1, about 5 s)"
	rm -rf $(DEMO_RAW)
	$(CK) generate --scale 1 --out $(DEMO_RAW)

data: $(DEMO_RAW)/_manifest.json ## Generate the demo raw data (scale 1, seed 42) when missing or stale

build: data ## Build the warehouse on DuckDB with the demo data and print the KPI tree
	$(CK) build

# The commands that read the warehouse build it only when nothing is published yet;
# `make build` rebuilds.
published: data
	@test -f $(COMMON_KPI_PUBLISHED_PATH) || $(CK) build

test: data ## Run every test (pytest: dbt build + tests, lint, quality, corpus, dashboard in a browser)
	$(CK) kpi-compile
	$(BIN)/pytest -n 2 --dist loadfile --no-loadscope-reorder

lint: published ## sqlfluff over models and analyses, ruff over Python
	$(CK) lint

check-raw: setup ## Onboarding report on your raw data (COMMON_KPI_RAW_PATH) and a starter source mapping
	$(CK) check-raw --write-mapping source_mapping.starter.yml

kpi-compile: setup ## Validate kpi_tree.yml and regenerate its dbt seeds and per-KPI tests
	$(CK) kpi-compile

quality: published ## Great Expectations checkpoint and KPI reconciliation, with HTML data docs
	$(CK) quality

alerts: published ## Print the KPIs that missed target; post them to COMMON_KPI_WEBHOOK_URL if set
	$(CK) alerts

docs: published ## Generate the dbt docs site (lineage, KPI definitions) into target/
	$(CK) docs

dashboard: published ## Start the KPI dashboard on http://localhost:8501
	$(CK) dashboard

pack: published ## Write the monthly review pack (HTML) into artifacts/
	$(CK) pack

# Other engines (README "Other engines"): each builds the demo and runs every data test there.
postgres: setup data ## Start a local PostgreSQL server (warehouse/postgres), load the raw files, create the BI role
	$(CK) postgres start

build-postgres: setup data ## Build the demo on the local PostgreSQL server (started if needed, left running for BI)
	$(CK) engines --engines postgres --keep-postgres

build-spark: setup data ## Build the demo on a local Spark session (Java 17)
	$(CK) engines --engines spark

test-engines: setup data ## Build the full demo on DuckDB, PostgreSQL and Spark and compare the KPI marts
	$(CK) engines

SCALE ?= 1
bench: setup ## Measure floor, full build, layers, memory and the daily incremental run at SCALE (default 1 = demo)
	$(CK) bench --scale $(SCALE)

clean: ## Remove build outputs (keeps the virtual environment and the tracked warehouse/.gitignore)
	rm -rf target logs artifacts
	find warehouse -mindepth 1 ! -name .gitignore -exec rm -rf {} +
