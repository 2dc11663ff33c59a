"""How paths are shown to a user (core/paths.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from casekit.core.paths import shown


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("manuscript/case.yaml", "manuscript/case.yaml"),
        ("templates/../references.bib", "references.bib"),
        (".", "."),
    ],
    ids=["inside", "normalised", "the-base-itself"],
)
def test_a_path_under_the_base_is_shown_relative(tmp_path: Path, path: str, expected: str) -> None:
    assert shown(tmp_path / path, tmp_path) == expected


def test_a_path_outside_the_base_is_shown_as_given(tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere" / "x.csl"
    assert shown(outside, tmp_path / "project") == str(outside)


def test_a_relative_path_is_read_from_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert shown(Path("build/manuscript.pdf"), tmp_path) == "build/manuscript.pdf"


def test_a_symlinked_base_still_contains_its_files(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "real")
    assert shown(tmp_path / "real" / "a.md", tmp_path / "link") == "a.md"
