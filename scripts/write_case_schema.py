"""Write docs/case-data.md, the documented schema of manuscript/case.yaml.

The schema is read from the modules of src/casekit/inputs/ themselves (field types
and the docstring under each field), so the document cannot drift from the code.
Usage: .venv/bin/python scripts/write_case_schema.py   (tests/test_docs.py checks it)
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
INPUTS = ROOT / "src" / "casekit" / "inputs"
SOURCES = [INPUTS / name for name in ("casedata.py", "days.py", "quantities.py", "facts.py")]
DOC = ROOT / "docs" / "case-data.md"
ORDER = ["Case", "Patient", "Age", "History", "Diagnosis", "Test", "Differential", "Anchor",
         "Series", "Point", "Intervention", "Step", "Change", "Event", "Outcome",
         "AdverseEvent", "Score", "FollowUp", "Quantity", "Range"]  # fmt: skip
EXTEND = ["FieldSpec"]
INTRO = """# `manuscript/case.yaml`: the case data

casekit validates the case data against this schema before anything is rendered.
A wrong type, a missing field or an unknown key stops the build with the file,
line, column and field. A dose needs a unit, a percentage must lie between 0 and
100, and a value drawn on a log scale must be above zero.

The core follows the CARE checklist and names no specialty. A minimal case is a
patient, one finding and consent:

```yaml
patient: {age: {value: 54, unit: years}, sex: male}
presenting_concerns: [chest pain for two days]
consent: Written informed consent for publication was obtained from the patient.
```

Days are never calendar dates. They are written as `ANCHOR+DAYS` or
`ANCHOR-DAYS` (`admission+3`, `surgery-1`, or a bare `admission` for the
anchor's own day), where each anchor is named under `anchors:`. An anchor says
how its days are counted and named: `day +28` by default, or `count: ordinal`
with `day_name: hospital day` for hospital day 1 on admission (`first: 1`), or
`day_name: postoperative day` with `first: 0`. Templates print any day against
any anchor: `{{ point.at | day }}` in the convention of the anchor it was written
against, `{{ point.at | day("admission") }}` counted from admission; `{{ days |
span }}` gives `10 days`, `14 weeks` or `18 months`.

Named items (series points, tests, events, interventions, outcomes, adverse
events, scores) can carry an `id`, so templates find them by name rather than
by their place in a list: `{{ case.item("response").at | day }}`, or
`{{ case.series.troponin.shown(case.series.troponin.point("peak")) }}`.

Types: `tuple[X, ...]` is a YAML list, `dict[str, X]` a mapping, `X or None` may
be left out, and a `Literal[...]` takes one of the listed values. A `DayRef` is
written `ANCHOR+DAYS` as above.

This file is generated from `src/casekit/inputs/` by `scripts/write_case_schema.py`.
"""
EXTEND_INTRO = """
# Extending the case: `manuscript/case-schema.yaml`

A project that needs facts beyond the core (a CAR-T product, a tumour's stage, an
ECG) declares them in `manuscript/case-schema.yaml`, one entry per fact, and gives
the values under `facts:` in `case.yaml`. Templates print them as
`{{ case.facts.NAME }}`. Declared facts get the same checks as the core: located
errors for a wrong type, a missing required fact or an unknown key, units,
percentages, anchors, and the `units`, `min` and `max` the schema states.

```yaml
# manuscript/case-schema.yaml
ecg:
  type: mapping
  about: The presenting electrocardiogram.
  fields:
    rhythm: {type: text}
    qtc: {type: quantity, units: [ms], min: 300, max: 700}
    at: {type: day}
stage: {type: text, required: false, about: TNM stage.}
```

Each entry is a `FieldSpec`:
"""


def render() -> str:
    classes = {
        node.name: node
        for source in SOURCES
        for node in ast.parse(source.read_text(encoding="utf-8")).body
        if isinstance(node, ast.ClassDef)
    }
    out = [INTRO]
    for name in [*ORDER, None, *EXTEND]:
        if name is None:
            out.append(EXTEND_INTRO)
            continue
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
