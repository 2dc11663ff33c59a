"""The BibTeX store: parsing, located errors, subsets for pandoc, and the cache."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from casekit.core.errors import BibError
from casekit.references.store import CACHE_VERSION, load_store, scan_store

from .conftest import REPO

ENTRY = "@article{{{key},\n  title = {{{title}}},\n  journal = {{J}},\n  year = {{2020}}\n}}\n"


def _bib(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "references.bib"
    path.write_text(text, encoding="utf-8")
    return path


def test_example_store_has_22_entries_with_lines() -> None:
    store = load_store(REPO / "references.bib")
    assert len(store.entries) == 22
    assert store.entries["brown2019"].line == 8
    assert store.fields()["brown2019"]["doi"] == "10.1182/blood-2018-04-785980"


@pytest.mark.parametrize(
    ("text", "code", "key"),
    [
        (ENTRY.format(key="a", title="x") + ENTRY.format(key="a", title="y"), "duplicate-key", "a"),
        ("@article{,\n  title = {x}\n}\n", "bib-syntax", None),
        ("@article{a, title={unbalanced}\n\n" + ENTRY.format(key="b", title="x"), "bib-syntax",
         "a"),
        ("@article{a,\n  journal = nosuchmacro,\n  year = 2020}\n", "undefined-macro", "a"),
        ("@article{a, title={x}, crossref={gone}}\n", "missing-crossref", "a"),
        ("@book{a, title={x}, xdata={gone}}\n", "missing-crossref", "a"),
    ],
    ids=["duplicate-key", "empty-key", "unbalanced-brace", "undefined-macro", "missing-crossref",
         "missing-xdata"],
)  # fmt: skip
def test_each_failure_names_the_entry_it_concerns(
    tmp_path: Path, text: str, code: str, key: str | None
) -> None:
    (failure,) = scan_store(_bib(tmp_path, text)).failures
    assert (failure.code, failure.key) == (code, key)
    assert "" not in scan_store(_bib(tmp_path, text)).entries


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        (ENTRY.format(key="a", title="x") + ENTRY.format(key="a", title="y"), 6, "duplicate key"),
        ("@article{a, title={unbalanced}\n\n" + ENTRY.format(key="b", title="x"), 1, "block"),
        ("@article{title={no key}, year={2020}}\n", 1, "block"),
        ("@article{a,\n  journal = nosuchmacro,\n  year = 2020}\n", 2, "undefined @string"),
        ("@article{a, title={x}, crossref={gone}}\n", 1, "crossref 'gone'"),
    ],
    ids=["duplicate-key", "unbalanced-brace", "no-key", "undefined-macro", "missing-crossref"],
)
def test_malformed_store_is_located(tmp_path: Path, text: str, line: int, message: str) -> None:
    with pytest.raises(BibError, match=message) as info:
        load_store(_bib(tmp_path, text))
    assert info.value.location.line == line


def test_month_macros_and_numbers_need_no_definition(tmp_path: Path) -> None:
    store = load_store(_bib(tmp_path, "@article{a, title={x}, month = mar, year = 2020}\n"))
    assert store.fields()["a"]["month"] == "mar"


def test_bom_and_crlf_are_accepted(tmp_path: Path) -> None:
    path = tmp_path / "references.bib"
    path.write_bytes(
        b"\xef\xbb\xbf" + ENTRY.format(key="a", title="x").replace("\n", "\r\n").encode()
    )
    assert list(load_store(path).entries) == ["a"]


def _index_file(cache: Path) -> Path:
    (index,) = (p for p in cache.glob("store-*.json") if not p.name.endswith(".fields.json"))
    return index


def test_cache_is_reused_for_the_same_content(tmp_path: Path) -> None:
    path = _bib(tmp_path, ENTRY.format(key="a", title="x"))
    cache = tmp_path / "cache"
    load_store(path, cache)
    assert len(list(cache.glob("store-*.json"))) == 2  # index, field values
    # Prove the second load reads the cache: plant a line number, keep the hash.
    index = _index_file(cache)
    data = json.loads(index.read_text(encoding="utf-8"))
    data["entries"][0][2] = 99
    index.write_text(json.dumps(data), encoding="utf-8")
    assert load_store(path, cache).entries["a"].line == 99
    fields_file = next(cache.glob("store-*.fields.json"))
    data = json.loads(fields_file.read_text(encoding="utf-8"))
    data["fields"]["a"]["title"] = "from cache"
    fields_file.write_text(json.dumps(data), encoding="utf-8")
    assert load_store(path, cache).fields()["a"]["title"] == "from cache"


def test_cache_is_never_trusted_after_the_store_changes(tmp_path: Path) -> None:
    path = _bib(tmp_path, ENTRY.format(key="a", title="x"))
    cache = tmp_path / "cache"
    load_store(path, cache)
    path.write_text(ENTRY.format(key="b", title="y"), encoding="utf-8")
    store = load_store(path, cache)
    assert list(store.entries) == ["b"]
    assert store.fields()["b"]["title"] == "y"
    assert len(list(cache.glob("store-*.json"))) == 2


def test_index_that_no_longer_fits_the_text_is_not_used(tmp_path: Path) -> None:
    path = _bib(tmp_path, ENTRY.format(key="a", title="x"))
    cache = tmp_path / "cache"
    load_store(path, cache)
    index = _index_file(cache)
    data = json.loads(index.read_text(encoding="utf-8"))
    data["entries"][0][3] = 10_000  # an offset past the end of the file
    index.write_text(json.dumps(data), encoding="utf-8")
    assert load_store(path, cache).entries["a"].raw.startswith("@article{a,")


@pytest.mark.parametrize(
    "garbage",
    ["{not json", "[]", '{"version": 1}', ""],
    ids=["truncated", "list", "partial", "empty"],
)
def test_corrupt_cache_is_rebuilt(tmp_path: Path, garbage: str) -> None:
    path = _bib(tmp_path, ENTRY.format(key="a", title="x"))
    cache = tmp_path / "cache"
    load_store(path, cache)
    cached = _index_file(cache)
    cached.write_text(garbage, encoding="utf-8")
    assert list(load_store(path, cache).entries) == ["a"]
    assert json.loads(cached.read_text(encoding="utf-8"))["version"] == CACHE_VERSION


def test_large_store_parsed_in_pieces_keeps_lines_and_finds_cross_piece_problems(
    tmp_path: Path,
) -> None:
    from casekit.references.store import CHUNK_ENTRIES, scan_store

    count = CHUNK_ENTRIES * 2 + 10
    text = "".join(ENTRY.format(key=f"k{i}", title=f"T{i}") for i in range(count))
    path = _bib(tmp_path, text)
    store = scan_store(path)
    assert len(store.entries) == count and not store.failures
    assert store.entries[f"k{count - 1}"].line == 5 * (count - 1) + 1
    # The same key in the first and the last piece, and a broken block in the middle.
    broken = text + ENTRY.format(key="k3", title="again") + "@article{bad, title={x}\n"
    failures = scan_store(_bib(tmp_path, broken)).failures
    assert [f.code for f in failures] == ["duplicate-key", "bib-syntax"]
    assert failures[0].error.location.line == 5 * count + 1
