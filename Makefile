# Two commands do everything on a fresh machine with Python 3.11 and make:
#   make run    build the demo workspace and open Vaglio on it
#   make test   lint and the whole test suite, headless
# and, for the Linux installer (docs/install.md):
#   make package       the bundle in dist/vaglio/ and dist/vaglio-<version>-linux-<arch>.tar.gz
#   make package-test  the smoke test of that tarball

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
DEMO   ?= .demo
export QT_QPA_PLATFORM ?= offscreen

.PHONY: run test test-tz lint bench bench-scale demo i18n clean package package-test

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

# Every step of a call's life at SCALE proposals x 8 criteria x 15 members,
# a ~200 KB PDF each (docs/performance.md, "Scale"); CI runs SCALE=50.
# SCALE_ARGS="--pdf-kb 20 --until publish" changes the PDFs or stops early.
SCALE ?= 10000
bench-scale: $(VENV)/.installed-test
	$(BIN)/python -m tests.bench.scale --proposals $(SCALE) $(SCALE_ARGS)

i18n: $(VENV)/.installed-test
	$(BIN)/python -m tools.i18n_build

$(VENV)/.installed-package: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[package]'
	touch $@ $(VENV)/.installed-app

# PyInstaller's one-folder bundle (installers/vaglio.spec), then the tarball
# with the desktop entry and the icon. Outputs in build/ and dist/ only.
package: $(VENV)/.installed-package
	$(BIN)/python installers/make_icons.py build/icons
	$(BIN)/pyinstaller --noconfirm --log-level WARN \
		--distpath dist --workpath build/pyinstaller installers/vaglio.spec
	$(BIN)/python installers/linux/make_tarball.py dist

package-test:
	$(BIN)/python installers/smoke_test.py dist

clean:
	rm -rf $(VENV) $(DEMO) .pytest_cache .mypy_cache .ruff_cache build dist

# The suite under the two farthest time zones, UTC+14 and UTC-11. Its own
# clock stands at 23:30 UTC (already tomorrow in Rome) whatever the hour, and
# nothing but app/clock.py reads the machine's time (tests/domain/test_clock.py):
# together, no test depends on the machine's hour or zone (docs/architecture.md).
TZ_ZONES := Pacific/Kiritimati Pacific/Pago_Pago
test-tz: $(VENV)/.installed-test
	@for zone in $(TZ_ZONES); do \
	  echo "== TZ=$$zone"; \
	  TZ=$$zone $(BIN)/python -m pytest -q -p no:cacheprovider || exit 1; \
	done
