"""The README tells the truth: its commands exist, CI runs them, its examples are real."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from .conftest import REPO
from .scenario import SCENARIOS, run_scenario

README = (REPO / "README.md").read_text(encoding="utf-8")
MAKEFILE = (REPO / "Makefile").read_text(encoding="utf-8")
# with the files it includes (the build rules every project gets)
MAKEFILE += "".join(
    (REPO / name).read_text(encoding="utf-8")
    for name in re.findall(r"^include (\S+)$", MAKEFILE, re.MULTILINE)
)


def test_readme_shows_the_two_commands() -> None:
    assert "make pdf" in README
    assert "make test" in README


README_TARGETS = sorted(set(re.findall(r"`make ([\w-]+)", README)))


@pytest.mark.parametrize("target", README_TARGETS, ids=lambda t: t)
def test_every_make_target_in_the_readme_exists(target: str) -> None:
    assert re.search(rf"^{target}:", MAKEFILE, re.MULTILINE), f"no `{target}:` rule in Makefile"


def test_ci_runs_the_readme_test_command() -> None:
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert re.search(r"^make test$", ci, re.MULTILINE)


@pytest.mark.parametrize(
    "scenario", ["case-wrong-type", "unknown-citekey", "case-five-problems"], ids=lambda s: s
)
def test_readme_error_examples_are_what_casekit_prints(
    scenario: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    line = run_scenario(SCENARIOS / scenario, tmp_path, monkeypatch).result.stderr.strip()
    assert line in README, f"README example is stale; casekit now prints:\n{line}"


def test_readme_documents_every_template_filter() -> None:
    from casekit.rendering.document import FILTERS

    for name in FILTERS:
        assert f"`{name}`" in README, name


def test_check_report_documents_every_problem_code() -> None:
    from casekit.checks.problems import CODES

    doc = (REPO / "docs" / "check-report.md").read_text(encoding="utf-8")
    for code, (severity, _) in CODES.items():
        assert f"| `{code}` | {severity} |" in doc, code


def test_ci_runs_the_citation_checks_on_the_example() -> None:
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert re.search(r"^make check$", ci, re.MULTILINE)
    workflow = (REPO / ".github" / "workflows" / "manuscript.yml").read_text(encoding="utf-8")
    assert "make check" in workflow
    assert "upload-artifact" in workflow


def test_case_data_schema_document_is_current() -> None:
    """Regenerate with: .venv/bin/python scripts/write_case_schema.py"""
    import importlib.util

    spec = importlib.util.spec_from_file_location("schema", REPO / "scripts/write_case_schema.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert (REPO / "docs" / "case-data.md").read_text(encoding="utf-8") == module.render()
