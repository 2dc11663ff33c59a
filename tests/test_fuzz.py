"""Fuzzing the loaders: whatever the input, casekit raises only its own errors.

`make fuzz` runs these with many more examples (CASEKIT_FUZZ_EXAMPLES) and prints
how many cases ran.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from casekit.core.errors import CasekitError, Location
from casekit.inputs.case_file import load_case
from casekit.inputs.manuscript import load_manuscript
from casekit.references.store import scan_store
from casekit.rendering.document import environment, render_string

from .conftest import REPO

EXAMPLES = int(os.environ.get("CASEKIT_FUZZ_EXAMPLES", "60"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
RAN: dict[str, int] = {}

CASE = (REPO / "manuscript" / "case.yaml").read_text(encoding="utf-8")
BIB = (REPO / "references.bib").read_text(encoding="utf-8")
YAML_BITS = st.sampled_from(
    ["{", "}", "[", "]", ":", "- ", "\t", "\n", "  ", "'", '"', "&a", "*a", "!!python/object", "~",
     "null", "1e999", "-", "#", "|", ">", "%YAML 1.1", "---", "...", "\x00", "é", "day: +1"]
)  # fmt: skip
BIB_BITS = st.sampled_from(
    ["@", "{", "}", ",", "=", '"', "#", "@string{", "@comment", "\\'", "\\i", "\n", "%", "\x00",
     "crossref = {x}", "@article{k,", "title", " and ", "@preamble{"]
)  # fmt: skip


def _mutate(text: str, data: st.DataObject, bits: st.SearchStrategy[str]) -> str:
    for _ in range(data.draw(st.integers(1, 6))):
        at = data.draw(st.integers(0, len(text)))
        cut = data.draw(st.integers(0, 20))
        text = text[:at] + data.draw(bits) + text[at + cut :]
    return text


def _count(name: str) -> None:
    RAN[name] = RAN.get(name, 0) + 1


@FUZZ
@given(data=st.data())
def test_case_loader_raises_only_casekit_errors(data: st.DataObject, tmp_path: Path) -> None:
    _count("case.yaml")
    path = tmp_path / "case.yaml"
    path.write_text(_mutate(CASE, data, YAML_BITS), encoding="utf-8", errors="surrogatepass")
    with contextlib.suppress(CasekitError):
        load_case(path)


@FUZZ
@given(text=st.text(max_size=400))
def test_manuscript_loader_raises_only_casekit_errors(text: str, tmp_path: Path) -> None:
    _count("manuscript.yaml")
    path = tmp_path / "manuscript.yaml"
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    with contextlib.suppress(CasekitError):
        load_manuscript(path)


@FUZZ
@given(data=st.data())
def test_bibtex_scan_never_raises(data: st.DataObject, tmp_path: Path) -> None:
    _count("references.bib")
    path = tmp_path / "references.bib"
    path.write_text(_mutate(BIB, data, BIB_BITS), encoding="utf-8", errors="surrogatepass")
    try:
        store = scan_store(path)
    except CasekitError:
        return
    for failure in store.failures:
        assert failure.error.location.line is not None


@FUZZ
@given(source=st.text(alphabet=st.sampled_from(list("{}%#-_ab. \n()[]|'\"~*")), max_size=80))
def test_templates_raise_only_casekit_errors(source: str, tmp_path: Path) -> None:
    _count("template")
    with contextlib.suppress(CasekitError):
        render_string(environment(tmp_path), source, Location(tmp_path / "t.md.j2", 0), case={})


@pytest.fixture(scope="module", autouse=True)
def report_counts() -> object:
    yield
    if os.environ.get("CASEKIT_FUZZ_EXAMPLES"):
        total = sum(RAN.values())
        print(f"\nfuzz: {total} cases ran: " + ", ".join(f"{k} {v}" for k, v in RAN.items()))
