"""The HTML output is accessible: axe-core, in headless Chromium, finds no violation on
the example manuscript and on each project of ``examples/``.

axe-core is the copy axe-playwright-python ships (pinned and hashed in
requirements-dev.lock), so nothing is fetched; the tests skip where Chromium is missing.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from casekit.building.pipeline import BuildResult, build

from .browser import axe_violations, chromium, describe_violations
from .conftest import plan_for
from .test_examples import EXAMPLES, PROJECTS


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as browser:
        yield browser


def _violations(browser: Any, html: Path) -> list[dict[str, Any]]:
    page = browser.new_page()
    try:
        page.goto(html.as_uri())
        return axe_violations(page)
    finally:
        page.close()


def test_the_example_html_has_no_axe_violation(browser: Any, built_example: BuildResult) -> None:
    violations = _violations(browser, built_example.outputs["html"])
    assert not violations, describe_violations(violations)


@pytest.mark.parametrize("name", PROJECTS, ids=PROJECTS)
def test_each_example_project_html_has_no_axe_violation(
    browser: Any, name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    project = tmp_path / name
    shutil.copytree(EXAMPLES / name, project, ignore=shutil.ignore_patterns("build"))
    html = build(plan_for(project, "html")).outputs["html"]
    violations = _violations(browser, html)
    assert not violations, describe_violations(violations)


def test_the_blinded_journal_html_has_no_axe_violation(browser: Any, example: Path) -> None:
    """A journal's review copy: no byline, the blinded notice and the counts in the
    title block instead."""
    html = build(plan_for(example, "html", journal="blood-advances", review=True)).outputs["html"]
    violations = _violations(browser, html)
    assert not violations, describe_violations(violations)


def test_axe_finds_what_it_is_asked_to(browser: Any, tmp_path: Path) -> None:
    """The check can fail: a page without landmarks, language or alt text is reported."""
    page = tmp_path / "bad.html"
    page.write_text(
        "<!DOCTYPE html><html><head><title>t</title></head><body>"
        '<p>text</p><img src="data:image/png;base64,iVBORw0KGgo="></body></html>',
        encoding="utf-8",
    )
    found = {v["id"] for v in _violations(browser, page)}
    assert {"html-has-lang", "image-alt", "landmark-one-main", "region"} <= found
