"""Interruptions, a full disk, hostile inputs and reproducibility across clones."""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from casekit.building.pipeline import build
from casekit.core.errors import CasekitError, OutputError
from casekit.core.project import Project

from .conftest import copy_example, git_commit, plan_for
from .scenario import slow_pandoc


def _state(build_dir: Path) -> dict[str, bytes]:
    return {
        p.relative_to(build_dir).as_posix(): p.read_bytes()
        for p in build_dir.rglob("*")
        if p.is_file()
        and ".cache" not in p.parts
        and not any(part.startswith(".tmp-") for part in p.parts)
    }


def _start(project: Path, env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "casekit", "build", "pdf", "docx", "-C", str(project)],
        env={**os.environ, **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGKILL], ids=["SIGINT", "SIGKILL"])
def test_interrupted_build_keeps_previous_outputs(
    example: Path, tmp_path: Path, sig: signal.Signals
) -> None:
    build(plan_for(example, "pdf", "docx"))
    before = _state(example / "build")
    body = example / "templates" / "sections" / "discussion.md.j2"
    body.write_text(body.read_text(encoding="utf-8") + "\nA new sentence.\n", encoding="utf-8")
    env = {"CASEKIT_PANDOC": str(slow_pandoc(tmp_path, 3)), "SOURCE_DATE_EPOCH": "1700000000"}
    proc = _start(example, env)
    # Signal only once the build has started writing (its work directory exists):
    # then it is inside the slowed pandoc run, whatever the machine's speed.
    deadline = time.monotonic() + 60
    while not list((example / "build").glob(".tmp-*-work-*")) and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.3)
    proc.send_signal(sig)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode != 0
    assert _state(example / "build") == before
    if sig == signal.SIGINT:
        assert "interrupted; previous outputs are unchanged" in stderr
        assert "Traceback" not in stderr
        assert not list((example / "build").glob(".tmp-*"))
    # Whatever a killed build left behind is hidden, and the next build sweeps it away.
    leftovers = list((example / "build").glob(".tmp-*"))
    assert all(p.name.startswith(".tmp-") for p in leftovers)
    build(plan_for(example, "pdf"))
    assert not list((example / "build").glob(".tmp-*"))


def test_full_disk_is_a_located_error_and_loses_nothing(example: Path) -> None:
    build(plan_for(example, "pdf", "docx"))
    before = _state(example / "build")
    body = example / "templates" / "sections" / "discussion.md.j2"
    body.write_text(body.read_text(encoding="utf-8") + "\nA new sentence.\n", encoding="utf-8")

    def small_disk() -> None:  # files may grow to 40 KB: the PDF cannot be written
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (40_000, 40_000))

    proc = subprocess.run(
        [sys.executable, "-m", "casekit", "build", "pdf", "docx", "-C", str(example)],
        env={**os.environ, "SOURCE_DATE_EPOCH": "1700000000"},
        capture_output=True,
        text=True,
        preexec_fn=small_disk,
        check=False,
    )
    assert proc.returncode == 1
    assert proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr
    assert "File too large" in proc.stderr
    assert _state(example / "build") == before
    assert not list((example / "build").glob(".tmp-*"))


@pytest.mark.parametrize(
    ("insert", "fmt"),
    [
        ("![secret](/etc/passwd)", "docx"),
        ("![secret](/etc/passwd)", "html"),
        ("![secret](/etc/passwd)", "pdf"),
        ("![remote](https://example.org/tracker.png)", "docx"),
        ("![remote](https://example.org/tracker.png)", "pdf"),
        ('`#read("/etc/passwd")`{=typst}', "pdf"),
        ("`#image(\"../../../../etc/hostname\")`{=typst}", "pdf"),
    ],
    ids=["pandoc-docx-local-file", "pandoc-html-local-file", "typst-local-file",
         "pandoc-remote-image", "typst-remote-image", "typst-read", "typst-path-escape"],
)  # fmt: skip
def test_templates_cannot_read_files_or_reach_the_network(
    example: Path, insert: str, fmt: str
) -> None:
    body = example / "templates" / "sections" / "discussion.md.j2"
    body.write_text(body.read_text(encoding="utf-8") + f"\n{insert}\n", encoding="utf-8")
    if "https://" in insert:
        # The privacy gate would refuse the URL first; waive it to test the sandbox itself.
        meta = example / "manuscript" / "manuscript.yaml"
        url = insert[insert.index("https://") : -1]
        meta.write_text(
            meta.read_text(encoding="utf-8")
            + f"privacy_waivers:\n  - {{text: '{url}', category: URL, reason: sandbox test}}\n",
            encoding="utf-8",
        )
    with pytest.raises(CasekitError) as info:
        build(plan_for(example, fmt))
    assert info.value.kind == "tool error"
    assert not (example / "build" / f"manuscript.{fmt}").exists()


def test_unwritable_build_directory_is_an_output_error(example: Path) -> None:
    (example / "build").write_text("not a directory", encoding="utf-8")
    with pytest.raises(OutputError, match="build directory"):
        build(plan_for(example, "md"))


def test_two_clones_built_apart_are_byte_identical(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    formats = ("pdf", "docx", "html", "jats")
    results = []
    for name in ("first/clone", "second/elsewhere/clone"):
        project = copy_example(tmp_path / name)
        git_commit(project)
        results.append(build(plan_for(project, *formats)))
        time.sleep(1.1)  # a different wall-clock second for the second build
    for fmt in formats:
        assert results[0].outputs[fmt].read_bytes() == results[1].outputs[fmt].read_bytes(), fmt


def test_bom_and_crlf_inputs_build_the_same_manuscript(example: Path, tmp_path: Path) -> None:
    plain = build(plan_for(example, "md")).outputs["md"].read_bytes()
    for name in ("references.bib", "manuscript/case.yaml", "manuscript/manuscript.yaml"):
        path = example / name
        text = path.read_text(encoding="utf-8").replace("\n", "\r\n")
        path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert build(plan_for(example, "md")).outputs["md"].read_bytes() == plain


def test_builds_at_once_into_one_folder_keep_every_output_in_the_manifest(
    example: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`make -j pdf docx` runs two builds at once. Each reads the manifest and writes it
    back with its own output; the barrier holds both between the two steps, as the
    worst interleaving would, unless the folder's lock keeps the second one out."""
    import contextlib
    import json
    import threading

    from casekit.building import pipeline as build_module
    from casekit.building.verify import verify

    build(plan_for(example, "md"))  # draws the figure (matplotlib is not
    # thread-safe; real concurrent builds are separate processes)
    barrier = threading.Barrier(2)
    original = build_module.manifest_bytes

    def manifest_then_wait(*args: object) -> bytes:
        data = original(*args)  # type: ignore[arg-type]
        # Broken when the other build is waiting for the lock: then go on alone.
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait(timeout=2)
        return data

    monkeypatch.setattr(build_module, "manifest_bytes", manifest_then_wait)
    errors: list[BaseException] = []

    def run(name: str) -> None:
        try:
            build(plan_for(example, name))
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(name,)) for name in ("pdf", "docx")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors
    manifest = json.loads((example / "build" / "manifest.json").read_text(encoding="utf-8"))
    assert {"manuscript.pdf", "manuscript.docx"} <= set(manifest["outputs"])
    assert {s.path.name: s.state for s in verify(Project(example))} == {
        "manuscript.md": "current",
        "manuscript.pdf": "current",
        "manuscript.docx": "current",
    }
