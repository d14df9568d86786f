# Resource Center LMS — the two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
export FLASK_APP := lms
# Without LMS_CONFIG the app runs production (lms/wsgi.py, gunicorn): here, on a developer's
# machine, development unless the caller exported another.
export LMS_CONFIG ?= development

.PHONY: run test test-fast lint screenshots test-sqlite test-postgres install translations extract-messages update-messages demo clean bench load

$(BIN)/activate: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(BIN)/activate

install: $(BIN)/activate

translations: install
	$(BIN)/pybabel compile -d lms/translations -f --statistics 2>&1 | grep -v '^$$' || true
	@test -f lms/translations/uk/LC_MESSAGES/messages.mo

extract-messages: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k lazy_ngettext:1,2 -k lazy_pgettext:1c,2 --no-location --sort-output --ignore-dirs=".* .venv" \
		--project="Resource Center LMS" -o lms/translations/messages.pot .

update-messages: extract-messages
	$(BIN)/pybabel update -i lms/translations/messages.pot -d lms/translations --no-fuzzy-matching

run: translations
	mkdir -p instance  # the SQLite database lives here; the app factory does no I/O
	$(BIN)/flask lms secret-key  # a random development key in instance/, written once
	$(BIN)/flask db upgrade
	$(BIN)/flask lms demo
	$(BIN)/flask run --host 127.0.0.1 --port 5000

# ruff: unused or undefined names and import order; lint-imports: the layers (.importlinter).
lint: install
	$(BIN)/ruff check .
	$(BIN)/lint-imports --no-cache

test: translations lint
	$(BIN)/pytest -q
	@if [ -n "$$TEST_DATABASE_URL" ]; then echo "(ran on $$TEST_DATABASE_URL)"; fi

# The quick loop while writing code: everything but the tests marked slow (fuzzers, hypothesis
# and schemathesis runs, statement bounds on medium data, the browser). `make test` runs all.
test-fast: translations lint
	$(BIN)/pytest -q -m "not slow"

test-postgres: translations
	TEST_DATABASE_URL=$${TEST_DATABASE_URL:-postgresql+psycopg://postgres@127.0.0.1:5432/test} $(BIN)/pytest -q

# SPEC §7 speed: the large data set on PostgreSQL (built once, ~2 minutes), every page of the
# tour timed through the full WSGI stack, and the 40 × 40 gradebook save (its own database).
BENCH_DATABASE_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/bench_large
BENCH_SAVE_DATABASE_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/bench_save

bench: translations
	$(BIN)/python benchmarks/ensure_database.py $(BENCH_DATABASE_URL)
	$(BIN)/python benchmarks/ensure_database.py $(BENCH_SAVE_DATABASE_URL)
	DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/flask db upgrade
	DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/flask lms demo --size large
	DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/python benchmarks/pages.py --out benchmarks/output/benchmarks.md
	DATABASE_URL=$(BENCH_SAVE_DATABASE_URL) $(BIN)/python benchmarks/gradebook_save.py | tee -a benchmarks/output/benchmarks.md

# Mixed traffic for LOAD_SECONDS against gunicorn (4 workers) on PostgreSQL; the database gets the
# migrations and the demo data. Prints throughput, p50/p95/p99 per kind and the error count.
LOAD_DATABASE_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/lms_load
LOAD_SECONDS ?= 60
load: translations
	$(BIN)/python benchmarks/ensure_database.py $(LOAD_DATABASE_URL)
	DATABASE_URL=$(LOAD_DATABASE_URL) $(BIN)/python benchmarks/load.py --duration $(LOAD_SECONDS) --workers 4

clean:
	rm -rf $(VENV) .pytest_cache
	find . -name __pycache__ -prune -exec rm -rf {} +

# Each role's main pages at 375 and 1366 px in Debian's Chromium (demo data in a temporary
# SQLite database), written to docs/screenshots/ for the README.
screenshots: translations
	$(BIN)/python tools/screenshots.py --out docs/screenshots
