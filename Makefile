# Pariksha: `make run` serves the app with demo accounts; `make test` runs the whole suite.
# Both set everything up from a clean clone: the virtualenv, the pinned packages, the database.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
STAMP := $(VENV)/.installed-$(shell sha256sum requirements.lock | cut -c1-12)

.PHONY: install run test test-fast browser-deps clean lock

$(STAMP): requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --require-hashes --no-deps -r requirements.lock
	rm -f $(VENV)/.installed-* && touch $@

install: $(STAMP)

# The local embedded setup: SQLite, DEBUG on, demo accounts, reset emails printed here.
run: export DEBUG = 1
run: install
	$(PY) manage.py migrate --no-input
	$(PY) manage.py loaddata article_source article_bank article_quizzes
	$(PY) manage.py create_demo_accounts
	@echo "Serving on http://127.0.0.1:$(PORT)"
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

# Browser tests need Debian's Chromium; without it they are skipped with a message, unless
# REQUIRE_BROWSER=1 (CI), where they fail.
test: install
	$(PY) -m pytest -n 2 --dist loadgroup

browser-deps:
	@command -v chromium >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

# Re-pin after changing pyproject.toml (needs network to PyPI).
lock:
	$(PY) -m pip install --quiet uv
	$(VENV)/bin/uv pip compile pyproject.toml --extra test --generate-hashes --python-version 3.11 -o requirements.lock

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
