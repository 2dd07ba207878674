"""Reference designators of an EDA BOM row ("C1, C5-C8"): the placements, so the row's quantity.

Separators are commas, semicolons and white space; a range is ``C5-C8``, ``C5-8`` or
``C5..C8`` with one prefix, counting both ends. A token that is no range (``J1-A``, a
range running backwards) counts once, as written.
"""

from __future__ import annotations

import re

_SPLIT = re.compile(r"[,;\s]+")
_RANGE = re.compile(r"([A-Za-z_]+)(\d+)\s*(?:-|–|\.\.)\s*([A-Za-z_]*)(\d+)")
MAX_RANGE = 10_000  # "R1-R99999" is a typo, not a board


def designators(text: str) -> list[str]:
    """Every designator a cell names, ranges expanded."""
    out: list[str] = []
    for token in _SPLIT.split(re.sub(r"\s*(-|–|\.\.)\s*", r"\1", text.strip())):
        if not token:
            continue
        m = _RANGE.fullmatch(token)
        if m and m.group(3) in ("", m.group(1)):
            first, last = int(m.group(2)), int(m.group(4))
            if first <= last and last - first < MAX_RANGE:
                out += [f"{m.group(1)}{n}" for n in range(first, last + 1)]
                continue
        out.append(token)
    return out
