"""CSL styles: catalogue names, dependent styles resolved offline, paths, and mistakes."""

from __future__ import annotations

from pathlib import Path

import pytest

from casekit.core.errors import StyleError
from casekit.references.styles import Look, resolve_style


@pytest.mark.parametrize(
    ("name", "superscript"),
    [
        ("nlm-citation-sequence-brackets", False),
        ("nlm-citation-sequence-superscript", True),
        ("american-medical-association", True),
        ("pediatric-blood-and-cancer", False),
        ("frontiers-medical-journals", False),
    ],
    ids=lambda v: str(v),
)
def test_catalogue_styles_resolve(tmp_path: Path, name: str, superscript: bool) -> None:
    style = resolve_style(name, tmp_path)
    assert style.path.is_file()
    assert style.parent is None
    assert style.look is not None and style.look.superscript is superscript


@pytest.mark.parametrize(
    ("name", "parent"),
    [("blood", "american-medical-association"), ("bmj-case-reports", "bmj")],
    ids=["blood", "bmj-case-reports"],
)
def test_dependent_style_resolves_to_local_parent(tmp_path: Path, name: str, parent: str) -> None:
    style = resolve_style(name, tmp_path)
    assert style.parent == parent
    assert style.path.name == f"{parent}.csl"
    assert "independent-parent" not in style.path.read_text(encoding="utf-8")


def test_style_by_path(tmp_path: Path) -> None:
    source = resolve_style("nlm-citation-sequence-brackets", tmp_path).path
    local = tmp_path / "styles" / "mine.csl"
    local.parent.mkdir()
    local.write_bytes(source.read_bytes())
    assert resolve_style("styles/mine.csl", tmp_path).path == local


def test_unknown_style_suggests_close_names(tmp_path: Path) -> None:
    with pytest.raises(StyleError, match="unknown CSL style") as info:
        resolve_style("nlm-citation-sequence-bracket", tmp_path)
    assert info.value.hint and "nlm-citation-sequence-brackets" in info.value.hint


@pytest.mark.parametrize(
    "content",
    ["not xml at all", "<?xml version='1.0'?><html></html>"],
    ids=["text", "other-xml"],
)
def test_a_file_that_is_not_csl_is_refused(tmp_path: Path, content: str) -> None:
    (tmp_path / "bad.csl").write_text(content, encoding="utf-8")
    with pytest.raises(StyleError, match="not a CSL style"):
        resolve_style("bad.csl", tmp_path)


def test_dependent_style_with_missing_parent_never_goes_online(tmp_path: Path) -> None:
    (tmp_path / "orphan.csl").write_text(
        '<?xml version="1.0"?><style xmlns="http://purl.org/net/xbiblio/csl" version="1.0">'
        '<info><link href="http://www.zotero.org/styles/no-such-parent" '
        'rel="independent-parent"/></info></style>',
        encoding="utf-8",
    )
    with pytest.raises(StyleError, match="not in the local catalogue"):
        resolve_style("orphan.csl", tmp_path)


@pytest.mark.parametrize(
    ("name", "look"),
    [
        ("blood", Look("", "", True)),  # AMA's bracketed group holds the locator
        ("advances-in-optics-and-photonics", Look("[", "]", False)),  # `&#160;[`
        ("nlm-citation-sequence-brackets", Look("[", "]", False)),
        ("apa", None),
    ],
    ids=["dependent-superscript", "entity-prefix", "brackets", "author-date"],
)
def test_the_citation_look_is_read_from_the_number_itself(name: str, look: Look | None) -> None:
    assert resolve_style(name, Path(".")).look == look
