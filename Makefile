# The two README commands: `make chat` (install, ingest, start the main job) and `make test`.
# Installs happen once: a stamp in the venv remembers them until pyproject.toml changes.
PYTHON ?= python3.11
VENV   ?= .venv
BIN    := $(VENV)/bin
export ANONYMIZED_TELEMETRY := False
export GRADIO_ANALYTICS_ENABLED := False
export HF_HUB_OFFLINE := 1

.PHONY: install install-dev chat ingest test test-fast lint fuzz clean

$(BIN)/python:
	@echo "Creating $(VENV) …"
	$(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/pip install --progress-bar on --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	@echo "Installing regqa into $(VENV) (first time: a few minutes, mostly the CPU build of torch) …"
	$(BIN)/pip install --progress-bar on -e .
	@touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	@echo "Installing regqa with the dev tools into $(VENV) (first time: a few minutes) …"
	$(BIN)/pip install --progress-bar on -e '.[dev]'
	@touch $@ $(VENV)/.installed

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

ingest: install
	$(BIN)/regqa ingest

chat: ingest
	$(BIN)/regqa chat

test: install-dev
	$(BIN)/pytest -q

test-fast: install-dev
	$(BIN)/pytest -q -m "not slow"

lint: install-dev
	$(BIN)/ruff check . && $(BIN)/ruff format --check . && $(BIN)/mypy

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache

# Explore the API with fresh schemathesis seeds and more cases than CI's fixed-seed run.
fuzz: install-dev
	REGQA_FUZZ_SEED=random REGQA_FUZZ_EXAMPLES=50 $(BIN)/pytest -q tests/test_api_clients.py -k cli_all_checks
