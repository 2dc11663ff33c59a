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
import ipaddress
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from casekit.core import cachefile
from casekit.core.paths import shown
from casekit.inputs.templates import blank_template_code, template_files

_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)
_YEAR = r"(?:1[89]\d{2}|20\d{2})"
_PLACE_WORD = (
    r"(?:Hospital|Medical Cent(?:er|re)|Clinic|Infirmary|Health System|Healthcare|"
    r"Children'?s Hospital|University Hospital|Medical School|County|Township)"
)

RULES: tuple[tuple[str, str | tuple[str, int]], ...] = (
    # (C) dates: every element but the year
    ("date", (rf"\b{_YEAR}[-/.](?:0?[1-9]|1[0-2])[-/.](?:0?[1-9]|[12]\d|3[01])\b")),
    ("date", (r"\b(?:0?[1-9]|[12]\d|3[01])[/.](?:0?[1-9]|1[0-2])[/.](?:\d{4}|\d{2})\b")),
    ("date", (rf"\b{_MONTH}\.?\s+(?:[0-3]?\d(?:st|nd|rd|th)?,?\s*)?{_YEAR}\b")),
    ("date", (rf"\b{_MONTH}\.?\s+[0-3]?\d(?:st|nd|rd|th)\b")),
    ("date", (rf"\b{_MONTH}\s+[0-3]?\d\b(?=\s*(?:,|$|\.|;))")),
    ("date", (rf"\b[0-3]?\d(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}\b\.?(?:\s+{_YEAR})?")),
    (
        "date",
        # A number after "admitted" may be a date; a relative day ("admitted on hospital
        # day 4") or a span ("discharged after 6 days") is not.
        (
            r"\b(?:born|admitted|discharged|died|DOB|date of birth)\b[^.\n]{0,20}"
            r"(?<!\d)(?<!day )(?<!days )(?<!day \+)(?<!day −)(?<!week )(?<!weeks )"
            r"(?<!month )(?<!months )(?<!year )(?<!years )\d+"
            r"(?![\d.,]*\s*(?:days?|weeks?|months?|years?|hours?|h|am|pm)\b)",
            re.IGNORECASE,
        ),
    ),
    # (C) ages over 89
    (
        "age over 89",
        (
            r"\b(?:9\d|1[0-4]\d)(?:[- ]|\s*-\s*)(?:years?|yrs?|y)(?:[- ]old)?\b|"
            r"\baged?\s+(?:9\d|1[0-4]\d)\b",
            re.IGNORECASE,
        ),
    ),
    # (D, E) telephone and fax numbers
    (
        "phone or fax number",
        (
            r"(?:\+\d{1,3}[\s.-]?)?\(?\b\d{3}\)?[\s.-]\d{3}[\s.-]\d{4}\b|"
            r"\+\d{1,3}(?:[\s.-]\d{2,4}){2,4}\b|"
            r"\b(?:tel|phone|fax|mobile|cell)\b\.?:?\s*[+\d][\d\s().-]{6,}\d",
            re.IGNORECASE,
        ),
    ),
    # (F) email addresses
    ("email address", (r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")),
    # (N) URLs
    ("URL", (r"\bhttps?://\S+|\bwww\.[\w-]+\.\S+", re.IGNORECASE)),
    # (O) IP addresses (checked as real addresses below)
    ("IP address", (r"\b(?:\d{1,3}\.){3}\d{1,3}\b")),
    # (G) social security numbers
    ("social security number", (r"\b\d{3}-\d{2}-\d{4}\b")),
    # (H-M, R) record, plan, account, licence, certificate, vehicle, device numbers
    (
        "record or account number",
        (
            r"\b(?:MRN|medical record(?: number| no\.?)?|record (?:number|no\.?)|"
            r"chart (?:number|no\.?)|account(?: number| no\.?)?|acct\.?|"
            r"health plan(?: number| ID)?|member ID|policy(?: number| no\.?)?|"
            r"beneficiary(?: number| ID)?|licen[cs]e(?: number| no\.?| plate)?|"
            r"certificate(?: number| no\.?)?|serial(?: number| no\.?)?|device ID|VIN|"
            r"plate(?: number)?|patient ID|case (?:number|no\.?))"
            # An identifier holds a digit: "serial biomarkers" names no device.
            r"(?![a-z])\s*[:#]?\s*(?=[A-Z-]*\d)[A-Z0-9][A-Z0-9-]{3,}",
            re.IGNORECASE,
        ),
    ),
    ("record or account number", (r"(?<![\d.,×^⁰-⁹/])\b\d{7,}\b(?![.,]\d)")),
    # (B) ZIP codes, where an address gives them away
    (
        "ZIP code",
        (
            r"\b(?:ZIP|postal code|post code)\b:?\s*\d{5}(?:-\d{4})?|"
            r"\b[A-Z]{2}\s+\d{5}(?:-\d{4})?\b",
            re.IGNORECASE,
        ),
    ),
    # (A) names
    (
        "name",
        (
            r"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Master|Baby(?: (?:boy|girl))?)\.?\s+[A-Z][a-z]+\b|"
            r"\b(?:named|called|nicknamed)\s+[A-Z][a-z]+\b|"
            r"\b(?:patient|mother|father|sibling|brother|sister|daughter|son|donor)\s+[A-Z][a-z]+"
            r"\s+[A-Z][a-z]+\b"
        ),
    ),
    # (B) places and institutions
    (
        "place",
        (
            rf"\b(?:[A-Z][\w'.-]*\s+){{1,4}}{_PLACE_WORD}\b|"
            rf"\b{_PLACE_WORD}\s+of\s+[A-Z][a-z]+(?:\s+[A-Z][a-z]+)*|"
            r"\b(?:St\.|Saint|Mount|Mt\.)\s+[A-Z][a-z]+(?:'s)?\b|"
            r"\b[A-Z][a-z]+(?:\s[A-Z][a-z]+)?,\s(?:AL|AK|AZ|AR|CA|CO|CT|DE|FL|GA|HI|ID|IL|IN|IA|KS|KY|"
            r"LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ|NM|NY|NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|"
            r"WA|WV|WI|WY)\b"
        ),
    ),
    # (Q) full-face photographs
    (
        "photograph",
        (
            r"!\[[^\]]*\]\([^)]*(?:face|photo|portrait|selfie)[^)]*\)|"
            r"!\[[^\]]*(?:face|photograph|portrait)[^\]]*\]",
            re.IGNORECASE,
        ),
    ),
)
"""(category, regular expression[, flags]); the comments give the Safe Harbor letters.
Compiled on first use: a build whose sources are unchanged reuses the cached result."""


@cache
def patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    compiled = []
    for category, rule in RULES:
        regex, flags = (rule, 0) if isinstance(rule, str) else rule
        compiled.append((category, re.compile(regex, flags)))
    return tuple(compiled)


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
    cleaned = _CITATION.sub(lambda m: " " * len(m.group(0)), blank_template_code(text))
    seen: set[tuple[int, int]] = set()
    for category, pattern in patterns():
        for match in pattern.finditer(cleaned):
            found = match.group(0).strip()
            if category == "IP address" and not _is_ip(found):
                continue
            start = match.start() + (len(match.group(0)) - len(match.group(0).lstrip()))
            if any(a <= start < b for a, b in seen):
                continue  # one finding per stretch of text
            seen.add((start, start + len(found)))
            line = cleaned.count("\n", 0, start)
            column = start - (cleaned.rfind("\n", 0, start) + 1) + 1
            yield Finding(category, found, path, first_line + line, column)


def _is_ip(text: str) -> bool:
    try:
        ipaddress.IPv4Address(text)
    except ValueError:
        return False
    return True


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


GATE_VERSION = 1
"""Bump when the patterns change, so no cached result outlives them."""


def _cached_scan(sources: list[tuple[Path, int, str, bool]], cache: Path | None) -> list[Finding]:
    digest = hashlib.sha256(repr((RULES, sources)).encode("utf-8")).hexdigest()
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
