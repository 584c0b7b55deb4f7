# Two commands for a fresh machine:
#   make run    installs everything into .venv and starts the app on the bundled lessons
#   make test   installs everything (with test dependencies) and runs the whole test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint bench system-deps bench-deps clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

# Optional Debian packages: the Ding dictionary (trans-de-en) and espeak-ng/lame for Anki audio.
# Installed when apt-get is available and we are root; the app works without them.
system-deps:
	@if command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
	  if [ ! -f /usr/share/trans/de-en ] || ! command -v espeak-ng >/dev/null || ! command -v lame >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq trans-de-en espeak-ng lame >/dev/null; \
	  fi; \
	else echo "note: apt-get not available (or not root): skipping trans-de-en, espeak-ng, lame"; fi

run: system-deps $(STAMP)
	$(BIN)/lesestoff

test: system-deps $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -q

# The benchmark's book-sized text comes from Debian's fortunes-de when it is installed.
bench-deps:
	@if command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
	  if [ ! -d /usr/share/games/fortunes/de ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fortunes-de >/dev/null; \
	  fi; \
	else echo "note: apt-get not available (or not root): the benchmark generates its book text"; fi

# Byte-compiled first, as pip does for an installed package (an editable install with PYTHONDONTWRITEBYTECODE
# set would otherwise compile every module at every start, and the baselines' libraries are compiled).
bench: system-deps bench-deps $(STAMP)
	$(BIN)/python -m compileall -q lessons tui bench
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) build dist .pytest_cache .ruff_cache
