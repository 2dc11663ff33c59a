"""The ``casekit`` command line: options become a frozen config, the library does the work.

Errors become output in exactly one place, :meth:`CasekitGroup.invoke`.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from casekit import __version__
from casekit.core.errors import CasekitError, PrivacyError
from casekit.core.paths import shown
from casekit.core.project import Project
from casekit.typesetting.formats import FORMATS

if TYPE_CHECKING:  # the build pipeline loads when a command runs
    from casekit.building.watch import Rebuild

# Each command imports what it needs when it runs: `casekit --help` or `casekit
# styles` should not pay for Jinja, YAML and the build pipeline.

EXIT_ERROR = 1
EXIT_CANNOT_RUN = 2
EXIT_INTERRUPTED = 130
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE, what a shell reports for a program killed by it


class CasekitGroup(click.Group):
    """Reports a casekit error as one line on stderr and a non-zero exit, never a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except CasekitError as exc:
            base = ctx.meta.get("casekit.root")
            report_error(exc, base, ctx.meta.get("casekit.mask"))
            ctx.exit(ctx.meta.get("casekit.error_exit", EXIT_ERROR))
        except BrokenPipeError:
            # The reader went away (`casekit verify | head`): stop quietly, as a
            # program killed by SIGPIPE would, and let nothing more reach the pipe.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            ctx.exit(EXIT_BROKEN_PIPE)
        except OSError as exc:
            # The library reports located errors; an OSError escaping it is still an
            # author's problem (disk, permissions), never a traceback.
            click.echo(
                f"casekit: error: {exc.strerror or exc} ({exc.filename or 'no file'})", err=True
            )
            ctx.exit(EXIT_ERROR)
        except KeyboardInterrupt:
            click.echo("casekit: interrupted; previous outputs are unchanged", err=True)
            ctx.exit(EXIT_INTERRUPTED)


def report_error(exc: CasekitError, base: Path | None, mask: bool | None = None) -> None:
    """A casekit error on stderr: one line per error, when a file has several mistakes."""
    for line in error_lines(exc, base, mask):
        click.echo(line, err=True)


def error_lines(exc: CasekitError, base: Path | None, mask: bool | None = None) -> list[str]:
    """The lines :func:`report_error` prints, each starting ``casekit: ``.

    Suspected patient identifiers are shown as ``cli/privacy.py`` decides (``mask``: the
    --mask/--no-mask choice), followed by the waivers that would keep them."""
    if any(isinstance(error, PrivacyError) for error in exc.errors):
        from casekit.cli.privacy import error_lines as privacy_lines

        return privacy_lines(exc.errors, base, mask)
    return [f"casekit: {error.one_line(base)}" for error in exc.errors]


project_option = click.option(
    "-C",
    "--project",
    "project_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    show_default=True,
    help="The manuscript project directory.",
)


@click.group(cls=CasekitGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="casekit")
@click.option("-v", "--verbose", is_flag=True, help="Log each pandoc command line.")
def main(verbose: bool) -> None:
    """Build medical case reports from case data, a BibTeX store and templates.

    \b
    The pipeline, one stage per subpackage of casekit (docs/architecture.md):
      inputs       manuscript/*.yaml, templates/, journal profiles; privacy gate
      references   references.bib, citations, the CSL style
      rendering    templates + case data -> one pandoc document
      typesetting  pandoc and Typst -> the formats of `casekit build --help`
      building     one plan per build -> build/ and its manifest.json
      revising     a git revision against today -> build/revision/ (casekit revise)
      checks       every problem collected (casekit check)
      revising     a co-author's returned DOCX, back to the sources (casekit comments)
    """
    if verbose:  # logging costs a few milliseconds of start-up: only when asked for
        import logging

        logging.basicConfig(level=logging.DEBUG, format="casekit: %(message)s", stream=sys.stderr)


FORMAT_HELP = "\b\nFormats:\n" + "\n".join(
    f"  {f.name:<5} {f.description}" for f in FORMATS.values()
)


mask_option = click.option(
    "--mask/--no-mask",
    default=None,
    help="Mask suspected patient identifiers in the report. The default unless on a "
    "terminal outside CI; --no-mask shows them in clear, in context, with waivers to "
    "paste. JSON is always masked.",
)

journal_option = click.option(
    "--journal",
    metavar="NAME",
    help="Journal profile from templates/journals/NAME.yaml (see `casekit journals`).",
)


@main.command("build", epilog=FORMAT_HELP)
@click.argument("formats", nargs=-1, type=click.Choice(sorted(FORMATS)))
@project_option
@click.option("--style", help="CSL style name or .csl path (overrides manuscript.yaml).")
@journal_option
@click.option(
    "--review", is_flag=True, help="Blinded copy: no author names, line numbers, double spacing."
)
@click.option(
    "-j", "--jobs", type=click.IntRange(1, 16), default=min(16, os.cpu_count() or 2),
    show_default="the number of CPUs", help="Formats made at once.",
)  # fmt: skip
@click.option("-q", "--quiet", is_flag=True, help="No progress and no list of written files.")
@mask_option
@click.pass_context
def build_command(
    ctx: click.Context,
    formats: tuple[str, ...],
    project_dir: Path,
    style: str | None,
    journal: str | None,
    review: bool,
    jobs: int,
    quiet: bool,
    mask: bool | None,
) -> None:
    """Build build/manuscript.<ext> for each FORMAT.

    Without FORMAT: the formats the journal takes with --journal, else pdf. With
    --journal NAME the outputs go to build/NAME/, and a review copy to review/ below.
    All requested formats are made first and then moved into place together: if any
    fails, the previous outputs stay as they were. A suspected patient identifier stops
    the build: each is reported with its file, line and column.
    """
    from casekit.building.pipeline import build
    from casekit.building.plan import Request, make_plan
    from casekit.building.progress import Progress

    root = project_dir.resolve()
    ctx.meta["casekit.root"] = root
    ctx.meta["casekit.mask"] = mask
    request = Request(
        Project(root), formats, style, ("casekit", *sys.argv[1:]), journal, review, jobs
    )
    plan = make_plan(request)
    progress = Progress(sys.stderr) if not quiet else None
    try:
        result = build(plan, progress)
    finally:
        if progress is not None:
            progress.close()
    if quiet:
        return
    for name, path in result.outputs.items():
        click.echo(f"wrote {shown(path, Path.cwd())} ({name}, {result.references} references)")


@main.command("watch", epilog=FORMAT_HELP)
@click.argument("formats", nargs=-1, type=click.Choice(sorted(FORMATS)))
@project_option
@journal_option
@click.option("--interval", type=click.FloatRange(0.05, 10), default=0.25, show_default=True,
              help="Seconds between looks at the inputs.")  # fmt: skip
@click.pass_context
def watch_command(
    ctx: click.Context,
    formats: tuple[str, ...],
    project_dir: Path,
    journal: str | None,
    interval: float,
) -> None:
    """Rebuild FORMATS (default: pdf) whenever an input changes, until Ctrl-C.

    One warm process: each rebuild costs about what pandoc and Typst cost, without
    Python's start-up. A failed rebuild prints its error and keeps the previous outputs.
    """
    from threading import Event

    from casekit.building.plan import Request
    from casekit.building.watch import watch

    root = project_dir.resolve()
    ctx.meta["casekit.root"] = root
    request = Request(Project(root), formats, command=("casekit", *sys.argv[1:]), journal=journal)
    try:
        watch(request, _rebuild_report(root), Event(), interval, _unread_report)
    except KeyboardInterrupt:
        click.echo("stopped watching", err=True)


def _rebuild_report(root: Path) -> Callable[[Rebuild], None]:
    """How ``watch`` and ``preview`` tell each rebuild: what it wrote, or its error."""

    def report(rebuild: Rebuild) -> None:
        if rebuild.error is not None:
            report_error(rebuild.error, root)
        elif rebuild.result is not None:
            names = ", ".join(shown(path, Path.cwd()) for path in rebuild.result.outputs.values())
            click.echo(f"built {names} in {rebuild.seconds:.2f} s; watching for changes")

    return report


def _unread_report(changed: set[Path]) -> None:
    names = ", ".join(sorted(shown(path, Path.cwd()) for path in changed))
    click.echo(f"{names} changed; no output built here reads it")


@main.command("preview")
@project_option
@journal_option
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="Port on 127.0.0.1 to serve on; 0 picks a free one.")  # fmt: skip
@click.option("--interval", type=click.FloatRange(0.05, 10), default=0.25, show_default=True,
              help="Seconds between looks at the inputs.")  # fmt: skip
@click.pass_context
def preview_command(
    ctx: click.Context, project_dir: Path, journal: str | None, port: int, interval: float
) -> None:
    """Show the manuscript in a browser, rebuilt on every change, until Ctrl-C.

    Builds the HTML and the PDF, serves the build folder's HTML on this machine only
    (http://127.0.0.1:PORT/, the address is printed) and rebuilds as `casekit watch`
    does. The page reloads itself after each rebuild; a failed rebuild shows its error
    in a banner above the last good build. The page's toolbar opens the PDF.
    """
    from threading import Event

    from casekit.building.plan import Request
    from casekit.building.preview import FORMATS_SHOWN, preview

    root = project_dir.resolve()
    ctx.meta["casekit.root"] = root
    command = ("casekit", *sys.argv[1:])
    request = Request(Project(root), FORMATS_SHOWN, command=command, journal=journal)

    def ready(url: str) -> None:
        click.echo(f"previewing at {url} (Ctrl-C stops)")

    def describe(error: CasekitError) -> list[str]:
        # The banner shows what the terminal shows, without the prefix and colours.
        return [click.unstyle(line).removeprefix("casekit: ") for line in error_lines(error, root)]

    try:
        preview(request, port, ready, _rebuild_report(root), Event(), describe, interval,
                _unread_report)  # fmt: skip
    except KeyboardInterrupt:
        click.echo("stopped previewing", err=True)


@main.command("journals")
@project_option
@click.pass_context
def journals_command(ctx: click.Context, project_dir: Path) -> None:
    """List the journal profiles in templates/journals/ with their main limits."""
    from casekit.building.plan import profile_style
    from casekit.inputs.journals import available, describe_limits, load_profile

    root = project_dir.resolve()
    ctx.meta["casekit.root"] = root
    project = Project(root)
    unusable = 0
    for name in available(project.templates):
        profile = load_profile(project.templates, name)
        journal = profile.journal
        click.echo(click.style(name, bold=True) + f"  {journal.title}, {journal.article_type}")
        click.echo(f"    style {journal.style} ({journal.citation_look}); takes "
                   + ", ".join(journal.formats))  # fmt: skip
        click.echo(f"    limits: {describe_limits(journal)}")
        try:
            profile_style(profile, project)
        except CasekitError as exc:
            unusable += 1
            click.echo(f"casekit: {exc.one_line(root)}", err=True)
    ctx.exit(EXIT_ERROR if unusable else 0)


@main.command("check")
@project_option
@click.option("--strict", is_flag=True, help="Fail (exit 1) on warnings too.")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Report format; json follows docs/check-report.md.",
)
@click.option(
    "--built",
    is_flag=True,
    help="First build what is not current: the journal's formats, or pdf, docx and any "
    "other format already built that casekit reads back.",
)
@click.option("--all", "show_all", is_flag=True, help="List every problem, not 20 per code.")
@journal_option
@click.option("--review", is_flag=True, help="Check the blinded review copy (in a review/ folder).")
@mask_option
@click.pass_context
def check_command(
    ctx: click.Context,
    project_dir: Path,
    strict: bool,
    output_format: str,
    built: bool,
    show_all: bool,
    journal: str | None,
    review: bool,
    mask: bool | None,
) -> None:
    """Check citations and references: the store, the templates and the built outputs.

    Reports every problem with its file, line, code and a hint. With --journal NAME,
    also the journal's limits and required statements, and the outputs compared are
    those in build/NAME/. Exit status: 0 clean (warnings allowed), 1 errors found (or
    warnings, with --strict), 2 could not run.
    """
    # Imported here: checking needs modules a build does not, and start-up time counts.
    import json

    from casekit.building.pipeline import build
    from casekit.building.plan import Request
    from casekit.checks.problems import Problem
    from casekit.checks.run import Report, plan_for_built, run_checks
    from casekit.cli.report import text_lines

    root = project_dir.resolve()
    ctx.meta["casekit.root"] = root
    ctx.meta["casekit.error_exit"] = EXIT_CANNOT_RUN
    ctx.meta["casekit.mask"] = mask
    project = Project(root)
    project.check_exists()
    request = Request(project, command=("casekit", *sys.argv[1:]), journal=journal, review=review)
    extra: list[Problem] = []
    if built:
        try:
            todo = plan_for_built(request)
            if todo.formats:
                build(todo)
        except CasekitError as exc:
            extra.append(Problem.from_error("build-failed", exc))
    report = run_checks(request, every_uncited=show_all)
    report = Report((*extra, *report.problems), report.summary)
    if output_format == "json":
        click.echo(json.dumps(report.to_json(root), indent=2, ensure_ascii=False))
    else:
        from casekit.cli.privacy import shows_clear_text

        for line in text_lines(report, root, show_all, shows_clear_text(sys.stdout, mask)):
            click.echo(line)
    failed = report.count("error") or (strict and report.count("warning"))
    ctx.exit(EXIT_ERROR if failed else 0)


@main.command("care")
@project_option
@journal_option
@click.pass_context
def care_command(ctx: click.Context, project_dir: Path, journal: str | None) -> None:
    """Write build/care-checklist.md and .docx: where each CARE item is addressed.

    Builds the PDF first, so that every section's page number is current.
    """
    from casekit.building.plan import Request, make_plan
    from casekit.checks.care_report import write_care_checklist

    root = project_dir.resolve()
    ctx.meta["casekit.root"] = root
    request = Request(Project(root), command=("casekit", *sys.argv[1:]), journal=journal)
    written = write_care_checklist(make_plan(request))
    for path in written:
        click.echo(f"wrote {shown(path, Path.cwd())}")


@main.command("verify")
@project_option
@click.pass_context
def verify_command(ctx: click.Context, project_dir: Path) -> None:
    """Check that every output in build/ matches its manifest: bytes, inputs and tools.

    Exit status: 0 when every output is current, 1 when any is stale, modified or
    missing, 2 when there is nothing to verify.
    """
    from casekit.building.verify import verify

    root = project_dir.resolve()
    ctx.meta["casekit.root"] = root
    ctx.meta["casekit.error_exit"] = EXIT_CANNOT_RUN
    statuses = verify(Project(root))
    colours = {"current": "green", "stale": "yellow", "modified": "red", "missing": "red",
               "unrecorded": "red"}  # fmt: skip
    for status in statuses:
        state = click.style(f"{status.state:<9}", fg=colours[status.state])
        click.echo(f"{state} {shown(status.path, Path.cwd())}: {status.detail}")
    ctx.exit(0 if all(s.state == "current" for s in statuses) else EXIT_ERROR)


@main.command("comments")
@click.argument("docx", type=click.Path(dir_okay=True, path_type=Path))
@project_option
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Report format; json gives a list, one object per comment or change.",
)
@click.pass_context
def comments_command(ctx: click.Context, docx: Path, project_dir: Path, output_format: str) -> None:
    """List the comments and tracked changes of DOCX, a Word file a co-author returned.

    Each comment (with its replies, resolved or not) and each tracked insertion or
    deletion is given with the place its text came from: the template file and line,
    the case-data field, or the reference entry. Text casekit generated from the data
    (values, tables, the reference list) is flagged: the fix goes to the data. A DOCX
    casekit built carries anchors that say this exactly; one that lost them is matched
    by its text against the project (-C DIR) as it renders now. Writes nothing.
    """
    import json

    from casekit.cli.comments import json_data, text_lines
    from casekit.revising.comments import read_comments

    root = project_dir.resolve()
    ctx.meta["casekit.root"] = root
    comments = read_comments(docx, Project(root))
    if output_format == "json":
        click.echo(json.dumps(json_data(comments), indent=2, ensure_ascii=False))
        return
    for line in text_lines(comments, root, Path.cwd()):
        click.echo(line)


@main.command("styles")
@click.argument("search", required=False)
def styles_command(search: str | None) -> None:
    """List the installed CSL styles whose name contains SEARCH (all when omitted).

    Dependent styles are marked with the parent they resolve to, offline.
    """
    from casekit.references.styles import catalogue_names, dependent_parent

    names = [n for n in catalogue_names() if search is None or search.lower() in n.lower()]
    for name in names:
        parent = dependent_parent(name)
        click.echo(f"{name}  (uses {parent})" if parent else name)
    click.echo(f"{len(names)} style(s)", err=True)


@main.command("new")
@click.argument("directory", type=click.Path(path_type=Path), required=False)
@click.option(
    "-s",
    "--starter",
    "starter_name",
    default=None,
    metavar="NAME",
    help="What the project starts from (default: blank); --list shows the starters.",
)
@click.option("--list", "list_starters", is_flag=True, help="List the starters and exit.")
@click.pass_context
def new_command(
    ctx: click.Context, directory: Path | None, starter_name: str | None, list_starters: bool
) -> None:
    """Create DIRECTORY as a new manuscript project, ready to edit and build.

    \b
    casekit new my-report                    a CARE-structured skeleton (blank)
    casekit new my-report --starter example  a copy of the worked example
    casekit new --list                       the starters

    Its Makefile runs this casekit, so `make pdf` works there without casekit on PATH.
    """
    from casekit.inputs.scaffold import DEFAULT_STARTER, new_project, starters

    if list_starters:
        known = starters()
        width = max(len(name) for name in known)
        for name, one in known.items():
            default = " (default)" if name == DEFAULT_STARTER else ""
            click.echo(f"{name:<{width}}  {one.info.description}{default}")
        return
    if directory is None:
        raise click.UsageError("give the DIRECTORY to create, or --list", ctx)
    name = starter_name or DEFAULT_STARTER
    new_project(directory, name)
    click.echo(f"created {directory} from the {name} starter")
    click.echo("edit manuscript/*.yaml and templates/sections/*.md.j2, then run `make pdf` there")
    click.echo(f"(or `casekit build pdf -C {directory}`); `casekit check` lists what is unfinished")


@main.command("response")
@project_option
@journal_option
@click.option("-q", "--quiet", is_flag=True, help="Only errors and warnings.")
@click.pass_context
def response_command(
    ctx: click.Context, project_dir: Path, journal: str | None, quiet: bool
) -> None:
    """Write the response to reviewers from manuscript/response.yaml, as PDF and DOCX.

    \b
    Writes into build/revision/ (build/NAME/revision/ with --journal):
      response.pdf    each comment, the response, and "page P, lines L1–L2"
      response.docx   of the change in the review copy, the changed text quoted

    Pages and lines are those of the line-numbered review copy of the revised
    manuscript (build/review/manuscript.pdf, or the journal's), built first when it is
    not current. A change is found by the label a template places around it,
    {% call label("R1.2") %}...{% endcall %}, named after the comment's id or given as
    its `where:`; or by a section, paragraph or case-data field the comment names.
    """
    from casekit.building.plan import Request, make_plan
    from casekit.revising.response import describe_where, write_response

    root = project_dir.resolve()
    ctx.meta["casekit.root"] = root
    request = Request(
        Project(root), ("pdf",), command=("casekit", *sys.argv[1:]), journal=journal, review=True
    )
    result = write_response(make_plan(request))
    for entry in result.unanswered:
        click.echo(
            f"casekit: {entry.where.describe(root)}: warning: comment {entry.id} has no "
            "response yet (hint: write its `response:`)",
            err=True,
        )
    if quiet:
        return
    width = max((len(a.entry.id) for a in result.answers), default=0)
    for answer in result.answers:
        click.echo(f"{answer.entry.id:<{width}}  {describe_where(answer)}")
    click.echo(f"pages and lines of {shown(result.review_pdf, Path.cwd())}")
    for path in result.outputs:
        click.echo(f"wrote {shown(path, Path.cwd())}")


@main.command("revise")
@click.option("--since", "since", required=True, metavar="REV",
              help="The git revision to compare with: a commit, a tag, HEAD~1.")  # fmt: skip
@project_option
@journal_option
@click.option("--author", metavar="NAME",
              help="Author of the changes (default: who made the commits since REV).")  # fmt: skip
@click.option("-q", "--quiet", is_flag=True, help="No progress and no list of written files.")
@click.pass_context
def revise_command(
    ctx: click.Context,
    since: str,
    project_dir: Path,
    journal: str | None,
    author: str | None,
    quiet: bool,
) -> None:
    """Mark what changed since git revision REV, for resubmission.

    \b
    Writes into build/revision/ (build/NAME/revision/ with --journal):
      manuscript-tracked.docx      Word revisions, with author and date
      manuscript-highlighted.pdf   insertions underlined, deletions struck through,
      manuscript-highlighted.docx  in colour, with numbered lines

    Citations are compared by key: one whose references did not change is not marked
    when its number moves. The manuscript at REV is built from git (uncommitted edits
    count as the new side). If anything fails, the previous copies stay as they were.
    """
    from casekit.building.plan import Request, make_plan
    from casekit.building.progress import Progress
    from casekit.revising.revision import revise

    root = project_dir.resolve()
    ctx.meta["casekit.root"] = root
    request = Request(Project(root), command=("casekit", *sys.argv[1:]), journal=journal)
    plan = make_plan(request)
    progress = Progress(sys.stderr) if not quiet else None
    try:
        result = revise(plan, since, author, progress)
    finally:
        if progress is not None:
            progress.close()
    if quiet:
        return
    click.echo(
        f"compared with {result.revision.label}: {result.insertions} insertion(s), "
        f"{result.deletions} deletion(s) by {result.changes.author}, {result.changes.date}"
    )
    for path in result.outputs.values():
        click.echo(f"wrote {shown(path, Path.cwd())}")
