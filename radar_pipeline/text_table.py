"""Plain-text tables for the terminal (``radar events``, ``radar exposure``)."""

from __future__ import annotations

from collections.abc import Collection, Sequence


def text_table(rows: Sequence[dict], columns: Sequence[str], right: Collection[str] = ()) -> str:
    """Columns padded to their widest cell; ``None`` shows as empty; ``right`` columns right-aligned."""
    cells = [["" if r.get(c) is None else str(r.get(c)) for c in columns] for r in rows]
    width = [max([len(c)] + [len(row[i]) for row in cells]) for i, c in enumerate(columns)]

    def line(values: Sequence[str]) -> str:
        return "  ".join(
            v.rjust(w) if c in right else v.ljust(w) for c, v, w in zip(columns, values, width, strict=True)
        )

    return "\n".join([line(columns), "  ".join("-" * w for w in width), *(line(row) for row in cells)])
