"""``casekit revise`` end to end: the example at two commits, compared.

Each folder in tests/revisions/ holds one revision: the edits made to the example
between the two commits (in the form of tests/scenarios), the command's options, and
the tracked changes expected in build/revision/manuscript-tracked.docx, run by run.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner, Result

from casekit.cli.commands import main
from casekit.revising.highlight import LOOKS
from casekit.revising.revision import COPIES

from .conftest import copy_example
from .docx_revisions import (
    W,
    changes,
    document,
    resolved,
    revision_elements,
    revisions,
    whole_paragraphs,
    whole_rows,
    without_numbers,
)
from .readback import pdf_text
from .scenario import apply_edit, build_state

REVISIONS = Path(__file__).parent / "revisions"
OLD_AUTHOR, OLD_DATE = "Ann Old", "2024-01-02T03:04:05Z"
NEW_AUTHOR, NEW_DATE = "Bea New", "2024-03-04T05:06:07Z"


def commit(project: Path, author: str, date: str, message: str = "manuscript") -> None:
    """Commit everything in ``project`` (a repository from the first call on)."""
    env = {
        "GIT_AUTHOR_NAME": author,
        "GIT_AUTHOR_EMAIL": "author@example.org",
        "GIT_AUTHOR_DATE": date,
        "GIT_COMMITTER_NAME": author,
        "GIT_COMMITTER_EMAIL": "author@example.org",
        "GIT_COMMITTER_DATE": date,
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
    }
    if not (project / ".git").exists():
        (project / ".gitignore").write_text("build/\n", encoding="utf-8")
        subprocess.run(["git", "-c", "init.defaultBranch=main", "init", "-q"], cwd=project,
                       env=env, check=True)  # fmt: skip
    for command in (["add", "-A"], ["commit", "-q", "-m", message]):
        subprocess.run(["git", *command], cwd=project, env=env, check=True)


@dataclass(frozen=True)
class Revised:
    """One revision of tests/revisions/, made and compared."""

    spec: dict[str, Any]
    """Its revision.yaml."""
    project: Path
    """The example project, a git repository at its second commit."""
    result: Result
    """What `casekit revise` did."""
    old: Path
    """The DOCX `casekit build` made at the first commit."""
    new: Path
    """The DOCX `casekit build` made at the second."""

    @property
    def folder(self) -> Path:
        journal = self.spec.get("journal")
        return self.project / "build" / (f"{journal}/revision" if journal else "revision")

    @property
    def tracked(self) -> Path:
        return self.folder / "manuscript-tracked.docx"


def make_revision(name: str, root: Path) -> Revised:
    """Build the example, commit, edit as the folder says, commit, build, revise."""
    spec = yaml.safe_load((REVISIONS / name / "revision.yaml").read_text(encoding="utf-8"))
    project = copy_example(root / "project")
    journal = ["--journal", spec["journal"]] if spec.get("journal") else []
    runner = CliRunner()
    built = project / "build" / (spec.get("journal") or "") / "manuscript.docx"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", "1700000000")
        commit(project, OLD_AUTHOR, OLD_DATE)
        assert (
            runner.invoke(main, ["build", "docx", "-q", "-C", str(project), *journal]).exit_code
            == 0
        )
        old = root / "old.docx"
        shutil.copy(built, old)
        for edit in spec["edits"]:
            apply_edit(project, edit)
        commit(project, NEW_AUTHOR, NEW_DATE)
        assert (
            runner.invoke(main, ["build", "docx", "-q", "-C", str(project), *journal]).exit_code
            == 0
        )
        new = root / "new.docx"
        shutil.copy(built, new)
        mp.delenv("SOURCE_DATE_EPOCH")
        result = runner.invoke(main, ["revise", "--since", "HEAD~1", "-C", str(project), *journal])
    return Revised(spec, project, result, old, new)


NAMES = sorted(p.name for p in REVISIONS.iterdir() if (p / "revision.yaml").is_file())


@pytest.fixture(scope="module", params=NAMES)
def revised(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Revised:
    return make_revision(request.param, tmp_path_factory.mktemp(request.param))


def test_revise_writes_the_tracked_and_highlighted_copies(revised: Revised) -> None:
    result = revised.result
    assert result.exit_code == 0, result.output
    for name in COPIES:
        assert (revised.folder / name).is_file()
        assert f"wrote {revised.folder / name}" in result.stdout
    first = result.stdout.splitlines()[0]
    assert first.startswith("compared with HEAD~1 (") and f"by {NEW_AUTHOR}, {NEW_DATE}" in first


def test_the_tracked_changes_are_exactly_those_expected(revised: Revised) -> None:
    assert revisions(revised.tracked) == revised.spec["runs"]


def test_paragraphs_and_rows_added_or_removed_whole_are_marked_whole(revised: Revised) -> None:
    assert whole_paragraphs(revised.tracked) == revised.spec["paragraphs"]
    assert whole_rows(revised.tracked) == revised.spec["rows"]


def test_every_revision_has_its_own_id_and_the_authors_and_date(revised: Revised) -> None:
    found = revision_elements(revised.tracked)
    assert found
    ids = [e.get(f"{W}id") for e in found]
    assert len(set(ids)) == len(ids)
    assert {(e.get(f"{W}author"), e.get(f"{W}date")) for e in found} == {(NEW_AUTHOR, NEW_DATE)}


def test_no_citation_is_marked_for_its_number_alone(revised: Revised) -> None:
    marked = [text for _, text in revisions(revised.tracked) if re.search(r"\[\d", text)]
    assert marked == revised.spec.get("marked-citations", [])


def test_accepting_every_revision_gives_the_new_manuscript(revised: Revised) -> None:
    assert resolved(revised.tracked, accept=True) == resolved(revised.new)


def test_rejecting_every_revision_gives_the_old_manuscript(revised: Revised) -> None:
    """Exactly, but for the numbers: an unchanged citation prints its new number."""
    rejected = resolved(revised.tracked, accept=False, numbers=False)
    old = resolved(revised.old, numbers=False)
    assert without_numbers(rejected) == without_numbers(old)
    # ...and those numbers did move: the revision shifted every later one.
    assert resolved(revised.tracked, accept=False) != resolved(revised.old)


def test_the_tracked_docx_keeps_tracking_changes(revised: Revised) -> None:
    settings = document(revised.tracked, "word/settings.xml")
    assert settings.find(f"{W}trackRevisions") is not None


def test_the_highlighted_docx_shows_the_same_changes_in_styles(revised: Revised) -> None:
    path = revised.folder / "manuscript-highlighted.docx"
    root = document(path)
    assert not [e for e in root.iter() if e.tag in (f"{W}ins", f"{W}del")]
    assert changes(path, by_style=True) == changes(revised.tracked, by_style=False)
    styles = document(path, "word/styles.xml")
    for look in LOOKS.values():
        style = styles.find(f"{W}style[@{W}styleId='{look.style_id}']")
        assert style is not None
        colour = style.find(f"{W}rPr/{W}color")
        assert colour is not None and colour.get(f"{W}val") == look.colour
    assert root.find(f"{W}body/{W}sectPr/{W}lnNumType") is not None, "lines are numbered"


def test_the_highlighted_pdf_has_numbered_lines_and_both_colours(revised: Revised) -> None:
    import pypdf

    path = revised.folder / "manuscript-highlighted.pdf"
    text = " ".join(pdf_text(path).replace("\xad", "-").split())  # Typst's hyphens read back soft
    for _, words in revised.spec["runs"]:
        assert " ".join(words.split()) in text
    numbers = [int(n) for n in re.findall(r"^(\d+)$", pdf_text(path), re.MULTILINE)]
    assert numbers[:5] == [1, 2, 3, 4, 5], "lines are numbered"
    pages = pypdf.PdfReader(path).pages
    contents = b"".join(page.get_contents().get_data() for page in pages)  # type: ignore[union-attr]
    colours = {
        tuple(round(float(c), 2) for c in found)
        for found in re.findall(rb"([0-9.]+) ([0-9.]+) ([0-9.]+) (?:scn|sc|rg)\b", contents, re.I)
    }
    for look in LOOKS.values():
        wanted = tuple(round(c / 255, 2) for c in bytes.fromhex(look.colour))
        assert wanted in colours, f"no text in {look.style}'s colour in the PDF"


SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.skipif(
    SOFFICE is None,
    reason="LibreOffice is not installed (apt-get install libreoffice-writer-nogui; "
    ".ci/run installs it)",
)
@pytest.mark.parametrize("name", ["manuscript-tracked.docx", "manuscript-highlighted.docx"])
def test_libreoffice_opens_the_docx_and_converts_it_to_pdf(
    revised: Revised, name: str, tmp_path: Path
) -> None:
    assert SOFFICE is not None
    profile = tmp_path / "profile"  # its own profile: runs at once do not share one
    proc = subprocess.run(
        [SOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to",
         "pdf", "--outdir", str(tmp_path), str(revised.folder / name)],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    pdf = tmp_path / name.replace(".docx", ".pdf")
    assert pdf.is_file(), f"LibreOffice wrote no PDF: {proc.stdout} {proc.stderr}"
    text = " ".join(pdf_text(pdf).split())
    for _, words in revised.spec["runs"]:
        if words.strip():
            assert " ".join(words.split()) in text


def test_the_same_revision_gives_the_same_bytes(revised: Revised, tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(revised.project, project, symlinks=True)
    journal = ["--journal", revised.spec["journal"]] if revised.spec.get("journal") else []
    result = CliRunner().invoke(
        main, ["revise", "--since", "HEAD~1", "-q", "-C", str(project), *journal]
    )
    assert result.exit_code == 0, result.output
    folder = project / revised.folder.relative_to(revised.project)
    for name in COPIES:
        assert (folder / name).read_bytes() == (revised.folder / name).read_bytes(), name


def test_a_failed_revise_leaves_the_previous_copies_as_they_were(
    revised: Revised, tmp_path: Path
) -> None:
    project = tmp_path / "project"
    shutil.copytree(revised.project, project, symlinks=True)
    before = build_state(project)
    case = project / "manuscript" / "case.yaml"
    case.write_text(case.read_text(encoding="utf-8") + "\nnot: [closed\n", encoding="utf-8")
    journal = ["--journal", revised.spec["journal"]] if revised.spec.get("journal") else []
    result = CliRunner().invoke(main, ["revise", "--since", "HEAD~1", "-C", str(project), *journal])
    assert result.exit_code == 1
    assert result.stderr.startswith("casekit: manuscript/case.yaml:"), result.stderr
    assert "Traceback" not in result.output
    assert build_state(project) == before
    assert not list((project / "build").rglob(".tmp-*"))


def test_an_old_revision_that_does_not_build_is_named(tmp_path: Path) -> None:
    project = copy_example(tmp_path / "project")
    case = project / "manuscript" / "case.yaml"
    good = case.read_text(encoding="utf-8")
    case.write_text(good.replace("unit: months}", "unit: monts}", 1), encoding="utf-8")
    commit(project, OLD_AUTHOR, OLD_DATE)
    case.write_text(good, encoding="utf-8")
    result = CliRunner().invoke(main, ["revise", "--since", "HEAD", "-C", str(project)])
    assert result.exit_code == 1
    line = result.stderr.strip()
    assert len(line.splitlines()) == 1
    assert line.startswith("casekit: revision error: the manuscript at HEAD (")
    assert "does not build: manuscript/case.yaml:12:25 [patient.age.unit]: input error" in line
    assert not (project / "build" / "revision").exists()


def test_author_replaces_the_commits_authors(tmp_path: Path) -> None:
    project = copy_example(tmp_path / "project")
    commit(project, OLD_AUTHOR, OLD_DATE)
    intro = project / "templates" / "sections" / "introduction.md.j2"
    intro.write_text(intro.read_text(encoding="utf-8").replace("Dismal", "Poor", 1), "utf-8")
    result = CliRunner().invoke(
        main, ["revise", "--since", "HEAD", "--author", "C. Editor", "-q", "-C", str(project)]
    )
    assert result.exit_code == 0, result.output
    tracked = project / "build" / "revision" / "manuscript-tracked.docx"
    assert revisions(tracked) == [["del", "Dismal"], ["ins", "Poor"]]
    assert {e.get(f"{W}author") for e in revision_elements(tracked)} == {"C. Editor"}


def test_ci_installs_libreoffice_before_the_tests() -> None:
    from .conftest import REPO

    run = (REPO / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert run.index(".ci/system-packages") < run.index("make test")
    script = (REPO / ".ci" / "system-packages").read_text(encoding="utf-8")
    assert "apt-get update" in script
    assert re.search(r"apt-get install -y .*missing", script)
    assert "libreoffice-writer-nogui" in script and "poppler-utils" in script
