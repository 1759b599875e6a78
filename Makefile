# Hidden Gems: `make run` sets everything up and serves the site; `make test` sets up and runs every test.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export FLASK_APP := wsgi.py
# Everything make runs is development unless APP_ENV says otherwise (`APP_ENV=production make serve`);
# production refuses the development defaults.
export APP_ENV ?= development
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run worker serve test lint setup deps deps-dev assets translations database demo index system-packages bench bench-load bench-pages clean

# The development server, with the scheduled-jobs worker beside it (mail every 30 s, purge, reminders).
run: setup demo index
	@echo "Serving Hidden Gems on http://$(HOST):$(PORT)/ with the scheduled jobs (Ctrl+C stops both)"
	HOST=$(HOST) PORT=$(PORT) BIN=$(BIN) bash scripts/run-dev.sh

# Only the scheduled jobs (`flask jobs run`): what production runs beside the site, one or more of them.
worker: setup
	$(BIN)/flask jobs run

# The site under gunicorn (gunicorn.conf.py): workers from the CPU count, no query strings in the access log.
serve: setup index
	@echo "Serving Hidden Gems under gunicorn on $${BIND:-127.0.0.1:8000} (Ctrl+C to stop; 'kill -HUP \$$(cat instance/gunicorn.pid)' reloads)"
	$(BIN)/gunicorn -c gunicorn.conf.py

setup: deps assets translations database

test: deps-dev assets translations system-packages lint
	bash scripts/run-tests.sh

# Lint, import direction between the domains, module and function size, and bandit (medium and high).
lint: deps-dev
	$(BIN)/ruff check app tests bench scripts
	$(BIN)/lint-imports
	$(BIN)/python scripts/check-size.py
	$(BIN)/bandit -q -r app -ll

$(VENV)/.deps: requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.deps-dev: $(VENV)/.deps requirements-dev.txt
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

deps: $(VENV)/.deps
deps-dev: $(VENV)/.deps-dev

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts

# The manifest is written last, so it stamps a whole build.
app/static/dist/manifest.json: node_modules/.package-lock.json app/static/src/app.scss $(wildcard app/static/js/*.js) scripts/build-assets.mjs
	node scripts/build-assets.mjs

assets: app/static/dist/manifest.json

translations: deps
	$(BIN)/flask translate compile

database: deps
	$(BIN)/flask db upgrade
	$(BIN)/flask directory seed

demo: database
	$(BIN)/flask demo load

index: database
	$(BIN)/flask search rebuild

# Debian's Chromium for the browser tests (never a downloaded browser build).
system-packages:
	@command -v chromium >/dev/null || bash scripts/install-system-packages.sh

bench: deps-dev
	$(BIN)/python bench/generate_bench.py
	$(BIN)/python bench/search_bench.py

# Pages per second under gunicorn against a hello-world route, and RSS per worker (ARGS="--listings 10000 --workers 2").
bench-pages: deps-dev translations assets
	@command -v wrk >/dev/null || bash scripts/install-system-packages.sh
	$(BIN)/python bench/page_throughput.py $(ARGS)

# 500 referrals from 50 clients through gunicorn, undisturbed and with kill -9 (needs Redis; ARGS=--quick).
bench-load: deps-dev translations
	$(BIN)/python bench/referral_load.py $(ARGS)

clean:
	rm -rf $(VENV) node_modules app/static/dist instance test-artifacts
