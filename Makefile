# chodon-analysis: `make run` and `make test` are the whole set-up on a fresh machine.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
YEAR   ?=

.DEFAULT_GOAL := help
.PHONY: help install run clean-data test lab bench lint data

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (chodon-analysis)" >/dev/null
	@# notebook outputs never reach git: a clean filter strips them from what is committed (your file keeps them)
	@if git rev-parse --git-dir >/dev/null 2>&1; then \
	  $(BIN)/nbstripout --install --python $(abspath $(BIN))/python && \
	  git config filter.nbstripout.extrakeys "$$($(BIN)/python -c 'from chodon_analysis.lab import EXTRA_KEYS; print(*EXTRA_KEYS)')"; fi
	@# JupyterLab saves a notebook as it is, outputs included (an older install's hook that stripped them: removed)
	@rm -f $(VENV)/etc/jupyter/jupyter_server_config.json
	touch $(STAMP)

install: $(STAMP) ## create .venv and install the project into it

run: $(STAMP) ## clean data/raw and build the reports of YEAR (default: the latest year with actuals); from 2025 per area
	@year="$(YEAR)"; [ -n "$$year" ] || year=$$($(BIN)/chodon latest-year) || exit $$?; \
	echo "$(BIN)/chodon run --year $$year"; $(BIN)/chodon run --year $$year

clean-data: $(STAMP) ## only clean data/raw into data/processed
	$(BIN)/chodon clean

test: $(STAMP) ## run the test suite
	$(BIN)/python -m pytest

lab: $(STAMP) ## open JupyterLab on notebooks/ with the project's kernel (as root too)
	$(BIN)/jupyter lab --notebook-dir=notebooks $$([ "$$(id -u)" = 0 ] && echo --allow-root)

bench: $(STAMP) ## run the benchmarks and print their figures
	$(BIN)/python benchmarks/run.py

lint: $(STAMP) ## ruff + notebooks committed without outputs (what git stores, not the file JupyterLab saved)
	$(BIN)/ruff check .
	@for f in $$(git ls-files 'notebooks/*.ipynb'); do \
	  git show ":$$f" | $(BIN)/nbstripout --verify >/dev/null || { echo "$$f: committed with outputs; run make install (it strips them on commit)"; exit 1; }; \
	done

data: $(STAMP) ## rebuild the sample workbooks of data/raw
	$(BIN)/python scripts/build_sample_data.py
