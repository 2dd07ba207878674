"""HTML to text that keeps table rows (cells joined by `` | ``) and drops scripts."""

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


class _Converter(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.tables: list[Table] = []
        self._stack: list[Table] = []
        self._row: list[str] | None = None
        self._cell: list[str] | None = None
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in _SKIP:
            self._skip += 1
        elif tag == "table":
            self._stack.append([])
        elif tag == "tr":
            self._row = []
        elif tag in ("td", "th"):
            self._cell = []
        if tag in _BLOCK:
            self.out.append("\n")

    def handle_endtag(self, tag):
        if tag in _SKIP:
            self._skip = max(0, self._skip - 1)
        elif tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
            self.out.append(" | ")
        elif tag == "tr" and self._row is not None:
            if self._stack and any(self._row):
                self._stack[-1].append(self._row)
            self._row = None
        elif tag == "table" and self._stack:
            table = self._stack.pop()
            if table:
                self.tables.append(table)
        if tag in _BLOCK:
            self.out.append("\n")

    def handle_data(self, data):
        if self._skip:
            return
        self.out.append(data)
        if self._cell is not None:
            self._cell.append(data)


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
