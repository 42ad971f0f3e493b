# The README names `make run` and `make test`; the other targets are what they call.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
UV_VERSION := 0.13.9
SERVICES := identity catalog orders payments notifications
APT_INSTALL := DEBIAN_FRONTEND=noninteractive apt-get install -y -qq >/dev/null

.PHONY: run test lint format install chart browser gateway prometheus wrk bench faults fuzz

$(BIN)/uv:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet uv==$(UV_VERSION)

# Reinstalls only when the lock or the project metadata changed. Compiled to bytecode as in the
# image: where PYTHONDONTWRITEBYTECODE is set (CI, containers) every process would otherwise
# compile each module it imports from source, which leaves it about 13 MiB larger for good.
$(VENV)/.installed: requirements.lock pyproject.toml | $(BIN)/uv
	$(BIN)/uv pip install --quiet --python $(BIN)/python --require-hashes --compile-bytecode \
		-r requirements.lock
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -e .
	touch $@

install: $(VENV)/.installed

run: install
	$(BIN)/python manage.py up

# actionlint checks the workflows' run: scripts with the virtualenv's shellcheck, the same
# everywhere, rather than whichever one a machine happens to have.
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/actionlint -shellcheck $(BIN)/shellcheck -pyflakes ''

# The admin sign-in tests drive Debian's chromium; it is installed when the machine allows it,
# otherwise those tests are skipped and say why.
browser:
	@command -v chromium >/dev/null || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null \
		&& { $(APT_INSTALL) chromium || { apt-get update -qq && $(APT_INSTALL) chromium; }; }; } \
		|| echo "chromium is not installed and cannot be installed here"

# `make run`'s gateway, which the e2e suite's throttling test goes through, is Debian's nginx;
# installed the same way, otherwise the platform runs without it and that test is skipped.
gateway:
	@command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || { [ "$$(id -u)" = 0 ] \
		&& command -v apt-get >/dev/null && { $(APT_INSTALL) --no-install-recommends nginx \
		|| { apt-get update -qq && $(APT_INSTALL) --no-install-recommends nginx; }; }; } \
		|| echo "nginx is not installed and cannot be installed here"

# `make run`'s Prometheus, and promtool, which checks the alert rules and dashboards (tests/deploy,
# tests/e2e), are Debian's prometheus; installed the same way, otherwise `make run` starts none
# and those tests are skipped, except under CI.
prometheus:
	@command -v prometheus >/dev/null || [ -x /usr/bin/prometheus ] || { [ "$$(id -u)" = 0 ] \
		&& command -v apt-get >/dev/null && { $(APT_INSTALL) --no-install-recommends prometheus \
		|| { apt-get update -qq && $(APT_INSTALL) --no-install-recommends prometheus; }; }; } \
		|| echo "prometheus is not installed and cannot be installed here"

# The Helm chart, image and compose checks; helm itself comes out of a PyPI package (tests/deploy).
chart: install gateway prometheus
	$(BIN)/python -m pytest tests/deploy --ds=services.catalog.settings

# Faults injected into a running platform under load; writes docs/reliability.md.
faults: install
	RELIABILITY_REPORT=docs/reliability.md $(BIN)/python -m pytest tests/faults --ds=services.catalog.settings

# `make bench`'s HTTP load is Debian's wrk, installed the same way as nginx.
wrk:
	@command -v wrk >/dev/null || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null \
		&& { $(APT_INSTALL) --no-install-recommends wrk \
		|| { apt-get update -qq && $(APT_INSTALL) --no-install-recommends wrk; }; }; } \
		|| echo "wrk is not installed and cannot be installed here"

# Mercato against its baselines in one run, with the issue's targets: prints one table and writes
# bench/results/latest.json (docs/performance.md). BENCH_QUICK=1 for a short try.
bench: install wrk
	$(BIN)/python -m bench

# The schema conformance suite (every operation, every role) with many more requests than
# `make test` sends, drawn anew each run, within FUZZ_SECONDS per service.
FUZZ_EXAMPLES ?= 300
FUZZ_SECONDS ?= 600
fuzz: install
	failed=; for service in $(SERVICES); do \
		FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) FUZZ_SECONDS=$(FUZZ_SECONDS) $(BIN)/python -m pytest \
			tests/every_service/test_api_schema_conformance.py --ds=services.$$service.settings \
			|| failed="$$failed $$service"; \
	done; [ -z "$$failed" ] || { echo "fuzz failed for:$$failed"; exit 1; }

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

test: lint browser gateway prometheus
	$(BIN)/python -m pytest tests/common tests/bench --ds=services.catalog.settings
	set -e; for service in $(SERVICES); do \
		suites=tests/every_service; [ -d tests/$$service ] && suites="$$suites tests/$$service"; \
		$(BIN)/python -m pytest $$suites --ds=services.$$service.settings; \
	done
	$(MAKE) --no-print-directory chart
	$(BIN)/python -m pytest tests/e2e --ds=services.catalog.settings
	E2E_BROKER=rabbitmq $(BIN)/python -m pytest tests/e2e --ds=services.catalog.settings
	$(MAKE) --no-print-directory faults
