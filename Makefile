# Two things most people want: `make run` (install and start the app) and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
export PIP_DISABLE_PIP_VERSION_CHECK = 1

.PHONY: run test install install-test lint bench dist dist-linux clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

install: $(BIN)/python
	$(BIN)/pip install --quiet -e .

# The tests include the installed app (tests/test_frozen.py, on CI), so they need PyInstaller too.
install-test: $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test,dist]'

run: install
	$(BIN)/netjournal

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

test: lint
	QT_QPA_PLATFORM=offscreen $(BIN)/pytest

# The installed app: dist/netjournal/ (PyInstaller onedir); packaging/linux/ turns it into a .deb or tarball.
dist: install-test
	$(BIN)/pyinstaller --noconfirm --clean --log-level WARN build.spec
	@du -sh dist/netjournal

dist-linux: dist
	packaging/linux/build_tarball.sh
	packaging/linux/build_deb.sh

bench: install-test
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m bench.run

clean:
	rm -rf build dist .pytest_cache .mypy_cache .ruff_cache
