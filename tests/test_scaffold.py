"""``casekit new``: each starter gives a project that builds as it is, the blank one's
placeholders print and are listed by ``casekit check``, and ``make pdf`` works there
without casekit on PATH."""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
import zipfile
from collections import Counter
from pathlib import Path

import pypdf
import pytest
from click.testing import CliRunner

from casekit.cli.commands import main
from casekit.core.errors import InputError
from casekit.inputs.scaffold import (
    DEFAULT_STARTER,
    MAKEFILE_COMMAND,
    new_project,
    project_makefile,
    starters,
)

STARTERS = sorted(starters())
MARKER = re.compile(r"\[TO DO:[^\[\]]*\]")  # what the README documents, written again here


def casekit(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def check_json(project: Path) -> list[dict[str, object]]:
    code, out, err = casekit("check", "--format", "json", "--all", "-C", str(project))
    assert code in (0, 1), err
    problems: list[dict[str, object]] = json.loads(out)["problems"]
    return problems


def written_placeholders(project: Path) -> Counter[tuple[str, int]]:
    """(file, line) of every marker in the project's own files, found line by line."""
    found: Counter[tuple[str, int]] = Counter()
    files = [*(project / "manuscript").glob("*.yaml"), *(project / "templates").rglob("*.j2")]
    for path in files:
        text = path.read_text(encoding="utf-8")
        for match in re.finditer(re.escape("[TO DO:"), text):
            line = text.count("\n", 0, match.start()) + 1
            found[(path.relative_to(project).as_posix(), line)] += 1
    return found


@pytest.fixture(scope="module")
def blank(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A new project from the blank starter, built to PDF and DOCX."""
    target = tmp_path_factory.mktemp("starter") / "my-report"
    code, _, err = casekit("new", str(target), "--starter", "blank")
    assert code == 0, err
    code, _out, err = casekit("build", "pdf", "docx", "-C", str(target))
    assert code == 0, err
    return target


@pytest.mark.parametrize("name", STARTERS, ids=STARTERS)
def test_each_starter_builds_pdf_and_docx(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    target = tmp_path / "my-report"
    code, out, err = casekit("new", str(target), "--starter", name)
    assert code == 0, err
    assert f"from the {name} starter" in out
    for file in ("manuscript/manuscript.yaml", "manuscript/case.yaml", "references.bib",
                 "templates/sections/case.md.j2", "templates/reference.docx",
                 "templates/pandoc/manuscript.typ", "templates/journals/default.yaml",
                 "Makefile", ".gitignore"):  # fmt: skip
        assert (target / file).is_file(), file
    assert not (target / "starter.yaml").exists()
    code, out, err = casekit("build", "pdf", "docx", "-C", str(target))
    assert code == 0, err
    assert (target / "build" / "manuscript.pdf").stat().st_size > 0
    assert (target / "build" / "manuscript.docx").stat().st_size > 0


def test_the_default_starter_is_blank(tmp_path: Path) -> None:
    code, out, err = casekit("new", str(tmp_path / "p"))
    assert code == 0, err
    assert DEFAULT_STARTER == "blank"
    assert "from the blank starter" in out
    assert "[TO DO:" in (tmp_path / "p" / "manuscript" / "case.yaml").read_text(encoding="utf-8")


def test_the_example_starter_is_the_repository_example(tmp_path: Path) -> None:
    new_project(tmp_path / "p", "example")
    repo = Path(__file__).resolve().parents[1]
    for name in ("manuscript/case.yaml", "templates/sections/case.md.j2", "references.bib"):
        assert (tmp_path / "p" / name).read_bytes() == (repo / name).read_bytes(), name


def test_blank_placeholders_print_in_the_output(blank: Path) -> None:
    """Every placeholder outside a YAML comment is printed, brackets and all: in the
    DOCX's text, and the running title (which only the PDF prints) in the PDF's headers."""
    with zipfile.ZipFile(blank / "build" / "manuscript.docx") as docx:
        body = docx.read("word/document.xml").decode("utf-8")
    text = " ".join(html.unescape(re.sub(r"<[^>]+>", "", body)).split()).replace("’", "'")
    header = pypdf.PdfReader(blank / "build" / "manuscript.pdf").pages[1].extract_text()
    sources = [
        re.sub(r"(?m)#.*$|^running_title:.*$", "", path.read_text(encoding="utf-8"))
        for path in (blank / "manuscript").glob("*.yaml")
    ] + [path.read_text(encoding="utf-8") for path in (blank / "templates").rglob("*.j2")]
    printed = [" ".join(m.group().split()) for source in sources for m in MARKER.finditer(source)]
    # Every one of them prints, case.yaml's consent too (through the consent statement).
    assert len(printed) > 30
    for marker in printed:
        assert marker in text, marker
    assert "[TO DO: a short title for the page headers]" in header


def test_blank_placeholders_are_highlighted(blank: Path) -> None:
    with zipfile.ZipFile(blank / "build" / "manuscript.docx") as docx:
        body = docx.read("word/document.xml").decode("utf-8")
    highlighted = re.findall(r'<w:highlight w:val="yellow" /></w:rPr><w:t[^>]*>([^<]*)', body)
    assert any(run.startswith("[TO DO:") for run in highlighted)
    assert len(highlighted) > 30


def test_check_reports_each_blank_placeholder_and_nothing_else(blank: Path) -> None:
    problems = check_json(blank)
    assert {p["code"] for p in problems} == {"placeholder"}
    assert all(p["severity"] == "error" for p in problems)
    reported = Counter((str(p["file"]), int(str(p["line"]))) for p in problems)
    assert reported == written_placeholders(blank)
    assert {file for file, _ in reported} >= {
        "manuscript/manuscript.yaml",
        "manuscript/case.yaml",
        "templates/sections/introduction.md.j2",
        "templates/sections/case.md.j2",
        "templates/sections/discussion.md.j2",
    }


def test_a_filled_in_blank_project_checks_clean(
    blank: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    project = tmp_path / "filled"
    shutil.copytree(blank, project, ignore=shutil.ignore_patterns("build"))
    for path in [*(project / "manuscript").glob("*.yaml"), *(project / "templates").rglob("*.j2")]:
        text = path.read_text(encoding="utf-8")
        path.write_text(MARKER.sub("the text the authors wrote", text), encoding="utf-8")
    problems = check_json(project)
    assert [p for p in problems if p["code"] == "placeholder"] == []
    assert [p for p in problems if p["severity"] == "error"] == []


def test_list_shows_every_starter_with_its_description() -> None:
    code, out, err = casekit("new", "--list")
    assert code == 0, err
    lines = out.splitlines()
    assert [line.split()[0] for line in lines] == STARTERS
    for line, (name, one) in zip(lines, starters().items(), strict=True):
        assert one.info.description in line, name
    assert "(default)" in lines[STARTERS.index(DEFAULT_STARTER)]


@pytest.mark.parametrize(
    ("name", "hint"),
    [("blnk", "did you mean blank?"), ("nothing-like-it", "lists the starters: blank, example")],
    ids=["misspelt", "unknown"],
)
def test_an_unknown_starter_is_one_located_line(name: str, hint: str, tmp_path: Path) -> None:
    code, _out, err = casekit("new", str(tmp_path / "p"), "--starter", name)
    assert code != 0
    assert len(err.splitlines()) == 1, err
    assert f"starters: input error: unknown starter {name!r}" in err
    assert hint in err
    assert not (tmp_path / "p").exists()


def test_new_refuses_a_non_empty_directory(tmp_path: Path) -> None:
    (tmp_path / "keep.txt").write_text("precious", encoding="utf-8")
    with pytest.raises(InputError, match="not empty"):
        new_project(tmp_path)
    assert (tmp_path / "keep.txt").read_text(encoding="utf-8") == "precious"


def test_the_makefile_names_the_casekit_that_made_it() -> None:
    text = project_makefile("/opt/casekit/.venv/bin/casekit")
    assert "CASEKIT ?= /opt/casekit/.venv/bin/casekit\n" in text
    assert MAKEFILE_COMMAND not in text


def test_make_pdf_works_without_casekit_on_path(tmp_path: Path) -> None:
    """`make pdf` in a new project, with a PATH that holds no casekit."""
    project = tmp_path / "p"
    new_project(project)
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "SOURCE_DATE_EPOCH": "1700000000"}
    assert shutil.which("casekit", path=env["PATH"]) is None
    result = subprocess.run(
        ["make", "pdf"], cwd=project, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert (project / "build" / "manuscript.pdf").is_file()
    dry = subprocess.run(["make", "-n", "-B", "pdf", "CASEKIT=other-casekit"], cwd=project, env=env,
                         capture_output=True, text=True, check=True)  # fmt: skip
    assert "other-casekit build pdf" in dry.stdout
