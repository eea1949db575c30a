PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: run test lint setup clean demo-scrape bench refresh mutants fuzz

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $@

run: setup
	$(PY) -m pipeline extract --raw raw --out extracted
	$(PY) -m pipeline report --out extracted

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

# Mutation testing (mutmut) over normalize, rows, merge, validate and the text parsers; see pyproject [tool.mutmut].
mutants: setup
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test,mutation]'
	$(VENV)/bin/mutmut run || true
	$(VENV)/bin/mutmut results

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis .cache bench/corpus mutants

# A yearly refresh: make refresh YEAR=2025-2026 [LISTING=URL] [CONTACT=you@dpi.nc.gov]
# scrape the year, extract everything, and write the year-over-year diff to $(REPORTS)/.
RAW ?= raw
OUT ?= extracted
REPORTS ?= reports
refresh: setup
	@test -n "$(YEAR)" || { echo "usage: make refresh YEAR=2025-2026 [LISTING=URL] [CONTACT=EMAIL]"; exit 2; }
	$(PY) -m pipeline scrape --year $(YEAR) --raw $(RAW) $(if $(BASE_URL),--base-url $(BASE_URL)) \
	    $(if $(LISTING),--listing-url $(LISTING)) $(if $(CONTACT),--contact $(CONTACT)) $(if $(RATE),--rate $(RATE)) \
	    || test $$? -eq 1
	$(PY) -m pipeline extract --raw $(RAW) --out $(OUT)
	$(PY) -m pipeline report --out $(OUT)
	@year=$(YEAR); first=$${year%%-*}; previous=$$((first - 1))-$$first; mkdir -p $(REPORTS); \
	$(PY) -m pipeline diff $(OUT) --years $$previous $$year > $(REPORTS)/diff-$$previous-$$year.md && \
	echo "year-over-year report: $(REPORTS)/diff-$$previous-$$year.md (pages that failed are listed above)"
