# Two commands do all the set-up: `make run` starts the app, `make test` runs the tests.
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

.PHONY: run test lint bench system-deps clean

run: $(STAMP)
	$(PY) main.py

test: $(STAMP) system-deps
	$(PY) -m pytest

lint: $(STAMP)
	$(PY) -m ruff check . && $(PY) -m ruff format --check .

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test,dev]"
	touch $(STAMP)

# The virtual display and the GL/XCB libraries Qt needs (Debian/Ubuntu); does nothing when present.
system-deps:
	@bash scripts/system-deps.sh

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
