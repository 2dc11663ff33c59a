"""The layers of docs/architecture.md hold: no module imports a layer above its own.

The layer table is read from docs/architecture.md, so the documentation and this
test cannot disagree. Every import counts: at the top of a module, inside a
function, under ``TYPE_CHECKING``, absolute or relative.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from .conftest import REPO

SOURCE = REPO / "src" / "casekit"
ARCHITECTURE = REPO / "docs" / "architecture.md"
DOC = ARCHITECTURE.read_text(encoding="utf-8")


@dataclass(frozen=True)
class Layer:
    """One row of the layer table."""

    number: int
    """Position in the pipeline, lowest first."""
    name: str
    """Its name, as the ``may import`` column uses it."""
    parts: tuple[str, ...]
    """Folders (``core/``) and top-level files (``__init__.py``) it is made of."""
    may_import: tuple[str, ...]
    """Names of the layers it may import, as the table states them."""


def _layers() -> list[Layer]:
    rows = re.findall(r"^\| (\d+) \| (\w+) \| ([^|]+) \|[^|]*\| ([^|]+) \|$", DOC, re.MULTILINE)
    layers = []
    for number, name, parts, may_import in rows:
        allowed = () if "nothing" in may_import else tuple(re.findall(r"\w+", may_import))
        layers.append(Layer(int(number), name, tuple(re.findall(r"`([^`]+)`", parts)), allowed))
    return layers


LAYERS = _layers()
LAYER_OF = {part: layer for layer in LAYERS for part in layer.parts}
"""``core/`` or ``__main__.py`` → its layer."""


def _module_name(path: Path) -> str:
    parts = path.relative_to(SOURCE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(p): p for p in sorted(SOURCE.rglob("*.py"))}
"""Dotted name → file, for every module of casekit."""


def _part(module: str) -> str:
    """The folder (``core/``) or top-level file (``__main__.py``) a module belongs to."""
    names = module.split(".")
    if len(names) == 1:
        return "__init__.py"
    if (SOURCE / names[1]).is_dir():
        return f"{names[1]}/"
    return f"{names[1]}.py"


@dataclass(frozen=True)
class Import:
    """One import of a casekit module."""

    line: int
    """Line of the import statement."""
    module: str
    """The module imported (for ``from casekit.x import y``, ``casekit.x.y`` if a module)."""


def _imports(module: str) -> list[Import]:
    path = MODULES[module]
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found += [Import(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                target = ".".join([*base, *([node.module] if node.module else [])])
            else:
                target = node.module or ""
            for alias in node.names:
                submodule = f"{target}.{alias.name}"
                found.append(Import(node.lineno, submodule if submodule in MODULES else target))
    return [i for i in found if i.module == "casekit" or i.module.startswith("casekit.")]


def test_the_layer_table_is_read() -> None:
    assert [layer.number for layer in LAYERS] == list(range(len(LAYERS)))
    assert [layer.name for layer in LAYERS][:2] == ["core", "inputs"]
    assert LAYERS[-1].name == "cli"


@pytest.mark.parametrize("layer", LAYERS, ids=lambda layer: layer.name)
def test_the_table_states_what_each_layer_may_import(layer: Layer) -> None:
    below = tuple(lower.name for lower in LAYERS if lower.number < layer.number)
    assert layer.may_import == below, f"docs/architecture.md: {layer.name} may import {below}"


@pytest.mark.parametrize("module", sorted(MODULES), ids=lambda m: m)
def test_no_module_imports_a_higher_layer(module: str) -> None:
    own = _part(module)
    assert own in LAYER_OF, f"{own} is in no layer: add it to the table in docs/architecture.md"
    layer = LAYER_OF[own]
    wrong = []
    for found in _imports(module):
        theirs = LAYER_OF.get(_part(found.module))
        if theirs is None or theirs.number > layer.number:
            where = f"layer {theirs.number} ({theirs.name})" if theirs else "no layer"
            wrong.append(f"line {found.line}: imports {found.module}, in {where}")
    assert not wrong, (
        f"{MODULES[module].relative_to(REPO)} is in layer {layer.number} ({layer.name}) and "
        + "; ".join(wrong)
    )


def test_no_import_cycles_between_subpackages() -> None:
    edges: dict[str, set[str]] = {}
    for module in MODULES:
        for found in _imports(module):
            if _part(found.module) != _part(module):
                edges.setdefault(_part(module), set()).add(_part(found.module))

    def cycle_from(start: str, path: list[str]) -> list[str] | None:
        for next_part in sorted(edges.get(path[-1], ())):
            if next_part == start:
                return [*path, start]
            if next_part not in path and next_part > start:  # each cycle found once
                found = cycle_from(start, [*path, next_part])
                if found:
                    return found
        return None

    cycles = [" -> ".join(c) for part in sorted(edges) if (c := cycle_from(part, [part]))]
    assert not cycles, "subpackages import each other: " + "; ".join(cycles)


@pytest.mark.parametrize("module", sorted(MODULES), ids=lambda m: m)
def test_every_module_is_described_in_the_architecture(module: str) -> None:
    path = MODULES[module].relative_to(SOURCE).as_posix()
    named = path.removesuffix("__init__.py") if "/" in path else path  # core/__init__.py: core/
    assert f"`{named}`" in DOC, f"describe {path} in one line in docs/architecture.md"
