"""Reading order and borderless tables from word boxes, the way a person reads a page.

Most tables in real notices have no ruling lines: a header row ("Affected Part
Number   Recommended Replacement   Customer Part Number") and columns held apart
by white space, running over several pages with or without the header again.
Plain text loses which value sits under which header (an empty replacement cell
shifts every value left), so the page is rebuilt from word boxes:

1. words → lines: words whose vertical centres agree share a line;
2. lines → cells: a gap wider than about one character height, or a change of
   the PDF's own text line, starts a new cell;
3. a line whose cells read like column headers opens a table; every following
   line puts each cell under the header column it overlaps most (or lies
   nearest to), so values keep their column whatever is empty around them;
4. the table carries over to the next page (same columns) until a prose line,
   another header, or a line that fits no column ends it.

Pure Python over ``(x0, y0, x1, y1, text, block, line)`` tuples: the PDF worker
feeds it PyMuPDF's ``get_text("words")`` and the tests feed it made-up pages.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

Word = Sequence  # (x0, y0, x1, y1, text, block_no, line_no, ...)


@dataclass
class Cell:
    x0: float
    x1: float
    text: str
    source_line: tuple | None = None  # the PDF's own (block, line) numbers of the first word


@dataclass
class Line:
    y0: float
    y1: float
    cells: list[Cell] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "  ".join(c.text for c in self.cells)


def _height(words: list[Word]) -> float:
    heights = sorted(w[3] - w[1] for w in words)
    return heights[len(heights) // 2] if heights else 10.0


def page_lines(words: Iterable[Word]) -> list[Line]:
    """Group a page's words into lines (top to bottom) of cells (left to right)."""
    words = [w for w in words if str(w[4]).strip()]
    if not words:
        return []
    height = _height(words)
    words.sort(key=lambda w: ((w[1] + w[3]) / 2, w[0]))
    rows: list[list[Word]] = []
    for w in words:
        mid = (w[1] + w[3]) / 2
        if rows:
            top = min(x[1] for x in rows[-1])
            bottom = max(x[3] for x in rows[-1])
            if top <= mid <= bottom or abs(mid - (top + bottom) / 2) < 0.3 * (bottom - top):
                rows[-1].append(w)
                continue
        rows.append([w])
    lines = []
    for row in rows:
        row.sort(key=lambda w: w[0])
        line = Line(min(w[1] for w in row), max(w[3] for w in row))
        for w in row:
            cell = line.cells[-1] if line.cells else None
            source = tuple(w[5:7]) if len(w) > 6 else None
            if cell is not None and _same_cell(cell, w, source, height):
                cell.text += " " + str(w[4])
                cell.x1 = max(cell.x1, w[2])
            else:
                line.cells.append(Cell(w[0], w[2], str(w[4]), source))
        lines.append(line)
    return lines


def _same_cell(cell: Cell, word: Word, source: tuple | None, height: float) -> bool:
    """Word spacing keeps a cell together; a column gutter, or the PDF starting a new text line, splits it."""
    gap = word[0] - cell.x1
    if gap < 0.35 * height:
        return True
    return source is not None and source == cell.source_line and gap < 1.0 * height


def page_text(lines: list[Line]) -> str:
    """The page as text: cells two spaces apart, a blank line where a paragraph gap is."""
    out: list[str] = []
    for prev, line in zip([None, *lines], lines, strict=False):
        if prev is not None and line.y0 - prev.y1 > 0.9 * (line.y1 - line.y0):
            out.append("")
        out.append(line.text)
    return "\n".join(out)


# -- tables ----------------------------------------------------------------------------------
_PROSE_WORD = re.compile(r"^[a-z][a-z'’,.;:()-]*$")
_LABEL = re.compile(r"^[A-Za-z][A-Za-z /&()-]{2,40}:$")  # "Last Order Date:" starts a new block


def is_prose(line: Line, columns: list[Cell]) -> bool:
    """A sentence, not a row: many lower-case words in one cell wider than any column."""
    widest = max(columns, key=lambda c: c.x1 - c.x0)
    for cell in line.cells:
        words = cell.text.split()
        lower = sum(bool(_PROSE_WORD.match(w)) for w in words)
        if (
            len(words) >= 6
            and lower >= len(words) / 2
            and (cell.x1 - cell.x0) > 1.2 * (widest.x1 - widest.x0)
        ):
            return True
    return False


def _column_of(cell: Cell, columns: list[Cell]) -> int:
    best, best_overlap = -1, 0.0
    for i, col in enumerate(columns):
        overlap = min(cell.x1, col.x1) - max(cell.x0, col.x0)
        if overlap > best_overlap:
            best, best_overlap = i, overlap
    if best >= 0:
        return best
    distances = [max(col.x0 - cell.x1, cell.x0 - col.x1) for col in columns]
    return distances.index(min(distances))


def place(line: Line, columns: list[Cell]) -> list[str]:
    """The line's cells under the header's columns (several cells in one column are joined)."""
    row = [""] * len(columns)
    for cell in line.cells:
        i = _column_of(cell, columns)
        row[i] = f"{row[i]}  {cell.text}".strip() if row[i] else cell.text
    return row


def tables_from_pages(
    pages: list[list[Line]], header_rank: Callable[[list[str]], int]
) -> list[list[list[str]]]:
    """Tables opened by a header line; they continue across pages until prose or a new header.

    ``header_rank`` says how surely a line is a parts header (0: not one); a lone
    heading cell ("Existing Part #") opens a one-column table only when sure (≥ 8).
    """
    tables: list[list[list[str]]] = []
    columns: list[Cell] | None = None
    current: list[list[str]] = []
    for lines in pages:
        for line in lines:
            texts = [c.text for c in line.cells]
            rank = header_rank(texts)
            if rank and (len(texts) >= 2 or rank >= 8):
                if current:
                    tables.append(current)
                columns, current = list(line.cells), [texts]
                continue
            if columns is None:
                continue
            if is_prose(line, columns) or _LABEL.match(texts[0]):
                tables.append(current)
                columns, current = None, []
                continue
            current.append(place(line, columns))
    if current:
        tables.append(current)
    return [t for t in tables if len(t) >= 2]
