# Ohjaamo: the README's two commands are `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test soak install install-test system-packages lint serve clean translations

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip setuptools wheel

install: $(BIN)/python
	$(BIN)/pip install --quiet -e .

# The W3C Nu HTML checker (npm's vnu-jar) checks every page in the suite, on the
# machine's Java.
VNU_VERSION := 26.9.27
VNU_JAR := $(VENV)/node/node_modules/vnu-jar/build/dist/vnu.jar

install-test: $(BIN)/python system-packages
	$(BIN)/pip install --quiet -e '.[test]'
	@test -f $(VNU_JAR) \
		|| npm install --no-save --no-audit --no-fund --prefix $(VENV)/node vnu-jar@$(VNU_VERSION)

# The test suite starts PostgreSQL from the machine's binaries, drives Debian's
# Chromium for the page tests, checks pages with the Nu HTML checker on Java (npm brings
# it), and puts Debian's nginx (with Redis as the shared rate-limit store) in front of the
# scale-out test.
system-packages:
	@command -v initdb >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 \
		|| (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql postgresql-contrib)
	@test -x /usr/bin/chromium \
		|| (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium)
	@test -x /usr/sbin/nginx \
		|| (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx)
	@test -x /usr/bin/redis-server \
		|| (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server)
	@command -v java >/dev/null 2>&1 \
		|| (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless)
	@command -v npm >/dev/null 2>&1 \
		|| (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm)

## run: set up, migrate SQLite, load the demo data and serve on http://$(HOST):$(PORT)
# One gunicorn process with threads: its rate limits (the `memory://` store) are the
# whole node's, with no Redis to start. Several processes need a shared store
# (docs/deploy.md); config/gunicorn.conf.py refuses them without one.
RUN_GUNICORN := --workers 1 --threads 4 --worker-class service.gunicorn_worker.ProblemThreadWorker
# Links in emails and the demo's printout point where `make run` serves.
run: export OHJAAMO_PUBLIC_BASE_URL ?= http://$(HOST):$(PORT)
# A development start: no mail server is needed, every email is kept in the development
# mailbox (instance/mailbox), listed at /dev/mailbox. A production start refuses both.
run: export OHJAAMO_DEBUG ?= true
run: export OHJAAMO_DEVELOPMENT_MAILBOX ?= $(CURDIR)/instance/mailbox
run: install
	$(BIN)/ohjaamo init
	$(BIN)/ohjaamo db upgrade
	$(BIN)/ohjaamo demo
	@echo "Serving on http://$(HOST):$(PORT) with the outbox worker beside it; Ctrl-C stops both."
	@echo "Emails are kept in the development mailbox: http://$(HOST):$(PORT)/dev/mailbox"
	@bash -c 'trap "kill \$$(jobs -p) 2>/dev/null; wait" EXIT; trap "exit 130" INT TERM; \
		$(BIN)/ohjaamo worker & \
		$(BIN)/gunicorn --bind $(HOST):$(PORT) $(RUN_GUNICORN) wsgi:app & \
		wait -n'

## translations: extract the strings, update the catalogs and compile them (the .mo files are committed)
translations:
	$(BIN)/pybabel extract -F babel.cfg -k _ -k gettext -k lazy_gettext -k _l --no-location -o service/translations/messages.pot .
	$(BIN)/pybabel update -i service/translations/messages.pot -d service/translations --no-fuzzy-matching
	$(BIN)/pybabel compile -d service/translations
	rm service/translations/messages.pot

## test: install what the tests need, lint, and run the whole suite on SQLite and PostgreSQL
# The suite runs in TEST_WORKERS processes (pytest-xdist), each with its own databases
# and servers; a worker that finishes early takes tests from the other's queue.
TEST_WORKERS ?= 2
test: install-test lint
	$(BIN)/pytest -n $(TEST_WORKERS) --dist worksteal

## soak: the long scale-out run (docs/deploy.md's installation on loopback under load and faults); prints its figures
soak: install-test
	$(BIN)/python -m tests.soak

lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .ruff_cache .mypy_cache
