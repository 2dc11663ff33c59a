"""The tools a build ran, by version: what the manifest records and verify compares."""

from __future__ import annotations

import platform
from pathlib import Path

from casekit.typesetting.pandoc import pandoc_version
from casekit.typesetting.typst_pdf import typst_version


def tool_versions(cache: Path) -> dict[str, str]:
    """pandoc's, Typst's and Python's versions (pandoc's is cached under ``cache``)."""
    return {
        "pandoc": pandoc_version(cache),
        "typst": typst_version(),
        "python": platform.python_version(),
    }
