# lokalkomp: `make demo` to try it, `make test` to test it.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PY     := $(BIN)/python
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: demo worker test install migrate serve lint typecheck check messages clean bench bench-data

$(BIN)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

install: $(BIN)/.installed

migrate: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py createcachetable

## demo: install, migrate, load the Nordland demo, start the task worker and serve on http://127.0.0.1:8000
# The worker runs in the background (its e-mails print here) and stops with the server.
demo: migrate
	$(PY) manage.py loaddemo --with-register
	@echo ""
	@echo "lokalkomp runs on http://$(HOST):$(PORT)/  (stop with Ctrl-C)"
	@DEBUG=true SITE_URL=http://$(HOST):$(PORT) $(PY) manage.py run_worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	DEBUG=true SITE_URL=http://$(HOST):$(PORT) $(PY) manage.py runserver $(HOST):$(PORT)

## worker: send queued e-mail and queue the daily reminders (production runs this beside the web server)
worker: migrate
	$(PY) manage.py run_worker

## test: the whole suite (set DATABASE_URL=postgres://... to run it on PostgreSQL)
test: install
	$(PY) -m pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	$(BIN)/mypy lokalkomp

check: install
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) manage.py check

messages: install
	cd lokalkomp && ../$(PY) ../manage.py makemessages -l nb -l nn -l en --no-obsolete --ignore '*/tests/*'
	cd lokalkomp && ../$(PY) ../manage.py compilemessages

clean:
	rm -rf $(VENV) var

BENCH_URL ?= postgres://postgres@127.0.0.1:5432/lokalkomp_bench

$(BIN)/.bench-installed: requirements-bench.txt requirements-ci.txt $(BIN)/.installed
	$(PY) -m pip install --quiet -r requirements-bench.txt
	touch $@

## bench-data: the national data set in PostgreSQL (~75 s; kept when it is there)
bench-data: $(BIN)/.bench-installed
	createdb -h 127.0.0.1 -U postgres lokalkomp_bench 2>/dev/null || true
	DATABASE_URL=$(BENCH_URL) $(PY) manage.py migrate --noinput
	DATABASE_URL=$(BENCH_URL) $(PY) manage.py generate_national --years 10 --seed 1 --if-empty

## bench: pages, export and deadline-day load against the national data (~12 min)
bench: bench-data
	DATABASE_URL=$(BENCH_URL) $(PY) bench/pages.py
	DATABASE_URL=$(BENCH_URL) $(PY) bench/export.py
	DATABASE_URL=$(BENCH_URL) $(PY) bench/autosave.py
	DATABASE_URL=$(BENCH_URL) $(PY) bench/load.py
