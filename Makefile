# casekit: `make pdf` builds the example manuscript, `make test` runs every test.
# On a fresh machine the first run creates .venv and installs the pinned,
# hash-checked dependencies; later runs reuse it.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
CASEKIT := $(BIN)/casekit
RUNTIME := $(VENV)/.installed-runtime
DEV := $(VENV)/.installed-dev
PIP := $(BIN)/python -m pip --disable-pip-version-check --quiet

# The build rules are those every casekit project gets (src/casekit/data/project.mk):
# one output per format, each rebuilt only when an input it read changes. Here they
# also depend on casekit's own code, and wait for .venv to be set up.
CASEKIT_SOURCES := $(shell find src/casekit -name '*.py' -o -name '*.lua' -o -name '*.mk' -o -name '*.html')
CASEKIT_SETUP := $(RUNTIME)
include src/casekit/data/project.mk

.PHONY: journal test lint fuzz bench privacy-eval privacy-libraries distclean

$(RUNTIME): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) install --require-hashes --no-deps -r requirements.lock
	$(PIP) install --no-deps --no-build-isolation -e .
	# Byte-compile casekit once: with PYTHONDONTWRITEBYTECODE set, every run would
	# otherwise recompile its modules from source.
	$(BIN)/python -m compileall -q src/casekit
	touch $@

$(DEV): requirements-dev.lock $(RUNTIME)
	$(PIP) install --require-hashes --no-deps -r requirements-dev.lock
	touch $@

# Every format a journal takes, into build/$(JOURNAL)/: make journal JOURNAL=blood-advances
journal: | $(RUNTIME)
	@test -n "$(JOURNAL)" || { echo "usage: make journal JOURNAL=NAME (see: $(CASEKIT) journals)"; exit 2; }
	$(CASEKIT) build --journal $(JOURNAL)
	$(CASEKIT) check --journal $(JOURNAL)

test: lint | $(DEV)
	$(BIN)/python -m pytest -q

lint: | $(DEV)
	$(BIN)/ruff check src tests scripts
	$(BIN)/ruff format --check src tests scripts
	$(BIN)/mypy

# A longer fuzz of the YAML, BibTeX and template loaders; prints how many cases ran.
fuzz: | $(DEV)
	CASEKIT_FUZZ_EXAMPLES=5000 $(BIN)/python -m pytest -q -s tests/test_fuzz.py

bench: | $(DEV)
	$(BIN)/python -m compileall -q src/casekit
	$(BIN)/python scripts/bench.py

# The de-identification gate on real case reports (../shared/privacy-real): recall on planted
# identifiers and false alarms per 1,000 words. A measurement, so it exits 0 (and says so when
# ../shared is absent). ARGS=--verbose lists every miss and false alarm; ARGS=--gate exits 1
# when a target of the issue is missed.
privacy-eval: | $(DEV)
	$(BIN)/python scripts/privacy_eval.py $(ARGS)

# Each library of the gate against the patterns it replaces (slow: a few minutes); the
# rejected candidates (datefinder, dateparser, pyap) are measured where installed.
privacy-libraries: | $(DEV)
	$(BIN)/python scripts/privacy_libraries.py

distclean: clean
	rm -rf $(VENV)
