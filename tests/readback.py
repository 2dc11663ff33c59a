"""Reading built outputs back as text, the way a reviewer (or a check) sees them."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import docx
import pypdf

GROUP = re.compile(r"\[([0-9][0-9,–]*)\]")


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(path).pages)


def docx_paragraphs(path: Path) -> list[tuple[str, str]]:
    """(style name, text) of every body paragraph."""
    return [(p.style.name if p.style else "", p.text) for p in docx.Document(str(path)).paragraphs]


def docx_text(path: Path) -> str:
    return "\n".join(text for _, text in docx_paragraphs(path))


def groups(text: str) -> list[str]:
    """Printed citation labels in reading order, before the reference list."""
    body = text.split("\nReferences\n", 1)[0]
    return GROUP.findall(body)


def pdf_reference_list(text: str) -> list[str]:
    """Entries of the PDF's reference list, one string each."""
    entries: list[str] = []
    for line in text.split("\nReferences\n", 1)[1].splitlines():
        marker = f"{len(entries) + 1}. "
        if line.startswith(marker):
            entries.append(line[len(marker) :])
        elif entries:
            entries[-1] += " " + line
    return entries


def pdf_structure(path: Path) -> list[tuple[str, Any]]:
    """The structure elements of a tagged PDF in reading order: (type, element), the type
    as ``/Figure``, ``/H1``, ``/LI``."""
    found: list[tuple[str, Any]] = []

    def walk(node: object) -> None:
        node = node.get_object() if hasattr(node, "get_object") else node
        if isinstance(node, dict):
            if "/S" in node:
                found.append((str(node["/S"]), node))
            walk(node.get("/K"))
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(pypdf.PdfReader(path).trailer["/Root"]["/StructTreeRoot"].get("/K"))
    return found


def pdf_alt_texts(path: Path, kind: str) -> list[str]:
    """The alt text of each structure element of ``kind`` (``/Figure``, ``/Formula``) in a
    tagged PDF, in reading order."""
    return [str(node["/Alt"]) for s, node in pdf_structure(path) if s == kind and "/Alt" in node]
