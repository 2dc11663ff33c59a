"""Write docs/case-data.md, the documented schema of manuscript/case.yaml.

The schema is read from src/casekit/inputs/casedata.py itself (field types and the
docstring under each field), so the document cannot drift from the code.
Usage: .venv/bin/python scripts/write_case_schema.py   (tests/test_docs.py checks it)
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "src" / "casekit" / "inputs" / "casedata.py"
DOC = ROOT / "docs" / "case-data.md"
ORDER = ["Case", "Patient", "Age", "Diagnosis", "Anchor", "Series", "Point", "CarT",
         "Transplant", "Intervention", "Event", "AdverseEvent", "FollowUp", "Quantity"]  # fmt: skip
INTRO = """# `manuscript/case.yaml`: the case data

casekit validates the case data against this schema before anything is rendered.
A wrong type, a missing field or an unknown key stops the build with the file,
line, column and field. A dose needs a unit, and a percentage must lie between 0
and 100. Days are never calendar dates. They are written as `ANCHOR+DAYS` or
`ANCHOR-DAYS` (`infusion+28`, `transplant-7`, or a bare `diagnosis` for day 0),
where each anchor is named under `anchors:`.

Templates reach the data as typed objects, for example
`{{ case.car_t.dose | qty }}` or `{{ case.mrd.points[0].at | day }}`.

Types: `tuple[X, ...]` is a YAML list, `dict[str, X]` a mapping, `X or None` may
be left out, and a `Literal[...]` takes one of the listed values. A `DayRef` is
written `ANCHOR+DAYS` as above.

This file is generated from `src/casekit/inputs/casedata.py` by
`scripts/write_case_schema.py`.
"""


def render() -> str:
    tree = ast.parse(SOURCE.read_text(encoding="utf-8"))
    classes = {node.name: node for node in tree.body if isinstance(node, ast.ClassDef)}
    out = [INTRO]
    for name in ORDER:
        node = classes[name]
        doc = ast.get_docstring(node) or ""
        out.append(f"\n## `{name}`\n\n{doc.splitlines()[0] if doc else ''}\n")
        out.append("| field | type | required | meaning |\n|---|---|---|---|")
        body = node.body
        for i, statement in enumerate(body):
            if not isinstance(statement, ast.AnnAssign) or not isinstance(
                statement.target, ast.Name
            ):
                continue
            meaning = ""
            if i + 1 < len(body):
                following = body[i + 1]
                if isinstance(following, ast.Expr) and isinstance(following.value, ast.Constant):
                    meaning = " ".join(str(following.value.value).split())
            required = "yes" if statement.value is None else "no"
            kind = ast.unparse(statement.annotation).replace("|", "or")
            out.append(f"| `{statement.target.id}` | `{kind}` | {required} | {meaning} |")
    return "\n".join(out) + "\n"


def main() -> int:
    DOC.write_text(render(), encoding="utf-8")
    print(f"wrote {DOC}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
