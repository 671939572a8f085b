# Two things most people want: `make run` (install and start the app) and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
export PIP_DISABLE_PIP_VERSION_CHECK = 1

.PHONY: run test test-desktop install install-test lint bench bench-soak dist dist-linux clean

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

# The offscreen suite, then the desktop tier (the real app under Xvfb + openbox + trayer, Qt's xcb
# platform). Without those tools the tier is skipped and says how to get them; in CI it must run.
DESKTOP_TIER = if [ "$$CI" = true ] || $(BIN)/python -m tests.desktop.harness --have-tools; then \
	echo "desktop tier (tests/desktop: Xvfb + openbox + trayer, the xcb platform)"; \
	env -u QT_QPA_PLATFORM $(BIN)/pytest -m desktop tests/desktop; fi

# The offscreen suite runs on every core (pytest-xdist); `--dist loadfile` keeps each test file on
# one worker (tests/test_frozen.py: one PyInstaller build; the fuzz tests' count in test_zz).
PYTEST_PARALLEL ?= -n auto --dist loadfile

test: lint
	QT_QPA_PLATFORM=offscreen $(BIN)/pytest $(PYTEST_PARALLEL)
	@$(DESKTOP_TIER)

test-desktop: install-test
	@$(DESKTOP_TIER)

# The installed app: dist/netjournal/ (PyInstaller onedir); packaging/linux/ turns it into a .deb or tarball.
dist: install-test
	$(BIN)/pyinstaller --noconfirm --clean --log-level WARN build.spec
	@du -sh dist/netjournal

dist-linux: dist
	packaging/linux/build_tarball.sh
	packaging/linux/build_deb.sh

bench: install-test
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m bench.run

# 1,000 mixed actions on a real desktop against the large journal (needs the desktop tier's tools).
bench-soak: install-test
	env -u QT_QPA_PLATFORM $(BIN)/python -m bench.soak_desktop

clean:
	rm -rf build dist .pytest_cache .mypy_cache .ruff_cache
