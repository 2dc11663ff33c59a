# Makefile of a casekit manuscript project (written by `casekit new`).
# `make pdf` builds build/manuscript.pdf; `make all` builds every format.
# CASEKIT names the casekit command. `casekit new` writes the path of the casekit
# that created the project here, so `make pdf` needs no casekit on PATH; another is
# chosen with `make pdf CASEKIT=/path/to/casekit/.venv/bin/casekit`.
CASEKIT ?= casekit
FORMATS := pdf docx html txt md
# Files every output also depends on, and what must be made before any build (both
# empty here; casekit's own repository sets them to its code and its .venv).
CASEKIT_SOURCES ?=
CASEKIT_SETUP ?=

.PHONY: FORCE pdf docx html txt md all check clean
pdf: build/manuscript.pdf
docx: build/manuscript.docx
html: build/manuscript.html
txt: build/manuscript.txt
md: build/manuscript.md
# One casekit run makes every format that is out of date: they share the render and
# are made at once. `make -q` asks each output's rule whether it is current.
all: | $(CASEKIT_SETUP)
	@stale=""; for f in $(FORMATS); do \
	  $(MAKE) --no-print-directory -q build/manuscript.$$f || stale="$$stale $$f"; \
	done; \
	if [ -n "$$stale" ]; then echo "$(CASEKIT) build$$stale"; $(CASEKIT) build$$stale; \
	else echo "every format is up to date"; fi

# Each build writes build/.manuscript.EXT.d, a rule naming the inputs that output
# read: editing the Typst template rebuilds the PDF only, editing reference.docx the
# DOCX only. A missing rule file (before the first build, or deleted) counts as
# changed, so the output is built.
-include $(wildcard build/.manuscript.*.d)

.SECONDEXPANSION:
build/manuscript.%: $$(if $$(wildcard build/.manuscript.$$*.d),,FORCE) $(CASEKIT_SOURCES) | $(CASEKIT_SETUP)
	$(CASEKIT) build $*

FORCE:

# Citation consistency: builds PDF and DOCX where not current, reads them back,
# checks everything.
check: | $(CASEKIT_SETUP)
	$(CASEKIT) check --built --strict

clean:
	rm -rf build
