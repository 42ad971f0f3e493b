# The README names `make run` and `make test`; the other targets are what they call.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
UV_VERSION := 0.13.9
SERVICES := identity catalog orders payments notifications

.PHONY: run test lint format install

$(BIN)/uv:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet uv==$(UV_VERSION)

# Reinstalls only when the lock or the project metadata changed.
$(VENV)/.installed: requirements.lock pyproject.toml | $(BIN)/uv
	$(BIN)/uv pip install --quiet --python $(BIN)/python --require-hashes -r requirements.lock
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -e .
	touch $@

install: $(VENV)/.installed

run: install
	$(BIN)/python manage.py up

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

test: lint
	$(BIN)/python -m pytest tests/common --ds=services.catalog.settings
	set -e; for service in $(SERVICES); do \
		suites=tests/every_service; [ -d tests/$$service ] && suites="$$suites tests/$$service"; \
		$(BIN)/python -m pytest $$suites --ds=services.$$service.settings; \
	done
	$(BIN)/python -m pytest tests/e2e --ds=services.catalog.settings
