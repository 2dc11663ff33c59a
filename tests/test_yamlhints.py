"""The YAML traps: each recognised from its line, and a line that is no trap left alone."""

from __future__ import annotations

import pytest

from casekit.core.yamlhints import Trouble, brackets_around_text, comma_in_braces, syntax_hint


@pytest.mark.parametrize(
    ("line", "column", "problem", "context", "hint"),
    [
        ("note: ratio 2: 1", 13, "mapping values are not allowed in this context", "",
         'a colon followed by a space inside a value starts a mapping: quote the value, '
         'e.g. note: "ratio 2: 1"'),
        ("  - note: ratio 2: 1  # a comment", 17, "mapping values are not allowed", "",
         'quote the value, e.g. note: "ratio 2: 1"'),
        ('note: he said "no": 2', 18, "mapping values are not allowed", "",
         "e.g. note: 'he said \"no\": 2'"),
        ("- {note: ratio 2: 1}", 16, "did not find expected ',' or '}'",
         "while parsing a flow mapping", "starts a mapping: quote the value"),
        ("note: *starred", 6, "found undefined alias", "", "is a YAML alias"),
        ("note: * star", 7, "did not find expected alphabetic or numeric character",
         "while scanning an alias", 'e.g. note: "* star"'),
        ("note: & co", 7, "did not find expected alphabetic or numeric character",
         "while scanning an anchor", "is a YAML anchor"),
        ("note: @home", 6, "found character that cannot start any token", "", "allow @"),
        ("note: `code`", 6, "found character that cannot start any token", "", "allow `"),
        ("note: %x", 6, "found character that cannot start any token", "", "allow %"),
        ("note: 'it's'", 10, "did not find expected key", "", "write it twice ('it''s')"),
        ('note: "a "b""', 10, "did not find expected key", "", 'write it as \\"'),
        ("\tnote: x", 0, "found character that cannot start any token", "", "not tabs"),
    ],
    ids=["colon", "colon-in-list-with-comment", "colon-with-quotes", "colon-in-braces", "star",
         "star-space", "ampersand", "at-sign", "backtick", "percent", "apostrophe",
         "double-quote", "tab"],
)  # fmt: skip
def test_a_trap_gets_its_hint(
    line: str, column: int, problem: str, context: str, hint: str
) -> None:
    assert hint in (syntax_hint(Trouble(line, column, problem, context)) or "")


@pytest.mark.parametrize(
    ("line", "column", "problem"),
    [
        ("  flag: true", 6, "mapping values are not allowed in this context"),
        ("note: [x", 8, "did not find expected ',' or ']'"),
        ("note: 'closed' and more", 15, "did not find expected key"),
    ],
    ids=["indentation", "unclosed-bracket", "text-after-quotes"],
)
def test_a_line_that_is_no_trap_gets_no_hint(line: str, column: int, problem: str) -> None:
    assert syntax_hint(Trouble(line, column, problem, "")) is None


@pytest.mark.parametrize(
    ("line", "hint"),
    [
        ("  result: {value: 1,250, unit: ng/L}", '(1250), or quote text that holds one ("1,250")'),
        ("  result: {value: 12,500,000}", "(12500000)"),
        ("  weight: {value: 5,2, unit: kg}", '(5.2), or quote text that holds one ("5,2")'),
        ('  x: {note: "1,250", a, b}', 'quote text that holds one, e.g. "a, b"'),
        ("  x: {a, b}  # 1,250", 'quote text that holds one, e.g. "a, b"'),
    ],
    ids=["thousands", "millions", "decimal-comma", "quoted-number-ignored", "comment-ignored"],
)
def test_comma_in_braces_names_the_number_it_split(line: str, hint: str) -> None:
    assert hint in comma_in_braces(line)


@pytest.mark.parametrize(
    ("source", "hint"),
    [
        ("{troponin 1,250 ng/L}", '{ } around text make a mapping, and a comma inside separates '
         'items: drop them and quote the text, e.g. "troponin 1,250 ng/L"'),
        ('[he said "no", twice]', "[ ] around text make a list"),
        ("{}", "drop them and quote the text"),
    ],
    ids=["braces", "brackets-with-quotes", "empty"],
)  # fmt: skip
def test_brackets_around_text(source: str, hint: str) -> None:
    assert hint in brackets_around_text(source)
