"""Template helpers and filters, registered in one place so a wrong argument names the helper.

Called with arguments it does not take, a plain Python function raises
``Scope.__call__() got an unexpected keyword argument 'capitalize'``, which says
nothing to the template's author. Every helper is registered through
:func:`register`, which checks the arguments against the helper's signature first
and reports ``abbr() got an unexpected keyword argument 'capitalize' (abbr(short,
start=False, article=None))``; a value of the wrong kind (``"5" | qty``) is reported
the same way. The error is a ``TypeError``, so rendering places it at the template's
file and line like any other template failure.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from typing import Any

import jinja2


class HelperArgumentError(TypeError):
    """A template called a helper or filter with arguments it does not take."""

    hint = "check the helper's arguments in the README's list of template helpers"


def usage(name: str, helper: Callable[..., Any], *, is_filter: bool = False) -> str:
    """How the helper is called: ``abbr(short, start=False, article=None)``, or for a
    filter ``quantity | qty(digits=2)``."""
    params = list(inspect.signature(helper).parameters.values())
    shown = [f"**{p.name}" if p.kind is p.VAR_KEYWORD
             else p.name if p.default is inspect.Parameter.empty else f"{p.name}={p.default!r}"
             for p in params]  # fmt: skip
    if is_filter and shown:
        rest = f"({', '.join(shown[1:])})" if len(shown) > 1 else ""
        return f"{shown[0]} | {name}{rest}"
    return f"{name}({', '.join(shown)})"


def checked(
    name: str, helper: Callable[..., Any], *, is_filter: bool = False
) -> Callable[..., Any]:
    """``helper``, reporting a call with wrong arguments as a :class:`HelperArgumentError`."""
    signature = inspect.signature(helper)
    accepts = usage(name, helper, is_filter=is_filter)

    def call(*args: Any, **kwargs: Any) -> Any:
        try:
            signature.bind(*args, **kwargs)
        except TypeError as exc:
            raise HelperArgumentError(f"{name}() {exc} ({accepts})") from None
        try:
            return helper(*args, **kwargs)
        except HelperArgumentError:
            raise  # a helper that checks its own options (figure) has said what is wrong
        except (TypeError, AttributeError) as exc:
            # A value of the wrong kind fails inside the helper (a text where a quantity
            # belongs); its own message names Python's internals, not the helper.
            named = (f"{key}={_shown(value)}" for key, value in kwargs.items())
            given = ", ".join([*map(_shown, args), *named])
            raise HelperArgumentError(f"{name}() cannot take {given}: {exc} ({accepts})") from None

    call.__name__ = call.__qualname__ = name
    call.__doc__ = helper.__doc__
    return call


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def register(
    env: jinja2.Environment,
    *,
    filters: Mapping[str, Callable[..., Any]] | None = None,
    helpers: Mapping[str, Callable[..., Any]] | None = None,
) -> None:
    """Make ``filters`` (``{{ x | name }}``) and ``helpers`` (``{{ name(x) }}``) available
    to templates, each checked for wrong arguments."""
    for name, function in (filters or {}).items():
        env.filters[name] = checked(name, function, is_filter=True)
    for name, function in (helpers or {}).items():
        env.globals[name] = checked(name, function)
