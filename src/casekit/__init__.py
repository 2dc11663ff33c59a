"""casekit: build medical case reports from structured data, a BibTeX store and templates."""

__version__ = "0.1.0"
