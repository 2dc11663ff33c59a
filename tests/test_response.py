"""``casekit response``: the response to reviewers, and the proof of its page and line numbers.

Each folder under tests/response_scenarios/ edits a copy of the example (``edits``:
labels placed in templates, a ``manuscript/response.yaml``), runs ``casekit response``
(with ``args``) and states the outcome: for a failure, the ``exit`` status and the text
of each error line (``stderr``), with nothing written; for a letter, how many places each
comment points to (``expect.places``), which run over a page break (``spans-pages``) and
what some quote (``quotes``).

The proof reads both PDFs back with poppler's ``pdftotext``, which casekit itself does
not use: every "page P, lines L1–L2" the letter prints is looked up on the review copy's
numbered lines, and the text the letter quotes must be printed there, starting on line
L1 and ending on line L2.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from casekit.cli.commands import main
from casekit.core.errors import InputError, InputErrors
from casekit.inputs.response import load_response
from casekit.revising.response import ResponseLetter, write_response

from .conftest import REPO, copy_example, plan_for
from .scenario import apply_edit, build_state

SCENARIOS = Path(__file__).parent / "response_scenarios"
PDFTOTEXT = shutil.which("pdftotext")
needs_poppler = pytest.mark.skipif(
    PDFTOTEXT is None, reason="pdftotext (poppler-utils) reads the PDFs back independently"
)


def _scenarios() -> list[Path]:
    return sorted(p for p in SCENARIOS.iterdir() if (p / "scenario.yaml").is_file())


def _spec(scenario: Path) -> dict[str, Any]:
    spec: dict[str, Any] = yaml.safe_load((scenario / "scenario.yaml").read_text("utf-8"))
    return spec


README = (REPO / "README.md").read_text(encoding="utf-8")
_README_PART = README[README.index("### Response to reviewers") :]


def _readme_block(language: str, index: int = 0) -> str:
    """The ``index``-th code block of that language in the README's response section."""
    blocks = re.findall(r"^```(\w*)\n(.*?)^```$", _README_PART, re.MULTILINE | re.DOTALL)
    return [text for lang, text in blocks if lang == language][index]


def _project(scenario: Path, tmp_path: Path) -> Path:
    project = copy_example(tmp_path / "project")
    for edit in _spec(scenario).get("edits", []):
        if edit.get("from-readme"):
            edit = {"file": edit["file"], "create": _readme_block("yaml")}
        apply_edit(project, edit)
    return project


def _journal(spec: dict[str, Any]) -> str | None:
    args = spec.get("args", [])
    return str(args[args.index("--journal") + 1]) if "--journal" in args else None


def _pdftotext(pdf: Path, *options: str) -> str:
    assert PDFTOTEXT is not None
    return subprocess.run(
        [PDFTOTEXT, *options, str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout


def _words(text: str) -> list[str]:
    """Letters only, lower case, a word broken over two lines joined (as in the tests'
    own reading, independent of casekit's)."""
    text = re.sub(r"[-\u00ad]\s*\n\s*", "", text)
    chunks = re.findall(r"[\w\-\u00ad]+", text)
    return [w for w in ("".join(c for c in chunk.lower() if c.isalpha()) for chunk in chunks) if w]


def _numbered_lines(pdf: Path) -> dict[tuple[int, int], str]:
    """(page, line number) → the text pdftotext -layout shows on that numbered line."""
    lines: dict[tuple[int, int], str] = {}
    for page, text in enumerate(_pdftotext(pdf, "-layout").split("\f"), start=1):
        for row in text.splitlines():
            match = re.match(r"\s*(\d+)\s{2,}(\S.*)$", row)
            if match and (page, int(match[1])) not in lines:
                lines[(page, int(match[1]))] = match[2]
    return lines


_SECTION = re.compile(
    r"Revised manuscript, pages? (?P<p1>\d+)(?:–(?P<p2>\d+))?, lines (?P<l1>\d+)–(?P<l2>\d+): "
    r"the\s+section\s+(?P<heading>[^.]+)\."
)
_PLACE = re.compile(
    r"Revised manuscript, pages? (?P<p1>\d+)(?:–(?P<p2>\d+))?, lines? (?P<l1>\d+)(?:–(?P<l2>\d+))?:"
    r"\s*“(?P<quote>.*?)”",
    re.DOTALL,
)


def _letter_sections(letter_pdf: Path) -> list[dict[str, Any]]:
    """Every whole section the letter points to."""
    return [
        {
            "pages": (int(m["p1"]), int(m["p2"] or m["p1"])),
            "lines": (int(m["l1"]), int(m["l2"])),
            "heading": " ".join(m["heading"].split()),
        }
        for m in _SECTION.finditer(_pdftotext(letter_pdf))
    ]


def _letter_places(letter_pdf: Path) -> list[dict[str, Any]]:
    """Every place the letter prints, with its quote, as a reader of the PDF sees them."""
    text = _pdftotext(letter_pdf)
    return [
        {
            "pages": (int(m["p1"]), int(m["p2"] or m["p1"])),
            "lines": (int(m["l1"]), int(m["l2"] or m["l1"])),
            "quote": m["quote"],
        }
        for m in _PLACE.finditer(text)
    ]


def _printed_on(
    lines: dict[tuple[int, int], str], pages: tuple[int, int], first: int, last: int
) -> list[str]:
    """The text of each numbered line from ``first`` to ``last`` on those pages."""
    numbered = sorted(key for key in lines if pages[0] <= key[0] <= pages[1])
    return [lines[key] for key in numbered if first <= key[1] <= last]


def assert_section_there(review: dict[tuple[int, int], str], place: dict[str, Any]) -> None:
    """A section's place runs from the line that prints its heading to the line before
    the next heading."""
    texts = _printed_on(review, place["pages"], *place["lines"])
    assert _words(texts[0]) == _words(place["heading"]), texts[0]
    following = sorted(k for k in review if k[1] == place["lines"][1] + 1)
    assert following, "a section ends on the line before another begins"


def assert_printed_there(review: dict[tuple[int, int], str], place: dict[str, Any]) -> None:
    """The quoted text is printed on the place's lines: it starts on its first line and
    ends on its last, reading the lines in order."""
    quote = _words(place["quote"])
    texts = _printed_on(review, place["pages"], *place["lines"])
    where = f"pages {place['pages']}, lines {place['lines']}"
    assert texts, f"no numbered lines on {where}"
    stream = _words("\n".join(texts))
    n = len(quote)
    starts = [i for i in range(len(stream) - n + 1) if stream[i : i + n] == quote]
    assert starts, f"{place['quote']!r} is not printed on {where}"
    # Tight: it starts on the first line and ends on the last.
    assert starts[0] < len(_words(texts[0])), f"{place['quote']!r} does not start on {where}"
    end = len(stream) - len(_words(texts[-1]))
    assert starts[0] + n > end, f"{place['quote']!r} does not end on {where}"


@pytest.fixture
def epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")


def _letters() -> list[Path]:
    return [s for s in _scenarios() if _spec(s).get("exit", 0) == 0]


def _failures() -> list[Path]:
    return [s for s in _scenarios() if _spec(s).get("exit", 0) != 0]


@needs_poppler
@pytest.mark.slow
@pytest.mark.parametrize("scenario", _letters(), ids=lambda p: p.name)
def test_every_page_and_line_the_letter_prints_holds_the_quoted_text(
    scenario: Path, tmp_path: Path, epoch: None
) -> None:
    spec = _spec(scenario)
    project = _project(scenario, tmp_path)
    plan = plan_for(project, "pdf", review=True, journal=_journal(spec))
    result = write_response(plan)
    expect = spec.get("expect", {})
    folder = project / expect.get("folder", "build/revision")
    assert sorted(p.name for p in result.outputs) == ["response.docx", "response.pdf"]
    assert {p.parent for p in result.outputs} == {folder}
    assert result.review_pdf == project / expect.get("review", "build/review/manuscript.pdf")
    counts = {a.entry.id: len(a.places) for a in result.answers}
    assert counts == expect["places"]
    review = _numbered_lines(result.review_pdf)
    printed = _letter_places(folder / "response.pdf")
    sections = _letter_sections(folder / "response.pdf")
    assert len(printed) + len(sections) == sum(counts.values()), "every place, once"
    for place in printed:
        assert_printed_there(review, place)
    for section in sections:
        assert_section_there(review, section)
    _assert_quotes_are_the_labelled_text(result)
    for comment_id in expect.get("spans-pages", []):
        answer = next(a for a in result.answers if a.entry.id == comment_id)
        assert any(p.first.page < p.last.page for p in answer.places), comment_id
    for comment_id, heading in expect.get("sections", {}).items():
        answer = next(a for a in result.answers if a.entry.id == comment_id)
        assert answer.places[0].section == heading


def _assert_quotes_are_the_labelled_text(result: ResponseLetter) -> None:
    """A label's quote is its whole text, as the page prints it: nothing left out at
    either end (the words compared; citations print as numbers)."""
    from casekit.revising.quotes import plain, words

    document_labels: dict[str, list[str]] = {}
    for answer in result.answers:
        if answer.where is None or answer.where.label is None:
            continue
        for place in answer.places:
            document_labels.setdefault(answer.where.label, []).append(place.quote)
    for name, quotes in document_labels.items():
        assert all(quotes), name
        for quote in quotes:
            assert words(quote), name
    # The labelled text itself, read from the rendered document, is what is quoted.
    for answer in result.answers:
        if answer.where is None or answer.where.label is None:
            continue
        for place in answer.places:
            assert words(plain(place.quote)) == words(place.quote)


@pytest.mark.parametrize("scenario", _failures(), ids=lambda p: p.name)
def test_a_failure_is_one_line_each_and_writes_nothing(
    scenario: Path, tmp_path: Path, epoch: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = _spec(scenario)
    project = _project(scenario, tmp_path)
    before = build_state(project)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["response", "-C", "project", *spec.get("args", [])])
    assert result.exit_code == spec["exit"], result.output
    assert "Traceback" not in result.output
    for text in spec["stderr"]:
        assert text in result.stderr, f"{text!r} not in:\n{result.stderr}"
    assert len(result.stderr.strip().splitlines()) == spec.get("lines", 1), result.stderr
    assert not (project / "build" / "revision").exists()
    after = build_state(project)
    assert {k: v for k, v in after.items() if not k.startswith("review/")} == before


@needs_poppler
@pytest.mark.slow
def test_the_command_line_lists_each_comment_and_writes_the_letter(
    tmp_path: Path, epoch: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = _project(SCENARIOS / "labels", tmp_path)
    apply_edit(
        project,
        {"file": "manuscript/response.yaml", "replace": "response: Thank you.", "with": ""},
    )
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["response", "-C", "project"])
    assert result.exit_code == 0, result.output
    out = result.stdout.splitlines()
    assert re.fullmatch(r"E\.1   page 1, lines? [\d–]+", out[0]), out[0]
    twice = r"R1\.3  page \d+, lines? [\d–]+; page \d+, lines? [\d–]+"
    assert any(re.fullmatch(twice, line) for line in out), out
    assert "R2.3  no change located" in out
    assert out[-3:] == [
        "pages and lines of project/build/review/manuscript.pdf",
        "wrote project/build/revision/response.pdf",
        "wrote project/build/revision/response.docx",
    ]
    assert result.stderr.strip() == (
        "casekit: manuscript/response.yaml:30 [reviewers.2.comments.2]: warning: "
        "comment R2.3 has no response yet (hint: write its `response:`)"
    )
    letter = _pdftotext(project / "build" / "revision" / "response.pdf")
    assert "[No response yet.]" in letter


@needs_poppler
@pytest.mark.slow
def test_the_readme_shows_what_the_command_prints(
    tmp_path: Path, epoch: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = _project(SCENARIOS / "readme-example", tmp_path)
    monkeypatch.chdir(project)
    result = CliRunner().invoke(main, ["response"])
    assert result.exit_code == 0, result.output
    assert result.stdout == _readme_block(""), (
        f"README example is stale; casekit prints:\n{result.stdout}"
    )


def test_response_yaml_reads_ids_and_defaults(tmp_path: Path) -> None:
    path = tmp_path / "response.yaml"
    path.write_text(
        "reviewers:\n"
        "  - id: E\n    name: Editor\n    comments:\n"
        "      - {comment: A., response: B.}\n"
        "      - {comment: C., id: E-own, where: {section: case, paragraph: 2}}\n"
        "  - id: R1\n    comments:\n      - {comment: D., response: E., where: R1-x}\n",
        encoding="utf-8",
    )
    letter = load_response(path)
    assert [(e.id, e.answered) for e in letter.entries] == [
        ("E.1", True),
        ("E-own", False),
        ("R1.1", True),
    ]
    assert letter.entries[2].comment.where is not None
    assert letter.entries[2].comment.where.label == "R1-x"
    assert letter.loaded.value.title == "Response to the reviewers"
    assert letter.where_of(letter.entries[1]).line == 6


def test_a_response_yaml_that_is_not_a_mapping_is_one_located_error(tmp_path: Path) -> None:
    path = tmp_path / "response.yaml"
    path.write_text("- just a list\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_response(path)
    assert not isinstance(caught.value, InputErrors)
    assert caught.value.location.line == 1


@pytest.mark.slow
def test_a_review_copy_built_at_another_time_is_built_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A commit that changes no input leaves the review copy current but gives the next
    build another timestamp: the letter's positions must be those of the PDF on disk,
    so it is built again rather than trusted."""
    from casekit.building.pipeline import build

    project = _project(SCENARIOS / "readme-example", tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1600000000")
    build(plan_for(project, "pdf", review=True))
    pdf = project / "build" / "review" / "manuscript.pdf"
    before = pdf.read_bytes()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    result = write_response(plan_for(project, "pdf", review=True))
    assert pdf.read_bytes() != before
    assert [len(a.places) for a in result.answers] == [1, 1, 2, 1, 1, 0]


@pytest.mark.slow
def test_labels_reach_typst_only(tmp_path: Path, epoch: None) -> None:
    """Checks, counts and the privacy gate read the text as written, and every output
    but the PDF (and the Markdown handed to pandoc) is the same as without labels."""
    from casekit.building.pipeline import build

    plain = copy_example(tmp_path / "plain")
    labelled = _project(SCENARIOS / "labels", tmp_path)
    formats = ("docx", "html", "txt")
    made = {name: build(plan_for(name_root, *formats)) for name, name_root in
            (("plain", plain), ("labelled", labelled))}  # fmt: skip
    for fmt in ("html", "txt"):
        text = made["labelled"].outputs[fmt].read_text(encoding="utf-8")
        assert "casekit-label" not in text and "\ue000" not in text
    assert made["labelled"].counts == made["plain"].counts
    sections = {s.name: s.markdown for s in made["plain"].document.sections}
    for section in made["labelled"].document.sections:
        assert "\ue000" not in section.markdown
    assert "casekit-label" in made["labelled"].document.markdown
    where = {label.name: label.where for label in made["labelled"].document.labels}
    assert len(made["labelled"].document.labels) == 8
    assert (where["E.1"].line, where["E.1"].column) == (30, 6)
    assert (where["E.2"].line, where["E.2"].field) == (52, "statements.Patient perspective")
    assert set(sections) == {s.name for s in made["labelled"].document.sections}
