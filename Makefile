# Two commands do everything on a fresh machine with Python 3.11 and make:
#   make run    build the demo workspace and open Vaglio on it
#   make test   lint and the whole test suite, headless

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
DEMO   ?= .demo
export QT_QPA_PLATFORM ?= offscreen

.PHONY: run test lint bench demo i18n clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed-app: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed-app

# Opens a real window: QT_QPA_PLATFORM is left to the desktop here.
run: $(VENV)/.installed-app
	env -u QT_QPA_PLATFORM $(BIN)/vaglio demo --dir $(DEMO)

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

test: lint
	$(BIN)/python -m pytest -q

bench: $(VENV)/.installed-test
	$(BIN)/python -m tests.bench

i18n: $(VENV)/.installed-test
	$(BIN)/python -m app.i18n_build

clean:
	rm -rf $(VENV) $(DEMO) .pytest_cache .mypy_cache .ruff_cache
