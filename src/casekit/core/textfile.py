"""Reading input text files: UTF-8 with a clear error that names the byte's line."""

from __future__ import annotations

import re
from pathlib import Path

from casekit.core.errors import CasekitError, InputError, Location

MAX_INPUT_BYTES = 20 * 1024 * 1024
"""Inputs larger than this are refused: a manuscript source is never this big."""


def read_text(path: Path, *, error: type[CasekitError] = InputError) -> str:
    """Read ``path`` as UTF-8 (a BOM is dropped, CRLF becomes LF)."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise error(
            "file not found", Location(path), hint="check the path, or run `casekit new DIR`"
        ) from None
    except IsADirectoryError:
        raise error("expected a file, found a directory", Location(path)) from None
    except OSError as exc:
        raise error(f"cannot read file: {exc.strerror}", Location(path)) from None
    if len(data) > MAX_INPUT_BYTES:
        raise error(
            f"file is {len(data):,} bytes, over the {MAX_INPUT_BYTES:,}-byte limit",
            Location(path),
            hint="is this the right file?",
        )
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise error(
            f"byte 0x{data[exc.start]:02x} is not valid UTF-8",
            Location(path, line, column),
            hint="save the file as UTF-8",
        ) from None
    return text.replace("\r\n", "\n")


def locate(path: Path, pattern: re.Pattern[str], field: str | None = None) -> Location:
    """Where ``pattern`` first matches in ``path``, line by line; the file alone if nowhere.

    Rendered text comes from templates and data, so a problem found in it is placed at
    the first line of the template that writes the offending text.
    """
    try:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            match = pattern.search(line)
            if match:
                return Location(path, number, match.start() + 1, field)
    except (OSError, UnicodeDecodeError):
        pass
    return Location(path, None, None, field)
