"""A journal's limits and required parts, checked against the rendered manuscript."""

from __future__ import annotations

from collections.abc import Iterator

from casekit.checks.problems import Problem
from casekit.core.yamlfile import Loaded
from casekit.inputs.journals import Profile
from casekit.inputs.manuscript import Manuscript
from casekit.rendering.document import Document


def journal_limits(
    profile: Profile, meta: Loaded[Manuscript], document: Document
) -> Iterator[Problem]:
    """Each limit the manuscript exceeds, with the measured figure and the limit."""
    journal = profile.journal
    counts = document.counts
    limits = journal.limits
    per_section = ", ".join(f"{name} {n:,}" for name, n in counts.sections.items())
    measured = [
        ("main_words", counts.main_words, f"main text {counts.main_words:,} words ({per_section})",
         "sections"),
        ("abstract_words", counts.abstract_words, f"abstract {counts.abstract_words:,} words",
         "abstract"),
        ("references", counts.references, f"{counts.references} references", "sections"),
        ("figures_tables", counts.figures_tables,
         f"{counts.figures_tables} figures and tables", "sections"),
        ("title_characters", counts.title_characters,
         f"title {counts.title_characters} characters", "title"),
        ("authors", counts.authors, f"{counts.authors} authors", "authors"),
    ]  # fmt: skip
    for name, value, text, field in measured:
        limit = getattr(limits, name)
        if limit is not None and value > limit:
            yield Problem(
                "over-limit",
                meta.where(field),
                f"{text}; {journal.title} allows {limit:,}",
                f"shorten to {limit:,} (limit set in templates/journals/{profile.name}.yaml)",
            )
    for heading in journal.required_statements:
        if heading not in meta.value.statements:
            yield Problem(
                "missing-statement",
                meta.where("statements"),
                f"{journal.title} requires a {heading!r} statement",
                f"add `{heading}: ...` under statements in manuscript.yaml",
            )
    if journal.abstract == "required" and not meta.value.abstract.strip():
        yield Problem(
            "missing-abstract",
            meta.where("abstract"),
            f"{journal.title} requires an abstract",
            "write one under `abstract:` in manuscript.yaml",
        )
    if journal.abstract == "none" and meta.value.abstract.strip():
        yield Problem(
            "abstract-left-out",
            meta.where("abstract"),
            f"{journal.title} takes no text abstract ({journal.article_type}); "
            "it is left out of this journal's build",
        )
