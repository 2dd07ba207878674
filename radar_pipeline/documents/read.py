"""Dispatch on file type: one entry point for files, attachments and landing events."""

from __future__ import annotations

from pathlib import Path

from radar_pipeline.documents.html_text import html_to_text
from radar_pipeline.documents.model import Document, Section
from radar_pipeline.documents.pdf_reader import read_pdf
from radar_pipeline.documents.spreadsheet_reader import SpreadsheetError, read_csv, read_xlsx, rows_to_text

OCR_HINT = "no text layer (scanned or image-only); OCR is not configured"


def _kind(name: str, content_type: str | None) -> str:
    lower = name.lower()
    ct = (content_type or "").lower()
    for ext, kind in (
        (".pdf", "pdf"),
        (".xlsx", "xlsx"),
        (".xlsm", "xlsx"),
        (".csv", "csv"),
        (".eml", "email"),
        (".html", "html"),
        (".htm", "html"),
        (".txt", "text"),
        (".xls", "xls"),
    ):
        if lower.endswith(ext):
            return kind
    if "pdf" in ct:
        return "pdf"
    if "spreadsheetml" in ct:
        return "xlsx"
    if "csv" in ct:
        return "csv"
    if ct in ("message/rfc822",):
        return "email"
    if ct == "text/html":
        return "html"
    if ct.startswith("text/"):
        return "text"
    if ct.startswith("image/"):
        return "image"
    return "unknown"


def _decode_text(data: bytes) -> str:
    for enc in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def read_attachment(data: bytes, name: str, content_type: str | None, doc: Document) -> None:
    """Add the sections of one file (or attachment) to ``doc``; problems become warnings."""
    kind = _kind(name, content_type)
    if kind == "pdf":
        pdf = read_pdf(data)
        if pdf.error:
            doc.warnings.append(f"{name}: {pdf.error}")
            return
        if pdf.repaired:
            doc.warnings.append(
                f"{name}: PDF is damaged (truncated or corrupt) and was repaired; content may be incomplete"
            )
        if pdf.page_count > len(pdf.pages):
            doc.warnings.append(
                f"{name}: only the first {len(pdf.pages)} of {pdf.page_count} pages were read"
            )
        text = "\n".join(pdf.pages)
        if not text.strip():
            doc.warnings.append(f"{name}: {OCR_HINT} ({pdf.page_count} page(s), {pdf.images} image(s))")
            return
        doc.sections.append(Section(name, "pdf", text, pdf.tables))
    elif kind in ("xlsx", "csv"):
        try:
            sheets = read_xlsx(data) if kind == "xlsx" else [(name, read_csv(data))]
        except SpreadsheetError as exc:
            doc.warnings.append(f"{name}: {exc}")
            return
        for sheet, rows in sheets:
            label = name if kind == "csv" else f"{name}[{sheet}]"
            doc.sections.append(Section(label, "spreadsheet", rows_to_text(rows), [rows]))
    elif kind == "html":
        text, tables = html_to_text(_decode_text(data))
        doc.sections.append(Section(name, "html", text, tables))
    elif kind == "text":
        doc.sections.append(Section(name, "text", _decode_text(data)))
    elif kind == "email":
        from radar_pipeline.documents.email_reader import read_email

        inner = read_email(data, name)
        doc.sections += inner.sections
        doc.warnings += inner.warnings
        doc.sender, doc.subject = doc.sender or inner.sender, doc.subject or inner.subject
    elif kind == "image":
        doc.warnings.append(f"{name}: image attachment not read; OCR is not configured")
    elif kind == "xls":
        doc.warnings.append(f"{name}: legacy .xls workbooks are not read; save as .xlsx")
    else:
        doc.warnings.append(f"{name}: attachment of type {content_type or 'unknown'} was not read")


def read_bytes(data: bytes, name: str, content_type: str | None = None) -> Document:
    """A document from raw bytes (a file, or a landing event body)."""
    kind = _kind(name, content_type)
    if kind == "email":
        from radar_pipeline.documents.email_reader import read_email

        return read_email(data, name)
    doc = Document(name=name, kind=kind)
    read_attachment(data, name, content_type, doc)
    return doc


def read_file(path: str | Path) -> Document:
    path = Path(path)
    return read_bytes(path.read_bytes(), path.name)
