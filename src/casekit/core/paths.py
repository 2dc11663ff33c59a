"""How a path is shown to a user: relative to a base folder when it lies inside it.

Error lines, the check report (text and JSON), privacy waivers and the CLI's
"wrote ..." lines all show paths this one way.
"""

from __future__ import annotations

from pathlib import Path


def shown(path: Path, base: Path) -> str:
    """``path`` as a POSIX path relative to ``base`` when it is under it, else as given.

    Both are resolved first, so a relative path and a symlinked folder compare as the
    files they name.
    """
    try:
        return path.resolve().relative_to(base.resolve()).as_posix()
    except ValueError:
        return str(path)
