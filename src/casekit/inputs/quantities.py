"""Numbers with units, and reference ranges, as the case data and the text give them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


def number(value: float) -> str:
    """A measured value as the text prints it: ``1,250``, ``0.001``, ``4.5``."""
    return f"{value:,g}".replace("-", "−")


@dataclass(frozen=True)
class Quantity:
    """A number with its unit."""

    value: float
    """The number."""
    unit: str
    """Its unit, e.g. ``mg/m2`` or ``%``."""

    def __str__(self) -> str:
        sep = "" if self.unit in ("%", "°") else " "
        return f"{number(self.value)}{sep}{self.unit}"


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
