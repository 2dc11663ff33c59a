"""Turning a check report into text for a terminal: grouped by file, coloured by severity."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import click

from casekit.checks.problems import Problem
from casekit.checks.run import Report
from casekit.cli.privacy import in_context, waiver_lines
from casekit.core import paths
from casekit.inputs.privacy import Finding, identifier_message

COLOURS = {"error": "red", "warning": "yellow", "info": "cyan"}
SHOWN_PER_CODE = 20
"""Problems of one code listed before the rest are summarised (``--all`` lists them all)."""


def _file(problem: Problem, base: Path) -> str:
    path = problem.location.path
    return "(project)" if path is None else paths.shown(path, base)


def text_lines(
    report: Report, base: Path, show_all: bool = False, clear: bool = False
) -> list[str]:
    """The report as lines of (possibly coloured) text.

    A suspected patient identifier is shown masked, or with ``clear`` (the author's own
    terminal, as ``cli/privacy.py`` decides) in clear in its context; the waivers that
    would keep those listed follow the problems, as YAML to paste."""
    lines: list[str] = []
    identifiers: list[Finding] = []
    shown: Counter[str] = Counter()
    hidden: Counter[str] = Counter()
    current = None
    for problem in report.problems:
        if not show_all and shown[problem.code] >= SHOWN_PER_CODE:
            hidden[problem.code] += 1
            continue
        shown[problem.code] += 1
        name = _file(problem, base)
        if name != current:
            lines.append(click.style(name, bold=True))
            current = name
        loc = problem.location
        where = f"{loc.line}:{loc.column}" if loc.column else str(loc.line or "")
        level = click.style(f"{problem.level:<7}", fg=COLOURS[problem.level])
        message = problem.message
        if problem.finding is not None:
            if problem.code == "patient-identifier":
                identifiers.append(problem.finding)
                if clear:
                    message = identifier_message(problem.finding, in_context(problem.finding), base)
            if loc.field:
                message = f"[{loc.field}] {message}"
        lines.append(f"  {where:<8} {level} {problem.code:<20} {message}")
        if problem.hint:
            lines.append(f"  {'':<8} {'':<7} {'':<20} hint: {problem.hint}")
    for code, count in sorted(hidden.items()):
        lines.append(f"… and {count} more {code} (--all lists every one)")
    waivers = waiver_lines(identifiers, base, clear)
    if waivers:
        lines += ["", *waivers]
    errors, warnings, infos = (report.count(x) for x in ("error", "warning", "info"))
    examined = ", ".join(f"{v} {k.replace('_', ' ')}" for k, v in report.summary.items())
    mark = click.style("✗", fg="red") if errors else click.style("✓", fg="green")
    if lines:
        lines.append("")
    lines.append(f"{mark} {errors} errors, {warnings} warnings, {infos} notes ({examined})")
    return lines
