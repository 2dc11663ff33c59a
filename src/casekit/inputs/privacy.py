"""The de-identification gate: HIPAA Safe Harbor identifiers never reach an output.

The gate scans the case data, the templates, the manuscript's own text and the
rendered body for the Safe Harbor categories (45 CFR 164.514(b)(2)): dates more
specific than a year, ages over 89, phone and fax numbers, email addresses, URLs,
IP addresses, record-, account- and licence-like numbers, ZIP codes, names and
places, and photographs. Reference entries, the author list and the affiliations
are not patient data and are not scanned. A finding can be waived only in
manuscript.yaml, for one exact text, with a written reason.

Offending text is masked whenever it is shown, so a report can be pasted into an
issue tracker without repeating the identifier.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from casekit.core import cachefile
from casekit.core.paths import shown
from casekit.inputs.templates import blank_template_code, template_files

# Rendered or typed text the patterns may see that is never an identifier.
_CITATION = re.compile(r"\[[^\[\]]*@[^\[\]]*\]|(?<![\w])@[\w:.#$%&+?<>~/-]+")


@dataclass(frozen=True)
class Finding:
    """One suspected identifier."""

    category: str
    """Safe Harbor category, e.g. ``date``."""
    text: str
    """The offending text (never shown unmasked)."""
    path: Path
    """File it was found in."""
    line: int
    """1-based line."""
    column: int
    """1-based column."""

    @property
    def masked(self) -> str:
        return mask(self.text)


@dataclass(frozen=True)
class Waiver:
    """An author's decision that one finding is not an identifier, or is consented."""

    text: str
    """The exact text found."""
    category: str
    """Its category."""
    reason: str
    """Why it may stay (required)."""
    file: str | None = None
    """Limit the waiver to one file (relative to the project)."""


def mask(text: str) -> str:
    """``2021-03-04`` → ``2••••••••4``: enough to find it, not enough to read it."""
    text = text.strip()
    if len(text) <= 2:
        return "•" * len(text)
    return text[0] + "•" * (len(text) - 2) + text[-1]


def scan_text(text: str, path: Path, first_line: int = 1) -> Iterator[Finding]:
    """Findings in ``text``, which starts at ``first_line`` of ``path``."""
    from casekit.inputs.identifiers import find_identifiers

    cleaned = _CITATION.sub(lambda m: " " * len(m.group(0)), blank_template_code(text))
    for span in find_identifiers(cleaned):
        found = cleaned[span.start : span.end]
        line = cleaned.count("\n", 0, span.start)
        column = span.start - (cleaned.rfind("\n", 0, span.start) + 1) + 1
        yield Finding(span.category, found, path, first_line + line, column)


def waived(finding: Finding, waivers: Iterable[Waiver], root: Path) -> Waiver | None:
    """The waiver covering ``finding``, if any."""
    relative = shown(finding.path, root)
    for waiver in waivers:
        same = waiver.text == finding.text and waiver.category == finding.category
        if same and waiver.file in (None, relative):
            return waiver
    return None


@dataclass(frozen=True)
class GateResult:
    """What the gate found in a project."""

    findings: tuple[Finding, ...]
    """Identifiers not waived: the build refuses to run."""
    waived: tuple[tuple[Finding, Waiver], ...]
    """Findings an author waived, with the waiver."""


def scan_project(
    root: Path,
    case_yaml: Path,
    templates: Path,
    manuscript: tuple[Path, list[tuple[int, str]]],
    rendered: Iterable[tuple[Path, str]],
    waivers: Iterable[Waiver],
    cache: Path | None = None,
) -> GateResult:
    """Scan case data, templates, the manuscript's own text and the rendered body.

    ``manuscript`` is manuscript.yaml with the (line, text) of the fields that can
    hold patient data: title, abstract, keywords and statements, but not the authors
    or affiliations. ``rendered`` holds (source file, text) for the rendered body.
    With ``cache``, the findings for exactly these texts are reused: the scan is a
    pure function of them.
    """
    sources: list[tuple[Path, int, str, bool]] = []  # (file, first line, text, rendered?)
    if case_yaml.is_file():
        sources.append(
            (case_yaml, 1, case_yaml.read_text(encoding="utf-8", errors="replace"), False)
        )
    for path in template_files(templates):
        sources.append((path, 1, path.read_text(encoding="utf-8", errors="replace"), False))
    path, fields = manuscript
    sources += [(path, line, text, False) for line, text in fields]
    sources += [(source, 1, text, True) for source, text in rendered]
    found = _cached_scan(sources, cache)
    waiver_list = list(waivers)
    open_findings: list[Finding] = []
    covered: list[tuple[Finding, Waiver]] = []
    for finding in found:
        waiver = waived(finding, waiver_list, root)
        if waiver is None:
            open_findings.append(finding)
        else:
            covered.append((finding, waiver))
    return GateResult(tuple(open_findings), tuple(covered))


GATE_VERSION = 2
"""Bump when the detectors or their word lists change, so no cached result outlives them."""


def _cached_scan(sources: list[tuple[Path, int, str, bool]], cache: Path | None) -> list[Finding]:
    from casekit.inputs.identifiers import fingerprint

    digest = hashlib.sha256(repr((fingerprint(), sources)).encode("utf-8")).hexdigest()
    record = cache / f"privacy-{digest}.json" if cache else None
    data = cachefile.read(record, GATE_VERSION, digest)
    if data is not None:
        try:
            return [Finding(c, t, Path(p), line, col) for c, t, p, line, col in data["findings"]]
        except (KeyError, TypeError, ValueError):
            pass  # a record of another shape: scan again
    found: list[Finding] = []
    for source, first_line, text, rendered in sources:
        if not rendered:
            found += scan_text(text, source, first_line)
    known = {(f.category, f.text) for f in found}
    for source, _, text, rendered in sources:
        if rendered:
            # What a template printed from the case data was found at its source already.
            found += [f for f in scan_text(text, source) if (f.category, f.text) not in known]
    rows = [[f.category, f.text, str(f.path), f.line, f.column] for f in found]
    cachefile.write(record, GATE_VERSION, digest, {"findings": rows}, "privacy-*.json")
    return found
