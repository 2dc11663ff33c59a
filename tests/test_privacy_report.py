"""The gate's findings as the command line shows them (cli/privacy.py): in clear, in
context, only on the author's own terminal; masked in JSON, under CI, in a pipe and with
--mask; and with waivers that, pasted as printed, keep exactly what they name."""

from __future__ import annotations

import io
import json
import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from casekit.building.pipeline import build
from casekit.checks.run import run_checks
from casekit.cli import privacy
from casekit.cli.commands import main
from casekit.cli.privacy import shows_clear_text, waiver_lines
from casekit.cli.report import text_lines
from casekit.inputs.privacy import Finding

from .conftest import plan_for, request_for

FEVER = "March 9"
"""A date the gate finds in what a template prints (its words, and a value from the data)."""
PLACE = "St. Mary's Hospital"
"""A place typed in a template, with an apostrophe a pasted waiver must keep."""


def _break(project: Path) -> Path:
    """The example with both findings: each ends up in a different file."""
    case = project / "manuscript/case.yaml"
    case.write_text(
        case.read_text(encoding="utf-8").replace(
            "      at: diagnosis\n  prognosis:",
            "      at: diagnosis\n"
            '    - {id: visit, name: visit, result: "9", at: diagnosis}\n'
            "  prognosis:",
            1,
        ),
        encoding="utf-8",
    )
    section = project / "templates/sections/case.md.j2"
    section.write_text(
        section.read_text(encoding="utf-8").replace(
            "\n\nTreatment began",
            f'\n\nThe infant was admitted on March {{{{ case.item("visit").result }}}} '
            f'and seen at "{PLACE}".\n\nTreatment began',
            1,
        ),
        encoding="utf-8",
    )
    return project


class _Stream(io.StringIO):
    def __init__(self, tty: bool) -> None:
        super().__init__()
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty


@pytest.mark.parametrize(
    ("tty", "ci", "mask", "clear"),
    [
        (True, None, None, True),
        (False, None, None, False),
        (True, "true", None, False),
        (True, "1", None, False),
        (True, "false", None, True),
        (True, None, True, False),
        (False, None, False, True),
        (True, "true", False, True),
    ],
    ids=[
        "terminal",
        "pipe",
        "terminal-under-CI",
        "terminal-under-CI=1",
        "CI=false-is-no-CI",
        "terminal-with---mask",
        "pipe-with---no-mask",
        "CI-with---no-mask",
    ],
)
def test_clear_text_only_on_a_terminal_outside_ci_unless_asked(
    monkeypatch: pytest.MonkeyPatch, tty: bool, ci: str | None, mask: bool | None, clear: bool
) -> None:
    if ci is None:
        monkeypatch.delenv("CI", raising=False)
    else:
        monkeypatch.setenv("CI", ci)
    assert shows_clear_text(_Stream(tty), mask) is clear


def _on_terminal(args: list[str], env: dict[str, str]) -> tuple[int, str]:
    """Exit status and output of ``python -m casekit ARGS`` with stdout and stderr on a
    pseudo-terminal, as an author runs it."""
    leader, follower = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "casekit", *args], env=env, stdout=follower, stderr=follower
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal closed with the process
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    raw = b"".join(chunks).decode("utf-8").replace("\r\n", "\n")
    # What the terminal shows: a slow build's progress line ("casekit: render… (1.2 s)")
    # is overwritten in place (a carriage return, then erase-line) by what follows it.
    shown = [line.split("\r")[-1].replace("\x1b[K", "") for line in raw.split("\n")]
    return proc.wait(), "\n".join(shown)


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    return {**env, "PYTHONWARNINGS": "ignore", **extra}


@pytest.mark.parametrize(
    ("extra", "env", "clear"),
    [([], {}, True), ([], {"CI": "true"}, False), (["--mask"], {}, False)],
    ids=["terminal", "terminal-under-CI", "terminal-with---mask"],
)
def test_build_on_a_terminal_shows_the_text_in_context(
    example: Path, extra: list[str], env: dict[str, str], clear: bool
) -> None:
    status, output = _on_terminal(["build", "md", "-C", str(_break(example)), *extra], _env(**env))
    assert status == 1
    assert "Traceback" not in output
    located = [line for line in output.splitlines() if line.startswith("casekit: ")]
    assert located[0].startswith(
        "casekit: templates/sections/case.md.j2:16:28: privacy error: date "
    )
    assert "printed with manuscript/case.yaml:29:41 [diagnosis.tests.2.result]" in located[0]
    assert located[1].startswith("casekit: templates/sections/case.md.j2:16:79: privacy error")
    if clear:
        assert f"[{FEVER}]" in located[0]  # marked, in its context
        assert "“The infant was admitted on \x1b[1m\x1b[4m[March" in located[0]  # bold, underlined
        assert f'  - text: "{FEVER}"' in output.splitlines()
    else:
        assert FEVER not in output and "St. Mary" not in output
        assert "'M•••••9'" in located[0]
        assert "on a terminal, or with --no-mask" in output


def test_check_on_a_terminal_shows_the_text_and_the_waivers(example: Path) -> None:
    status, output = _on_terminal(["check", "-C", str(_break(example))], _env())
    assert status == 1
    assert f"[{FEVER}]" in output
    assert "[diagnosis.tests.2.result]" in output
    assert f'  - text: "{PLACE}"' in output.splitlines()
    status, output = _on_terminal(["check", "--format", "json", "-C", str(example)], _env())
    assert status == 1
    assert FEVER not in output and PLACE not in output


@pytest.mark.parametrize(
    "args", [[], ["--no-mask"], ["--mask"]], ids=["default", "--no-mask", "--mask"]
)
def test_json_never_holds_the_clear_text(
    example: Path, monkeypatch: pytest.MonkeyPatch, args: list[str]
) -> None:
    """Even where the text report could show it: JSON is shared by design."""
    monkeypatch.setattr(privacy, "shows_clear_text", lambda stream, mask: True)
    result = CliRunner().invoke(
        main, ["check", "--format", "json", *args, "-C", str(_break(example))]
    )
    assert result.exit_code == 1
    assert FEVER not in result.stdout and "St. Mary" not in result.stdout
    found = [p for p in json.loads(result.stdout)["problems"] if p["code"] == "patient-identifier"]
    assert [(p["line"], p["column"], p["identifier"]["category"]) for p in found] == [
        (16, 28, "date"),
        (16, 79, "institution"),
    ]
    assert found[0]["identifier"]["masked"] == "M•••••9"


def test_a_pipe_gets_the_masked_report_and_no_mask_the_clear_one(example: Path) -> None:
    project = _break(example)
    masked = CliRunner().invoke(main, ["check", "-C", str(project)])
    assert FEVER not in masked.stdout and "St. Mary" not in masked.stdout
    assert "masked here (on a terminal, or with --no-mask" in masked.stdout
    assert '  - text: "M•••••9"' in masked.stdout.splitlines()
    clear = CliRunner().invoke(main, ["check", "--no-mask", "-C", str(project)])
    assert f"“The infant was admitted on [{FEVER}] and seen at" in clear.stdout
    assert "\x1b[" not in clear.stdout  # no colour where there is no terminal


def _waivers(report: list[str]) -> str:
    """The YAML block of a report, as an author would select and copy it."""
    start = report.index("privacy_waivers:")
    end = report.index("", start) if "" in report[start:] else len(report)
    return "\n".join(report[start:end]) + "\n"


def test_the_printed_waivers_pasted_as_they_are_keep_what_they_name(example: Path) -> None:
    project = _break(example)
    report = text_lines(run_checks(request_for(project)), project, clear=True)
    pasted = _waivers(report)
    assert [w["text"] for w in yaml.safe_load(pasted)["privacy_waivers"]] == [FEVER, PLACE]
    manuscript = project / "manuscript/manuscript.yaml"
    with manuscript.open("a", encoding="utf-8") as handle:
        handle.write(pasted)
    # Pasted as printed: the gate lets the build through, and check still wants a reason.
    build(plan_for(project, "md"))
    problems = run_checks(request_for(project)).problems
    assert not [p for p in problems if p.code == "patient-identifier"]
    assert len([p for p in problems if p.code == "identifier-waived"]) == 2
    unfinished = [p for p in problems if p.code == "placeholder"]
    assert [p.location.path for p in unfinished] == [manuscript, manuscript]
    # With a reason written, nothing is left to do.
    text = manuscript.read_text(encoding="utf-8")
    manuscript.write_text(
        text.replace("[TO DO: why this is not an identifier]", "a measurement, not a date"),
        encoding="utf-8",
    )
    codes = {p.code for p in run_checks(request_for(project)).problems}
    assert not codes & {"patient-identifier", "placeholder"}


def test_a_masked_waiver_does_not_waive(example: Path) -> None:
    """Pasting the masked form keeps nothing: the text must be the found text."""
    project = _break(example)
    report = text_lines(run_checks(request_for(project)), project, clear=False)
    with (project / "manuscript/manuscript.yaml").open("a", encoding="utf-8") as handle:
        handle.write(_waivers(report))
    found = [p for p in run_checks(request_for(project)).problems if p.code == "patient-identifier"]
    assert len(found) == 2


def test_waivers_are_one_per_text_in_order_and_read_back_as_written(tmp_path: Path) -> None:
    def found(text: str, category: str = "place") -> Finding:
        return Finding(category, text, tmp_path / "templates/s.md.j2", 3, 4)

    tricky = 'Dr "Bob" O\'Neil \\ Clínica'
    findings = [found("St. Mary's Hospital"), found(tricky, "name"), found("St. Mary's Hospital")]
    lines = waiver_lines(findings, tmp_path, clear=True)
    read = yaml.safe_load("\n".join(lines[1:]))["privacy_waivers"]
    assert read == [
        {"text": "St. Mary's Hospital", "category": "place", "file": "templates/s.md.j2",
         "reason": "[TO DO: why this is not an identifier]"},
        {"text": tricky, "category": "name", "file": "templates/s.md.j2",
         "reason": "[TO DO: why this is not an identifier]"},
    ]  # fmt: skip
    masked = waiver_lines(findings, tmp_path, clear=False)
    assert [w["text"] for w in yaml.safe_load("\n".join(masked[1:]))["privacy_waivers"]] == [
        "S•••••••••••••••••l",
        "D" + "•" * (len(tricky) - 2) + "a",
    ]
    assert "--no-mask" in masked[0] and "St. Mary" not in "\n".join(masked)
    assert waiver_lines([], tmp_path, clear=True) == []
