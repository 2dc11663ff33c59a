"""Regenerate templates/reference.docx from pandoc's default reference document.

Usage: .venv/bin/python scripts/make_reference_docx.py [OUTPUT]
The result is byte-for-byte reproducible; tests/test_docxref.py checks that the
committed file matches what this script makes.
"""

from __future__ import annotations

import sys
from pathlib import Path

from casekit.core.atomic import write_atomic
from casekit.typesetting.reference_doc import DocxLook, make_reference_docx

ROOT = Path(__file__).resolve().parents[1]


def main(argv: list[str]) -> int:
    target = Path(argv[0]) if argv else ROOT / "templates" / "reference.docx"
    write_atomic(target, make_reference_docx(DocxLook()))
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
