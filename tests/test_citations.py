"""Finding citations in Markdown and numbering them the way numeric journals do."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from casekit.building.job import DEDUPE_FILTER, citeproc_args, needs_dedupe
from casekit.references.citations import (
    Citation,
    cited_keys,
    collapse,
    expected_groups,
    find_citations,
    number_keys,
)
from casekit.references.styles import resolve_style
from casekit.typesetting import pandoc

SEED_GROUPS = [
    "1–4", "1,5–9", "6,8–12", "6,13", "14–16", "1",
    "10,17–19", "17–21", "14,22", "10,14,15", "18", "18",
]  # fmt: skip


@pytest.mark.parametrize(
    ("markdown", "expected"),
    [
        ("text [@a; @b] more", [("a", "b")]),
        ("@a says so", [("a",)]),
        ("as shown [-@a, p. 4]", [("a",)]),
        ("mail me at someone@example.org", []),
        ("a key with punctuation [@smith:2020.x]", [("smith:2020.x",)]),
        ("a braced key [@{odd key}]", [("odd key",)]),
        ("`[@notacite]` in code", []),
        ("a [link](http://x.org/@user) here", []),
        ("escaped \\@a is not a citation", []),
        ("end of sentence @a.", [("a",)]),
        ("two groups [@a] and [@b; @c]", [("a",), ("b", "c")]),
        ("section {#sec-intro} is not a citation", []),
    ],
    ids=[
        "bracketed", "narrative", "suppress-author-with-locator", "email",
        "internal-punctuation", "braced-key", "code-span", "link-target", "escaped",
        "trailing-period", "two-groups", "pandoc-attribute",
    ],
)  # fmt: skip
def test_find_citations(markdown: str, expected: list[tuple[str, ...]]) -> None:
    assert [c.keys for c in find_citations(markdown)] == expected


@pytest.mark.parametrize(
    ("numbers", "expected"),
    [
        ([1, 2, 3, 4], "1–4"),
        ([1, 2], "1,2"),
        ([14, 15, 10], "10,14,15"),
        ([6, 8, 9, 10, 11, 12], "6,8–12"),
        ([3, 3, 1], "1,3"),
        ([5], "5"),
        ([1, 2, 3, 5, 6, 7, 9], "1–3,5–7,9"),
    ],
    ids=["run-of-four", "pair-stays-apart", "sorted", "seed-group", "deduplicated", "single",
         "several-runs"],
)  # fmt: skip
def test_collapse(numbers: list[int], expected: str) -> None:
    assert collapse(numbers) == expected


def test_seed_introduction_numbering() -> None:
    """The seed's twelve groups follow from its citation order, by casekit's own numbering."""
    template = Path(__file__).resolve().parents[1] / "templates/sections/introduction.md.j2"
    citations = find_citations(template.read_text(encoding="utf-8"))
    assert expected_groups(citations) == SEED_GROUPS
    assert len(cited_keys(citations)) == 22


# --- properties -------------------------------------------------------------

keys = st.sampled_from([f"k{i}" for i in range(30)])
groups = st.lists(st.lists(keys, min_size=1, max_size=6), min_size=1, max_size=25)


def _citations(spec: list[list[str]]) -> list[Citation]:
    return [Citation(tuple(g), i) for i, g in enumerate(spec)]


def _expand(label: str) -> list[int]:
    numbers: list[int] = []
    for part in label.split(","):
        if "–" in part:
            first, last = (int(x) for x in part.split("–"))
            numbers.extend(range(first, last + 1))
        else:
            numbers.append(int(part))
    return numbers


@given(groups)
def test_numbering_is_contiguous_in_first_appearance_order(spec: list[list[str]]) -> None:
    numbers = number_keys(_citations(spec))
    assert sorted(numbers.values()) == list(range(1, len(numbers) + 1))
    first_seen = [k for g in spec for k in g]
    assert sorted(numbers, key=numbers.__getitem__) == list(dict.fromkeys(first_seen))


@given(st.lists(st.integers(min_value=1, max_value=60), min_size=1, max_size=20))
def test_collapse_round_trips_and_ranges_need_three(numbers: list[int]) -> None:
    label = collapse(numbers)
    assert _expand(label) == sorted(set(numbers))
    for part in label.split(","):
        if "–" in part:
            first, last = (int(x) for x in part.split("–"))
            assert last - first >= 2
    singles = [int(p) for p in label.split(",") if "–" not in p]
    for a, b, c in zip(singles, singles[1:], singles[2:], strict=False):
        assert not (b == a + 1 and c == b + 1), label


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(spec=groups)
def test_casekit_numbering_equals_what_pandoc_prints(
    spec: list[list[str]], tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Independent check: citeproc's printed labels equal casekit's computed ones."""
    work = tmp_path_factory.mktemp("cite")
    bib = work / "refs.bib"
    bib.write_text(
        "".join(
            f"@article{{k{i},title={{T{i}}},journal={{J}},year={{2000}}}}\n" for i in range(30)
        ),
        encoding="utf-8",
    )
    body = " ".join(f"Text [{'; '.join('@' + k for k in g)}]." for g in spec)
    source = work / "doc.md"
    source.write_text(body + "\n", encoding="utf-8")
    style = resolve_style("nlm-citation-sequence-brackets", work)
    args = citeproc_args(work, style, bib)
    dedupe = ["--lua-filter=" + DEDUPE_FILTER] if needs_dedupe(find_citations(body)) else []
    out = pandoc.run(
        [
            str(source),
            *dedupe,
            *args,
            "-t",
            "plain",
            "--wrap=none",
            "-M",
            "suppress-bibliography=true",
        ],
        cwd=work,
    )
    printed = re.findall(r"\[([0-9,–]+)\]", out)
    assert printed == expected_groups(_citations(spec))
