"""Dispatch on file type: one entry point for files, attachments and landing events.

The name and content type say what a file claims to be; the first bytes say what it
is. Makers send xlsm workbooks named ``.xls``, PDFs as ``application/octet-stream``
and HTML tables named ``.xls``, so the claim is checked against the bytes before a
reader is chosen.
"""

from __future__ import annotations

import io
from pathlib import Path

from radar_pipeline.documents.html_text import html_to_text
from radar_pipeline.documents.model import Document, Section
from radar_pipeline.documents.pdf_reader import PdfContent, read_image, read_pdf
from radar_pipeline.documents.pdf_worker import MIN_IMAGE
from radar_pipeline.documents.spreadsheet_reader import (
    OLE_MAGIC,
    ZIP_MAGIC,
    SpreadsheetError,
    read_csv,
    read_workbook,
    rows_to_text,
)

OCR_HINT = "no text layer (scanned or image-only); OCR is not configured"  # the worker words it now
NOTHING_TO_READ = "no text layer and no image to OCR (blank, or text drawn as outlines)"
MAX_DEPTH = 12  # messages inside messages (forwards of forwards, .msg in .eml in .msg)

_EXTENSIONS = {
    ".pdf": "pdf",
    ".xlsx": "workbook",
    ".xlsm": "workbook",
    ".xltx": "workbook",
    ".xltm": "workbook",
    ".xls": "workbook",
    ".xlsb": "workbook",
    ".csv": "csv",
    ".eml": "email",
    ".msg": "msg",
    ".docx": "docx",
    ".docm": "docx",
    ".dotx": "docx",
    ".doc": "doc",
    ".html": "html",
    ".htm": "html",
    ".txt": "text",
    ".rtf": "rtf",
    ".png": "image",
    ".jpg": "image",
    ".jpeg": "image",
    ".tif": "image",
    ".tiff": "image",
    ".gif": "image",
    ".bmp": "image",
}


def _kind(name: str, content_type: str | None) -> str:
    """What the name (else the content type) claims the file is."""
    lower = name.lower()
    ct = (content_type or "").lower()
    if lower.endswith("winmail.dat") or "ms-tnef" in ct:
        return "tnef"
    dot = lower.rfind(".")
    if dot >= 0 and lower[dot:] in _EXTENSIONS:
        return _EXTENSIONS[lower[dot:]]
    if "pdf" in ct:
        return "pdf"
    if "spreadsheetml" in ct or "ms-excel" in ct:
        return "workbook"
    if "wordprocessingml" in ct:
        return "docx"
    if "msword" in ct:
        return "doc"
    if ct in ("text/rtf", "application/rtf"):
        return "rtf"
    if "ms-outlook" in ct:
        return "msg"
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


TNEF_MAGIC = b"\x78\x9f\x3e\x22"  # 0x223E9F78, little-endian
_IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*", b"GIF87a", b"GIF89a", b"BM")


def _ole_kind(data: bytes) -> str | None:
    """msg, workbook or doc: an OLE compound file says which by its stream names."""
    try:
        import olefile

        with olefile.OleFileIO(data) as ole:
            names = {"/".join(e).lower() for e in ole.listdir(streams=True, storages=True)}
    except Exception:
        return None
    if "__properties_version1.0" in names or any(n.startswith("__substg1.0_") for n in names):
        return "msg"
    if names & {"workbook", "book"}:
        return "workbook"
    if "worddocument" in names:
        return "doc"
    return None


def _zip_kind(data: bytes) -> str | None:
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            names = set(z.namelist())
    except Exception:
        return None
    if "word/document.xml" in names:
        return "docx"
    if any(n.startswith("xl/workbook.") for n in names):
        return "workbook"
    return None


def sniff(data: bytes, claimed: str) -> str:
    """The kind the bytes show, where they contradict (or fill in) the claimed kind."""
    head = data[:1024]
    if head.startswith(TNEF_MAGIC):
        return "tnef"
    binary = claimed in ("pdf", "workbook", "docx", "doc", "msg", "image", "unknown")
    if head.startswith(ZIP_MAGIC) and binary:
        return _zip_kind(data) or claimed
    if head.startswith(OLE_MAGIC) and binary:
        return _ole_kind(data) or claimed
    if claimed != "pdf" and binary and b"%PDF-" in head:
        return "pdf"
    if claimed in ("image", "unknown", "pdf") and head.startswith(_IMAGE_MAGIC):
        return "image"
    if claimed in ("doc", "unknown", "text", "docx") and head.lstrip().startswith(b"{\\rtf"):
        return "rtf"  # Word letters saved as RTF keep the .doc name
    if claimed in ("workbook", "doc", "unknown"):
        text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
        if text.startswith((b"<html", b"<!doctype html", b"<table")):
            return "html"  # "Excel" exports that are really HTML tables
        if (
            claimed == "workbook"
            and head
            and b"\x00" not in head
            and any(sep in head for sep in (b"\t", b";", b","))
        ):
            return "csv"  # ERP "Excel" exports that are really tab- or comma-separated text
    return claimed


def _image_size(data: bytes) -> tuple[int, int] | None:
    """Width and height from the image header (nothing is decoded); None when unknown."""
    try:
        from PIL import Image

        with Image.open(io.BytesIO(data)) as img:
            return img.size
    except Exception:
        return None


def _decode_text(data: bytes) -> str:
    for enc in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def _add_pdf(pdf: PdfContent, name: str, doc: Document, what: str = "PDF") -> None:
    if pdf.error:
        doc.warnings.append(f"{name}: {pdf.error}")
        return
    if pdf.small_image:
        width, height = pdf.small_image
        doc.warnings.append(
            f"{name}: image of {width}x{height} px skipped (too small to hold a notice: a logo?)"
        )
        return
    if pdf.repaired:
        doc.warnings.append(
            f"{name}: PDF is damaged (truncated or corrupt) and was repaired; content may be incomplete"
        )
    if pdf.limit_warning:
        doc.warnings.append(f"{name}: {pdf.limit_warning}")
    doc.warnings += [f"{name}: {w}" for w in pdf.ocr_warnings]
    text = "\n".join(pdf.pages)
    if not text.strip():
        if pdf.ocr_pages:
            doc.warnings.append(f"{name}: OCR found no text ({pdf.ocr_pages} page(s))")
        elif not pdf.ocr_warnings:
            doc.warnings.append(f"{name}: {NOTHING_TO_READ} ({pdf.page_count} page(s))")
        return
    doc.sections.append(Section(name, "pdf" if what == "PDF" else "image", text, pdf.tables))


def read_attachment(
    data: bytes, name: str, content_type: str | None, doc: Document, *, depth: int = 0
) -> None:
    """Add the sections of one file (or attachment) to ``doc``; problems become warnings."""
    kind = sniff(data, _kind(name, content_type))
    if depth > MAX_DEPTH and kind in ("email", "msg"):
        doc.warnings.append(f"{name}: messages nested deeper than {MAX_DEPTH} levels were not read")
        return
    if kind == "pdf":
        _add_pdf(read_pdf(data), name, doc)
    elif kind == "image":
        size = _image_size(data)
        if size and (size[0] < MIN_IMAGE[0] or size[1] < MIN_IMAGE[1]):  # no child process for a logo
            doc.warnings.append(
                f"{name}: image of {size[0]}x{size[1]} px skipped (too small to hold a notice: a logo?)"
            )
            return
        _add_pdf(read_image(data), name, doc, "image")
    elif kind in ("workbook", "csv"):
        try:
            sheets = read_workbook(data) if kind == "workbook" else [(name, read_csv(data, doc.warnings))]
        except SpreadsheetError as exc:
            doc.warnings.append(f"{name}: {exc}")
            return
        for sheet, rows in sheets:
            label = name if kind == "csv" else f"{name}[{sheet}]"
            doc.sections.append(Section(label, "spreadsheet", rows_to_text(rows), [rows]))
        if kind == "workbook" and not any(rows for _, rows in sheets):
            doc.warnings.append(f"{name}: the workbook has no filled cell")
    elif kind == "docx":
        from radar_pipeline.documents.docx_reader import read_docx

        read_docx(data, name, doc)
    elif kind == "html":
        text, tables = html_to_text(_decode_text(data))
        doc.sections.append(Section(name, "html", text, tables))
    elif kind == "text":
        doc.sections.append(Section(name, "text", _decode_text(data)))
    elif kind in ("email", "msg"):
        if kind == "email":
            from radar_pipeline.documents.email_reader import read_email as read_message
        else:
            from radar_pipeline.documents.msg_reader import read_msg as read_message

        inner = read_message(data, name, depth=depth + 1)
        doc.sections += inner.sections
        doc.warnings += inner.warnings
        doc.sender, doc.subject = doc.sender or inner.sender, doc.subject or inner.subject
        doc.date = doc.date or inner.date
    elif kind == "tnef":
        from radar_pipeline.documents.tnef_reader import read_tnef

        read_tnef(data, name, doc, depth=depth + 1)
    elif kind == "rtf":
        from radar_pipeline.documents.rtf_reader import rtf_to_text

        try:
            text, tables = rtf_to_text(data)
        except Exception as exc:
            doc.warnings.append(f"{name}: RTF could not be read: {type(exc).__name__}: {str(exc)[:200]}")
            return
        if text.strip():
            doc.sections.append(Section(name, "rtf", text, tables))
        else:
            doc.warnings.append(f"{name}: the RTF document holds no text")
    elif kind == "doc":
        doc.warnings.append(f"{name}: legacy Word .doc files are not read; save as .docx or PDF")
    else:
        doc.warnings.append(f"{name}: attachment of type {content_type or 'unknown'} was not read")


def read_bytes(data: bytes, name: str, content_type: str | None = None) -> Document:
    """A document from raw bytes (a file, or a landing event body)."""
    kind = sniff(data, _kind(name, content_type))
    if kind == "email":
        from radar_pipeline.documents.email_reader import read_email

        return read_email(data, name)
    if kind == "msg":
        from radar_pipeline.documents.msg_reader import read_msg

        return read_msg(data, name)
    doc = Document(name=name, kind={"workbook": "spreadsheet", "csv": "spreadsheet"}.get(kind, kind))
    read_attachment(data, name, content_type, doc)
    return doc


def read_file(path: str | Path) -> Document:
    path = Path(path)
    return read_bytes(path.read_bytes(), path.name)
