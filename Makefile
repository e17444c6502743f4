# Newsroom: `make run` serves the demo site, `make serve` serves it production-like, `make test` runs the whole suite
# (`make test-fast` the tests not marked slow, for the inner loop).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
ENV_FILE ?= .env
# Written by `make run`: DEBUG on and a key of its own, read by manage.py alone (see manage.py), never by `make serve`.
export DEVELOPMENT_ENV_FILE ?= .env.development

.PHONY: install run serve secret-key development-env test test-fast migrations-check lint migrate bench bench-serve bench-costs bench-import bench-render clean

install: $(VENV)/.installed

# axe-core for the accessibility checks in the browser tests; without npm those checks are skipped.
node_modules/.installed: package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then npm ci --no-audit --no-fund --silent && touch $@; \
	else echo "npm not found: the accessibility checks of the browser tests will be skipped"; fi

$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@

migrate: development-env
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py renderhtml

# The task worker (it sends the mail) runs beside the web server and stops with it.
WITH_WORKER = $(BIN)/python manage.py db_worker --no-reload & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM;

run: migrate
	$(BIN)/python manage.py loaddemo --editor
	@echo "Newsroom is at http://$(HOST):$(PORT)/ (the admin at http://$(HOST):$(PORT)/admin/)"
	$(WITH_WORKER) $(BIN)/python manage.py runserver $(HOST):$(PORT)

# The development settings file, written once: DEBUG on and a random key that only development uses.
development-env: install
	@if [ ! -e "$(DEVELOPMENT_ENV_FILE)" ]; then \
		(umask 077 && printf '# Development only (make run): read by manage.py, never by make serve or gunicorn.\nDEBUG=true\nSECRET_KEY=%s\n' "$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))')" > "$(DEVELOPMENT_ENV_FILE)") && \
		echo "Wrote the development settings to $(DEVELOPMENT_ENV_FILE)"; \
	fi

# DEBUG off, hashed and compressed static files, gunicorn with WEB_CONCURRENCY workers (see gunicorn.conf.py),
# and the task worker.
serve: install secret-key
	DEBUG=off ENV_FILE=$(ENV_FILE) $(BIN)/python manage.py collectstatic --noinput --verbosity 0
	DEBUG=off ENV_FILE=$(ENV_FILE) $(BIN)/python manage.py migrate --noinput
	DEBUG=off ENV_FILE=$(ENV_FILE) $(BIN)/python manage.py renderhtml
	@echo "Newsroom is at http://$(HOST):$(PORT)/ (DEBUG off, gunicorn)"
	export DEBUG=off ENV_FILE=$(ENV_FILE) ; $(WITH_WORKER) $(BIN)/gunicorn --bind $(HOST):$(PORT)

# Without a SECRET_KEY in the environment or the env file, write a new random one to the env file, once.
secret-key: install
	@if [ -z "$$SECRET_KEY" ] && ! grep -qs '^SECRET_KEY=' "$(ENV_FILE)"; then \
		(umask 077 && printf '\nSECRET_KEY=%s\n' "$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))')" >> "$(ENV_FILE)") && \
		echo "Wrote a new SECRET_KEY to $(ENV_FILE)"; \
	fi

# Benchmarks; the figures go to docs/performance.md. bench-serve and bench-render need wrk (Debian: sudo apt-get install wrk).
bench: bench-serve bench-costs bench-import bench-render

bench-serve: install
	@command -v wrk >/dev/null 2>&1 || { echo "bench-serve needs wrk: install it (Debian: sudo apt-get install wrk) or see https://github.com/wg/wrk" >&2; exit 1; }
	$(BIN)/python bench/serve_benchmark.py

bench-costs: install
	$(BIN)/python bench/request_costs.py

bench-import: install
	$(BIN)/python bench/import_benchmark.py

bench-render: install
	@command -v wrk >/dev/null 2>&1 || { echo "bench-render needs wrk: install it (Debian: sudo apt-get install wrk) or see https://github.com/wg/wrk" >&2; exit 1; }
	$(BIN)/python bench/render_benchmark.py

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Fails when a model change has no migration.
migrations-check: install
	DJANGO_SETTINGS_MODULE=newsroom.test_settings $(BIN)/python manage.py makemigrations --check --dry-run

test: install node_modules/.installed lint migrations-check
	$(BIN)/python -m pytest

# The tests that start no server, browser or interpreter and run no Hypothesis.
test-fast: install
	$(BIN)/python -m pytest -m "not slow"

clean:
	rm -rf $(VENV) node_modules staticfiles test-results .pytest_cache .ruff_cache
