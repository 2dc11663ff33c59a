"""Rendering: Jinja section templates and case data become one pandoc Markdown document.

Templates are untrusted input (co-authors write them), so they run in Jinja's
sandbox with ``StrictUndefined``: a missing value fails the build rather than
printing an empty string into a medical manuscript. Jinja's default comment
marker ``{#`` would swallow pandoc attributes such as ``{#sec-case}``, so
comments are written ``{## ... ##}`` instead (``inputs/templates.py``).
"""

from __future__ import annotations

import bisect
import contextlib
import re
import types
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
import yaml
from jinja2.sandbox import SandboxedEnvironment

from casekit.core.errors import Location, TemplateError
from casekit.inputs.abbreviations import Abbreviation, Scope, new_scope
from casekit.inputs.casedata import Age, Case
from casekit.inputs.days import Anchor, DayRef, span
from casekit.inputs.journals import Journal
from casekit.inputs.manuscript import Manuscript
from casekit.inputs.placeholders import highlight
from casekit.inputs.prose import capfirst, literal
from casekit.inputs.quantities import Quantity, with_unit
from casekit.inputs.sourcemap import Printed, Rendered, shifted
from casekit.inputs.templates import COMMENT_END, COMMENT_START
from casekit.references.citations import find_citations
from casekit.rendering.counts import Counts, figures_and_tables, words
from casekit.rendering.figures import Figure, figure_spec
from casekit.rendering.headings import Headings, cited_region, first_heading
from casekit.rendering.helpers import register
from casekit.rendering.labels import Label, Labeller, marked, take_labels
from casekit.rendering.labs import lab_rows
from casekit.rendering.numbering import Numbering
from casekit.rendering.timeline import timeline_rows
from casekit.rendering.timeline_figure import FigureOptionError


@dataclass(frozen=True)
class Section:
    """One rendered section."""

    name: str
    """Section name from ``manuscript.yaml``."""
    template: Path
    """The template file it came from."""
    markdown: str
    """Rendered Markdown."""
    printed: tuple[Printed, ...] = ()
    """Where each stretch of ``markdown`` was written: template, line, literal or value."""
    labels: tuple[Label, ...] = ()
    """The labels placed in it (``label("R1.2")``), by offset into ``markdown``."""

    @property
    def heading(self) -> str:
        """The section's first heading as printed, else its name."""
        return first_heading(self.markdown) or self.name


@dataclass(frozen=True)
class Part:
    """A piece of the rendered document and the file that produced it."""

    source: Path
    """The template (or data file) the text was rendered from."""
    markdown: str
    """The rendered text."""
    labels: tuple[Label, ...] = ()
    """The labels placed in it, by offset into ``markdown``."""


@dataclass(frozen=True)
class Document:
    """The rendered manuscript, before pandoc."""

    front: str
    """Title page and abstract."""
    sections: tuple[Section, ...]
    """Body sections in order."""
    back: str
    """Statements and the reference list heading."""
    front_source: Path
    """Where the front matter's cited text comes from (the abstract, in manuscript.yaml)."""
    back_source: Path
    """The template of the end matter."""
    metadata: Mapping[str, Any]
    """Pandoc metadata (title, lang, keywords...)."""
    counts: Counts
    """Word and item counts, as journals define them."""
    abstract: str = ""
    """The rendered abstract (also part of ``front``)."""
    figures: tuple[Figure, ...] = ()
    """Figures the document places, with their options (drawn at build time)."""
    numbering: Numbering = field(default_factory=Numbering)
    """Figure and table numbers, with their mentions and placements."""
    abbreviation_scopes: dict[str, Scope] = field(default_factory=dict)
    """First-use tracking of abbreviations: the abstract, and the main text."""
    abstract_printed: tuple[Printed, ...] = ()
    """Where each stretch of ``abstract`` was written (lines of the abstract's own text)."""
    front_labels: tuple[Label, ...] = ()
    """The labels placed in the front matter (the abstract's among them)."""
    back_labels: tuple[Label, ...] = ()
    """The labels placed in the end matter (the statements' among them)."""
    front_printed: tuple[Printed, ...] = ()
    """Where each stretch of ``front`` was written (the abstract is one value there)."""
    back_printed: tuple[Printed, ...] = ()
    """Where each stretch of ``back`` was written (each statement is one value there)."""
    statements: tuple[tuple[str, str, tuple[Printed, ...]], ...] = ()
    """The statements the end matter prints: heading, rendered text, and where each
    stretch of it was written (lines of the statement's own text)."""

    @property
    def parts(self) -> tuple[Part, ...]:
        """Front matter, sections and end matter in reading order, each with its source."""
        return (
            Part(self.front_source, self.front, self.front_labels),
            *(Part(s.template, s.markdown, s.labels) for s in self.sections),
            Part(self.back_source, self.back, self.back_labels),
        )

    @property
    def rendered(self) -> tuple[Rendered, ...]:
        """Front matter, sections and end matter in reading order, each with where every
        stretch of it was written (the template lines and the values they printed)."""

        def piece(text: str, printed: tuple[Printed, ...], fallback: Path) -> Rendered:
            source = next((p.template for p in printed if p.template is not None), fallback)
            return Rendered(source, text, printed)

        return (
            piece(self.front, self.front_printed, self.front_source),
            *(Rendered(s.template, s.markdown, s.printed) for s in self.sections),
            piece(self.back, self.back_printed, self.back_source),
        )

    @property
    def labels(self) -> tuple[Label, ...]:
        """Every label placed, in reading order: the order of their marks in the PDF."""
        return tuple(label for part in self.parts for label in part.labels)

    @property
    def headings(self) -> Headings:
        """The headings that bound the cited text, as this document prints them: the first
        heading of the front matter (the abstract's) or else of the body, and the heading
        just before the reference list (``::: {#refs}``)."""
        return cited_region(self.front, [s.markdown for s in self.sections], self.back)

    @property
    def markdown(self) -> str:
        """The whole document as pandoc Markdown with a YAML metadata block, its
        placeholders highlighted (only here: checks and counts read the text as written)."""
        texts: list[str] = []
        first = 0  # placements are numbered through the whole document
        for part in self.parts:
            # Labels reach pandoc here only, as raw Typst (rendering/labels.py).
            texts.append(marked(part.markdown, part.labels, first))
            first += len(part.labels)
        return self.markdown_of(texts, self.metadata)

    @staticmethod
    def markdown_of(parts: Sequence[str], metadata: Mapping[str, Any]) -> str:
        """``parts`` (front, sections, back) and ``metadata`` as the one pandoc Markdown
        document :attr:`markdown` is (the DOCX writer reads them with anchors added)."""
        metadata = dict(metadata)
        if isinstance(metadata.get("title"), str):
            metadata["title"] = highlight(metadata["title"])
        head = yaml.safe_dump(metadata, allow_unicode=True, sort_keys=True)
        body = "\n\n".join(part.strip("\n") for part in parts)
        return f"---\n{head}---\n\n{highlight(body)}\n"


def attribute_value(text: str) -> str:
    """``text`` as the quoted value of a pandoc Markdown attribute (``alt="..."``): on one
    line, its backslashes and double quotes escaped (its no-break spaces kept)."""
    flat = re.sub(r"[ \t\r\n]+", " ", text).strip(" ")
    return '"' + flat.replace("\\", "\\\\").replace('"', '\\"') + '"'


def day(ref: DayRef) -> str:
    """``DayRef('admission', 28)`` → ``day +28``; day 0 prints as ``day 0``. In a template,
    ``day`` knows the case: ``{{ ref | day }}`` reads in the convention of the anchor the
    day was written against, ``{{ ref | day("admission") }}`` counts from admission."""
    return Anchor("").name_day(ref.day)


def num(value: float, digits: int = 2) -> str:
    """A number without trailing zeros: 0.50 → ``0.5``, 3.0 → ``3``; minus sign typeset."""
    text = f"{value:,.{digits}f}".rstrip("0").rstrip(".") if digits else f"{value:,.0f}"
    return text.replace("-", "−")


def qty(quantity: Quantity, digits: int = 2) -> str:
    """A quantity with its unit, rounded to ``digits`` decimals (see ``with_unit``)."""
    return with_unit(num(quantity.value, digits), quantity.unit)


def age_adjective(age: Age) -> str:
    """``Age(3, "months")`` → ``3-month-old``."""
    return f"{age.value}-{age.unit.rstrip('s')}-old"


def months(days: int) -> str:
    """Whole months in a number of days (a month being 365.25 / 12 days)."""
    return str(round(days / (365.25 / 12)))


FILTERS: Mapping[str, Callable[..., str]] = types.MappingProxyType(
    {
        "day": day,
        "num": num,
        "qty": qty,
        "age_adjective": age_adjective,
        "months": months,
        "span": span,
        "capfirst": capfirst,
        "literal": literal,
    }
)


def environment(templates: Path, cache: Path | None = None) -> SandboxedEnvironment:
    """The Jinja environment for a project's ``templates/`` folder.

    With ``cache``, compiled templates are kept there (keyed by their source's
    checksum), which saves compiling every template on every build.
    """
    bytecode_cache = None
    if cache is not None:
        try:
            (cache / "jinja").mkdir(parents=True, exist_ok=True)
            bytecode_cache = jinja2.FileSystemBytecodeCache(str(cache / "jinja"))
        except OSError:
            bytecode_cache = None  # an unwritable cache only costs time
    env = SandboxedEnvironment(
        loader=jinja2.FileSystemLoader(templates),
        bytecode_cache=bytecode_cache,
        undefined=jinja2.StrictUndefined,
        comment_start_string=COMMENT_START,
        comment_end_string=COMMENT_END,
        keep_trailing_newline=True,
        autoescape=False,
    )
    register(env, filters=FILTERS, helpers={"timeline_rows": timeline_rows, "lab_rows": lab_rows})
    return env


def render_file(env: jinja2.Environment, name: str, templates: Path, **context: Any) -> str:
    """Render ``templates/<name>``, turning Jinja failures into located errors."""
    return trace_file(env, name, templates, **context)[0]


def trace_file(
    env: jinja2.Environment, name: str, templates: Path, **context: Any
) -> tuple[str, tuple[Printed, ...]]:
    """``render_file``, with the template line that printed each stretch of the text."""
    with _template_errors(templates / name, None):
        return _traced(env.get_template(name), context)


def render_string(env: jinja2.Environment, source: str, where: Location, **context: Any) -> str:
    """Render template text held in a data file (e.g. the abstract in manuscript.yaml).

    Errors point into the data file: ``where`` is the line before the text starts.
    Text with no template syntax at all is its own rendering (compiling it would cost
    about a millisecond a statement, on every build).
    """
    return trace_string(env, source, where, **context)[0]


def trace_string(
    env: jinja2.Environment, source: str, where: Location, **context: Any
) -> tuple[str, tuple[Printed, ...]]:
    """``render_string``, with the line of ``source`` that printed each stretch."""
    markers = (env.block_start_string, env.variable_start_string, env.comment_start_string)
    if not any(marker in source for marker in markers):
        return source, (Printed(0, None, 1, True),)
    with _template_errors(where.path or Path("<string>"), where):
        return _traced(env.from_string(source), context)


def _traced(
    template: jinja2.Template, context: Mapping[str, Any]
) -> tuple[str, tuple[Printed, ...]]:
    """Render ``template`` piece by piece, as ``render`` would, noting for each piece the
    template and line that printed it, and whether it is the template's own text.

    Jinja yields the template's text as constants of its compiled code and each ``{{ }}``
    as a value; the suspended generator's frame says which template and where in its
    code is running (Jinja keeps the template in the code's globals, and maps the code's
    lines back to the template's). The text is the same as ``render``'s: the pieces
    joined."""
    pieces: list[str] = []
    seen: list[tuple[int, int, int, bool]] = []  # (offset, code id, bytecode offset, literal)
    # By the id of each code object (alive all along): hashing one would hash all of it.
    codes: dict[int, tuple[types.CodeType, jinja2.Template, frozenset[int]] | None] = {}
    offset = 0
    stream = template.generate(**context)
    for piece in stream:
        frame = _running_frame(stream)
        if piece and frame is not None:
            code = id(frame.f_code)
            if code not in codes:
                owner = frame.f_globals.get("__jinja_template__")
                codes[code] = (
                    (frame.f_code, owner, frozenset(map(id, frame.f_code.co_consts)))
                    if isinstance(owner, jinja2.Template)
                    else None
                )
            known = codes[code]
            if known is not None:
                seen.append((offset, code, frame.f_lasti, id(piece) in known[2]))
        pieces.append(piece)
        offset += len(piece)
    lines = {
        code: _template_lines(compiled, owner, {at for _, c, at, _ in seen if c == code})
        for code, (compiled, owner, _) in ((c, k) for c, k in codes.items() if k is not None)
    }
    paths = {code: _template_path(k[1]) for code, k in codes.items() if k is not None}
    printed = tuple(
        Printed(start, paths[code], lines[code][at], literal) for start, code, at, literal in seen
    )
    return "".join(pieces), printed


def _template_path(template: jinja2.Template) -> Path | None:
    name = template.filename
    return None if name in (None, _STRING) else Path(name)


def _template_lines(
    code: types.CodeType, template: jinja2.Template, offsets: set[int]
) -> dict[int, int]:
    """The template line running at each of ``offsets`` (bytecode offsets of ``code``).

    Jinja's rule (``Template.get_corresponding_lineno``): a line of the compiled code
    belongs to the template line of the last mark at or above it. A frame's ``f_lineno``
    decodes the code's line table from its start on every call, so the offsets are noted
    while rendering and turned into lines here, in one pass over the table."""
    marks = sorted((code_line, line) for line, code_line in template.debug_info)
    marked = [code_line for code_line, _ in marks]
    wanted = sorted(offsets, reverse=True)
    found: dict[int, int] = {}
    target = wanted.pop() if wanted else -1
    for begin, end, code_line in code.co_lines():
        if target < 0:
            break
        if end <= target:
            continue  # most of the table: one comparison each
        while 0 <= target < end:
            if target >= begin and code_line is not None:
                at = bisect.bisect_right(marked, code_line)
                found[target] = marks[at - 1][1] if at else 1
            target = wanted.pop() if wanted else -1
    return {at: found.get(at, 1) for at in offsets}


def _running_frame(stream: Iterator[str]) -> types.FrameType | None:
    """The frame of the template code that yielded last: the innermost ``yield from``."""
    generator: Any = stream
    while getattr(generator, "gi_yieldfrom", None) is not None:
        inner = generator.gi_yieldfrom
        if getattr(inner, "gi_frame", None) is None:
            break
        generator = inner
    frame: types.FrameType | None = getattr(generator, "gi_frame", None)
    return frame


_STRING = "<template>"  # the file name Jinja gives a template made from a string


@contextlib.contextmanager
def _template_errors(path: Path, data: Location | None) -> Iterator[None]:
    """Translate every way a template can fail into one located TemplateError."""

    def place(filename: str | None, line: int | None) -> Location:
        if data is not None and filename in (None, _STRING):
            shifted = data.line + line if data.line is not None and line is not None else None
            return Location(data.path, shifted, None, data.field)
        return Location(Path(filename) if filename else path, line)

    try:
        yield
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(
            f"syntax error: {exc.message}",
            place(exc.filename, exc.lineno),
            hint="check the {% %} and {{ }} on that line",
        ) from None
    except jinja2.TemplateNotFound as exc:
        raise TemplateError(
            f"template {exc.name!r} not found",
            Location(path),
            hint=f"create templates/{exc.name} or fix the name",
        ) from None
    except RecursionError:
        raise TemplateError(
            "templates include each other in a loop (or recurse too deeply)",
            Location(path),
            hint="check the {% include %} and {% extends %} chain starting here",
        ) from None
    except (
        jinja2.UndefinedError,
        jinja2.exceptions.SecurityError,
        TypeError,
        ValueError,
        AttributeError,
        ArithmeticError,
        LookupError,
    ) as exc:
        filename, line = _innermost_template_frame(exc)
        prefix = ""
        if isinstance(exc, jinja2.UndefinedError):
            prefix = "undefined value: "
        elif isinstance(exc, jinja2.exceptions.SecurityError):
            prefix = "not allowed in a template: "
        message = getattr(exc, "message", None) or str(exc)
        raise TemplateError(
            f"{prefix}{message}",
            place(filename, line),
            hint=getattr(exc, "hint", None)
            or "check the name against manuscript/case.yaml; a template cannot print a "
            "missing value",
        ) from None


def _innermost_template_frame(exc: BaseException) -> tuple[str | None, int | None]:
    """Jinja rewrites tracebacks so template frames carry the template's file and line."""
    filename, line = None, None
    tb = exc.__traceback__
    while tb is not None:
        code = tb.tb_frame.f_code.co_filename
        if code.endswith(".j2") or code == _STRING:
            filename, line = code, tb.tb_lineno
        tb = tb.tb_next
    return filename, line


def render_document(
    project_templates: Path,
    meta: Manuscript,
    case: Case,
    abstract_where: Location,
    cache: Path | None = None,
    journal: Journal | None = None,
    review: bool = False,
    abbreviations: Mapping[str, Abbreviation] | None = None,
    statement_where: Mapping[str, Location] | None = None,
) -> Document:
    """Render front matter, the body sections, and back matter.

    Sections come in ``meta.sections`` order, rearranged by the journal's
    ``section_order``. The title page can show counts, so the body is rendered
    first. A review copy (``review``) leaves out everything that names the authors.
    """
    env = environment(project_templates, cache)
    numbering = Numbering()
    placed_figures: dict[str, Figure] = {}

    def figure(
        name: str, caption: str, alt: str | None = None, kind: str | None = None, **options: Any
    ) -> str:
        spec = figure_spec(case, name, kind, alt, **options)
        if placed_figures.setdefault(name, spec) != spec:
            raise FigureOptionError(f"figure({name!r}) is placed twice, with other options")
        item = numbering.place("fig", name)
        # The alt attribute becomes the image's description in every writer (DOCX descr,
        # HTML alt, JATS alt-text; figures.lua gives it to Typst), the caption stays.
        return (
            f"![Figure {item.number}. {caption}](figures/{name})"
            f"{{#fig-{name} alt={attribute_value(spec.alt)}}}"
        )

    def table_caption(name: str, caption: str) -> str:
        return f": Table {numbering.place('tbl', name).number}. {caption}"

    def fig(name: str) -> str:
        return numbering.mention("fig", name)

    def tbl(name: str) -> str:
        return numbering.mention("tbl", name)

    register(
        env, helpers={"fig": fig, "tbl": tbl, "figure": figure, "table_caption": table_caption}
    )
    register(env, filters={"day": case.day})  # the case knows how each anchor counts days
    labeller = Labeller()
    register(env, helpers={"label": labeller})
    context: dict[str, Any] = {"meta": meta, "case": case, "journal": journal, "review": review}
    scopes = {name: new_scope(abbreviations) for name in ("abstract", "main text")}
    register(env, helpers={"abbr": scopes["abstract"]})
    labeller.string_source = abstract_where
    labelled_abstract, abstract_printed = shifted(
        *trace_string(env, meta.abstract, abstract_where, **context)
    )
    labeller.string_source = None
    # The front matter prints the abstract with its labels; the rest reads it without.
    abstract, abstract_printed, _ = take_labels(labelled_abstract, abstract_printed, labeller.calls)
    register(env, helpers={"abbr": scopes["main text"]})
    context["abstract"] = labelled_abstract

    def section(name: str) -> Section:
        text, printed = trace_file(env, f"sections/{name}.md.j2", project_templates, **context)
        text, printed, labels = take_labels(text, printed, labeller.calls)
        return Section(
            name, project_templates / "sections" / f"{name}.md.j2", text, printed, labels
        )

    sections = tuple(
        section(name) for name in _ordered(meta.sections, journal.section_order if journal else ())
    )
    with_abstract = journal is None or journal.abstract != "none"
    cited = {k for s in sections for c in find_citations(s.markdown) for k in c.keys}
    context["counts"] = Counts(
        sections={s.name: words(s.markdown) for s in sections},
        abstract_words=words(abstract) if with_abstract else 0,
        references=len(cited | {k for c in find_citations(abstract) for k in c.keys}),
        figures_tables=sum(figures_and_tables(s.markdown) for s in sections),
        title_characters=len(meta.title),
        authors=len(meta.authors),
    )
    # Statements are templates too: a patient-perspective statement can print the
    # case data's own words, `{{ case.patient_perspective }}`, instead of a copy.
    statements: dict[str, tuple[str, tuple[Printed, ...]]] = {}
    for heading, text in meta.statements.items():
        if review and heading in meta.review_omits:
            continue
        where = (statement_where or {}).get(heading, abstract_where)
        labeller.string_source = where
        statements[heading] = shifted(*trace_string(env, text, where, **context))
    labeller.string_source = None
    context["statements"] = {heading: text for heading, (text, _) in statements.items()}
    used = dict.fromkeys([*scopes["abstract"].used, *scopes["main text"].used])
    context["abbreviations"] = sorted(
        ((short, (abbreviations or {})[short].long) for short in used),
        key=lambda p: p[0].lower(),
    )
    front, front_printed, front_labels = take_labels(
        *trace_file(env, "front.md.j2", project_templates, **context), labeller.calls
    )
    back, back_printed, back_labels = take_labels(
        *trace_file(env, "back.md.j2", project_templates, **context), labeller.calls
    )
    metadata: dict[str, Any] = {"title": meta.title, "lang": meta.lang}
    if meta.keywords:
        metadata["keywords"] = list(meta.keywords)
    if meta.running_title:
        metadata["running-title"] = meta.running_title
    # No `author` key: pandoc would print a second byline under the title in DOCX and
    # HTML (and put the names in the document properties of a blinded copy); the
    # byline with affiliations comes from front.md.j2 instead.
    return Document(
        front,
        sections,
        back,
        abstract_where.path or project_templates / "front.md.j2",
        project_templates / "back.md.j2",
        metadata,
        context["counts"],
        abstract,
        tuple(placed_figures.values()),
        numbering,
        scopes,
        abstract_printed,
        front_labels,
        back_labels,
        front_printed,
        back_printed,
        tuple(
            (heading, *take_labels(text, printed, labeller.calls)[:2])
            for heading, (text, printed) in statements.items()
        ),
    )


def _ordered(sections: tuple[str, ...], preferred: tuple[str, ...]) -> list[str]:
    """``sections`` with those named in ``preferred`` first, in that order."""
    rank = {name: i for i, name in enumerate(preferred)}
    return sorted(sections, key=lambda name: rank.get(name, len(rank)))
