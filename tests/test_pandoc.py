"""Running pandoc: finding the bundled binary, and its runtime options for long input."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from casekit.typesetting import pandoc


def test_bundled_pandoc_is_found_without_importing_pypandoc() -> None:
    probe = (
        "import sys; from casekit.typesetting.pandoc import pandoc_path; "
        "print(pandoc_path()); print('pypandoc' in sys.modules)"
    )
    env = {k: v for k, v in os.environ.items() if k != pandoc.PANDOC_ENV}
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, env=env
    ).stdout.split()
    assert Path(out[0]).name == "pandoc"
    assert os.access(out[0], os.X_OK)
    assert out[1] == "False"


def test_only_large_input_gets_a_larger_old_generation(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(pandoc.PANDOC_ENV, raising=False)
    assert pandoc.gc_options(20_000) == []
    options = pandoc.gc_options(pandoc.LARGE_INPUT)
    assert options[0] == "+RTS" and options[-1] == "-RTS"
    monkeypatch.setenv(pandoc.PANDOC_ENV, "/opt/other/pandoc")  # may lack -rtsopts
    assert pandoc.gc_options(pandoc.LARGE_INPUT) == []


def test_pandoc_accepts_the_runtime_options(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A pandoc built without -rtsopts would refuse them; the bundled one must not."""
    monkeypatch.delenv(pandoc.PANDOC_ENV, raising=False)
    assert pandoc.gc_options(pandoc.LARGE_INPUT)
    source = tmp_path / "doc.md"
    source.write_text("Some *text*.\n", encoding="utf-8")
    out = pandoc.run(
        [source.name, "-t", "plain", *pandoc.gc_options(pandoc.LARGE_INPUT)], cwd=tmp_path
    )
    assert out.strip() == "Some text."
