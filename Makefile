# minyi — one command to run, one to test. See README.md.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell sha1sum pyproject.toml | cut -c1-12)
PG_URL ?= postgres://postgres@127.0.0.1:5432/test
PYTEST_ARGS ?= -n 2

PROD_STAMP := $(VENV)/.production-$(shell sha1sum pyproject.toml | cut -c1-12)

.PHONY: install run serve migrate demo test test-postgres browser-deps lint fmt migrations-check clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	rm -f $(VENV)/.installed-* && touch $(STAMP)

install: $(STAMP)

# The production server's own install: the `production` extra (gunicorn), no test tools.
$(PROD_STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q -e '.[production]'
	rm -f $(VENV)/.production-* && touch $(PROD_STAMP)

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

# The production server: production settings (MINYI_SECRET_KEY and the other MINYI_*
# settings of docs/operations.md come from the environment), gunicorn with
# deploy/gunicorn.conf.py (workers = cores, 4 threads each) and the background worker
# in one process group, as `make run` does. Static files are served by Django unless
# MINYI_SERVE_STATIC=false (nginx serves var/static then).
serve: export MINYI_MODE ?= production
serve: export MINYI_SERVE_STATIC ?= true
serve: $(PROD_STAMP)
	mkdir -p $${MINYI_VAR_DIR:-var}
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput -v0
	$(PY) manage.py run_worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(VENV)/bin/gunicorn -c deploy/gunicorn.conf.py

browser-deps:
	bash scripts/ensure-chromium.sh
	bash scripts/ensure-documents.sh

test: install browser-deps
	$(PY) -m pytest $(PYTEST_ARGS)

test-postgres: install browser-deps
	bash scripts/ensure-postgres-client.sh
	bash scripts/ensure-postgres-rum.sh
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
