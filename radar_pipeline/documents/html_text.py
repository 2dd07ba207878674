"""HTML to text that keeps table rows (cells joined by `` | ``) and drops scripts.

Block elements (paragraphs, list items, rows) start new lines, so each ``<li>`` of a
``<ul>``/``<ol>`` is a line of its own; tables nested in cells are tables of their own.
"""

from __future__ import annotations

from html.parser import HTMLParser

from radar_pipeline.documents.model import Table

_BLOCK = {
    "p",
    "div",
    "br",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "tr",
    "table",
    "ul",
    "ol",
    "section",
    "article",
    "header",
    "footer",
    "blockquote",
    "pre",
    "hr",
    "dt",
    "dd",
}
_SKIP = {"script", "style", "head", "title", "noscript", "template"}


class _Frame:
    """One open table: its rows, the row and the cell being read."""

    def __init__(self) -> None:
        self.rows: Table = []
        self.row: list[str] | None = None
        self.cell: list[str] | None = None


class _Converter(HTMLParser):
    """Text with block breaks, and tables as rows; a table inside a cell is a table of its own
    (its text stays out of the outer cell, so the outer row keeps its columns)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.tables: list[Table] = []
        self._stack: list[_Frame] = []
        self._skip = 0

    def _end_cell(self, frame: _Frame) -> None:
        if frame.cell is not None and frame.row is not None:
            frame.row.append(" ".join("".join(frame.cell).split()))
            self.out.append(" | ")
        frame.cell = None

    def _end_row(self, frame: _Frame) -> None:
        self._end_cell(frame)
        if frame.row is not None and any(frame.row):
            frame.rows.append(frame.row)
        frame.row = None

    def handle_starttag(self, tag, attrs):
        if tag in _SKIP:
            self._skip += 1
        elif tag == "table":
            self._stack.append(_Frame())
        elif tag == "tr" and self._stack:
            self._end_row(self._stack[-1])  # an unclosed <tr> ends at the next one
            self._stack[-1].row = []
        elif tag in ("td", "th") and self._stack:
            frame = self._stack[-1]
            self._end_cell(frame)
            if frame.row is None:
                frame.row = []
            frame.cell = []
        if tag in _BLOCK:
            self.out.append("\n")

    def handle_endtag(self, tag):
        if tag in _SKIP:
            self._skip = max(0, self._skip - 1)
        elif tag in ("td", "th") and self._stack:
            self._end_cell(self._stack[-1])
        elif tag == "tr" and self._stack:
            self._end_row(self._stack[-1])
        elif tag == "table" and self._stack:
            frame = self._stack.pop()
            self._end_row(frame)
            if frame.rows:
                self.tables.append(frame.rows)
        if tag in _BLOCK:
            self.out.append("\n")

    def handle_data(self, data):
        if self._skip:
            return
        self.out.append(data)
        if self._stack and self._stack[-1].cell is not None:
            self._stack[-1].cell.append(data)

    def close(self):
        super().close()
        while self._stack:  # tables left open by broken HTML keep the rows read
            frame = self._stack.pop()
            self._end_row(frame)
            if frame.rows:
                self.tables.append(frame.rows)


def html_to_text(html: str) -> tuple[str, list[Table]]:
    """Readable text and the tables found, row by row."""
    conv = _Converter()
    try:
        conv.feed(html)
        conv.close()
    except Exception:  # html.parser is lenient; anything it still rejects keeps what was read
        pass
    lines = [" ".join(line.split()).strip(" |") for line in "".join(conv.out).splitlines()]
    text = "\n".join(line for line in lines if line)
    return text, conv.tables
