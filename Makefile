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

# casekit's own code: changing it rebuilds every output (each output's inputs come
# from the rule the build writes beside it, see below).
SOURCES := $(shell find src/casekit -name '*.py' -o -name '*.lua' -o -name '*.mk')
FORMATS := pdf docx html txt md

.PHONY: FORCE pdf docx html txt md all journal check test lint fuzz bench clean distclean
pdf: build/manuscript.pdf
docx: build/manuscript.docx
html: build/manuscript.html
txt: build/manuscript.txt
md: build/manuscript.md
# One casekit run makes every format that is out of date: they share the render and
# are made at once. `make -q` asks each output's rule whether it is current.
all: | $(RUNTIME)
	@stale=""; for f in $(FORMATS); do \
	  $(MAKE) --no-print-directory -q build/manuscript.$$f || stale="$$stale $$f"; \
	done; \
	if [ -n "$$stale" ]; then echo "$(CASEKIT) build$$stale"; $(CASEKIT) build$$stale; \
	else echo "every format is up to date"; fi

# Each build writes build/.manuscript.EXT.d, a rule naming the inputs that output
# read: editing the Typst template rebuilds the PDF only, editing reference.docx the
# DOCX only, and a journal profile neither. A missing rule file (before the first
# build, or deleted) counts as changed, so the output is built.
-include $(wildcard build/.manuscript.*.d)

.SECONDEXPANSION:
build/manuscript.%: $$(if $$(wildcard build/.manuscript.$$*.d),,FORCE) $(SOURCES) | $(RUNTIME)
	$(CASEKIT) build $*

FORCE:

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

# Citation consistency: builds PDF and DOCX, reads them back, checks everything.
check: | $(RUNTIME)
	$(CASEKIT) check --built --strict

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

clean:
	rm -rf build

distclean: clean
	rm -rf $(VENV)
