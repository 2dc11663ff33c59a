"""Small JSON caches under ``build/.cache``, each valid for one content hash only.

A record holds a format version and the SHA-256 it was computed for; anything else
(a missing file, a corrupt one, another version or hash) reads as "no cache", and
the caller recomputes. Writes are atomic, and a cache that cannot be written only
costs time.
"""

from __future__ import annotations

import contextlib
import json
from pathlib import Path
from typing import Any

from casekit.core.atomic import write_atomic
from casekit.core.errors import OutputError


def read(file: Path | None, version: int, digest: str) -> dict[str, Any] | None:
    """The record in ``file`` if it was written for ``version`` and ``digest``."""
    if file is None:
        return None
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or data["version"] != version or data["sha256"] != digest:
            return None
        return data
    except (OSError, ValueError, KeyError, TypeError):
        return None  # missing or corrupt: recompute and rewrite


def write(
    file: Path | None, version: int, digest: str, payload: dict[str, Any], replaces: str = ""
) -> None:
    """Write ``payload`` for ``digest``; with ``replaces`` (a glob), drop older records."""
    if file is None:
        return
    data = {"version": version, "sha256": digest, **payload}
    with contextlib.suppress(OSError, OutputError):
        write_atomic(file, json.dumps(data).encode("utf-8"))
        if replaces:
            for old in file.parent.glob(replaces):
                if digest not in old.name:
                    old.unlink(missing_ok=True)
