"""Make rules beside each output: ``build/.manuscript.pdf.d`` names the inputs the PDF read.

A project's Makefile includes these rules, so that ``make`` rebuilds only the outputs
an edit touches; each input also gets an empty rule, so that deleting one rebuilds
its output instead of stopping make.
"""

from __future__ import annotations

from pathlib import Path


def make_rule(target: str, inputs: list[str]) -> str:
    """A make rule: ``target`` depends on ``inputs``; each input also gets an empty
    rule of its own, so that deleting one rebuilds the target instead of stopping make."""
    head = _escape(target) + ":" + "".join(f" \\\n  {_escape(name)}" for name in inputs)
    return head + "\n\n" + "".join(f"{_escape(name)}:\n" for name in inputs)


def rule_file(output: Path) -> Path:
    """Where the make rule for ``output`` goes: ``.manuscript.pdf.d`` beside it."""
    return output.with_name(f".{output.name}.d")


def _escape(name: str) -> str:
    return name.replace("$", "$$").replace("#", "\\#").replace(" ", "\\ ")
