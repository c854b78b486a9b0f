# Two commands on a fresh machine: `make run` (demo on SQLite) and `make test`. DATABASE_URL switches to PostgreSQL.
# `make serve` is the production server: DEBUG off, SECRET_KEY required (see README: Running in production).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1:8000
BIND ?= 127.0.0.1:8000
# Where collectstatic gathers the static files (the environment's STATIC_ROOT, as the settings read it).
STATIC_ROOT ?= staticfiles
# Development mode, said out loud: settings default to production when DEBUG is unset.
DEV := DEBUG=true

.PHONY: run serve worker test install lint check lock messages clean

run: $(VENV)/.installed
	$(DEV) $(BIN)/python manage.py migrate --noinput
	$(DEV) $(BIN)/python manage.py createcachetable
	$(DEV) $(BIN)/python manage.py load_demo
	$(DEV) $(BIN)/python manage.py runserver $(HOST)

# Production: migrations, static files, then gunicorn on BIND with WEB_CONCURRENCY workers (default 2 per core + 1).
# The static files are gathered (and compressed, some 20 s) only when their content or the installed packages
# changed: a stamp named by a digest of the files, so a deploy that keeps old file times (rsync -a, tar) still does it.
STATIC_DIGEST = $(shell find static -type f | LC_ALL=C sort | xargs cat | sha1sum | cut -c1-16)

serve: $(VENV)/.installed $(STATIC_ROOT)/.collected-$(STATIC_DIGEST)
	$(BIN)/python manage.py check --deploy --fail-level WARNING
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py createcachetable
	$(BIN)/gunicorn samkort.wsgi:application --config samkort/gunicorn.conf.py --bind $(BIND)

$(STATIC_ROOT)/.collected-%: $(VENV)/.installed
	STATIC_ROOT="$(STATIC_ROOT)" $(BIN)/python manage.py collectstatic --noinput --verbosity 0
	rm -f "$(STATIC_ROOT)"/.collected-*
	touch "$@"

# The background worker for the task queue (TASKS_BACKEND=database, production's default), with the same environment
# as `make serve`: run one or more beside the web processes.
worker: $(VENV)/.installed
	$(BIN)/python manage.py run_worker

test: $(VENV)/.installed
	$(BIN)/python -m pytest

install: $(VENV)/.installed

$(VENV)/.installed: requirements.txt
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# What CI checks besides the tests.
check: lint
	$(DEV) $(BIN)/python manage.py makemigrations --check --dry-run
	$(DEV) $(BIN)/python manage.py check

# Regenerate the full lock from the direct pins in pyproject.toml.
lock:
	rm -rf /tmp/samkort-lock && $(PYTHON) -m venv /tmp/samkort-lock
	/tmp/samkort-lock/bin/python -m pip install --quiet ".[dev]"
	/tmp/samkort-lock/bin/python -m pip freeze --exclude samkort > requirements.txt

# Needs GNU gettext (apt-get install gettext). The compiled .mo files are committed.
messages: $(VENV)/.installed
	$(DEV) $(BIN)/python manage.py makemessages --locale da --no-obsolete --ignore "$(VENV)/*" --ignore "staticfiles/*"
	$(DEV) $(BIN)/python manage.py compilemessages --locale da --ignore "$(VENV)/*"

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
