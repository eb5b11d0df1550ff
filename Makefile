# soralit — make targets. `make` lists them.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.DEFAULT_GOAL := help
.PHONY: help run test lint format bench stress clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

$(VENV)/.stamp: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

run: $(VENV)/.stamp ## Set up, show the shipped library's taxonomy, check it, regenerate its list
	$(BIN)/soralit taxonomy
	$(BIN)/soralit check
	$(BIN)/soralit export md -o build/paper-list.md
	$(BIN)/soralit export md --in-place README.md
	@echo "Wrote build/paper-list.md; README.md is in sync with library.bib."

test: $(VENV)/.stamp ## Set up and run the whole test suite
	$(BIN)/pytest

lint: $(VENV)/.stamp ## ruff check, format check, and mypy (strict) on src/
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: $(VENV)/.stamp ## Apply ruff's fixes and formatting
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: $(VENV)/.stamp ## Benchmarks: start-up, queries, exports at 1k/10k/50k; the page in Chromium
	$(BIN)/python bench/run.py
	$(BIN)/python bench/browser.py

stress: $(VENV)/.stamp ## Long fault-injection runs (many kill points)
	SORALIT_STRESS=1 $(BIN)/pytest -m stress -p no:randomly

clean: ## Remove the venv, caches and build output
	rm -rf $(VENV) build .pytest_cache .ruff_cache .hypothesis
