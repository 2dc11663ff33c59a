"""``casekit new``: a new manuscript project, made from a starter, that builds as it is.

A starter is data: a folder under ``casekit/data/starters/NAME/`` holding the files
it gives a project and a ``starter.yaml`` saying what it is. Files every starter
shares with the example (the journal profiles, the page design, the Word styles) are
not copied into each starter: ``starter.yaml`` names them under ``from_example`` and
they are copied from the example project, the casekit checkout, so there is one copy
of each. The ``example`` starter is nothing but such a list.
"""

from __future__ import annotations

import difflib
import shlex
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

import casekit
from casekit.core.errors import InputError, Location, OutputError
from casekit.core.yamlfile import load
from casekit.data import data_file

PROJECT_FILES = ("manuscript", "templates", "references.bib")
"""What makes a manuscript project, relative to its root."""

STARTERS = data_file("starters")
"""Where the starters are, one folder each."""
DEFAULT_STARTER = "blank"
"""The starter ``casekit new`` uses unless told otherwise."""
STARTER_FILE = "starter.yaml"
"""The file in a starter's folder that describes it (not copied)."""
MAKEFILE_COMMAND = "CASEKIT ?= casekit"
"""The line of ``project.mk`` that names the casekit command; a new project's Makefile
names the casekit that created it instead."""


@dataclass(frozen=True)
class StarterInfo:
    """What ``starter.yaml`` says about a starter."""

    description: str
    """One line: what the new project holds (``casekit new --list`` prints it)."""
    from_example: tuple[str, ...] = ()
    """Files and folders copied from the example project, relative to its root."""


@dataclass(frozen=True)
class Starter:
    """One starter: its name, its folder and its description."""

    name: str
    """The name ``--starter`` takes: the folder's name."""
    folder: Path
    """Its folder under :data:`STARTERS`."""
    info: StarterInfo
    """Its ``starter.yaml``."""


def starters() -> dict[str, Starter]:
    """Every starter casekit ships, by name, in name order."""
    found = {}
    for folder in sorted(STARTERS.iterdir()):
        if (folder / STARTER_FILE).is_file():
            info = load(folder / STARTER_FILE, StarterInfo).value
            found[folder.name] = Starter(folder.name, folder, info)
    return found


def starter(name: str) -> Starter:
    """The starter called ``name``; an unknown name is an error with a did-you-mean hint."""
    known = starters()
    if name not in known:
        close = difflib.get_close_matches(name, list(known), n=2)
        hint = f"did you mean {' or '.join(close)}? " if close else ""
        raise InputError(
            f"unknown starter {name!r}",
            Location(STARTERS),
            hint=hint + "`casekit new --list` lists the starters: " + ", ".join(known),
        )
    return known[name]


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


def running_casekit() -> str:
    """The command that runs this casekit, as a shell word: the ``casekit`` script next to
    the running Python (a venv's ``bin/``), else that Python with ``-m casekit``.

    The path is absolute and not resolved: a venv's ``python`` is a link to the system's,
    and resolving it would leave the venv, where casekit is installed.
    """
    python = Path(sys.executable).absolute()
    script = python.parent / "casekit"
    if script.is_file():
        return shlex.quote(str(script))
    return f"{shlex.quote(str(python))} -m casekit"


def project_makefile(casekit_command: str) -> str:
    """The new project's Makefile: ``project.mk`` with ``casekit_command`` as the default
    casekit (``make pdf CASEKIT=...`` still chooses another)."""
    text = data_file("project.mk").read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    at = [i for i, line in enumerate(lines) if line.rstrip("\n") == MAKEFILE_COMMAND]
    if len(at) != 1:  # a broken installation, not an author's mistake: say so plainly
        raise OutputError(
            f"project.mk has no line {MAKEFILE_COMMAND!r}", Location(data_file("project.mk"))
        )
    # Make reads `$` as its own: a path holding one must double it.
    lines[at[0]] = f"CASEKIT ?= {casekit_command.replace('$', '$$')}\n"
    return "".join(lines)


def new_project(
    target: Path, starter_name: str = DEFAULT_STARTER, casekit_command: str | None = None
) -> list[Path]:
    """Create ``target`` as a complete, buildable project from the starter ``starter_name``.

    Its Makefile runs ``casekit_command`` (by default, the casekit running now), so
    ``make pdf`` works there without casekit on ``PATH``.
    """
    chosen = starter(starter_name)
    if target.exists() and any(target.iterdir()):
        raise InputError(
            "directory is not empty",
            Location(target),
            hint="choose a new directory name; casekit never overwrites a project",
        )
    makefile = project_makefile(casekit_command or running_casekit())
    example = example_root() if chosen.info.from_example else None
    created: list[Path] = []
    try:
        target.mkdir(parents=True, exist_ok=True)
        for name in chosen.info.from_example:
            assert example is not None
            _copy(example / name, target / name)
            created.append(target / name)
        for src in sorted(chosen.folder.iterdir()):
            if src.name not in (STARTER_FILE, "__pycache__"):
                _copy(src, target / src.name)
                created.append(target / src.name)
        (target / "Makefile").write_text(makefile, encoding="utf-8")
        (target / ".gitignore").write_text("/build/\n", encoding="utf-8")
        created += [target / "Makefile", target / ".gitignore"]
    except OSError as exc:
        raise OutputError(f"cannot create the project: {exc}", Location(target)) from None
    return created


def _copy(src: Path, dst: Path) -> None:
    if src.is_dir():
        ignore = shutil.ignore_patterns("__pycache__")
        shutil.copytree(src, dst, ignore=ignore, dirs_exist_ok=True)
    else:
        dst.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src, dst)
