"""casekit: build medical case reports from structured data, a BibTeX store and templates."""

from importlib import metadata

try:
    __version__ = metadata.version("casekit")
except metadata.PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0+unknown"
