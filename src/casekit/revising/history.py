"""The project's git history: which commit ``--since`` names, the project as it was there,
and who changed it since, and when.

git is run as a program, read-only: nothing here writes to the repository. The project
may be a folder inside a larger repository (``-C examples/dress``); its files at the
revision are exported with ``git archive`` into a folder of the caller's choosing.
"""

from __future__ import annotations

import io
import os
import subprocess
import tarfile
import time
from dataclasses import dataclass
from pathlib import Path

from casekit.core.errors import CasekitError, ToolError


class RevisionError(CasekitError):
    """``--since`` names no revision of the project, or the project is not in git."""

    kind = "revision error"


@dataclass(frozen=True)
class Revision:
    """A commit of the repository the project is in, as ``--since`` named it."""

    name: str
    """What the author wrote: ``HEAD~2``, a tag, a commit."""
    commit: str
    """The full commit hash it names."""
    top: Path
    """The repository's top folder."""
    prefix: str
    """The project's folder inside the repository (``""`` at the top, else ``a/b/``)."""

    @property
    def short(self) -> str:
        """The commit as ``git log --oneline`` shows it."""
        return self.commit[:7]

    @property
    def label(self) -> str:
        """``HEAD~1 (3f2a9c1)``, or the short commit alone when that is what was given."""
        return self.short if self.commit.startswith(self.name) else f"{self.name} ({self.short})"


@dataclass(frozen=True)
class Changes:
    """Who changed the project since the revision, and when: what every tracked change
    carries."""

    author: str
    """The author, or several joined with commas, newest first."""
    date: str
    """ISO 8601 in UTC, as Word reads it: ``2024-02-03T04:05:06Z``."""


def find_revision(root: Path, name: str) -> Revision:
    """The commit ``name`` names in the repository holding ``root``.

    Raises :class:`RevisionError` when ``root`` is in no git repository, or ``name`` is
    no commit of it."""
    top = _git(root, "rev-parse", "--show-toplevel")
    if top.returncode != 0:
        raise RevisionError(
            f"{root} is not in a git repository, so there is no revision to compare with",
            hint="commit the manuscript with git (git init; git add -A; git commit), edit it, "
            "then run casekit revise --since with that commit",
        )
    if not name or name.startswith("-"):
        raise _not_a_revision(name, top.stdout.strip())
    commit = _git(root, "rev-parse", "--verify", "--quiet", f"{name}^{{commit}}")
    if commit.returncode != 0:
        raise _not_a_revision(name, top.stdout.strip())
    prefix = _git(root, "rev-parse", "--show-prefix").stdout.strip()
    return Revision(name, commit.stdout.strip(), Path(top.stdout.strip()), prefix)


def _not_a_revision(name: str, top: str) -> RevisionError:
    return RevisionError(
        f"--since {name!r}: not a git revision of {top}",
        hint="give a commit, a tag or a branch, e.g. --since HEAD~1; `git log --oneline` "
        "lists the commits",
    )


def export_project(revision: Revision, target: Path) -> Path:
    """Write the project's files as they were at ``revision`` into ``target``; return it.

    Raises :class:`RevisionError` when the project was not there at that revision."""
    tree = f"{revision.commit}:{revision.prefix.rstrip('/')}"
    archive = _git(revision.top, "archive", "--format=tar", tree)
    if archive.returncode != 0:
        raise _no_project(revision)
    target.mkdir(parents=True, exist_ok=True)
    with tarfile.open(fileobj=io.BytesIO(archive.stdout_bytes), mode="r:") as tar:
        # The "data" filter refuses absolute paths, links out of target and devices.
        tar.extractall(target, filter="data")
    if not (target / "manuscript" / "manuscript.yaml").is_file():
        raise _no_project(revision)
    return target


def _no_project(revision: Revision) -> RevisionError:
    folder = revision.prefix or "the repository's top folder"
    return RevisionError(
        f"--since {revision.name!r}: {folder} held no manuscript/manuscript.yaml at "
        f"{revision.short}",
        hint="choose a revision at which the project already existed "
        "(`git log --oneline -- manuscript/manuscript.yaml` lists them)",
    )


def changes_since(revision: Revision, root: Path, author: str | None = None) -> Changes:
    """The author and date of the changes to the project at ``root`` since ``revision``.

    The authors of the commits since then that touch the project, newest first, plus the
    git user when the working tree holds uncommitted changes; ``author`` replaces them.
    The date is the newest of those commits', or, for uncommitted changes,
    ``$SOURCE_DATE_EPOCH`` or the present time."""
    log = _git(root, "log", "--format=%aN%x00%at", f"{revision.commit}..HEAD", "--", ".")
    commits = [line.split("\x00") for line in log.stdout.splitlines() if "\x00" in line]
    names = [name for name, _ in commits]
    dirty = _git(root, "status", "--porcelain", "--untracked-files=no", "--", ".").stdout.strip()
    if dirty:
        user = _git(root, "config", "user.name").stdout.strip()
        names.insert(0, user or "casekit")
        epoch = int(os.environ.get("SOURCE_DATE_EPOCH") or time.time())
    elif commits:
        epoch = max(int(stamp) for _, stamp in commits)
    else:
        epoch = int(_git(root, "log", "-1", "--format=%at", revision.commit).stdout.strip() or 0)
    if not any(names):  # nothing changed since: whoever runs it
        names.append(_git(root, "config", "user.name").stdout.strip())
    joined = ", ".join(dict.fromkeys(n for n in names if n)) or "casekit"
    when = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch))
    return Changes(author or joined, when)


@dataclass(frozen=True)
class _Run:
    returncode: int
    stdout_bytes: bytes

    @property
    def stdout(self) -> str:
        return self.stdout_bytes.decode("utf-8", "replace")


def _git(cwd: Path, *args: str) -> _Run:
    """Run ``git args`` in ``cwd``; a missing git is a tool error."""
    try:
        proc = subprocess.run(
            ["git", *args],
            cwd=cwd,
            capture_output=True,
            check=False,
            # git must not ask anything, page, or read the author's configured editor.
            env={**os.environ, "GIT_TERMINAL_PROMPT": "0", "GIT_PAGER": "cat"},
        )
    except OSError as exc:
        raise ToolError(
            f"cannot run git: {exc.strerror}",
            hint="install git; casekit revise reads the manuscript's history with it",
        ) from None
    return _Run(proc.returncode, proc.stdout)
