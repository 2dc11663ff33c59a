"""The build plan: what one build makes and where, decided once.

The command line asks for formats, a style, a journal and a review copy; the
manuscript and the journal profile say the rest. :func:`make_plan` turns them into
one frozen :class:`Plan`: the CSL style (with its parent and citation look), the
journal profile, whether this is a blinded review copy, the output folder, and the
formats with their output paths. Build, watch, check and care take the plan; none
of them decides again. The build records the plan in the manifest, so whatever
inspects the outputs later (check, verify) reads what was built instead of working
it out a second time.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from casekit.building.manifest import MANIFEST
from casekit.core.errors import InputError, StyleError
from casekit.core.project import Project
from casekit.core.yamlfile import Loaded
from casekit.inputs.journals import Journal, Layout, Pdf, Profile, load_profile
from casekit.inputs.manuscript import Manuscript, load_manuscript
from casekit.references.styles import Style, resolve_style
from casekit.typesetting.formats import FORMATS


@dataclass(frozen=True)
class Request:
    """What the command line asks of a build; the plan decides everything else."""

    project: Project
    """The project to build."""
    formats: tuple[str, ...] = ()
    """Output formats, e.g. ``("pdf", "docx")``; empty means the journal's, or pdf."""
    style: str | None = None
    """CSL style overriding the journal's and the manuscript's."""
    command: tuple[str, ...] = ()
    """The command line, recorded in the manifest."""
    journal: str | None = None
    """Journal profile name; outputs go to ``build/<journal>/``."""
    review: bool = False
    """A blinded review copy (also when the journal profile says ``blinded: true``)."""
    jobs: int = 2
    """Formats made at once (pandoc and Typst run as separate processes)."""


@dataclass(frozen=True)
class Plan:
    """One build, decided: every later stage reads it and none decides again."""

    project: Project
    """The project being built."""
    manuscript: Loaded[Manuscript]
    """The manuscript's metadata, with the line of every field."""
    style: Style
    """The CSL style: the command line's, else the journal's, else the manuscript's."""
    profile: Profile | None
    """The journal profile, if the build is for a journal."""
    review: bool
    """Whether this is a blinded review copy."""
    folder: Path
    """Where the outputs and their manifest go."""
    formats: tuple[str, ...]
    """The formats to make, in order, each once."""
    command: tuple[str, ...] = ()
    """The command line, recorded in the manifest."""
    jobs: int = 2
    """Formats made at once."""
    review_layout: bool = False
    """Laid out like a review copy (double-spaced, lines and pages numbered) without being
    blinded: the highlighted copies of a revision."""

    @property
    def journal(self) -> Journal | None:
        """The journal's requirements, if the build is for a journal."""
        return self.profile.journal if self.profile else None

    @property
    def journal_name(self) -> str | None:
        """The profile's name (``blood-advances``), if any."""
        return self.profile.name if self.profile else None

    @property
    def layout(self) -> Layout:
        """Page layout: the journal's, made double-spaced and line-numbered for review."""
        layout = self.journal.layout if self.journal else Layout()
        if self.review or self.review_layout:
            layout = replace(layout, line_spacing=2.0, line_numbers=True, page_numbers=True)
        return layout

    @property
    def pdf(self) -> Pdf:
        """The standards the PDF is validated against: the journal's, else PDF/UA-1 and
        PDF/A-2a."""
        return self.journal.pdf if self.journal else Pdf()

    @property
    def own_reference_docx(self) -> bool:
        """Whether the DOCX takes its Word styles from the project's reference.docx; a
        journal's or review copy's are made from the layout instead."""
        return self.profile is None and not self.review and not self.review_layout

    @property
    def manifest(self) -> Path:
        """The manifest of the output folder."""
        return self.folder / MANIFEST

    def output(self, name: str) -> Path:
        """Where the output of format ``name`` goes."""
        return self.folder / FORMATS[name].filename

    @property
    def outputs(self) -> dict[str, Path]:
        """Each planned format's output path."""
        return {name: self.output(name) for name in self.formats}

    def only(self, formats: tuple[str, ...]) -> Plan:
        """The same build, making only ``formats``."""
        return replace(self, formats=_checked_formats(formats))

    def record(self) -> dict[str, object]:
        """The plan as the manifest records it."""
        return {
            "journal": self.journal_name,
            "review": self.review,
            "folder": self.folder.relative_to(self.project.root).as_posix(),
            "style": self.style.to_json(),
        }


def output_folder(project: Project, journal: str | None, review: bool) -> Path:
    """``build/``, ``build/<journal>/``, and ``review/`` below either for a blinded copy."""
    folder = project.build / journal if journal else project.build
    return folder / "review" if review else folder


def make_plan(request: Request, manuscript: Loaded[Manuscript] | None = None) -> Plan:
    """Decide one build. Raises a located error for an unknown format, journal or style,
    or a journal profile whose ``citation_look`` or ``formats`` the style or casekit
    cannot give. ``manuscript`` saves reading manuscript.yaml when the caller has it."""
    project = request.project
    project.check_exists()
    profile = load_profile(project.templates, request.journal) if request.journal else None
    meta = manuscript or load_manuscript(project.manuscript_yaml)
    journal_style = profile_style(profile, project) if profile is not None else None
    if request.style is not None:
        style = resolve_style(request.style, project.root)
    elif journal_style is not None:
        style = journal_style
    else:
        style = resolve_style(meta.value.style, project.root, meta.where("style"))
    formats = request.formats or (profile.journal.formats if profile else ("pdf",))
    review = request.review or bool(profile and profile.journal.blinded)
    return Plan(
        project,
        meta,
        style,
        profile,
        review,
        output_folder(project, request.journal, review),
        _checked_formats(formats),
        request.command,
        request.jobs,
    )


def _checked_formats(formats: tuple[str, ...]) -> tuple[str, ...]:
    for name in formats:
        if name not in FORMATS:
            raise InputError(f"unknown format {name!r}", hint="formats: " + ", ".join(FORMATS))
    return tuple(dict.fromkeys(formats))


def profile_style(profile: Profile, project: Project) -> Style:
    """A journal profile's style, once its profile is known to be usable: the formats it
    names are casekit's, and its style prints the ``citation_look`` it states."""
    for i, name in enumerate(profile.journal.formats):
        if name not in FORMATS:
            raise InputError(
                f"unknown format {name!r}",
                profile.loaded.where(f"formats.{i}"),
                hint="formats: " + ", ".join(FORMATS),
            )
    journal = profile.journal
    style = resolve_style(journal.style, project.root, profile.loaded.where("style"))
    if style.look_name != journal.citation_look:
        raise StyleError(
            f"citation_look is {journal.citation_look!r} but style {journal.style!r} prints "
            f"{style.look_name}",
            profile.loaded.where("citation_look"),
            hint="make citation_look match the style, or choose another style",
        )
    return style
