PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: run regen test lint setup clean demo-scrape bench refresh mutants mutants-semantic fuzz

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $@

run: setup
	$(PY) -m pipeline extract --raw raw --out extracted
	$(PY) -m pipeline report --out extracted

# After a change to the field map or schemas/: everything generated from them, in one command (README's
# data dictionary and exit-code table, then extracted/ as `make run` writes it); commit what it changed.
regen: run
	$(PY) -m tools.regen README.md

test: setup lint
	$(PY) -m pytest -q

# ruff (lint and format) over the code, zizmor over the CI workflow
lint: setup
	$(VENV)/bin/ruff check pipeline schemas tools tests bench
	$(VENV)/bin/ruff format --check pipeline schemas tools tests bench
	$(VENV)/bin/zizmor --offline --no-progress --quiet .github/workflows/

bench: setup
	$(PY) -m bench.run

# The rendering fuzzer (tests/renderings): FUZZ_COUNT distinct renderings, pass rate per renderer family,
# written to tests/renderings/last_run.md and .json. Exits 1 while any rendering fails.
FUZZ_COUNT ?= 2000
FUZZ_JOBS ?= 2
fuzz: setup
	$(PY) -m tests.renderings.fuzz --count $(FUZZ_COUNT) --jobs $(FUZZ_JOBS)

demo-scrape: setup
	$(PY) -m tools.demo_scrape --year 2024-2025 --rate 5

# Mutation testing (mutmut), one module at a time against the tests that reach it (tests/mutmut_tests.json), in a
# copy under .cache/mutants: `make mutants MODULE=pipeline/stamp.py` runs one (minutes), `make mutants` runs every
# module in turn (hours); each run is recorded in tests/mutmut_runs.json and the per-module table printed.
MODULE ?=
mutants: setup
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test,mutation]'
	for module in $(or $(MODULE),$$($(PY) -c 'from tests.mutmut_scores import modules; print(*modules())')); do \
	    $(PY) -m tools.mutants_module run --fresh "$$module" || exit 1; done
	$(PY) -m tests.mutmut_scores

# Semantic mutants: the slip that breaks each rule a module enforces, planted one at a time in a copy of the repo
# (tests/semantic_mutants.py); exits 1 when one survives or its snippet no longer matches.
mutants-semantic: setup
	$(PY) -m tests.semantic_mutants

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis .cache bench/corpus mutants

# A yearly refresh: make refresh YEAR=2025-2026 [LISTING=URL] [CONTACT=you@dpi.nc.gov] [BASE_URL=URL] [RATE=N]
# `python -m pipeline refresh` keeps the previous outputs, scrapes the year, extracts everything and writes
# $(REPORTS)/refresh-<year>-<date>.md and .json; it exits 1 when a page failed or the year is incomplete.
# The values reach the command as environment variables, each in double quotes: a value is never run.
RAW ?= raw
OUT ?= extracted
REPORTS ?= reports
export YEAR LISTING CONTACT BASE_URL RATE RAW OUT REPORTS
refresh: setup
	@test -n "$$YEAR" || { echo "usage: make refresh YEAR=2025-2026 [LISTING=URL] [CONTACT=EMAIL] [BASE_URL=URL] [RATE=N]" >&2; exit 3; }
	$(PY) -m pipeline refresh --year "$$YEAR" --raw "$$RAW" --out "$$OUT" --reports "$$REPORTS" \
	    $${BASE_URL:+--base-url "$$BASE_URL"} $${LISTING:+--listing-url "$$LISTING"} \
	    $${CONTACT:+--contact "$$CONTACT"} $${RATE:+--rate "$$RATE"}
