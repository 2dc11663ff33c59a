"""Files casekit ships with itself: Lua filters, the response letter's Typst template, and
the Makefile for new projects."""

from pathlib import Path

DATA_DIR = Path(__file__).parent


def data_file(name: str) -> Path:
    """Path of a shipped data file (importlib.resources would cost import time per build)."""
    return DATA_DIR / name
