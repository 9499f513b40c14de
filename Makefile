# Lieux numériques — developer commands. `make help` lists them.
VENV ?= .venv
PYTHON ?= python3
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000
export DJANGO_SETTINGS_MODULE ?= config.settings

.DEFAULT_GOAL := help
.PHONY: help install install-dev run setup test test-fast quality audit format messages screenshots territories-data clean

help: ## List the commands
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "} {printf "  \033[1m%-16s\033[0m %s\n", $$1, $$2}'

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(PIP) install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed ## Create the virtualenv and install the runtime dependencies

install-dev: $(VENV)/.installed-dev ## Install the test and quality tools too

setup: install ## Migrate, load the territories of France and the demo hubs (idempotent)
	DJANGO_DEBUG=true $(PY) manage.py migrate --noinput
	DJANGO_DEBUG=true $(PY) manage.py load_territories
	DJANGO_DEBUG=true $(PY) manage.py load_demo

run: setup ## Serve the site on http://127.0.0.1:8000 with SQLite and the demo data
	DJANGO_DEBUG=true $(PY) manage.py runserver $(HOST):$(PORT)

test: install-dev ## Run the whole test suite on every core (browser tests included when Chromium is installed)
	DJANGO_DEBUG=false $(PY) -m pytest -n auto

test-fast: install-dev ## Run the tests without the browser
	$(PY) -m pytest -n auto -m "not browser"

quality: install-dev ## Lint, format check, Django checks, missing migrations, layer contract, dependency audit
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	DJANGO_DEBUG=true $(PY) manage.py check
	DJANGO_DEBUG=true $(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/lint-imports  # layers point down (.importlinter)
	@$(MAKE) --no-print-directory audit

audit: install-dev ## Installed packages against known vulnerabilities (pip-audit): fails on one, says NOT CHECKED when the advisories cannot be reached (AUDIT_REQUIRED=1: fails then too)
	$(PY) scripts/audit_dependencies.py

format: install-dev ## Reformat the code
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

I18N_IGNORE := --ignore=.venv --ignore=bench --ignore=tests --ignore=docs --ignore=staticfiles --ignore=static/vendor --ignore=media --ignore=artifacts --ignore=node_modules

messages: install-dev ## Refresh the English catalogs (locale/en) from the French source strings, the French plurals (locale/fr), then compile them
	DJANGO_DEBUG=true $(PY) manage.py makemessages -l en --no-obsolete $(I18N_IGNORE) --ignore=static
	DJANGO_DEBUG=true $(PY) manage.py makemessages -l en -d djangojs --no-obsolete $(I18N_IGNORE)
	$(PY) scripts/french_plurals.py
	DJANGO_DEBUG=true $(PY) manage.py compilemessages -l en -l fr --ignore=.venv

screenshots: install-dev ## Take desktop and phone screenshots of the main pages into artifacts/
	SCREENSHOTS=1 $(PY) -m pytest tests/browser/test_screenshots.py -p no:randomly

clean: ## Remove the virtualenv and local database
	rm -rf $(VENV) db.sqlite3 staticfiles artifacts
