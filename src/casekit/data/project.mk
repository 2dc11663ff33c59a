# Makefile of a casekit manuscript project (written by `casekit new`).
# `make pdf` builds build/manuscript.pdf; `make all` builds every format.
# CASEKIT names the casekit command; override it if casekit is not on PATH,
# e.g. `make pdf CASEKIT=/path/to/casekit/.venv/bin/casekit`.
CASEKIT ?= casekit
INPUTS := $(wildcard manuscript/*.yaml) references.bib $(shell find templates -type f 2>/dev/null)

.PHONY: pdf docx html txt md all check clean
pdf: build/manuscript.pdf
docx: build/manuscript.docx
html: build/manuscript.html
txt: build/manuscript.txt
md: build/manuscript.md
all: pdf docx html txt md

build/manuscript.%: $(INPUTS)
	$(CASEKIT) build $*

check:
	$(CASEKIT) check --built --strict

clean:
	rm -rf build
