"""``casekit new``: copy the example manuscript project into a new directory."""

from __future__ import annotations

import shutil
from pathlib import Path

import casekit
from casekit.core.errors import InputError, Location, OutputError
from casekit.data import data_file

PROJECT_FILES = ("manuscript", "templates", "references.bib")
"""What makes a manuscript project, relative to its root."""


def example_root() -> Path:
    """The example project: the casekit checkout this package was installed from."""
    root = Path(casekit.__file__).resolve().parents[2]
    if not (root / "manuscript" / "manuscript.yaml").is_file():
        raise InputError(
            "the example project is not available in this installation",
            Location(root),
            hint="casekit new copies the example from a casekit checkout; install casekit "
            "from its repository (make pdf does this)",
        )
    return root


def new_project(target: Path) -> list[Path]:
    """Create ``target`` holding a complete, buildable copy of the example project."""
    if target.exists() and any(target.iterdir()):
        raise InputError(
            "directory is not empty",
            Location(target),
            hint="choose a new directory name; casekit never overwrites a project",
        )
    source = example_root()
    created: list[Path] = []
    try:
        target.mkdir(parents=True, exist_ok=True)
        for name in PROJECT_FILES:
            src = source / name
            if src.is_dir():
                shutil.copytree(src, target / name, ignore=shutil.ignore_patterns("__pycache__"))
            else:
                shutil.copy2(src, target / name)
            created.append(target / name)
        (target / "Makefile").write_bytes(data_file("project.mk").read_bytes())
        (target / ".gitignore").write_text("/build/\n", encoding="utf-8")
        created += [target / "Makefile", target / ".gitignore"]
    except OSError as exc:
        raise OutputError(f"cannot create the project: {exc}", Location(target)) from None
    return created
