"""The project's git history: the revision named, the project exported as it was, and
who changed it since, and when."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from casekit.revising.history import (
    RevisionError,
    changes_since,
    export_project,
    find_revision,
)

PROJECT = {
    "manuscript/manuscript.yaml": "title: One\n",
    "templates/sections/case.md.j2": "# Case\n\nFirst.\n",
}


def git(
    folder: Path, *args: str, author: str = "Ann Old", date: str = "2024-01-02T03:04:05Z"
) -> str:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(folder),
        "GIT_AUTHOR_NAME": author,
        "GIT_AUTHOR_EMAIL": "a@example.org",
        "GIT_AUTHOR_DATE": date,
        "GIT_COMMITTER_NAME": author,
        "GIT_COMMITTER_EMAIL": "a@example.org",
        "GIT_COMMITTER_DATE": date,
    }
    done = subprocess.run(["git", *args], cwd=folder, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")


@pytest.fixture
def repository(tmp_path: Path) -> Path:
    """A repository whose project sits in ``paper/``, committed twice by two authors."""
    top = tmp_path / "repo"
    top.mkdir()
    git(top, "-c", "init.defaultBranch=main", "init", "-q")
    write(top, {"README": "a repository\n"})
    git(top, "add", "-A")
    git(top, "commit", "-q", "-m", "before the paper")
    write(top / "paper", PROJECT)
    git(top, "add", "-A")
    git(top, "commit", "-q", "-m", "the paper")
    write(top / "paper", {"templates/sections/case.md.j2": "# Case\n\nSecond.\n"})
    git(top, "commit", "-q", "-am", "edit", author="Bea New", date="2024-03-04T05:06:07Z")
    write(top / "paper", {"manuscript/manuscript.yaml": "title: Two\n"})
    git(top, "commit", "-q", "-am", "title", author="Cy Last", date="2024-05-06T07:08:09Z")
    write(top, {"README": "changed outside the paper\n"})
    git(top, "commit", "-q", "-am", "readme", author="Dee Other", date="2024-07-08T09:10:11Z")
    return top


def test_a_revision_names_its_commit_and_the_projects_folder(repository: Path) -> None:
    revision = find_revision(repository / "paper", "HEAD~3")
    assert revision.commit == git(repository, "rev-parse", "HEAD~3")
    assert revision.prefix == "paper/"
    assert revision.label == f"HEAD~3 ({revision.commit[:7]})"
    assert find_revision(repository / "paper", revision.commit[:9]).label == revision.commit[:7]


def test_the_project_is_exported_as_it_was(repository: Path, tmp_path: Path) -> None:
    old = export_project(find_revision(repository / "paper", "HEAD~3"), tmp_path / "old")
    assert (old / "templates/sections/case.md.j2").read_text(
        encoding="utf-8"
    ) == "# Case\n\nFirst.\n"
    assert (old / "manuscript/manuscript.yaml").read_text(encoding="utf-8") == "title: One\n"
    assert not (old / "README").exists(), "only the project's folder is exported"


@pytest.mark.parametrize(
    "name", ["nope", "HEAD~9", "--all", ""], ids=["word", "too-far", "option", "empty"]
)
def test_a_name_that_is_no_commit_is_refused(repository: Path, name: str) -> None:
    with pytest.raises(RevisionError) as info:
        find_revision(repository / "paper", name)
    assert info.value.message == f"--since {name!r}: not a git revision of {repository}"
    assert "git log --oneline" in (info.value.hint or "")


def test_a_revision_from_before_the_project_is_refused(repository: Path, tmp_path: Path) -> None:
    revision = find_revision(repository / "paper", "HEAD~4")
    with pytest.raises(RevisionError) as info:
        export_project(revision, tmp_path / "old")
    assert "paper/ held no manuscript/manuscript.yaml at" in info.value.message


def test_a_folder_outside_git_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    folder = tmp_path / "alone"
    write(folder, PROJECT)
    with pytest.raises(RevisionError) as info:
        find_revision(folder, "HEAD")
    assert (
        info.value.message
        == f"{folder} is not in a git repository, so there is no revision to compare with"
    )


def test_the_changes_carry_the_authors_since_newest_first_and_the_newest_date(
    repository: Path,
) -> None:
    paper = repository / "paper"
    changes = changes_since(find_revision(paper, "HEAD~3"), paper)
    # Dee Other changed only the README, outside the project.
    assert changes.author == "Cy Last, Bea New"
    assert changes.date == "2024-05-06T07:08:09Z"


def test_uncommitted_changes_are_the_git_users_now(
    repository: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paper = repository / "paper"
    git(repository, "config", "user.name", "Eve Editing")
    write(paper, {"templates/sections/case.md.j2": "# Case\n\nThird.\n"})
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    changes = changes_since(find_revision(paper, "HEAD~2"), paper)
    assert changes.author == "Eve Editing, Cy Last"
    assert changes.date == "2023-11-14T22:13:20Z"


def test_author_replaces_the_authors(repository: Path) -> None:
    paper = repository / "paper"
    assert changes_since(find_revision(paper, "HEAD~3"), paper, "Zed").author == "Zed"


def test_with_nothing_changed_since_the_changes_are_the_git_users_at_that_date(
    repository: Path,
) -> None:
    paper = repository / "paper"
    git(repository, "config", "user.name", "Eve Editing")
    changes = changes_since(find_revision(paper, "HEAD~1"), paper)
    assert (changes.author, changes.date) == ("Eve Editing", "2024-05-06T07:08:09Z")
