# Pariksha: `make run` serves the app with demo accounts; `make test` runs the whole suite.
# Both set everything up from a clean clone: the virtualenv, the pinned packages, the database.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
STAMP := $(VENV)/.installed-$(shell sha256sum requirements.lock | cut -c1-12)

.PHONY: install axe messages compilemessages gettext run test test-fast test-postgres postgres-db migrate serve bench bench-reports browser-deps clean lock

$(STAMP): requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --require-hashes --no-deps -r requirements.lock
	rm -f $(VENV)/.installed-* && touch $@

# The Hindi catalogue is compiled with every install, so `make run`, `make test` and the
# production targets, which all depend on install, read a .mo made from the current .po.
install: $(STAMP) compilemessages

# The interface in Hindi: locale/*/LC_MESSAGES/*.po live in git; their compiled .mo files do not,
# and are made here (again whenever a .po changes). msgfmt comes with Debian's gettext, installed
# when missing as browser-deps installs Chromium.
PO := $(wildcard locale/*/LC_MESSAGES/*.po)
MO := $(PO:.po=.mo)
gettext:
	@command -v msgfmt >/dev/null || \
	  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext; }

%.mo: %.po
	@$(MAKE) --no-print-directory gettext
	msgfmt --check --output-file=$@ $<

compilemessages: $(MO)

# After adding or changing interface words: gather them into locale/hi/LC_MESSAGES/django.po,
# keeping every translation already there (new ones are empty, changed ones marked fuzzy),
# then translate the new entries and commit the .po. Needs gettext's xgettext and msgmerge.
messages: $(STAMP) gettext
	DEBUG=1 $(PY) manage.py makemessages --locale hi --ignore '.venv/*' --ignore 'node_modules/*' --ignore 'staticfiles/*' --ignore 'var/*'

# axe-core for the accessibility tests (tests/browser/test_accessibility.py), pinned in
# package-lock.json, from the npm registry into node_modules/ (ignored by git); fetched again
# only when missing or when the lock changes.
AXE := node_modules/axe-core/axe.min.js
$(AXE): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

axe: $(AXE)

# The local embedded setup: SQLite, DEBUG on, demo accounts, reset emails printed here.
run: export DEBUG = 1
run: install
	$(PY) manage.py migrate --no-input
	$(PY) manage.py load_article_bank
	$(PY) manage.py create_demo_accounts
	@echo "Serving on http://127.0.0.1:$(PORT)"
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

# Browser tests need Debian's Chromium; without it they are skipped with a message, unless
# REQUIRE_BROWSER=1 (CI), where they fail.
test: install axe compilemessages
	$(PY) -m pytest -n 2 --dist loadgroup

# The whole suite again on PostgreSQL, with the cache and sessions in Redis (db 15), as
# production runs; the two-server test must run here, not skip. Tests create test_pariksha.
PG_ADMIN_URL ?= postgres://postgres@127.0.0.1:5432/postgres
PG_URL ?= postgres://postgres@127.0.0.1:5432/pariksha
TEST_REDIS_URL ?= redis://127.0.0.1:6379/15
test-postgres: install axe compilemessages postgres-db
	DATABASE_URL=$(PG_URL) REDIS_URL=$(TEST_REDIS_URL) REQUIRE_TWO_SERVERS=1 $(PY) -m pytest -n 2 --dist loadgroup

# The database named in PG_URL, created when missing (as the server's postgres role).
postgres-db:
	@db=$(lastword $(subst /, ,$(PG_URL))); \
	psql "$(PG_ADMIN_URL)" -v ON_ERROR_STOP=1 -tAc "SELECT 1 FROM pg_database WHERE datname = '$$db'" | grep -q 1 \
	  || psql "$(PG_ADMIN_URL)" -v ON_ERROR_STOP=1 -qc "CREATE DATABASE \"$$db\""

# Production-style serving: settings from the environment or a .env file (see .env.example),
# static files collected for whitenoise, gunicorn without its control socket. Migrations are a
# release step of their own (`make migrate`, once), not something each server races to do.
# BIND (default 127.0.0.1:$(PORT)) and WORKERS (default 2, one per core) may come from .env.
LOAD_ENV := set -a; [ ! -f .env ] || . ./.env; set +a
migrate: install
	$(LOAD_ENV); $(PY) manage.py migrate --no-input

serve: install
	$(LOAD_ENV); $(PY) manage.py collectstatic --no-input -v0 && \
	  exec $(VENV)/bin/gunicorn config.wsgi --bind "$${BIND:-127.0.0.1:$(PORT)}" --workers "$${WORKERS:-2}" \
	    --no-control-socket --access-logfile -

# Load benchmark (bench/): 50 learners against gunicorn with 2 workers on 127.0.0.1, on a
# fresh SQLite file, then on a fresh PostgreSQL database with Redis. See docs/benchmarks.md.
bench: install postgres-db
	$(PY) -m bench.run --db sqlite
	$(PY) -m bench.run --db postgres --redis

# Pages on seeded volumes, no server, on SQLite then PostgreSQL: the teachers' three report pages
# for a class of 1,000 learners on a 100-question quiz and the peak memory of CSV exports of
# 200,000 responses (bench/reports.py, at most 15 minutes per database); a learner's quiz list
# and "My attempts" among 200,000 responses (bench/learner_pages.py).
bench-reports: install postgres-db
	$(PY) -m bench.reports --db sqlite --timeout 900
	$(PY) -m bench.reports --db postgres --timeout 900
	$(PY) -m bench.learner_pages --db sqlite
	$(PY) -m bench.learner_pages --db postgres
	$(PY) -m bench.leaderboard --db sqlite
	$(PY) -m bench.leaderboard --db postgres

# Chromium, and a Devanagari font so that Hindi renders in browser tests and screenshots
# rather than as empty boxes (the test machines have none; the CSS names Lohit Devanagari).
browser-deps:
	@command -v chromium >/dev/null && fc-list 2>/dev/null | grep -qi "Lohit Devanagari" || \
	  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-lohit-deva; }

# Re-pin after changing pyproject.toml (needs network to PyPI).
lock:
	$(PY) -m pip install --quiet uv
	$(VENV)/bin/uv pip compile pyproject.toml --extra test --generate-hashes --python-version 3.11 -o requirements.lock

clean:
	rm -rf $(VENV) node_modules db.sqlite3 staticfiles var
