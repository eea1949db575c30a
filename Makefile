PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: run test setup clean demo-scrape bench

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $@

run: setup
	$(PY) -m pipeline extract --raw raw --out extracted

test: setup
	$(PY) -m pytest -q

bench: setup
	$(PY) -m bench.run

demo-scrape: setup
	$(PY) -m tools.demo_scrape --year 2024-2025 --rate 5

clean:
	rm -rf $(VENV) .pytest_cache .cache
