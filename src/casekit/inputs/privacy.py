"""The de-identification gate: HIPAA Safe Harbor identifiers never reach an output.

The gate scans the case data, the templates, the manuscript's own text and the
rendered body for the Safe Harbor categories (45 CFR 164.514(b)(2)): dates more
specific than a year, ages over 89, phone and fax numbers, email addresses, URLs,
IP addresses, record-, account- and licence-like numbers, ZIP codes, names and
places, and photographs. Reference entries, the author list and the affiliations
are not patient data and are not scanned. A finding can be waived only in
manuscript.yaml, for one exact text, with a written reason.

Each finding names the place an author can edit: the line and column of the case data,
template or manuscript field that holds it, with the field (``manuscript/case.yaml:14:9
[timeline.3.note]``). What a template printed is traced back through the record of what
each template line printed (``inputs/sourcemap.py``): to the template text, or to the
data value it printed. Offending text is masked wherever a report may be shared; only the
command line decides when the author's own terminal may show it, in its context.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from casekit.core import cachefile
from casekit.core.errors import Location, PrivacyError
from casekit.core.paths import shown
from casekit.inputs.sourcemap import Rendered, Sources, locate
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
    line: int | None
    """1-based line (None only when a template printed it and the line cannot be told)."""
    column: int | None
    """1-based column."""
    field: str | None = None
    """Dotted field of a YAML file whose value holds it (``timeline.3.note``)."""
    before: str = ""
    """A few words before it, as scanned: clear text, for the author's terminal only."""
    after: str = ""
    """A few words after it, likewise."""
    also: tuple[Location, ...] = ()
    """Other places that wrote part of it: the template line that printed a data value,
    or the value a template line printed."""

    @property
    def masked(self) -> str:
        return mask(self.text)

    @property
    def location(self) -> Location:
        """Where it was found: file, line, column and field."""
        return Location(self.path, self.line, self.column, self.field)


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


REASON_PLACEHOLDER = "[TO DO: why this is not an identifier]"
"""The reason of a waiver printed for an author to paste: ``casekit check`` reports it as
a placeholder until the author writes the real reason."""


def waiver_for(finding: Finding, root: Path) -> Waiver:
    """The waiver that covers exactly ``finding``: its text and category, in its file."""
    return Waiver(finding.text, finding.category, REASON_PLACEHOLDER, shown(finding.path, root))


HINT = (
    "remove it (days relative to an anchor; no names, places or numbers), or, if it is not "
    "an identifier, waive it under privacy_waivers in manuscript.yaml with a reason"
)


class IdentifierFound(PrivacyError):
    """A finding that stops the build. Its message shows the text masked; the command line
    may show :attr:`finding` in clear on the author's own terminal."""

    def __init__(self, finding: Finding, base: Path | None = None) -> None:
        super().__init__(
            identifier_message(finding, repr(finding.masked), base), finding.location, HINT
        )
        self.finding = finding


def identifier_message(finding: Finding, shown: str, base: Path | None = None) -> str:
    """What was found, ``shown`` standing for its text (masked, or in clear in context),
    and where the rest of it was written: ``date 'a••••9' looks like a patient identifier;
    printed with manuscript/case.yaml:24:7 [diagnosis.tests.2.result]``."""
    message = f"{finding.category} {shown} looks like a patient identifier"
    if finding.line is None:
        return message + f"; printed by {finding.location.describe(base)} (line unknown)"
    if finding.also:
        message += "; printed with " + ", ".join(w.describe(base) for w in finding.also[:3])
    return message


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
    """The waiver covering ``finding``, if any: same text and category, and no file or one
    that wrote it (where it was found, or the template or data file that printed part of
    it, so a waiver written for the template that printed a value still holds)."""
    files = {shown(finding.path, root)}
    files |= {shown(where.path, root) for where in finding.also if where.path is not None}
    for waiver in waivers:
        same = waiver.text == finding.text and waiver.category == finding.category
        if same and (waiver.file is None or waiver.file in files):
            return waiver
    return None


@dataclass(frozen=True)
class GateResult:
    """What the gate found in a project."""

    findings: tuple[Finding, ...]
    """Identifiers not waived: the build refuses to run."""
    waived: tuple[tuple[Finding, Waiver], ...]
    """Findings an author waived, with the waiver."""


@dataclass(frozen=True)
class _Source:
    """One text the gate scans."""

    path: Path
    """The file it is in, or the template that printed it."""
    first_line: int
    """The line of ``path`` it starts on (1 for a whole file)."""
    text: str
    """The text."""
    field: str | None = None
    """The YAML field whose value it is (a manuscript field)."""
    rendered: Rendered | None = None
    """What a template printed, with where each stretch was written."""


def scan_project(
    root: Path,
    case_yaml: Path,
    templates: Path,
    manuscript: tuple[Path, list[tuple[str, str]]],
    rendered: Iterable[Rendered],
    waivers: Iterable[Waiver],
    cache: Path | None = None,
    data: Sequence[Path] = (),
) -> GateResult:
    """Scan case data, templates, the manuscript's own text and the rendered body.

    ``manuscript`` is manuscript.yaml with the (field, text) of the fields that can hold
    patient data: title, abstract, keywords and statements, but not the authors or
    affiliations. ``rendered`` holds the rendered body, each text with where its stretches
    were written; ``data`` names other YAML files whose values templates print (the
    abbreviations). With ``cache``, the findings for exactly these texts are reused: the
    scan is a pure function of them.
    """
    sources: list[_Source] = []
    if case_yaml.is_file():
        sources.append(
            _Source(case_yaml, 1, case_yaml.read_text(encoding="utf-8", errors="replace"))
        )
    for path in template_files(templates):
        sources.append(_Source(path, 1, path.read_text(encoding="utf-8", errors="replace")))
    path, fields = manuscript
    sources += [_Source(path, 1, text, field) for field, text in fields]
    sources += [_Source(r.source, 1, r.text, None, r) for r in rendered]
    scanned = _cached_scan(sources, cache)
    found: list[Finding] = []
    if scanned:  # read the files again only to place what was found
        files = Sources([case_yaml, path, *data], skip=("privacy_waivers",))
        found = [_placed(finding, sources[index], files) for index, finding in scanned]
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


def _placed(finding: Finding, source: _Source, files: Sources) -> Finding:
    """``finding`` at the place an author edits, with the words around it.

    A finding in a file keeps its line and column and gains the YAML field it is in; one in
    a manuscript field is placed in manuscript.yaml; one in rendered text is traced to the
    template text or the data value that printed it."""
    text = source.text
    start = _offset(text, (finding.line or 1) - source.first_line + 1, finding.column or 1)
    end = start + len(finding.text)
    before, after = context(text, start, end)
    placed = replace(finding, before=before, after=after)
    if source.rendered is not None:
        where, also = locate(source.rendered, start, end, files)
        return replace(
            placed,
            path=where.path or source.path,
            line=where.line,
            column=where.column,
            field=where.field,
            also=also,
        )
    if source.field is not None:
        scalar = files.scalar(source.path, source.field)
        if scalar is None:
            return replace(placed, field=source.field)
        at = scalar.offset_of(files.text(source.path), start, end)
        where = files.location(source.path, at, source.field)
        return replace(placed, line=where.line, column=where.column, field=source.field)
    if source.path.suffix in (".yaml", ".yml"):
        return replace(placed, field=files.field_at(source.path, start))
    return placed


def _offset(text: str, line: int, column: int) -> int:
    """The offset of a 1-based line and column in ``text``."""
    at = 0
    for _ in range(line - 1):
        at = text.find("\n", at) + 1
    return at + column - 1


CONTEXT = 40
"""Characters of context shown on either side of a finding, at most, cut at a word."""


def context(text: str, start: int, end: int, width: int = CONTEXT) -> tuple[str, str]:
    """The words on the line before ``text[start:end]`` and after it, an ellipsis marking
    where they are cut: ``("…was ", " on day 4")``."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    before = text[max(line_start, start - width) : start].lstrip()
    if start - width > line_start:
        before = "…" + before.split(" ", 1)[-1]
    after = text[end : min(line_end, end + width)].rstrip()
    if end + width < line_end:
        after = after.rsplit(" ", 1)[0] + "…"
    return before, after


GATE_VERSION = 3
"""Bump when the cached record changes; the detectors' fingerprint covers their rules and
word lists, so no cached result outlives them either."""


def _cached_scan(sources: list[_Source], cache: Path | None) -> list[tuple[int, Finding]]:
    """(index of the source, finding) for every finding, in the order of the sources."""
    key = [(s.path, s.first_line, s.text, s.rendered is not None) for s in sources]
    from casekit.inputs.identifiers import fingerprint

    digest = hashlib.sha256(repr((fingerprint(), key)).encode("utf-8")).hexdigest()
    record = cache / f"privacy-{digest}.json" if cache else None
    data = cachefile.read(record, GATE_VERSION, digest)
    if data is not None:
        try:
            return [
                (i, Finding(c, t, sources[i].path, line, col))
                for i, c, t, line, col in data["findings"]
            ]
        except (KeyError, TypeError, ValueError, IndexError):
            pass  # a record of another shape: scan again
    found: list[tuple[int, Finding]] = []
    for index, source in enumerate(sources):
        if source.rendered is None:
            found += [(index, f) for f in scan_text(source.text, source.path, source.first_line)]
    known = {(f.category, f.text) for _, f in found}
    for index, source in enumerate(sources):
        if source.rendered is not None:
            # What a template printed from the case data was found at its source already.
            found += [
                (index, f)
                for f in scan_text(source.text, source.path)
                if (f.category, f.text) not in known
            ]
    rows = [[i, f.category, f.text, f.line, f.column] for i, f in found]
    cachefile.write(record, GATE_VERSION, digest, {"findings": rows}, "privacy-*.json")
    return found
