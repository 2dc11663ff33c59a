"""Where a manuscript project keeps things, and the timestamp its outputs carry."""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

from casekit.core.errors import InputError, Location

FALLBACK_EPOCH = 315532800
"""1980-01-01, the earliest time a ZIP (DOCX) can hold; used when nothing else fixes the date."""


@dataclass(frozen=True)
class Project:
    """The files of one manuscript project, relative to its root."""

    root: Path
    """The project directory (``-C DIR``)."""

    @property
    def manuscript_yaml(self) -> Path:
        return self.root / "manuscript" / "manuscript.yaml"

    @property
    def case_yaml(self) -> Path:
        return self.root / "manuscript" / "case.yaml"

    @property
    def case_schema(self) -> Path:
        return self.root / "manuscript" / "case-schema.yaml"

    @property
    def abbreviations(self) -> Path:
        return self.root / "manuscript" / "abbreviations.yaml"

    @property
    def response_yaml(self) -> Path:
        """The response to reviewers of a revision (``casekit response``)."""
        return self.root / "manuscript" / "response.yaml"

    @property
    def bibliography(self) -> Path:
        return self.root / "references.bib"

    @property
    def templates(self) -> Path:
        return self.root / "templates"

    @property
    def build(self) -> Path:
        return self.root / "build"

    @property
    def cache(self) -> Path:
        return self.build / ".cache"

    @property
    def reference_docx(self) -> Path:
        return self.templates / "reference.docx"

    @property
    def typst_template(self) -> Path:
        return self.templates / "pandoc" / "manuscript.typ"

    @property
    def fonts(self) -> tuple[Path, ...]:
        """Where Typst finds the project's own fonts (``templates/pandoc/fonts/``), besides
        its built-in ones: none when the folder is absent. Typst falls back to them for
        what the built-in fonts cannot set (Thai, Chinese, Japanese, Korean)."""
        folder = self.templates / "pandoc" / "fonts"
        return (folder,) if folder.is_dir() else ()

    def input_files(self) -> list[Path]:
        """Every file a build reads from the project, in a stable order."""
        files = [self.manuscript_yaml, self.case_yaml, self.case_schema, self.abbreviations]
        files.append(self.bibliography)
        if self.templates.is_dir():
            files += sorted(p for p in self.templates.rglob("*") if p.is_file())
        return [f for f in files if f.is_file()]

    def check_exists(self) -> None:
        """Fail early, with a hint, when ``root`` is not a manuscript project."""
        if not self.root.is_dir():
            raise InputError("project directory not found", Location(self.root))
        if not self.manuscript_yaml.is_file():
            raise InputError(
                "not a casekit project: manuscript/manuscript.yaml is missing",
                Location(self.root),
                hint="run casekit from a project directory, pass -C DIR, or create one with "
                "`casekit new DIR`",
            )


def source_date_epoch(root: Path) -> int:
    """The timestamp outputs carry: $SOURCE_DATE_EPOCH, else the last commit's, else 1980."""
    value = os.environ.get("SOURCE_DATE_EPOCH")
    if value:
        try:
            return int(value)
        except ValueError:
            raise InputError(
                f"SOURCE_DATE_EPOCH={value!r} is not a whole number of seconds",
                hint="unset it, or set it to e.g. $(git log -1 --format=%ct)",
            ) from None
    try:
        proc = subprocess.run(
            ["git", "-C", str(root), "log", "-1", "--format=%ct"],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
        if proc.returncode == 0 and proc.stdout.strip().isdigit():
            return int(proc.stdout.strip())
    except (OSError, subprocess.TimeoutExpired):
        pass
    return FALLBACK_EPOCH
