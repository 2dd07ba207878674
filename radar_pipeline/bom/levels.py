"""The ``Level`` column of an indented (multi-level) BOM, in each spelling ERP and PLM tools use.

    0, 1, 2         the depth as a number
    .1, ..2, ...3   the depth after indent dots (the number wins; dots alone count)
    1, 1.2, 1.2.3   an outline number: the depth is its parts less one, its parent the prefix

A row's parent is the nearest row above it one level up (numbers and dots), or the row
whose outline number is its prefix (outline). A spreadsheet keeps an outline typed as a
number as a number, so ``1.10`` arrives as ``1.1``: keep the column as text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_NUMBER = re.compile(r"(\.*)\s*(\d{1,2})")
_DOTS = re.compile(r"\.{1,20}")
_OUTLINE = re.compile(r"\d{1,4}(?:\.\d{1,4})+")


@dataclass(frozen=True)
class Level:
    depth: int
    spelling: str  # "number", "dots" or "outline"
    outline: str | None = None  # the outline number, whose prefix names the parent

    @property
    def parent_outline(self) -> str | None:
        return self.outline.rsplit(".", 1)[0] if self.outline and "." in self.outline else None


def is_outline(cells: list[str]) -> bool:
    """Whether a Level column is spelled as outline numbers (then ``1`` is a top row, not depth 1)."""
    return any(_OUTLINE.fullmatch(c.strip()) for c in cells)


def parse_level(text: str, outline: bool = False) -> Level | None:
    """A ``Level`` cell (of a column spelled in ``outline`` numbers or not), or ``None`` when it is
    none of the spellings."""
    t = text.strip()
    if outline and (_OUTLINE.fullmatch(t) or t.isdigit()):
        return Level(t.count("."), "outline", t)
    if m := _NUMBER.fullmatch(t):
        return Level(int(m.group(2)), "dots" if m.group(1) else "number")
    if _DOTS.fullmatch(t):
        return Level(len(t), "dots")
    if _OUTLINE.fullmatch(t):
        return Level(t.count("."), "outline", t)
    return None


SPELLINGS = {"number": "numbers (0, 1, 2)", "dots": "dots (.1, ..2)", "outline": "outline numbers (1.2.3)"}
