"""Figures and tables, numbered by first mention in the text.

Templates write ``{{ fig("timeline") }}`` to mention a figure ("Figure 1") and
``{{ figure("timeline", "Caption") }}`` to place it; tables likewise with
``tbl`` and ``table_caption``. A number is given at the first mention (or at the
placement, if the text never mentions it first); the record of mentions and
placements lets ``casekit check`` report an item never mentioned, placed out of
order, or mentioned but never placed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

LABELS = {"fig": "Figure", "tbl": "Table"}


@dataclass
class Item:
    """One figure or table."""

    kind: str
    """``fig`` or ``tbl``."""
    name: str
    """The template's name for it, e.g. ``timeline``."""
    number: int
    """Its number."""
    mentioned: bool = False
    """Whether the text mentions it (before or after it is placed)."""
    mentioned_first: bool = False
    """Whether the first reference to it was a mention rather than the placement."""
    placed: int | None = None
    """Position among placements of its kind, from 0, or None if never placed."""


@dataclass
class Numbering:
    """The figure and table numbers of one document body."""

    items: dict[tuple[str, str], Item] = field(default_factory=dict)
    """Items by (kind, name), in numbering order."""

    def _item(self, kind: str, name: str) -> Item:
        key = (kind, name)
        if key not in self.items:
            number = 1 + sum(1 for k, _ in self.items if k == kind)
            self.items[key] = Item(kind, name, number)
        return self.items[key]

    def mention(self, kind: str, name: str) -> str:
        """``Figure 1``: the label, numbering the item if this is its first appearance."""
        fresh = (kind, name) not in self.items
        item = self._item(kind, name)
        item.mentioned = True
        item.mentioned_first = item.mentioned_first or fresh
        return f"{LABELS[kind]} {item.number}"

    def place(self, kind: str, name: str) -> Item:
        """Record that the item is placed here; returns it (with its number)."""
        item = self._item(kind, name)
        if item.placed is None:
            item.placed = sum(
                1 for i in self.items.values() if i.kind == kind and i.placed is not None
            )
        return item

    def problems(self) -> list[tuple[str, str]]:
        """(code, message) for items never mentioned, placed out of order, or never placed."""
        found = []
        for item in self.items.values():
            label = f"{LABELS[item.kind]} {item.number} ({item.name!r})"
            if item.placed is None:
                found.append(("unplaced-item", f"{label} is mentioned but never placed"))
            elif not item.mentioned:
                found.append(("unmentioned-item", f"{label} is placed but never mentioned"))
            elif not item.mentioned_first:
                found.append(("item-order", f"{label} is placed before the text first mentions it"))
            elif item.placed != item.number - 1:
                found.append(
                    ("item-order", f"{label} is placed out of order, as item {item.placed + 1}")
                )
        return found
