"""`make bench`: how much casekit adds to pandoc and Typst, and how fast checks are.

Prints medians over several runs, and ratios against the targets in the issue tracker:
  check:     casekit check, 10,000-entry store citing 500 keys: repeated < 0.5 s, cold < 3 s,
             and a store twice as big at most doubles the cold time
  scale:     5 to 200 pages and 20 to 2,000 citations against bare pandoc --citeproc + Typst
             on the same input; time ~ size^k with k ≤ 1; peak memory < 500 MB
  workflow:  pdf+docx at once / one after the other (≤ 0.7), no-op `make pdf` (< 0.1 s)
  build:     casekit build pdf docx / bare pandoc --citeproc + Typst on the same Markdown
             (≤ 1.0), casekit build pdf / bare (≤ 1.25), a 1,000- or 10,000-entry store /
             the 22-entry store (≤ 1.2), and the time `casekit build pdf` spends importing
             modules (≤ 60 ms)
Everything runs on copies of the example in a temporary directory; nothing here is a test.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pypandoc

from casekit.inputs.scaffold import PROJECT_FILES
from casekit.references.styles import resolve_style

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
CASEKIT = str(BIN / "casekit")
PANDOC = pypandoc.get_pandoc_path()

WORDS = (
    "acute lymphoblastic leukemia infant outcome transplantation therapy relapse remission "
    "cohort trial analysis children risk survival response toxicity marrow cells dose phase "
    "study rearrangement treatment antigen receptor"
).split(" ")
SURNAMES = "Smith Jones Garcia Müller Rossi Tanaka Novak Dubois Kowalski Silva Kim".split(" ")
JOURNALS = ["Blood", "Leukemia", "J Clin Oncol", "Lancet Haematol", "Blood Adv", "Haematologica"]


def synthetic_store(count: int, seed: int = 7) -> str:
    """A realistic-looking BibTeX store of ``count`` entries (deterministic)."""
    rng = random.Random(seed)
    out = []
    for i in range(count):
        authors = " and ".join(
            f"{rng.choice(SURNAMES)}, {rng.choice('ABCDEFGHJKLMNPRST')}." for _ in range(6)
        )
        title = " ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 14))).capitalize()
        year = rng.randint(1990, 2025)
        first = rng.randint(1, 3000)
        out.append(
            f"@article{{synthetic{i:05d},\n  author = {{{authors} and others}},\n"
            f"  title = {{{title}}},\n  journal = {{{rng.choice(JOURNALS)}}},\n"
            f"  year = {{{year}}},\n  volume = {{{rng.randint(1, 150)}}},\n"
            f"  number = {{{rng.randint(1, 24)}}},\n  pages = {{{first}--{first + 9}}},\n"
            f"  doi = {{10.{rng.randint(1000, 9999)}/synthetic.{i:05d}}}\n}}\n"
        )
    return "\n".join(out)


def copy_project(target: Path) -> Path:
    target.mkdir(parents=True)
    for name in PROJECT_FILES:
        source = ROOT / name
        (shutil.copytree if source.is_dir() else shutil.copy2)(source, target / name)
    return target


def median_time(run: Callable[[], None], repeat: int) -> float:
    return medians({"one": run}, repeat)["one"]


def medians(runs: dict[str, Callable[[], None]], repeat: int) -> dict[str, float]:
    """Median wall time of each command, run round-robin so that drift in the machine's
    speed touches every command alike (a shared VM is noisy); one warm-up round first."""
    for run in runs.values():
        run()
    times: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(repeat):
        for name, run in runs.items():
            start = time.perf_counter()
            run()
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(values) for name, values in times.items()}


def sh(*command: str, cwd: Path | None = None) -> None:
    subprocess.run(command, cwd=cwd, check=True, capture_output=True)


def cite_many(project: Path, keys: list[str]) -> None:
    """Make the discussion cite ``keys``, five to a citation."""
    discussion = project / "templates" / "sections" / "discussion.md.j2"
    groups = [keys[i : i + 5] for i in range(0, len(keys), 5)]
    extra = " ".join(f"Also[{'; '.join('@' + k for k in g)}]." for g in groups)
    discussion.write_text(discussion.read_text(encoding="utf-8") + f"\n{extra}\n", "utf-8")


REALBIB = ROOT.parent / "shared" / "realbib"
"""Real reference-manager exports (Zotero, JabRef, Mendeley...; see its SOURCES.md)."""


CITABLE = {
    "article",
    "book",
    "inbook",
    "incollection",
    "inproceedings",
    "online",
    "misc",
    "report",
    "thesis",
    "phdthesis",
    "mastersthesis",
    "manual",
    "techreport",
}
"""Entry types the bench cites from the real exports (a @set or @xdata cannot be cited)."""


def real_exports_project(target: Path, copies: int = 3) -> tuple[Path, int] | None:
    """The example citing 500 entries of a library made of the real exports in
    ../shared/realbib, each copied ``copies`` times under renamed keys (about 8,500
    entries of real names, titles and dialects), built to PDF and DOCX, so that a check
    reads both back. None when the exports are not beside the repository."""
    stores = sorted(REALBIB.glob("*.bib")) if REALBIB.is_dir() else []
    if not stores:
        return None
    project = copy_project(target)
    pieces, keys = [(ROOT / "references.bib").read_text(encoding="utf-8")], []
    head = re.compile(r"(@[A-Za-z_]+\s*[{(]\s*)([^,\s]+)\s*,")
    parent = re.compile(r"(\b(?:crossref|xdata)\s*=\s*[{\"])([^}\"]+)([}\"])", re.IGNORECASE)
    for copy in range(copies):
        for number, store in enumerate(stores):
            text = store.read_text(encoding="utf-8", errors="replace")
            prefix = f"r{copy}s{number}-"
            text = head.sub(lambda m, p=prefix: f"{m.group(1)}{p}{m.group(2)},", text)
            text = parent.sub(
                lambda m, p=prefix: (
                    m.group(1) + ",".join(p + k.strip() for k in m.group(2).split(",")) + m.group(3)
                ),
                text,
            )
            if copy:  # other works, not duplicates of the first copy's: other years, DOIs
                # (field names in any case: JabRef writes Doi and Year)
                text = re.sub(r"(?i)(\bdoi\s*=\s*[{\"])", rf"\g<1>10.5555/c{copy}.", text)
                text = re.sub(
                    r"(?i)(\b(?:year|date)\s*=\s*[{\"]?)(\d{4})",
                    lambda m, c=copy: f"{m.group(1)}{int(m.group(2)) - 100 * c}",
                    text,
                )
            pieces.append(text)
            if copy == 0 and number in (0, 3):  # biblatex's examples and the OHDSI book
                keys += [
                    prefix + m.group(2)
                    for m in head.finditer(store.read_text("utf-8"))
                    if m.group(1).lower().lstrip("@").rstrip("{( ") in CITABLE
                ]
    library = "\n".join(pieces)
    (project / "references.bib").write_text(library, encoding="utf-8")
    cite_many(project, keys[:200])
    subprocess.run([CASEKIT, "build", "pdf", "docx", "-q", "-C", str(project)], check=False)
    entries = len(head.findall(library))
    return project, entries


def check_figures(tmp: Path, repeat: int) -> None:
    real = (ROOT / "references.bib").read_text(encoding="utf-8")
    runs: dict[str, Callable[[], None]] = {}
    sizes = (10_000, 20_000)
    for size in sizes:
        project = copy_project(tmp / f"check{size}")
        (project / "references.bib").write_text(
            real + "\n" + synthetic_store(size - 22), encoding="utf-8"
        )
        cite_many(project, [f"synthetic{i:05d}" for i in range(0, 9_500, 19)])  # 500 keys

        def check(project: Path = project) -> None:
            subprocess.run([CASEKIT, "check", "-C", str(project)], capture_output=True, check=False)

        def cold(project: Path = project) -> None:
            shutil.rmtree(project / "build" / ".cache", ignore_errors=True)
            check(project)

        runs[f"cold{size}"], runs[f"warm{size}"] = cold, check
    real_library = real_exports_project(tmp / "real-library")
    if real_library is not None:
        project = real_library[0]

        def check_real(project: Path = project) -> None:
            subprocess.run([CASEKIT, "check", "-C", str(project)], capture_output=True, check=False)

        def cold_real(project: Path = project) -> None:
            shutil.rmtree(project / "build" / ".cache", ignore_errors=True)
            check_real(project)

        runs["coldreal"], runs["warmreal"] = cold_real, check_real
    # Round-robin over both sizes, so that drift in the machine's speed cannot pass
    # for growth with the store.
    timed = medians(runs, max(3, repeat // 2))
    print("\n  casekit check, store citing 500 keys       cold      repeated")
    for size in sizes:
        cold_s, warm_s = timed[f"cold{size}"], timed[f"warm{size}"]
        print(f"  {size:>6,}-entry store {'':<20} {cold_s * 1000:6.0f} ms  {warm_s * 1000:6.0f} ms")
    if real_library is not None:
        label = f"{real_library[1]:,} real entries, outputs read"
        print(
            f"  {label:<39} {timed['coldreal'] * 1000:6.0f} ms  {timed['warmreal'] * 1000:6.0f} ms"
        )
    cold10, warm10 = timed["cold10000"], timed["warm10000"]
    growth = timed["cold20000"] / cold10
    print("\n  check target                                value  target")
    rows = [
        ("repeated run, 10,000 entries", warm10, 0.5, " s"),
        ("cold run, 10,000 entries", cold10, 3.0, " s"),
        ("cold time, 20,000 / 10,000 entries", growth, 2.0, "×"),
    ]
    if real_library is not None:
        rows += [
            ("repeated, real exports, PDF+DOCX read", timed["warmreal"], 0.5, " s"),
            ("cold, real exports, PDF+DOCX read", timed["coldreal"], 3.0, " s"),
        ]
    for name, value, target, unit in rows:
        verdict = "ok" if value <= target else "MISSED"
        print(f"  {name:<40} {value:8.2f}  < {target}{unit:<3} {verdict}")


def import_ms(command: list[str], repeat: int) -> float:
    """Milliseconds a Python program spends importing modules, median of ``repeat`` runs.

    ``command`` runs under ``python -X importtime``; the figure is the sum of the
    self times of every module it imports (in any thread, at start-up or later), less
    the modules a bare ``python -c pass`` imports too: Python's own start-up is not
    the program's.
    """

    def modules(*args: str) -> dict[str, int]:
        run = subprocess.run(
            [sys.executable, "-X", "importtime", *args], capture_output=True, text=True, check=True
        )
        found = {}
        for line in run.stderr.splitlines():
            if line.startswith("import time:") and not line.endswith("imported package"):
                self_us, _, name = line.removeprefix("import time:").split("|")
                found[name.strip()] = int(self_us)
        return found

    bare = set(modules("-c", "pass"))
    sums = []
    for _ in range(repeat):
        sums.append(sum(us for name, us in modules(*command).items() if name not in bare))
    return statistics.median(sums) / 1000


def bare_commands(project: Path, bare: Path) -> tuple[Callable[[], None], Callable[[], None]]:
    """The bare pandoc --citeproc and Typst commands on ``project``'s rendered Markdown.

    ``bare`` receives the rendered Markdown, the project's whole store and the figures
    casekit drew (from its cache), so both sides typeset exactly the same document.
    """
    sh(CASEKIT, "build", "md", "-q", "-C", str(project))
    bare.mkdir()
    shutil.copy2(project / "build" / "manuscript.md", bare / "manuscript.md")
    shutil.copy2(project / "references.bib", bare / "references.bib")
    (bare / "figures").mkdir()
    for drawn in (project / "build" / ".cache" / "figures").glob("*-*.*"):
        shutil.copy2(drawn, bare / "figures" / (drawn.name.split("-")[0] + drawn.suffix))
    csl = resolve_style("nlm-citation-sequence-brackets", project).path
    template = project / "templates" / "pandoc" / "manuscript.typ"
    reference = project / "templates" / "reference.docx"
    cite = ["--citeproc", f"--csl={csl}", "--bibliography=references.bib"]

    def pdf() -> None:
        sh(PANDOC, "manuscript.md", *cite, "-t", "typst", f"--template={template}",
           "--default-image-extension=svg", "-o", "manuscript.typ", cwd=bare)  # fmt: skip
        sh(sys.executable, "-c", "import typst; typst.compile('manuscript.typ', "
           "output='manuscript.pdf', timestamp=1700000000, ignore_system_fonts=True)",
           cwd=bare)  # fmt: skip

    def docx() -> None:
        sh(PANDOC, "manuscript.md", *cite, f"--reference-doc={reference}",
           "--default-image-extension=png", "-o", "manuscript.docx", cwd=bare)  # fmt: skip

    return pdf, docx


WARM = """
import json, statistics, sys, time
from pathlib import Path
from casekit.building.pipeline import build
from casekit.building.plan import Request, make_plan
from casekit.core.project import Project
project, repeat = Project(Path(sys.argv[1])), int(sys.argv[2])
runs = {"pdf": {"formats": ("pdf",)},
        "jobs1": {"formats": ("pdf", "docx"), "jobs": 1},
        "jobs2": {"formats": ("pdf", "docx"), "jobs": 2}}
for kwargs in runs.values():
    build(make_plan(Request(project, **kwargs)))
times = {name: [] for name in runs}
for _ in range(repeat):
    for name, kwargs in runs.items():
        start = time.perf_counter()
        build(make_plan(Request(project, **kwargs)))
        times[name].append(time.perf_counter() - start)
print(json.dumps({name: statistics.median(t) for name, t in times.items()}))
"""
"""Builds in one warm process, as `casekit watch` makes them."""

WORDS_PER_PAGE = 250
"""Body words on a page of the default layout (12 pt, double-spaced), measured."""
FRONT_PAGES = 2
"""The title page and abstract, and the statements at the end."""


def scale_project(target: Path, pages: int, citations: int, store: int) -> Path:
    """A manuscript of about ``pages`` pages before its reference list, citing
    ``citations`` times.

    It keeps the example's front matter and end matter and replaces the sections by
    generated text, a heading every eight paragraphs. Citations are spread evenly and
    cite one to three works each; half as many distinct works as citations (at most
    500) come from a ``store``-entry store, so the reference list grows with the
    citations. The bench reports the printed page count, measured after the build.
    """
    project = copy_project(target)
    real = (ROOT / "references.bib").read_text(encoding="utf-8")
    (project / "references.bib").write_text(real + "\n" + synthetic_store(store - 22), "utf-8")
    rng = random.Random(pages * 10_000 + citations)
    distinct = max(1, min(citations // 2, 500, store - 22))
    body_pages = max(1, pages - FRONT_PAGES)
    paragraphs = max(1, body_pages * WORDS_PER_PAGE // 120)
    per_paragraph = [
        citations // paragraphs + (i < citations % paragraphs) for i in range(paragraphs)
    ]
    lines = ["# Narrative {#sec-body}", ""]
    cited = 0
    for number, count in enumerate(per_paragraph):
        if number and number % 8 == 0:
            lines += [f"## Part {number // 8}", ""]
        text = [rng.choice(WORDS) for _ in range(120)]
        for _ in range(count):
            keys = [f"synthetic{(cited + j) % distinct:05d}" for j in range(rng.randint(1, 3))]
            text.insert(rng.randrange(len(text)), "[" + "; ".join("@" + k for k in keys) + "]")
            cited += 1
        lines += [" ".join(text).capitalize() + ".", ""]
    (project / "templates" / "sections" / "body.md.j2").write_text("\n".join(lines), "utf-8")
    meta = project / "manuscript" / "manuscript.yaml"
    meta.write_text(
        meta.read_text(encoding="utf-8").replace(
            "sections: [introduction, case, discussion]", "sections: [body]"
        ),
        encoding="utf-8",
    )
    return project


def peak_memory_mb(*command: str) -> float:
    """Peak memory of a command and every process it starts, together, in MB.

    Sampled every 10 ms as the sum of each process's proportional set size (PSS):
    pages shared between processes, such as the pandoc binary's code when two
    pandocs run at once, count once in total. Falls back to the largest single
    process's resident size where /proc has no smaps_rollup.
    """
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak = 0
    while proc.poll() is None:
        peak = max(peak, _tree_pss(proc.pid))
        time.sleep(0.01)
    if peak:
        return peak / 2**20
    probe = (
        "import resource, subprocess, sys; subprocess.run(sys.argv[1:], capture_output=True);"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    out = subprocess.run([sys.executable, "-c", probe, *command], capture_output=True, text=True)
    return int(out.stdout.strip()) / 1024


def _tree_pss(root: int) -> int:
    """Bytes of PSS of ``root`` and all its descendants (0 if /proc cannot tell)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            children.setdefault(int(stat[1]), []).append(int(entry.name))
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1]) * 1024
        except OSError:
            pass
        stack += children.get(pid, [])
    return total


SCALE_SIZES = ((5, 20), (50, 20), (200, 20), (50, 200), (50, 2000), (200, 2000))
"""(pages, citations): pages at 20 citations, citations at 50 pages, and both largest."""


def scale_figures(tmp: Path, repeat: int) -> None:
    import math

    import pypdf

    print("\n  scale, 10,000-entry store        printed  casekit    bare   ratio")
    rows: dict[tuple[int, int], tuple[int, float, Path]] = {}
    for pages, citations in SCALE_SIZES:
        project = scale_project(tmp / f"scale{pages}-{citations}", pages, citations, 10_000)
        bare_pdf, _ = bare_commands(project, tmp / f"bare{pages}-{citations}")
        timed = medians(
            {"casekit": lambda p=project: sh(CASEKIT, "build", "pdf", "-q", "-C", str(p)),
             "bare": bare_pdf},
            max(3, repeat // 3),
        )  # fmt: skip
        printed = len(pypdf.PdfReader(project / "build" / "manuscript.pdf").pages)
        rows[pages, citations] = (printed, timed["casekit"], project)
        print(f"  {pages:>3} pages, {citations:>5,} citations {printed:>9} "
              f"{timed['casekit']:7.2f} s {timed['bare']:6.2f} s "
              f"{timed['casekit'] / timed['bare']:6.2f}")  # fmt: skip

    def exponent(small: tuple[int, int], large: tuple[int, int], by_pages: bool) -> float:
        (p1, t1, _), (p2, t2, _) = rows[small], rows[large]
        x1, x2 = (p1, p2) if by_pages else (small[1], large[1])
        return math.log(t2 / t1) / math.log(x2 / x1)

    largest = rows[SCALE_SIZES[-1]][2]
    memory = peak_memory_mb(CASEKIT, "build", "pdf", "docx", "-q", "-C", str(largest))
    checked = median_time(
        lambda: subprocess.run([CASEKIT, "check", "-C", str(largest)], capture_output=True), 3
    )
    print("\n  scaling target                              value  target")
    for name, value, target, unit in (
        ("time ~ pages^k, 50 to 200 pages", exponent((50, 20), (200, 20), True), 1.0, ""),
        ("  same, 5 to 200 pages", exponent((5, 20), (200, 20), True), 1.0, ""),
        ("time ~ citations^k, 200 to 2,000", exponent((50, 200), (50, 2000), False), 1.0, ""),
        ("  same, 20 to 2,000", exponent((50, 20), (50, 2000), False), 1.0, ""),
        ("peak memory, largest, pdf+docx at once", memory, 500.0, " MB"),
    ):
        verdict = "ok" if value <= target else "MISSED"
        print(f"  {name:<40} {value:8.2f}  ≤ {target:g}{unit:<3} {verdict}")
    print(f"  {'casekit check, largest, pdf+docx read back':<40} {checked:8.2f} s (no target)")


def workflow_figures(tmp: Path, repeat: int) -> None:
    """Concurrency, a no-op make, and an edit to one section."""
    project = copy_project(tmp / "workflow")
    (project / "Makefile").write_text(
        (ROOT / "src" / "casekit" / "data" / "project.mk").read_text(encoding="utf-8")
    )
    make = ["make", "-s", "-C", str(project), f"CASEKIT={CASEKIT}"]
    sh(*make, "pdf")
    discussion = project / "templates" / "sections" / "discussion.md.j2"
    original = discussion.read_text(encoding="utf-8")
    edits = iter(range(10**6))

    def edit_and_make() -> None:
        discussion.write_text(original + f"\nRevision {next(edits)}.\n", encoding="utf-8")
        sh(*make, "pdf")

    timed = medians(
        {
            "jobs1": lambda: sh(
                CASEKIT, "build", "pdf", "docx", "-q", "-j", "1", "-C", str(project)
            ),
            "jobs2": lambda: sh(
                CASEKIT, "build", "pdf", "docx", "-q", "-j", "2", "-C", str(project)
            ),
            "noop": lambda: sh(*make, "pdf"),
            "edit": edit_and_make,
        },
        repeat,
    )
    bare_pdf, _ = bare_commands(copy_project(tmp / "bare-source"), tmp / "bare")
    bare = median_time(bare_pdf, repeat)
    warm_out = subprocess.run(
        [sys.executable, "-c", WARM, str(project), str(repeat)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    warm = json.loads(warm_out.stdout)
    print("\n  workflow                                    value  target")
    for name, value, target, unit in (
        ("pdf+docx concurrent / one after the other", timed["jobs2"] / timed["jobs1"], 0.7, "×"),
        ("  same, warm (casekit watch)", warm["jobs2"] / warm["jobs1"], 0.7, "×"),
        ("pdf alone, warm (casekit watch) / bare", warm["pdf"] / bare, 1.15, "×"),
        ("no-op `make pdf`", timed["noop"], 0.1, " s"),
    ):
        verdict = "ok" if value <= target else "MISSED"
        print(f"  {name:<40} {value:8.2f}  ≤ {target:g}{unit:<3} {verdict}")
    print(f"  {'edit one section, then `make pdf`':<40} {timed['edit']:8.2f} s "
          "(figure, store and other templates come from the cache)")  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7, help="timed runs per figure")
    parser.add_argument(
        "--only", choices=["build", "check", "scale", "workflow"], help="run one part of the bench"
    )
    args = parser.parse_args()
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1700000000")

    parts = {
        "check": check_figures,
        "scale": scale_figures,
        "workflow": workflow_figures,
    }
    for name, part in parts.items():
        if args.only in (None, name):
            with tempfile.TemporaryDirectory(prefix="casekit-bench-") as tmp:
                part(Path(tmp), args.repeat)
    if args.only not in (None, "build"):
        return 0
    with tempfile.TemporaryDirectory(prefix="casekit-bench-") as tmp:
        small = copy_project(Path(tmp) / "small")
        real = (ROOT / "references.bib").read_text(encoding="utf-8")
        stores = {}
        for size in (1_000, 10_000):
            stores[size] = copy_project(Path(tmp) / f"store{size}")
            (stores[size] / "references.bib").write_text(
                real + "\n" + synthetic_store(size - 22), encoding="utf-8"
            )
        bare_pdf, bare_docx = bare_commands(small, Path(tmp) / "bare")

        def bare_both() -> None:
            bare_pdf()
            bare_docx()

        def casekit(project: Path, *formats: str) -> Callable[[], None]:
            return lambda: sh(CASEKIT, "build", *formats, "-C", str(project))

        def cold_large() -> None:
            for cached in (stores[10_000] / "build" / ".cache").glob("store-*.json"):
                cached.unlink()
            casekit(stores[10_000], "pdf")()

        n = args.repeat
        timed = medians(
            {
                "bare-pdf": bare_pdf,
                "pdf": casekit(small, "pdf"),
                "bare-both": bare_both,
                "both": casekit(small, "pdf", "docx"),
                "store1000": casekit(stores[1_000], "pdf"),
                "store10000": casekit(stores[10_000], "pdf"),
            },
            n,
        )
        timed["cold"] = median_time(cold_large, max(3, n // 2))
        imports = import_ms([CASEKIT, "build", "pdf", "-q", "-C", str(small)], max(5, n))
        labels = {
            "bare-pdf": "bare pandoc+typst, pdf",
            "pdf": "casekit build pdf",
            "bare-both": "bare pandoc+typst, pdf+docx",
            "both": "casekit build pdf docx",
            "store1000": "casekit build pdf, 1,000-entry store",
            "store10000": "casekit build pdf, 10,000-entry store",
            "cold": "  same, cold (no store cache)",
        }
        rows = {key: (labels[key], timed[key]) for key in labels}
    t = {key: seconds for key, (_, seconds) in rows.items()}
    print(f"casekit benchmark: median of {args.repeat} runs, example manuscript (22 references)\n")
    for label, seconds in rows.values():
        print(f"  {label:<40} {seconds * 1000:8.0f} ms")
    ratios = [
        ("full build, pdf+docx", t["both"] / t["bare-both"], 1.0, ""),
        ("pdf alone", t["pdf"] / t["bare-pdf"], 1.25, ""),
        ("1,000 vs 22 store entries (warm)", t["store1000"] / t["pdf"], 1.2, ""),
        ("10,000 vs 22 store entries (warm)", t["store10000"] / t["pdf"], 1.2, ""),
        ("imports of `casekit build pdf`, ms", imports, 60, " ms"),
    ]
    print("\n  ratio                                       value  target")
    for name, value, target, unit in ratios:
        verdict = "ok" if value <= target else "MISSED"
        print(f"  {name:<40} {value:8.2f}  {f'≤ {target:g}{unit}':<8} {verdict}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
