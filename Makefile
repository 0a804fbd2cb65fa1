# Newsroom. `make run` and `make test` are all a newcomer needs; see README.md.

PYTHON ?= $(shell command -v python3.13 || command -v python3.12 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
MANAGE := $(BIN)/python manage.py
# The development defaults (secret key, local hosts, SQLite) only work with DEBUG on.
DEV := DEBUG=1
# The browser tests drive Debian's chromium (tests/browser.py); CHROMIUM names another.
CHROMIUM ?= /usr/bin/chromium
export CHROMIUM
# ARGS="--exclude-tag browser" leaves the browser tests out, and chromium unneeded.
TEST_NEEDS := $(if $(findstring --exclude-tag browser,$(strip $(ARGS)))$(findstring --exclude-tag=browser,$(ARGS)),,chromium)

.PHONY: help install chromium run test lint format bench screenshots clean

help:
	@echo "make run    set everything up and serve the admin on http://127.0.0.1:8000/admin/"
	@echo "make test   run the whole test suite (SQLite, or DATABASE_URL if set), in parallel"
	@echo "make lint   ruff, the import layers and the migrations check"
	@echo "make format format the code with ruff"
	@echo "make bench  export and page timings, the issue page under load, a database restart"
	@echo "make screenshots  the editor's guide's pictures of the admin, in docs/images/"

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null || { \
	  echo "Newsroom needs Python 3.12 or newer, and '$(PYTHON)' is not."; \
	  echo "Install Python 3.12+ and run: make PYTHON=/path/to/python3.12 $(MAKECMDGOALS)"; \
	  exit 1; }
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e ".[dev]"
	@touch $@

install: $(STAMP)

run: $(STAMP)
	@mkdir -p var
	$(DEV) $(MANAGE) migrate --no-input -v 0
	$(DEV) $(MANAGE) import_newsletter issues/demo/newsletter-2024-11.md --publication turing-roche
	$(DEV) $(MANAGE) dev_admin
	$(DEV) $(MANAGE) runserver 127.0.0.1:8000

test: $(STAMP) $(TEST_NEEDS)
	$(DEV) $(MANAGE) test --parallel auto $(ARGS)

# Installs chromium on Debian as root, as CI does; anywhere else, says what to run.
chromium:
	@[ -x "$(CHROMIUM)" ] && exit 0; \
	if [ "$$(id -u)" = 0 ] && [ -f /etc/debian_version ] && command -v apt-get >/dev/null; then \
	  echo "The browser tests need chromium: apt-get install -y chromium"; \
	  export DEBIAN_FRONTEND=noninteractive; \
	  apt-get install -y -q chromium >/dev/null 2>&1 || \
	    { apt-get update -q >/dev/null && apt-get install -y -q chromium >/dev/null; }; \
	fi; \
	[ -x "$(CHROMIUM)" ] || { \
	  echo "The browser tests need Chromium at $(CHROMIUM), and it is not there."; \
	  echo "  On Debian, as root:        apt-get update && apt-get install -y chromium"; \
	  echo "  Another Chromium:          make test CHROMIUM=/path/to/chromium"; \
	  echo "  Without the browser tests: make test ARGS=\"--exclude-tag browser\""; \
	  exit 1; }

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache
	$(DEV) $(MANAGE) makemigrations --check --dry-run

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# The load and fault runs need PostgreSQL on 127.0.0.1:5432 and wrk; the fault run
# restarts PostgreSQL, so it needs root. See bench/.
bench: $(STAMP)
	$(DEV) $(BIN)/python -m bench
	@command -v wrk >/dev/null || apt-get install -y wrk >/dev/null || \
	  echo "wrk is missing and could not be installed: apt-get install wrk"
	-$(DEV) $(BIN)/python -m bench.load
	-$(DEV) $(BIN)/python -m bench.faults

# The month's browser test, saving a picture of each step for docs/editors-guide.md.
screenshots: $(STAMP) chromium
	NEWSROOM_SCREENSHOTS=docs/images $(DEV) $(MANAGE) test tests.issues.admin.test_month_browser

clean:
	rm -rf $(VENV) var staticfiles
