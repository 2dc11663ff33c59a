"""``casekit check``: every problem found at once, located, coded, with the right exit.

Each folder under tests/check_scenarios/ breaks a copy of the example in one way
(``edits``), optionally builds it first (``build-first``), runs
``casekit check --format json`` with ``args``, and lists the problems that must be
reported (``expect``: code, and where given file, line, severity, and text that must
appear in the message or hint) and the codes that must not be (``absent``).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from casekit.building.pipeline import build
from casekit.checks.run import CACHE_VERSION, run_checks
from casekit.cli.commands import main

from .conftest import copy_example, plan_for, request_for
from .scenario import apply_edit

SCENARIOS = Path(__file__).parent / "check_scenarios"


def _matches(problem: dict[str, Any], want: dict[str, Any]) -> bool:
    for key, value in want.items():
        if key in ("message", "hint"):
            if value not in (problem.get(key) or ""):
                return False
        elif problem.get(key) != value:
            return False
    return True


@pytest.mark.parametrize(
    "scenario", sorted(p for p in SCENARIOS.iterdir() if p.is_dir()), ids=lambda p: p.name
)
def test_check_scenario(scenario: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    spec = yaml.safe_load((scenario / "scenario.yaml").read_text(encoding="utf-8"))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    project = copy_example(tmp_path / "project")
    if spec.get("build-first"):
        build(plan_for(project, *spec["build-first"]))
    for edit in spec.get("edits", []):
        apply_edit(project, edit)
    result = CliRunner().invoke(
        main, ["check", "-C", str(project), "--format", "json", *spec.get("args", [])]
    )
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    report = json.loads(result.stdout)
    problems = report["problems"]
    for want in spec.get("expect", []):
        assert any(_matches(p, want) for p in problems), f"{want} not in {problems}"
    for code in spec.get("absent", []):
        assert not [p for p in problems if p["code"] == code], code
    assert result.exit_code == spec["exit"], problems


def test_json_report_schema(tmp_path: Path) -> None:
    project = copy_example(tmp_path / "project")
    result = CliRunner().invoke(main, ["check", "-C", str(project), "--format", "json"])
    report = json.loads(result.stdout)
    assert report["schema_version"] == 2
    assert set(report["summary"]) >= {"entries", "citations", "cited_keys", "errors", "warnings"}
    for problem in report["problems"]:
        assert set(problem) == {
            "code", "severity", "file", "line", "column", "field", "message", "hint", "identifier",
        }  # fmt: skip
        assert problem["severity"] in ("error", "warning", "info")


def test_text_report_groups_by_file_and_colours_only_terminals(tmp_path: Path) -> None:
    project = copy_example(tmp_path / "project")
    discussion = project / "templates/sections/discussion.md.j2"
    discussion.write_text(
        discussion.read_text(encoding="utf-8").replace("@pieters2019;", "@pieters2091;", 1),
        encoding="utf-8",
    )
    plain = CliRunner().invoke(main, ["check", "-C", str(project)])
    assert plain.exit_code == 1
    assert "\x1b[" not in plain.stdout
    lines = plain.stdout.splitlines()
    heading = lines.index("templates/sections/discussion.md.j2")
    assert "unknown-key" in lines[heading + 1]
    assert lines[heading + 2].strip().startswith("hint: did you mean pieters2019")
    assert re.search(r"✗ 1 errors, 0 warnings, \d+ notes", lines[-1])
    coloured = CliRunner().invoke(main, ["check", "-C", str(project)], color=True)
    assert "\x1b[31m" in coloured.stdout


def test_many_problems_of_one_code_are_summarised_unless_all(tmp_path: Path) -> None:
    project = copy_example(tmp_path / "project")
    extra = "".join(
        f"@article{{spare{i}, title={{Spare {i}}}, journal={{J}}, year={{2001}}, "
        f"doi={{10.1000/{i}}}}}\n"
        for i in range(30)
    )
    with (project / "references.bib").open("a", encoding="utf-8") as handle:
        handle.write(extra)
    short = CliRunner().invoke(main, ["check", "-C", str(project)])
    assert "… and 10 more uncited-entry" in short.stdout
    full = CliRunner().invoke(main, ["check", "-C", str(project), "--all"])
    assert full.stdout.count("uncited-entry") == 30


@pytest.mark.parametrize(
    "args", [["-C", "does-not-exist"], ["--format", "xml"]], ids=["no-project", "bad-argument"]
)
def test_could_not_run_exits_2(
    args: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["check", *args])
    assert result.exit_code == 2


def test_store_checks_are_cached_by_content(tmp_path: Path) -> None:
    project = copy_example(tmp_path / "project")
    first = run_checks(request_for(project))
    (cache,) = (project / "build" / ".cache").glob("check-*.json")
    data = json.loads(cache.read_text(encoding="utf-8"))
    data["problems"] = [["bad-year", 1, None, "x", "planted in the cache", None, None]]
    cache.write_text(json.dumps(data), encoding="utf-8")
    assert any(
        p.message == "planted in the cache" for p in run_checks(request_for(project)).problems
    )
    # Any change to the store makes the cache irrelevant.
    with (project / "references.bib").open("a", encoding="utf-8") as handle:
        handle.write("\n% a comment\n")
    again = run_checks(request_for(project)).problems
    assert not any(p.message == "planted in the cache" for p in again)
    assert [p.code for p in again] == [p.code for p in first.problems]


def test_corrupt_check_cache_is_rebuilt(tmp_path: Path) -> None:
    project = copy_example(tmp_path / "project")
    first = run_checks(request_for(project))
    (cache,) = (project / "build" / ".cache").glob("check-*.json")
    cache.write_text("{not json", encoding="utf-8")
    assert run_checks(request_for(project)).problems == first.problems
    assert json.loads(cache.read_text(encoding="utf-8"))["version"] == CACHE_VERSION


def _check_json(project: Path, *args: str) -> dict[str, Any]:
    result = CliRunner().invoke(main, ["check", "-C", str(project), "--format", "json", *args])
    assert result.exit_code in (0, 1), result.output
    report: dict[str, Any] = json.loads(result.stdout)
    return report


def test_outputs_built_with_another_style_are_compared_in_that_style(
    example: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`build pdf --style X`, then `check`: the PDF is read in X's look (superscripts),
    as its manifest records, not in the manuscript's bracketed look."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    built = CliRunner().invoke(
        main, ["build", "pdf", "docx", "html", "txt", "jats", "-C", str(example), "--style",
               "nlm-citation-sequence-superscript"],
    )  # fmt: skip
    assert built.exit_code == 0, built.output
    # The text prints mg/m² (a power, not a citation); the JATS byline raises its
    # affiliation numbers before the abstract: neither is read as a citation.
    assert "m²" in (example / "build" / "manuscript.txt").read_text("utf-8")
    report = _check_json(example)
    codes = [p["code"] for p in report["problems"]]
    assert "printed-mismatch" not in codes and "reference-count" not in codes, report
    assert report["summary"]["outputs_compared"] == 5


def test_a_blinded_journal_is_checked_where_it_was_built(
    example: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A profile with `blinded: true` builds into build/NAME/review/; `check --journal NAME
    --built` compares the outputs there, instead of finding none and passing."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    profiles = example / "templates" / "journals"
    text = (profiles / "default.yaml").read_text(encoding="utf-8")
    text = text.replace("formats: [pdf, docx, html, txt, md, jats, tex]", "formats: [pdf, docx]")
    (profiles / "blind.yaml").write_text(text + "blinded: true\n", encoding="utf-8")
    report = _check_json(example, "--journal", "blind", "--built")
    assert (example / "build" / "blind" / "review" / "manuscript.pdf").is_file()
    assert report["summary"]["outputs_compared"] == 2, report
    # And a second check builds nothing: the outputs there are current.
    before = (example / "build" / "blind" / "review" / "manuscript.pdf").stat().st_mtime_ns
    assert _check_json(example, "--journal", "blind", "--built")["summary"]["outputs_compared"] == 2
    assert (example / "build" / "blind" / "review" / "manuscript.pdf").stat().st_mtime_ns == before


def test_a_manuscript_with_headings_in_another_language_is_read_back(
    example: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The cited text runs from the abstract's heading to the reference list's, whatever
    the templates call them: here German, "Zusammenfassung" and "Literatur"."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    front = example / "templates" / "front.md.j2"
    front.write_text(front.read_text("utf-8").replace('else "Abstract"', 'else "Zusammenfassung"'))
    back = example / "templates" / "back.md.j2"
    back.write_text(back.read_text("utf-8").replace("# References {", "# Literatur {"))
    built = CliRunner().invoke(main, ["build", "pdf", "docx", "txt", "html", "-C", str(example)])
    assert built.exit_code == 0, built.output
    assert "Literatur" in (example / "build" / "manuscript.txt").read_text("utf-8")
    report = _check_json(example)
    codes = [p["code"] for p in report["problems"]]
    assert "printed-mismatch" not in codes and "reference-count" not in codes, report
    assert report["summary"]["outputs_compared"] == 4


def test_an_author_date_output_is_said_not_to_be_compared(
    example: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    built = CliRunner().invoke(main, ["build", "txt", "-C", str(example), "--style", "apa"])
    assert built.exit_code == 0, built.output
    report = _check_json(example)
    (note,) = [p for p in report["problems"] if p["code"] == "output-not-compared"]
    assert note["file"] == "build/manuscript.txt" and note["severity"] == "info"
    assert "'apa' prints author-date citations" in note["message"]


def test_check_review_reads_the_review_copy(example: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    built = CliRunner().invoke(main, ["build", "pdf", "--review", "-C", str(example)])
    assert built.exit_code == 0, built.output
    assert _check_json(example)["summary"]["outputs_compared"] == 0
    assert _check_json(example, "--review")["summary"]["outputs_compared"] == 1
