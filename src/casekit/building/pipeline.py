"""The build pipeline: plan → prepare → job → make each format → write.

Every stage raises a located :class:`~casekit.core.errors.CasekitError`; nothing is
written to the output folder until every planned format has been made, and then
each output replaces its predecessor by an atomic rename, so a failed build leaves
the previous outputs exactly as they were.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from casekit.building.job import make_job, store_error, typst_place
from casekit.building.makerules import make_rule, rule_file
from casekit.building.manifest import manifest_bytes, output_inputs
from casekit.building.plan import Plan
from casekit.building.prepare import prepare
from casekit.building.progress import FormatSteps
from casekit.building.tools import tool_versions
from casekit.core import atomic
from casekit.core.errors import ToolError
from casekit.core.project import source_date_epoch
from casekit.inputs.casedata import Case
from casekit.rendering.counts import Counts
from casekit.rendering.document import Document
from casekit.typesetting.formats import FORMATS


@dataclass(frozen=True)
class BuildResult:
    """What a build wrote."""

    plan: Plan
    """What was built, and where."""
    outputs: dict[str, Path]
    """Format name to output file."""
    references: int
    """Number of distinct references cited."""
    counts: Counts
    """Word and item counts of the built manuscript."""
    document: Document
    """The rendered manuscript the outputs were made from."""
    case: Case
    """The case data it was rendered from."""

    @property
    def manifest(self) -> Path:
        """The manifest file."""
        return self.plan.manifest


def build(plan: Plan, progress: Callable[[str], None] | None = None) -> BuildResult:
    """Make the planned formats into the plan's folder; all of them, or none.

    ``progress`` is told each stage's name (render, cite, typeset, write) as it starts.
    """
    stage = progress or (lambda name: None)
    stage("render")
    prepared = prepare(plan)
    project, out = plan.project, plan.folder
    epoch = source_date_epoch(project.root)
    for directory in {project.build, out}:
        atomic.sweep(directory)
    with atomic.all_or_nothing(out) as staged, atomic.workdir(project.build) as work:
        stage("cite")
        job = make_job(prepared, work, epoch)
        steps = FormatSteps(list(plan.formats), stage)

        def produce(name: str) -> bytes:
            steps.step(name, "cite")
            try:
                data = FORMATS[name].produce(replace(job, on_step=steps.reporter(name)))
            except ToolError as error:
                raise (
                    store_error(error, prepared) or typst_place(error, prepared) or error
                ) from None
            steps.step(name, "done")
            return data

        if len(plan.formats) == 1 or plan.jobs == 1:
            made = {name: produce(name) for name in plan.formats}
        else:
            # concurrent.futures loads logging: a one-format build does without both.
            from concurrent.futures import ThreadPoolExecutor

            with ThreadPoolExecutor(max_workers=plan.jobs) as pool:
                made = dict(zip(plan.formats, pool.map(produce, plan.formats), strict=True))
        files: dict[str, bytes] = {}
        inputs: dict[str, list[str]] = {}
        input_files = project.input_files()
        for name, data in made.items():
            row = FORMATS[name]
            files[row.filename] = data
            inputs[row.filename] = output_inputs(plan, name, input_files)
            for extension, extra in (row.companions(job) if row.companions else {}).items():
                files[f"manuscript.{extension}"] = extra
                inputs[f"manuscript.{extension}"] = inputs[row.filename]
        stage("write")
        # The make rules go first, so that no rule is newer than its output.
        rules = {
            rule_file(path).name: make_rule(
                path.relative_to(project.root).as_posix(), inputs[path.name]
            ).encode("utf-8")
            for path in plan.outputs.values()
        }
        tools = tool_versions(project.cache)
        # Builds into the same folder at once (`make -j pdf docx`) each add their
        # outputs to the manifest: one at a time, or one would drop the other's.
        with atomic.exclusive(out):
            manifest = manifest_bytes(plan, epoch, tools, files, inputs, prepared.keys)
            for filename, data in {**rules, **files, plan.manifest.name: manifest}.items():
                staged[out / filename] = atomic.stage(out, filename, data)
            atomic.commit(staged)
    document = prepared.document
    return BuildResult(
        plan, plan.outputs, len(prepared.keys), document.counts, document, prepared.case
    )
