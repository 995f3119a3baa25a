# aid-ledger: two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install run check test lint format clean bench

install: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,fast,parquet]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/aid-ledger report data

check: $(STAMP)
	$(BIN)/aid-ledger check data

test: $(STAMP)
	$(BIN)/python -m pytest

# Timing of check/report on synthetic ledgers (benchmarks/run.py; BENCH_FULL=1 adds 1M claims),
# then how well `suggest` drafts the curated claims (benchmarks/suggest_score.py).
bench: $(STAMP)
	$(BIN)/python benchmarks/run.py
	$(BIN)/python benchmarks/suggest_score.py

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .ruff_cache
