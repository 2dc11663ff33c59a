"""Rendering: Jinja section templates and case data become one pandoc Markdown document.

Templates are untrusted input (co-authors write them), so they run in Jinja's
sandbox with ``StrictUndefined``: a missing value fails the build rather than
printing an empty string into a medical manuscript. Jinja's default comment
marker ``{#`` would swallow pandoc attributes such as ``{#sec-case}``, so
comments are written ``{## ... ##}`` instead.
"""

from __future__ import annotations

import types
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
import yaml
from jinja2.sandbox import SandboxedEnvironment

from .casedata import Age, Case, DayRef, Quantity, timeline_rows
from .errors import Location, TemplateError
from .manuscript import Manuscript

COMMENT_START = "{##"
COMMENT_END = "##}"


@dataclass(frozen=True)
class Section:
    """One rendered section."""

    name: str
    """Section name from ``manuscript.yaml``."""
    template: Path
    """The template file it came from."""
    markdown: str
    """Rendered Markdown."""


@dataclass(frozen=True)
class Document:
    """The rendered manuscript, before pandoc."""

    front: str
    """Title page and abstract."""
    sections: tuple[Section, ...]
    """Body sections in order."""
    back: str
    """Statements and the reference list heading."""
    metadata: Mapping[str, Any]
    """Pandoc metadata (title, lang, keywords...)."""

    @property
    def markdown(self) -> str:
        """The whole document as pandoc Markdown with a YAML metadata block."""
        head = yaml.safe_dump(dict(self.metadata), allow_unicode=True, sort_keys=True)
        body = "\n\n".join(
            part.strip("\n")
            for part in (self.front, *(s.markdown for s in self.sections), self.back)
        )
        return f"---\n{head}---\n\n{body}\n"


def day(ref: DayRef) -> str:
    """``DayRef('infusion', 28)`` → ``day +28``; day 0 prints as ``day 0``."""
    if ref.day == 0:
        return "day 0"
    return f"day {'+' if ref.day > 0 else '−'}{abs(ref.day)}"


def num(value: float, digits: int = 2) -> str:
    """A number without trailing zeros: 0.50 → ``0.5``, 3.0 → ``3``; minus sign typeset."""
    text = f"{value:,.{digits}f}".rstrip("0").rstrip(".") if digits else f"{value:,.0f}"
    return text.replace("-", "−")


def qty(quantity: Quantity, digits: int = 2) -> str:
    """A quantity with its unit; ``%`` is set closed up, other units after a space."""
    sep = "" if quantity.unit in ("%", "°") else " "
    return f"{num(quantity.value, digits)}{sep}{quantity.unit}"


def age_adjective(age: Age) -> str:
    """``Age(3, "months")`` → ``3-month-old``."""
    return f"{age.value}-{age.unit.rstrip('s')}-old"


def months(days: int) -> str:
    """Whole months in a number of days (a month being 365.25 / 12 days)."""
    return str(round(days / (365.25 / 12)))


FILTERS: Mapping[str, Callable[..., str]] = types.MappingProxyType(
    {"day": day, "num": num, "qty": qty, "age_adjective": age_adjective, "months": months}
)


def environment(templates: Path) -> SandboxedEnvironment:
    """The Jinja environment for a project's ``templates/`` folder."""
    env = SandboxedEnvironment(
        loader=jinja2.FileSystemLoader(templates),
        undefined=jinja2.StrictUndefined,
        comment_start_string=COMMENT_START,
        comment_end_string=COMMENT_END,
        keep_trailing_newline=True,
        autoescape=False,
    )
    env.filters.update(FILTERS)
    env.globals["timeline_rows"] = timeline_rows
    return env


def render_file(env: jinja2.Environment, name: str, templates: Path, **context: Any) -> str:
    """Render ``templates/<name>``, turning Jinja failures into located errors."""
    path = templates / name
    try:
        template = env.get_template(name)
        return template.render(**context)
    except jinja2.TemplateSyntaxError as exc:
        where = Path(exc.filename) if exc.filename else path
        raise TemplateError(
            f"syntax error: {exc.message}",
            Location(where, exc.lineno),
            hint="check the {% %} and {{ }} on that line",
        ) from None
    except jinja2.TemplateNotFound as exc:
        raise TemplateError(
            f"template {exc.name!r} not found",
            Location(path if exc.name != name else templates),
            hint=f"create templates/{exc.name} or fix the name",
        ) from None
    except jinja2.UndefinedError as exc:
        raise _located(exc, path, "undefined value: ") from None
    except jinja2.exceptions.SecurityError as exc:
        raise _located(exc, path, "not allowed in a template: ") from None
    except (TypeError, ValueError, AttributeError, ArithmeticError, LookupError) as exc:
        raise _located(exc, path, "") from None


def render_string(env: jinja2.Environment, source: str, where: Location, **context: Any) -> str:
    """Render template text held in a data file (e.g. the abstract in manuscript.yaml)."""
    try:
        return env.from_string(source).render(**context)
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(f"syntax error: {exc.message}", _shift(where, exc.lineno)) from None
    except jinja2.UndefinedError as exc:
        raise TemplateError(
            f"undefined value: {exc.message}", _shift(where, _template_line(exc, "<template>"))
        ) from None


def _shift(where: Location, lineno: int | None) -> Location:
    if where.line is None or lineno is None:
        return where
    return Location(where.path, where.line + lineno, None, where.field)


def _located(exc: Exception, path: Path, prefix: str) -> TemplateError:
    """Find the innermost template frame in the traceback for the line number."""
    filename, line = str(path), None
    tb = exc.__traceback__
    while tb is not None:
        code = tb.tb_frame.f_code.co_filename
        if code.endswith(".j2"):
            filename, line = code, tb.tb_lineno
        tb = tb.tb_next
    message = getattr(exc, "message", None) or str(exc)
    return TemplateError(
        f"{prefix}{message}",
        Location(Path(filename), line),
        hint="check the name against manuscript/case.yaml; a template cannot print a missing value",
    )


def _template_line(exc: Exception, marker: str) -> int | None:
    line = None
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == marker:
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def render_document(
    project_templates: Path, meta: Manuscript, case: Case, abstract_where: Location
) -> Document:
    """Render front matter, every section listed in ``meta.sections``, and back matter."""
    env = environment(project_templates)
    context: dict[str, Any] = {"meta": meta, "case": case}
    abstract = render_string(env, meta.abstract, abstract_where, **context)
    context["abstract"] = abstract.strip()
    sections = tuple(
        Section(
            name,
            project_templates / "sections" / f"{name}.md.j2",
            render_file(env, f"sections/{name}.md.j2", project_templates, **context),
        )
        for name in meta.sections
    )
    front = render_file(env, "front.md.j2", project_templates, **context)
    back = render_file(env, "back.md.j2", project_templates, **context)
    metadata: dict[str, Any] = {"title": meta.title, "lang": meta.lang}
    if meta.keywords:
        metadata["keywords"] = list(meta.keywords)
    if meta.running_title:
        metadata["running-title"] = meta.running_title
    # No `author` key: pandoc would print a second byline under the title in DOCX and
    # HTML; the byline with affiliations comes from front.md.j2 instead.
    return Document(front, sections, back, metadata)
