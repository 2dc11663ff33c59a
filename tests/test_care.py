"""The CARE checklist: where each item is addressed, and what is missing."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from click.testing import CliRunner

from casekit.building.pipeline import prepare
from casekit.checks.care import care_items, checklist
from casekit.checks.run import run_checks
from casekit.cli.commands import main
from casekit.inputs.manuscript import load_manuscript

from .conftest import plan_for, request_for


def test_the_checklist_has_the_13_items_and_their_sub_items() -> None:
    items = care_items()
    assert {re.match(r"\d+", i).group(0) for i in items} == {str(n) for n in range(1, 14)}  # type: ignore[union-attr]
    assert {"3a", "3d", "5d", "8d", "9c", "10d", "11d"} <= set(items)


def test_example_addresses_every_item(example: Path) -> None:
    meta = load_manuscript(example / "manuscript" / "manuscript.yaml").value
    items = checklist(meta, prepare(plan_for(example)).document, example / "templates")
    assert [i.item for i in items if not i.where] == []
    where = {i.item: i.where for i in items}
    assert where["4"] == ("Introduction",)
    assert where["7"] == ("Table 1", "Figure 1")
    assert where["13"] == ("Patient consent",)


def test_check_warns_about_missing_items(example: Path) -> None:
    manuscript = example / "manuscript" / "manuscript.yaml"
    text = manuscript.read_text(encoding="utf-8")
    manuscript.write_text(re.sub(r"  Patient perspective: .*\n", "", text), encoding="utf-8")
    missing = [
        p for p in run_checks(request_for(example)).problems if p.code == "care-item-missing"
    ]
    assert [p.message.split(" (")[0] for p in missing] == ["CARE item 12"]
    assert missing[0].level == "warning"


def test_care_command_writes_markdown_and_word_with_pages(example: Path) -> None:
    result = CliRunner().invoke(main, ["care", "-C", str(example)])
    assert result.exit_code == 0, result.output
    markdown = (example / "build" / "care-checklist.md").read_text(encoding="utf-8")
    assert "30 of 30 items addressed." in markdown
    assert re.search(r"\| 4 \| Introduction: .* \| Introduction \(p\. 1\) \|", markdown)
    assert re.search(r"\| 13 \| .* Patient consent \(p\. \d+\) \|", markdown)
    with zipfile.ZipFile(example / "build" / "care-checklist.docx") as docx:
        assert "Patient information" in docx.read("word/document.xml").decode()
