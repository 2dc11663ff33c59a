"""The de-identification gate's findings as the command line shows them.

Whether a finding's text may be shown in clear is decided here, once
(:func:`shows_clear_text`), for ``casekit build``, ``watch`` and ``check`` alike: only on
the author's own terminal, and never under CI or with ``--mask``. Anywhere else (a pipe,
a log file, CI, ``--format json``) the text is masked, so a report can be pasted into an
issue tracker without repeating the identifier. In clear, a finding is shown in the words
around it, the flagged part in brackets, and the waiver that would keep it is printed
ready to paste into manuscript.yaml.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import IO

import click

from casekit.core.errors import CasekitError, PrivacyError
from casekit.inputs.privacy import Finding, IdentifierFound, Waiver, identifier_message, waiver_for

NOT_CI = ("", "0", "false", "no")
"""Values of ``CI`` that do not mean a CI run (``CI=false`` switches it off)."""


def shows_clear_text(stream: IO[str], mask: bool | None) -> bool:
    """Whether a report written to ``stream`` may show what the gate found in clear.

    ``mask`` is the command line's choice: True for ``--mask``, False for ``--no-mask``,
    None to decide here: clear only on an interactive terminal outside CI."""
    if mask is not None:
        return not mask
    if os.environ.get("CI", "").strip().lower() not in NOT_CI:
        return False
    return stream.isatty()


def in_context(finding: Finding) -> str:
    """``“…was [admitted with fever of 39].5–40.1 °C”``: the text in clear, marked, in
    the words around it (bold and underlined too, where colour is shown)."""
    flagged = click.style(f"[{finding.text}]", bold=True, underline=True)
    return f"“{finding.before}{flagged}{finding.after}”"


def waiver_lines(findings: Iterable[Finding], base: Path, clear: bool) -> list[str]:
    """The waivers that would keep ``findings``, as YAML to paste into manuscript.yaml,
    one per text, after a line that says what to do with them; masked, they say how to
    get the clear form."""
    waivers: dict[Waiver, Finding] = {}
    for finding in findings:
        waivers.setdefault(waiver_for(finding, base), finding)
    if not waivers:
        return []
    manuscript = "manuscript/manuscript.yaml"
    if clear:
        lines = [
            f"to keep a finding that is not an identifier, paste its waiver into {manuscript} "
            "(only the lines below privacy_waivers: if that key is there already) and "
            "write the reason in place of the placeholder:"
        ]
    else:
        lines = [
            f"waivers to paste into {manuscript}, masked here (on a terminal, or with "
            "--no-mask, they show the text):"
        ]
    lines.append("privacy_waivers:")
    for waiver, finding in waivers.items():
        lines += [
            f"  - text: {_quoted(waiver.text if clear else finding.masked)}",
            f"    category: {_quoted(waiver.category)}",
            *([f"    file: {_quoted(waiver.file)}"] if waiver.file else []),
            f"    reason: {_quoted(waiver.reason)}",
        ]
    return lines


def _quoted(text: str) -> str:
    """A double-quoted YAML string: JSON's escapes are YAML's, and YAML reads it back as is."""
    return json.dumps(text, ensure_ascii=False)


def error_lines(errors: Sequence[CasekitError], base: Path | None, mask: bool | None) -> list[str]:
    """Errors as stderr shows them: ``casekit: `` and one line each, a finding in clear
    where allowed; then the waivers that would keep the findings, as YAML to paste."""
    clear = shows_clear_text(sys.stderr, mask)
    lines: list[str] = []
    found: list[Finding] = []
    for error in errors:
        if isinstance(error, IdentifierFound):
            found.append(error.finding)
            if clear:
                message = identifier_message(error.finding, in_context(error.finding), base)
                error = PrivacyError(message, error.location, error.hint)
        lines.append(f"casekit: {error.one_line(base)}")
    waivers = waiver_lines(found, base or Path.cwd(), clear)
    if waivers:
        lines += [f"casekit: {waivers[0]}", *waivers[1:]]
    return lines
