"""Headless Chromium for the browser tests: the system's (Debian's ``chromium``), driven
by Playwright without its own browser download, and axe-core from axe-playwright-python.

A test that needs the browser calls :func:`chromium` (or uses a fixture that does), which
skips it with a message where Chromium is not installed.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

MISSING = "chromium is not installed: apt-get install chromium (.ci/system-packages does it in CI)"


def chromium_path() -> str:
    """The system's Chromium, or skip the test."""
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    pytest.skip(MISSING)


@contextmanager
def chromium() -> Iterator[Any]:
    """A headless Chromium (a Playwright ``Browser``), closed afterwards."""
    executable = chromium_path()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable)
        try:
            yield browser
        finally:
            browser.close()


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """axe-core's violations on the page as loaded (every rule axe runs by default)."""
    from axe_playwright_python.sync_playwright import Axe

    return list(Axe().run(page).response["violations"])


def describe_violations(violations: list[dict[str, Any]]) -> str:
    """Each violation's id, impact and help text, and each node it found, for a failure."""
    lines: list[str] = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"]:
            lines.append(f"    {' '.join(map(str, node['target']))}: {node['html'][:200]}")
    return "\n".join(lines)
