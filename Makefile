# Two commands on a fresh machine: `make run` (demo on SQLite) and `make test`. DATABASE_URL switches to PostgreSQL.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1:8000

.PHONY: run test install lint check lock messages clean

run: $(VENV)/.installed
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo
	$(BIN)/python manage.py runserver $(HOST)

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
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python manage.py check

# Regenerate the full lock from the direct pins in pyproject.toml.
lock:
	rm -rf /tmp/samkort-lock && $(PYTHON) -m venv /tmp/samkort-lock
	/tmp/samkort-lock/bin/python -m pip install --quiet ".[dev]"
	/tmp/samkort-lock/bin/python -m pip freeze --exclude samkort > requirements.txt

# Needs GNU gettext (apt-get install gettext). The compiled .mo files are committed.
messages: $(VENV)/.installed
	$(BIN)/python manage.py makemessages --locale da --no-obsolete --ignore "$(VENV)/*" --ignore "staticfiles/*"
	$(BIN)/python manage.py compilemessages --locale da --ignore "$(VENV)/*"

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
