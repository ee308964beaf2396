# minyi — one command to run, one to test. See README.md.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell sha1sum pyproject.toml | cut -c1-12)
PG_URL ?= postgres://postgres@127.0.0.1:5432/test
PYTEST_ARGS ?= -n 2

.PHONY: install run migrate demo test test-postgres browser-deps lint fmt migrations-check clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	rm -f $(VENV)/.installed-* && touch $(STAMP)

install: $(STAMP)

migrate: install
	mkdir -p var
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py load_demo

# The background worker (emails, digests, reminders) runs beside the web server in
# one process group: Ctrl-C stops both, and the worker stops when the server does.
run: demo
	$(PY) manage.py run_worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver 127.0.0.1:8000

browser-deps:
	bash scripts/ensure-chromium.sh
	bash scripts/ensure-documents.sh

test: install browser-deps
	$(PY) -m pytest $(PYTEST_ARGS)

test-postgres: install browser-deps
	MINYI_DATABASE_URL=$(PG_URL) $(PY) -m pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check minyi tests bench
	$(VENV)/bin/ruff format --check minyi tests bench
	$(VENV)/bin/lint-imports

fmt: install
	$(VENV)/bin/ruff format minyi tests bench
	$(VENV)/bin/ruff check --fix minyi tests bench

migrations-check: install
	$(PY) manage.py makemigrations --check --dry-run

clean:
	rm -rf $(VENV) var .pytest_cache
