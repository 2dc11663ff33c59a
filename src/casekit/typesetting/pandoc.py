"""Pandoc, behind one module: found once, run with a logged command line, warnings fatal.

Pandoc exits 0 when citeproc cannot find a key (it prints ``???`` and a
warning), so every warning on stderr is treated as an error here.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import subprocess
import sys
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any

from casekit.core.errors import CitationError, ToolError

_WARNING = re.compile(r"^\[WARNING\]\s*(.*)$", re.MULTILINE)
_MISSING_CITE = re.compile(r"Citeproc: citation (\S+) not found")
PANDOC_ENV = "CASEKIT_PANDOC"
"""Environment variable naming a pandoc binary to use instead of the bundled one."""


@cache
def pandoc_path() -> str:
    """The pandoc binary: ``$CASEKIT_PANDOC``, else the one bundled by pypandoc-binary."""
    override = os.environ.get(PANDOC_ENV)
    if override:
        return override
    # pypandoc-binary keeps the binary in pypandoc/files/. Finding it there spares
    # every build importing pypandoc, which pulls in urllib, ssl and email (15 ms).
    spec = importlib.util.find_spec("pypandoc")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        bundled = Path(folder) / "files" / "pandoc"
        if os.access(bundled, os.X_OK):
            return str(bundled)
    try:
        import pypandoc

        return str(pypandoc.get_pandoc_path())
    except (ImportError, OSError) as exc:
        raise ToolError(
            f"pandoc not found: {exc}",
            hint="run `make pdf` once to install casekit's dependencies (pypandoc-binary)",
        ) from None


@cache
def pandoc_version(cache_dir: Path | None = None) -> str:
    """Pandoc's version, e.g. ``3.9``; remembered in ``cache_dir`` per binary and its mtime."""
    binary = Path(pandoc_path())
    try:
        stat = binary.stat()
        stamp = f"{binary.resolve()}|{stat.st_size}|{stat.st_mtime_ns}"
    except OSError:
        stamp = None
    record = cache_dir / "pandoc-version.json" if cache_dir and stamp else None
    if record is not None:
        try:
            data = json.loads(record.read_text(encoding="utf-8"))
            if data.get("binary") == stamp:
                return str(data["version"])
        except (OSError, ValueError, KeyError, AttributeError):
            pass  # no or unreadable record: ask pandoc
    out = str(run(["--version"])).splitlines()
    version = out[0].split()[-1] if out else "unknown"
    if record is not None:
        try:
            record.parent.mkdir(parents=True, exist_ok=True)
            record.write_text(json.dumps({"binary": stamp, "version": version}), "utf-8")
        except OSError:
            pass  # only costs a subprocess next time
    return version


LARGE_INPUT = 256 * 1024
"""Markdown at least this large (about 100 pages) gets a larger old generation."""


def gc_options(input_bytes: int) -> list[str]:
    """GHC runtime options for pandoc reading ``input_bytes`` of Markdown.

    Reading a long manuscript, pandoc's heap grows in many small steps, each followed
    by a major collection; a 64 MB floor for the old generation skips most of them.
    Measured on a 200-page manuscript (556 KB) this cuts pandoc's time by a fifth with
    no more memory. On a short one it costs about 30 ms, so it applies to large input
    only, and only to the bundled pandoc: a pandoc named by $CASEKIT_PANDOC may have
    been linked without ``-rtsopts`` and would refuse them.
    """
    if input_bytes < LARGE_INPUT or os.environ.get(PANDOC_ENV):
        return []
    return ["+RTS", "-O64m", "-RTS"]


def run(
    args: Sequence[str],
    *,
    stdin: str | None = None,
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
    binary: bool = False,
) -> Any:
    """Run pandoc with ``args``; return stdout (bytes if ``binary``). Failure or warning raises."""
    import shlex

    command = [pandoc_path(), *args]
    # Only `casekit -v` configures logging, and it imports logging to do so; unimported,
    # nobody is listening, and importing it would cost every build its start-up time.
    if "logging" in sys.modules:
        sys.modules["logging"].getLogger(__name__).debug("running %s", shlex.join(command))
    try:
        proc = subprocess.run(
            command,
            input=stdin.encode("utf-8") if stdin is not None else None,
            capture_output=True,
            cwd=cwd,
            env={**os.environ, **(env or {})},
            check=False,
        )
    except OSError as exc:
        raise ToolError(
            f"cannot run pandoc ({command[0]}): {exc.strerror}",
            hint="run `make pdf` once to install casekit's dependencies",
        ) from None
    stderr = proc.stderr.decode("utf-8", "replace").strip()
    if proc.returncode != 0:
        raise ToolError(
            f"pandoc failed (exit {proc.returncode}): {_one_line(stderr)}",
            hint=f"command: {shlex.join(command)}",
        )
    warnings = _WARNING.findall(stderr)
    if warnings:
        missing = _MISSING_CITE.findall(stderr)
        if missing:
            raise CitationError(
                "pandoc could not find cited key(s): " + ", ".join(missing),
                hint="add them to references.bib",
            )
        raise ToolError(
            "pandoc warned: " + "; ".join(warnings),
            hint="casekit treats pandoc warnings as errors, since output would be wrong",
        )
    return proc.stdout if binary else proc.stdout.decode("utf-8")


def _one_line(text: str) -> str:
    # Pandoc 3.9 appends a Haskell call-stack dump to I/O errors; it helps no author.
    text = text.split("HasCallStack backtrace:", 1)[0]
    return " | ".join(line.strip() for line in text.splitlines() if line.strip()) or "(no output)"
