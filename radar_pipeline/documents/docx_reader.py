"""Word ``.docx`` letters (python-docx): paragraphs and tables in document order.

Discontinuance letters put the affected parts in a Word table (customer part,
maker part, substitute). Each table comes back twice, as HTML tables do: as rows of
cells in ``Section.tables`` and as `` | ``-joined lines where it stands in the text.
Cells merged across columns keep their place (the spanned positions are empty) so
columns line up with the header; cells merged down repeat their value in each row.
Headers and footers (letterheads, dates) come first and last, text boxes in place.
"""

from __future__ import annotations

import io

from radar_pipeline.documents.model import Document, Section, Table
from radar_pipeline.documents.spreadsheet_reader import SpreadsheetError, check_zip

MAX_BLOCKS = 200_000  # paragraphs and table rows read from one file


class _Reader:
    def __init__(self) -> None:
        self.lines: list[str] = []
        self.tables: list[Table] = []
        self.blocks = 0
        self.cut = False

    def blocks_from(self, element, parent) -> None:
        """Paragraphs and tables of a body, cell, header or footer, in order (content controls opened)."""
        from docx.table import Table as DocxTable
        from docx.text.paragraph import Paragraph

        for child in element.iterchildren():
            if self.blocks >= MAX_BLOCKS:
                self.cut = True
                return
            tag = child.tag.rsplit("}", 1)[-1] if isinstance(child.tag, str) else ""
            if tag == "p":
                self.blocks += 1
                self.lines.append(_paragraph_text(Paragraph(child, parent)))
                for box in child.iter(_qn("w:txbxContent")):
                    self.blocks_from(box, parent)
            elif tag == "tbl":
                self.table(DocxTable(child, parent))
            elif tag in ("sdt", "customXml"):
                content = child.find(_qn("w:sdtContent")) if tag == "sdt" else child
                if content is not None:
                    self.blocks_from(content, parent)

    def table(self, table) -> None:
        rows: Table = []
        nested = []
        for row in table.rows:
            self.blocks += 1
            if self.blocks >= MAX_BLOCKS:
                self.cut = True
                break
            try:
                cells = row.cells
            except Exception:  # a malformed row (bad spans): read its cells one by one
                cells = []
            out, previous = [], None
            for cell in cells:
                if previous is not None and cell._tc is previous:
                    out.append("")  # merged across columns: the value stays in its first column
                else:
                    out.append(" ".join(" ".join(_paragraph_text(p) for p in cell.paragraphs).split()))
                    nested += cell.tables
                previous = cell._tc
            if any(out):
                rows.append(out)
        if rows:
            self.tables.append(rows)
            self.lines += [" | ".join(r).rstrip(" |") for r in rows]  # leading empties keep their place
        for inner in nested:
            self.table(inner)


def _qn(tag: str) -> str:
    from docx.oxml.ns import qn

    return qn(tag)


def _paragraph_text(paragraph) -> str:
    try:
        return paragraph.text
    except Exception:  # an element python-docx does not know: its bare text runs
        return "".join(t.text or "" for t in paragraph._p.iter(_qn("w:t")))


def read_docx(data: bytes, name: str, doc: Document) -> None:
    """Add the letter's section to ``doc``; problems become warnings."""
    try:
        check_zip(data, "DOCX")
    except SpreadsheetError as exc:
        doc.warnings.append(f"{name}: {exc}")
        return
    try:
        import docx

        word = docx.Document(io.BytesIO(data))
    except Exception as exc:
        doc.warnings.append(f"{name}: not a readable DOCX file: {type(exc).__name__}: {str(exc)[:200]}")
        return
    body, head, foot = _Reader(), _Reader(), _Reader()
    try:
        body.blocks_from(word.element.body, word._body)
    except Exception as exc:
        doc.warnings.append(
            f"{name}: part of the document could not be read: {type(exc).__name__}: {str(exc)[:200]}"
        )
    try:
        for section in word.sections:
            for part, reader in ((section.header, head), (section.first_page_header, head)):
                if not part.is_linked_to_previous:
                    reader.blocks_from(part._element, part)
            for part in (section.footer, section.first_page_footer):
                if not part.is_linked_to_previous:
                    foot.blocks_from(part._element, part)
    except Exception as exc:
        doc.warnings.append(f"{name}: headers or footers could not be read: {type(exc).__name__}")
    if body.cut:
        doc.warnings.append(f"{name}: only the first {MAX_BLOCKS} paragraphs and table rows were read")
    lines = _unique(head.lines) + body.lines + _unique(foot.lines)
    # a soft line break inside a paragraph starts a new line, as on the page
    text = "\n".join(" ".join(part.split()) for line in lines for part in line.splitlines() if part.strip())
    tables = head.tables + body.tables + foot.tables
    if not text.strip():
        doc.warnings.append(f"{name}: the DOCX file holds no text (images only are not read)")
        return
    doc.sections.append(Section(name, "docx", text, tables))


def _unique(lines: list[str]) -> list[str]:
    """Header and footer lines once each (every section repeats them)."""
    seen, out = set(), []
    for line in lines:
        key = line.strip()
        if key and key not in seen:
            seen.add(key)
            out.append(line)
    return out
