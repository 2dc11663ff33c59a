"""Rewrite the table of problem codes in docs/check-report.md from casekit.problems.CODES.

Usage: .venv/bin/python scripts/write_check_codes.py
tests/test_docs.py fails when the table and the codes disagree.
"""

from __future__ import annotations

import re
from pathlib import Path

from casekit.checks.problems import CODES

DOC = Path(__file__).resolve().parents[1] / "docs" / "check-report.md"


def table() -> str:
    rows = [f"| `{code}` | {severity} | {meaning} |" for code, (severity, meaning) in CODES.items()]
    return "\n".join(["| code | severity | meaning |", "|---|---|---|", *rows])


def main() -> int:
    text = DOC.read_text(encoding="utf-8")
    start = re.search(r"<!-- codes:start[^>]*-->\n", text)
    end = text.find("<!-- codes:end -->")
    if start is None or end < 0:
        raise SystemExit("docs/check-report.md has no codes:start/codes:end markers")
    DOC.write_text(text[: start.end()] + table() + "\n" + text[end:], encoding="utf-8")
    print(f"wrote {len(CODES)} codes to {DOC}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
