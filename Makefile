# Staffroom: `make run` serves the site, `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
export FLASK_APP := wsgi

.PHONY: run test bench lint migrate clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install -q -r requirements.txt
	touch $@

$(VENV)/.dev-installed: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install -q -r requirements-dev.txt
	touch $@

## run: install, migrate, load demo data into an empty database, serve on http://$(HOST):$(PORT)
# A laptop: text logs, and `flask doctor` without the production checks.
run: export STAFFROOM_ENV ?= development
run: $(VENV)/.installed
	$(BIN)/flask db upgrade
	$(BIN)/flask seed-demo --if-empty
	@echo "Staffroom is at http://$(HOST):$(PORT)  (Ctrl-C stops it)"
	$(BIN)/gunicorn -w 1 --threads 100 -b $(HOST):$(PORT) wsgi:app

## test: install the dev requirements, lint, and run the whole suite
test: lint
	$(BIN)/python -m pytest -n 2 --dist loadgroup $(PYTEST_ARGS)

## bench: a benchmark in bench/ (prints a table, writes bench/results/*.json): page speed by default,
## another with BENCH=NAME (make bench BENCH=thumbnails runs bench/thumbnails.py)
BENCH ?= run
bench: $(VENV)/.dev-installed
	$(BIN)/python bench/$(BENCH).py $(BENCH_ARGS)

## migrate: create a migration from model changes (make migrate m="what changed")
migrate: $(VENV)/.installed
	$(BIN)/flask db migrate -m "$(m)"

## lint: ruff, configured in pyproject.toml (`$(BIN)/ruff check --fix .` fixes import order and the like)
lint: $(VENV)/.dev-installed
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) .pytest_cache
