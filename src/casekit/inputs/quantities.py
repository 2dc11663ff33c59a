"""Numbers with units, and reference ranges, as the case data and the text give them."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Literal


def number(value: float) -> str:
    """A measured value as the text prints it, with the digits it was given: ``1,250``,
    ``0.001``, ``4.5``, ``1,234,567``; never in exponent form."""
    text = format(Decimal(repr(float(value))), ",f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace("-", "−")


def with_unit(amount: str, unit: str) -> str:
    """A number and its unit as typeset: ``%`` and ``°`` closed up, any other unit after
    a no-break space, so that ``38.1 °C`` or ``6.1 kg`` never breaks across lines."""
    return f"{amount}{unit}" if unit in ("%", "°") else f"{amount}\u00a0{unit}"


@dataclass(frozen=True)
class Quantity:
    """A number with its unit."""

    value: float
    """The number."""
    unit: str
    """Its unit, e.g. ``mg/m2`` or ``%``."""

    def __str__(self) -> str:
        return with_unit(number(self.value), self.unit)


@dataclass(frozen=True)
class Range:
    """A reference range; either end may be open."""

    low: float | None = None
    """Lowest normal value."""
    high: float | None = None
    """Highest normal value."""

    def flag(self, value: float) -> Literal["low", "high"] | None:
        """``low`` or ``high`` when ``value`` lies outside the range."""
        if self.low is not None and value < self.low:
            return "low"
        if self.high is not None and value > self.high:
            return "high"
        return None

    def __str__(self) -> str:
        if self.low is not None and self.high is not None:
            return f"{number(self.low)}–{number(self.high)}"
        if self.high is not None:
            return f"≤{number(self.high)}"
        return f"≥{number(self.low)}" if self.low is not None else ""
