"""YAML files read into typed, frozen dataclasses, with every error pointing at a line.

PyYAML composes the file into nodes that remember their position; the nodes are
then converted field by field against the dataclass's type hints, so a wrong type,
a missing field or an unknown key is reported as ``file:line:column [field]``.
The conversion goes on past a bad field (skipping what is under it) and reports
every error of the file at once; a syntax error stops PyYAML, so it comes alone.
"""

from __future__ import annotations

import dataclasses
import functools
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, TypeVar, get_args, get_origin, get_type_hints

import yaml

from casekit.core.errors import Collector, InputError, Location
from casekit.core.textfile import read_text

T = TypeVar("T")

_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_constructor = yaml.SafeLoader("")

_TAGS = {
    "tag:yaml.org,2002:str": "text",
    "tag:yaml.org,2002:int": "an integer",
    "tag:yaml.org,2002:float": "a number",
    "tag:yaml.org,2002:bool": "true/false",
    "tag:yaml.org,2002:null": "nothing (null)",
    "tag:yaml.org,2002:timestamp": "a date",
    "tag:yaml.org,2002:map": "a mapping",
    "tag:yaml.org,2002:seq": "a list",
}


@dataclass(frozen=True)
class Loaded(typing.Generic[T]):
    """A typed value read from a YAML file, plus where each field came from."""

    value: T
    """The converted value."""
    path: Path
    """The file it was read from."""
    lines: Mapping[str, int]
    """Dotted field path (``timeline.2.day``) to 1-based line number."""

    def where(self, field: str) -> Location:
        """The location of a dotted field, falling back to its nearest parent."""
        probe = field
        while probe and probe not in self.lines:
            probe = probe.rpartition(".")[0]
        return Location(self.path, self.lines.get(probe), None, field or None)


class _Bad:
    """What a field that failed to convert becomes: its error is already collected,
    and whatever holds it is not built either."""


_BAD = _Bad()


def _line(text: str, index: int) -> str:
    lines = text.split("\n")
    return lines[index] if 0 <= index < len(lines) else ""


def compose(text: str, path: Path) -> yaml.Node | None:
    """Parse YAML text into nodes, turning syntax errors into located errors."""
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or "invalid YAML"
        if exc.context:
            problem = f"{problem} ({exc.context})"
        hint = None
        if mark is not None:
            from casekit.core.yamlhints import Trouble, syntax_hint  # only for a broken file

            trouble = Trouble(
                _line(text, mark.line), mark.column, exc.problem or "", exc.context or ""
            )
            hint = syntax_hint(trouble)
        raise InputError(
            f"YAML syntax error: {problem}",
            Location(path, mark.line + 1, mark.column + 1) if mark else Location(path),
            hint=hint or "check indentation and quoting on that line",
        ) from None
    except yaml.YAMLError as exc:
        raise InputError(f"YAML error: {exc}", Location(path)) from None
    return node


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    """A dataclass's resolved field types (resolving them costs more than converting)."""
    return get_type_hints(cls)


def load(path: Path, cls: type[T]) -> Loaded[T]:
    """Read ``path`` and convert its top-level mapping into ``cls``."""
    text = read_text(path)
    node = compose(text, path)
    if node is None:
        raise InputError(
            "file is empty", Location(path, 1), hint=f"it should hold a mapping for {cls.__name__}"
        )
    lines: dict[str, int] = {}
    value = _Converter(path, text, lines).run(node, cls)
    return Loaded(value, path, lines)


def load_mapping(path: Path) -> Loaded[dict[str, str]]:
    """Read a flat ``key: text`` mapping, e.g. abbreviations.yaml."""
    text = read_text(path)
    node = compose(text, path)
    lines: dict[str, int] = {}
    if node is None:
        return Loaded({}, path, lines)
    value = _Converter(path, text, lines).run(node, dict[str, str])
    return Loaded(value, path, lines)


def _describe(node: yaml.Node) -> str:
    return _TAGS.get(node.tag, node.tag)


def _type_name(tp: Any) -> str:
    if tp is type(None):
        return "nothing"
    origin = get_origin(tp)
    if origin is Literal:
        return "one of " + ", ".join(repr(a) for a in get_args(tp))
    if origin in (typing.Union, types.UnionType):
        return " or ".join(_type_name(a) for a in get_args(tp))
    if origin in (tuple, list):
        return "a list"
    if origin in (dict, Mapping):
        return "a mapping"
    if dataclasses.is_dataclass(tp):
        return "a mapping"
    return {str: "text", int: "an integer", float: "a number", bool: "true/false"}.get(
        tp, getattr(tp, "__name__", str(tp))
    )


class _Converter:
    """Converts nodes against type hints, collecting every error instead of stopping
    at the first; a field that fails becomes ``_BAD`` and its siblings go on."""

    def __init__(self, path: Path, text: str, lines: dict[str, int]):
        self.path = path
        self.text = text
        self.lines = lines
        self.errors = Collector()

    def run(self, node: yaml.Node, tp: Any) -> Any:
        """Convert the whole document; raise every error found, or return the value."""
        value = self.convert(node, tp, "")
        self.errors.raise_if_any()
        return value

    def fail(self, node: yaml.Node, field: str, message: str, hint: str | None = None) -> _Bad:
        """Collect an error at ``node``; the caller returns what this returns."""
        mark = node.start_mark
        self.errors.add(
            InputError(
                message, Location(self.path, mark.line + 1, mark.column + 1, field or None), hint
            )
        )
        return _BAD

    def convert(self, node: yaml.Node, tp: Any, field: str) -> Any:
        self.lines.setdefault(field, node.start_mark.line + 1)
        origin = get_origin(tp)
        if origin in (typing.Union, types.UnionType):
            options = get_args(tp)
            if node.tag == "tag:yaml.org,2002:null" and type(None) in options:
                return None
            real = [o for o in options if o is not type(None)]
            if len(real) == 1:
                return self.convert(node, real[0], field)
            raise TypeError(f"unsupported union {tp}")  # a programming error, not user input
        if origin is Literal:
            value = self.scalar(node, field, str)
            if value is _BAD or value in get_args(tp):
                return value
            import difflib  # a hint for an error: not on the way of a good file

            close = difflib.get_close_matches(str(value), [str(a) for a in get_args(tp)], 1)
            return self.fail(
                node,
                field,
                f"{value!r} is not allowed here; expected {_type_name(tp)}",
                f"did you mean {close[0]!r}?" if close else None,
            )
        if isinstance(node, yaml.ScalarNode) and hasattr(tp, "parse"):
            # Compact scalar forms such as `at: admission+3` (see days.DayRef).
            text = self.scalar(node, field, str)
            if text is _BAD:
                return _BAD
            try:
                return tp.parse(text)
            except ValueError as exc:
                return self.fail(node, field, str(exc))
        if dataclasses.is_dataclass(tp) and isinstance(tp, type):
            return self.dataclass(node, tp, field)
        if origin is tuple:
            (item_tp, _) = get_args(tp)
            if not isinstance(node, yaml.SequenceNode):
                return self.fail(node, field, f"expected a list, found {_describe(node)}")
            items = [
                self.convert(item, item_tp, f"{field}.{i}" if field else str(i))
                for i, item in enumerate(node.value)
            ]
            return _BAD if any(item is _BAD for item in items) else tuple(items)
        if origin in (dict, Mapping):
            (_, value_tp) = get_args(tp)
            if not isinstance(node, yaml.MappingNode):
                return self.fail(node, field, f"expected a mapping, found {_describe(node)}")
            result: dict[str, Any] = {}
            broken = False
            for key_node, value_node in self.pairs(node, field):
                key = str(key_node.value)
                sub = f"{field}.{key}" if field else key
                result[key] = self.convert(value_node, value_tp, sub)
                broken = broken or result[key] is _BAD
            return _BAD if broken or len(result) < len(node.value) else result
        if tp in (str, int, float, bool):
            return self.scalar(node, field, tp)
        if tp is Any:
            return self.construct(node, field)
        raise TypeError(f"unsupported field type {tp!r}")

    def source(self, node: yaml.Node) -> str:
        """``node`` as written in the file."""
        return self.text[node.start_mark.index : node.end_mark.index]

    def line_of(self, node: yaml.Node) -> str:
        """The line ``node`` starts on, as written in the file."""
        at = node.start_mark.index
        end = self.text.find("\n", at)
        return self.text[self.text.rfind("\n", 0, at) + 1 : end if end >= 0 else None]

    def construct(self, node: yaml.Node, field: str) -> Any:
        """The plain value of ``node``; a tag safe YAML cannot build is a located error."""
        try:
            return _constructor.construct_document(node)
        except yaml.YAMLError:
            return self.fail(
                node,
                field,
                f"cannot read a value tagged {node.tag!r}",
                "write the plain value without the YAML tag (the part starting with !)",
            )

    def pairs(self, node: yaml.MappingNode, field: str) -> list[tuple[yaml.Node, yaml.Node]]:
        """The key-value pairs of ``node`` worth converting: a key that is not text, or
        that repeats an earlier one, is collected as an error and left out."""
        seen: dict[str, int] = {}
        kept: list[tuple[yaml.Node, yaml.Node]] = []
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self.fail(key_node, field, "a key must be plain text")
                continue
            key = str(key_node.value)
            if key in seen:
                self.fail(
                    key_node,
                    f"{field}.{key}" if field else key,
                    f"duplicate key {key!r} (first given on line {seen[key]})",
                    "remove one of the two; YAML would silently keep the last",
                )
                continue
            seen[key] = key_node.start_mark.line + 1
            kept.append((key_node, value_node))
        return kept

    def scalar(self, node: yaml.Node, field: str, tp: type) -> Any:
        if not isinstance(node, yaml.ScalarNode) or node.tag == "tag:yaml.org,2002:null":
            hint = None
            if tp is str and isinstance(node, yaml.CollectionNode) and node.flow_style:
                # `note: {troponin 1,250 ng/L}`: braces meant as decoration.
                from casekit.core.yamlhints import brackets_around_text

                hint = brackets_around_text(self.source(node))
            return self.fail(
                node, field, f"expected {_type_name(tp)}, found {_describe(node)}", hint
            )
        if tp is str:
            # Keep the text as written: `day: 2019-05-03` stays a string the
            # privacy checks can see, and `version: 1.10` keeps its zero.
            return str(node.value)
        value = self.construct(node, field)
        if value is _BAD:
            return _BAD
        if tp is float and isinstance(value, int) and not isinstance(value, bool):
            return float(value)
        if tp is int and isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, tp) and not (tp is not bool and isinstance(value, bool)):
            return value
        return self.fail(
            node, field, f"expected {_type_name(tp)}, found {_describe(node)} {node.value!r}"
        )

    def dataclass(self, node: yaml.Node, cls: type, field: str) -> Any:
        if not isinstance(node, yaml.MappingNode):
            return self.fail(
                node, field, f"expected a mapping of {cls.__name__} fields, found {_describe(node)}"
            )
        hints = _hints(cls)
        fields = {f.name: f for f in dataclasses.fields(cls) if f.init}
        values: dict[str, Any] = {}
        unknown: list[tuple[yaml.Node, yaml.Node, str]] = []
        for key_node, value_node in self.pairs(node, field):
            key = str(key_node.value)
            name = key.replace("-", "_")
            if name not in fields:
                unknown.append((key_node, value_node, key))
                continue
            values[name] = self.convert(value_node, hints[name], f"{field}.{key}" if field else key)
        missing = [
            name
            for name, f in fields.items()
            if f.default is dataclasses.MISSING
            and f.default_factory is dataclasses.MISSING
            and name not in values
        ]
        self.unknown_and_missing(node, cls, field, unknown, missing)
        if (
            unknown
            or missing
            or len(values) < len(node.value)
            or any(v is _BAD for v in values.values())
        ):
            return _BAD
        return cls(**values)

    def unknown_and_missing(
        self,
        node: yaml.Node,
        cls: type,
        field: str,
        unknown: list[tuple[yaml.Node, yaml.Node, str]],
        missing: list[str],
    ) -> None:
        """Collect the unknown keys and missing required fields of one mapping, as few
        errors as explain them: a misspelt or renamed field is one mistake, reported at
        the key, not also as the field it should have been."""
        import difflib  # a hint for an error: not on the way of a good file

        fields = [f.name for f in dataclasses.fields(cls) if f.init]
        close = {key: difflib.get_close_matches(key, fields, 1) for _, _, key in unknown}
        unexplained = [m for m in missing if not any(m in c for c in close.values())]
        for key_node, value_node, key in unknown:
            if _split_by_comma(node, value_node):
                from casekit.core.yamlhints import comma_in_braces

                hint = comma_in_braces(self.line_of(key_node))
            elif close[key]:
                hint = f"did you mean {close[key][0]!r}?"
            elif len(unexplained) == 1:
                hint = f"did you mean {unexplained[0]!r}? it is required and missing here"
            elif unexplained:
                hint = "required and missing here: " + ", ".join(map(repr, unexplained))
            else:
                hint = "allowed: " + ", ".join(sorted(fields))
            sub = f"{field}.{key}" if field else key
            self.fail(key_node, sub, f"unknown field {key!r} in {cls.__name__}", hint)
        if any(not c for c in close.values()):
            return  # the unknown keys' hints name the missing fields
        for name in unexplained:
            self.fail(
                node,
                f"{field}.{name}" if field else name,
                f"missing required field {name!r} in {cls.__name__}",
                f"add `{name}:` to this mapping",
            )


def _split_by_comma(mapping: yaml.Node, value: yaml.Node) -> bool:
    """Whether a key of ``mapping`` has no value at all inside ``{ }``, the mark of an
    unquoted comma: ``{value: 1,250}`` is ``value: 1`` and a key ``250``."""
    return (
        isinstance(mapping, yaml.MappingNode)
        and bool(mapping.flow_style)
        and value.tag == "tag:yaml.org,2002:null"
        and value.value == ""
    )


@dataclass(frozen=True)
class Scalar:
    """One scalar value of a YAML file, and where it is written."""

    field: str
    """Dotted field path (``timeline.3.note``)."""
    value: str
    """The value as YAML reads it: quotes, escapes and line folding undone."""
    start: int
    """Offset in the file's text where the value is written (at its quote or ``|``)."""
    end: int
    """Offset just past it."""

    def offset_of(self, text: str, start: int, end: int) -> int:
        """Where ``value[start:end]`` is written in the file's ``text``.

        Exact when that stretch is written as it reads (a plain or quoted value on one
        line, a line of a ``|`` block); a stretch broken over folded lines is found by its
        first word, and failing that the value's own start stands for it."""
        raw = text[self.start : self.end]
        for probe in (self.value[start:end], *self.value[start:end].split()[:1]):
            if not probe:
                continue
            nth = _count(self.value, probe, start)
            at = -1
            for _ in range(nth + 1):
                at = raw.find(probe, at + 1)
                if at < 0:
                    break
            if at >= 0:
                return self.start + at
        return self.start


def _count(text: str, probe: str, before: int) -> int:
    """How many times ``probe`` starts in ``text`` before offset ``before``."""
    count, at = 0, text.find(probe)
    while 0 <= at < before:
        count += 1
        at = text.find(probe, at + 1)
    return count


def scalars(text: str, path: Path) -> list[Scalar]:
    """Every scalar value in a YAML file's ``text`` (keys aside), in the order of the text.

    Raises a located :class:`InputError` when the text is not YAML."""
    found: list[Scalar] = []

    def walk(node: yaml.Node, field: str) -> None:
        if isinstance(node, yaml.ScalarNode):
            found.append(Scalar(field, str(node.value), node.start_mark.index, node.end_mark.index))
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                walk(item, f"{field}.{i}" if field else str(i))
        elif isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                name = str(key.value) if isinstance(key, yaml.ScalarNode) else "?"
                walk(value, f"{field}.{name}" if field else name)

    node = compose(text, path)
    if node is not None:
        walk(node, "")
    return found
