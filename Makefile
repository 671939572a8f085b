# Two things most people want: `make run` (install and start the app) and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
export PIP_DISABLE_PIP_VERSION_CHECK = 1

.PHONY: run test install install-test install-dist lint bench dist dist-linux clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

install: $(BIN)/python
	$(BIN)/pip install --quiet -e .

install-test: $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'

run: install
	$(BIN)/netjournal

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

test: lint
	QT_QPA_PLATFORM=offscreen $(BIN)/pytest

install-dist: $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test,dist]'

# The installed app: dist/netjournal/ (PyInstaller onedir); packaging/linux/ turns it into a .deb or tarball.
dist: install-dist
	$(BIN)/pyinstaller --noconfirm --clean --log-level WARN build.spec
	@du -sh dist/netjournal

dist-linux: dist
	packaging/linux/build_tarball.sh
	packaging/linux/build_deb.sh

bench: install-test
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m bench.run

clean:
	rm -rf build dist .pytest_cache .mypy_cache .ruff_cache
