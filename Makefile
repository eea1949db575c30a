PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: run test setup clean

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $@

run: setup
	$(PY) -m pipeline extract --raw raw --out extracted

test: setup
	$(PY) -m pytest -q

clean:
	rm -rf $(VENV) .pytest_cache
