# Newsroom: `make run` serves the demo site, `make test` runs the whole suite.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run test lint migrate clean

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

migrate: install
	DEBUG=$${DEBUG:-true} $(BIN)/python manage.py migrate --noinput

run: migrate
	DEBUG=$${DEBUG:-true} $(BIN)/python manage.py loaddemo --editor
	@echo "Newsroom is at http://$(HOST):$(PORT)/ (the admin at http://$(HOST):$(PORT)/admin/)"
	DEBUG=$${DEBUG:-true} $(BIN)/python manage.py runserver $(HOST):$(PORT)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: install node_modules/.installed lint
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) node_modules staticfiles test-results .pytest_cache .ruff_cache
