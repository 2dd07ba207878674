"""Readers for the files manufacturers really send (issue 12): Word letters, Outlook .msg,
xlsm named .xls and real .xls, HTML lists, scans through OCR. Every file is generated here."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime

import pytest

from radar_pipeline.demo.corpus import (
    RENESAS_PARTS,
    _email,
    _pdf_table,
    kemet_docx_letter,
    outlook_msg,
    real_xls,
    renesas_real_xls,
    renesas_xlsm_named_xls,
    rohm_scanned_table_pdf,
    scan_of,
    vishay_msg_forward,
)
from radar_pipeline.documents import read_bytes
from radar_pipeline.documents.html_text import html_to_text
from radar_pipeline.documents.read import sniff
from radar_pipeline.documents.spreadsheet_reader import cell_text, read_workbook
from radar_pipeline_tests.hostile import mail_with, zip_bomb_xlsx

DOCX = "vnd.openxmlformats-officedocument.wordprocessingml.document"


needs_ocr = pytest.mark.ocr


# -- Word ----------------------------------------------------------------------------------------
def test_docx_paragraphs_and_tables_in_document_order():
    sample = kemet_docx_letter()
    doc = read_bytes(sample.data, sample.name)
    (letter,) = [s for s in doc.sections if s.name.endswith(".docx")]
    assert letter.kind == "docx" and doc.warnings == []
    lines = letter.text.splitlines()
    assert lines[0] == "KEMET Electronics Corporation - Confidential"  # the page header comes first
    header = lines.index("Your part number | Our part number | Our substitute")
    assert (
        lines.index("Issue Date: 2026/11/24")
        < header
        < lines.index("1. Received date of Last Time Buy order: March 31, 2027")
    )
    assert lines[header + 2] == "1212004472-03 | T491B476K010AT"
    parts, form = letter.tables
    assert parts[0] == ["Your part number", "Our part number", "Our substitute"]
    assert parts[1] == ["1212004471-01", "T491A106K016AT", "T491A106K016AT7280"]
    assert len(parts) == 5  # the blank rows left for more parts are not rows
    assert form[0] == ["Acknowledgement", ""]  # merged across: the value stays in its first column


def test_docx_nested_tables_soft_breaks_and_files_given_directly():
    from docx import Document as WordDocument

    word = WordDocument()
    word.add_paragraph("Line one")
    word.paragraphs[0].add_run().add_break()
    word.paragraphs[0].add_run("Line two")
    outer = word.add_table(rows=1, cols=2)
    outer.rows[0].cells[0].text = "Affected devices"
    inner = outer.rows[0].cells[1].add_table(rows=2, cols=1)
    inner.rows[0].cells[0].text, inner.rows[1].cells[0].text = "Part Number", "LM358DR"
    buf = io.BytesIO()
    word.save(buf)
    doc = read_bytes(buf.getvalue(), "letter.docx")
    assert doc.kind == "docx" and doc.warnings == []
    assert doc.sections[0].text.splitlines()[:2] == ["Line one", "Line two"]
    assert [["Part Number"], ["LM358DR"]] in doc.sections[0].tables
    assert "LM358DR" in doc.sections[0].text


@pytest.mark.parametrize(
    "data, words",
    [
        (b"PK\x03\x04 not really a zip", "bad zip container"),
        (zip_bomb_xlsx(), "zip bomb"),
        (b"\x00" * 100, "not a readable DOCX"),
    ],
)
def test_bad_docx_becomes_a_warning(data, words):
    doc = read_bytes(mail_with("letter.docx", data, "application", DOCX), "m.eml")
    assert any(words in w and "letter.docx" in w for w in doc.warnings), doc.warnings


# -- spreadsheets ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "builder", [renesas_xlsm_named_xls, renesas_real_xls], ids=["xlsm-as-xls", "biff-xls"]
)
def test_workbooks_named_xls_are_read_by_what_they_are(builder):
    sample = builder()
    doc = read_bytes(sample.data, sample.name)
    sheet = next(s for s in doc.sections if s.name == "Product List.xls[Product List]")
    rows = sheet.tables[0]
    assert ["", "", "Effective Date:", "2026-11-27"] in rows  # a date cell reads as a date
    assert [m for m, _ in RENESAS_PARTS] == [r[0] for r in rows[4:]]
    assert not doc.warnings


def test_numbers_come_back_as_written():
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["Order Code", "Qty", "Price", "Date", "Code"])
    wb.active.append([744771110, 2500.0, 0.125, datetime(2027, 3, 31), 1234])
    wb.active["E2"].number_format = "00000000"
    second = wb.create_sheet("Second")
    second.append(["7447709100"])
    buf = io.BytesIO()
    wb.save(buf)
    sheets = read_workbook(buf.getvalue())
    assert sheets[0][1][1] == ["744771110", "2500", "0.125", "2027-03-31", "00001234"]
    assert sheets[1] == ("Second", [["7447709100"]])
    biff = read_workbook(real_xls({"S": [["Order Code"], [744771110.0], [744772110], [0.5]]}))
    assert biff == [("S", [["Order Code"], ["744771110"], ["744772110"], ["0.5"]])]
    assert cell_text(float("nan")) == "" and cell_text(True) == "TRUE" and cell_text(0.1 + 0.2) == "0.3"


def test_xlsb_workbooks(tmp_path):
    from pyxlsbwriter import XlsbWriter

    path = tmp_path / "list.xlsb"
    with XlsbWriter(str(path)) as book:  # it records a 1x1 sheet size: cells are placed by their own records
        book.add_sheet("Parts")
        book.write_sheet([["Order Code", "Successor"], [744771110, "744772110"], ["LM358DR", ""]])
        book.add_sheet("Notes")
        book.write_sheet([["PDN-WE-2611"]])
    doc = read_bytes(path.read_bytes(), "list.xlsb")
    assert doc.warnings == []
    assert doc.sections[0].tables == [
        [["Order Code", "Successor"], ["744771110", "744772110"], ["LM358DR", ""]]
    ]
    assert doc.sections[1].name == "list.xlsb[Notes]" and doc.sections[1].text == "PDN-WE-2611"


def test_workbook_problems_are_warnings_and_zip_bombs_stay_refused():
    for name in ("bomb.xls", "bomb.xlsm", "bomb.xlsx"):
        doc = read_bytes(zip_bomb_xlsx(), name)
        assert any("zip bomb" in w for w in doc.warnings), (name, doc.warnings)
    doc = read_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "broken.xls")
    assert doc.sections == [] and any("broken.xls" in w for w in doc.warnings)
    doc = read_bytes(b"just text and not a workbook", "list.xlsb")
    assert doc.sections == [] and doc.warnings


def test_html_saved_as_xls_is_read_as_html():
    html = b"<html><body><table><tr><th>Part Number</th></tr><tr><td>LM358DR</td></tr></table></body></html>"
    doc = read_bytes(html, "export.xls")
    assert doc.sections[0].tables == [[["Part Number"], ["LM358DR"]]]


def test_text_saved_as_xls_is_read_as_csv():
    doc = read_bytes(b"Order Code\tSuccessor\n744771110\t744772110\n", "export.xls")
    assert doc.sections[0].tables == [[["Order Code", "Successor"], ["744771110", "744772110"]]]


def test_sniffing_follows_the_bytes():
    assert sniff(b"%PDF-1.7\n...", "unknown") == "pdf"
    assert sniff(b"\x89PNG\r\n\x1a\n....", "pdf") == "image"
    assert sniff(renesas_xlsm_named_xls_bytes(), "workbook") == "workbook"
    assert sniff(vishay_msg_forward().data, "unknown") == "msg"
    assert sniff(real_xls({"S": [["x"]]}), "msg") == "workbook"


def renesas_xlsm_named_xls_bytes() -> bytes:
    from openpyxl import Workbook

    buf = io.BytesIO()
    Workbook().save(buf)
    return buf.getvalue()


# -- Outlook .msg --------------------------------------------------------------------------------
def test_msg_file_given_directly():
    sample = vishay_msg_forward()
    assert sample.data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # a real OLE compound file
    doc = read_bytes(sample.data, sample.name)
    assert doc.kind == "email" and doc.warnings == []
    assert doc.sender == "Jane Buyer <jane@acme-robotics.example>"
    assert doc.subject == "FW: End of Life Notification EOL-VSH-2611-07"
    assert doc.date and "2026" in doc.date
    assert [s.name for s in doc.sections] == ["body", "EOL-VSH-2611-07.pdf"]
    assert "SI2301CDS-T1-GE3" in doc.sections[1].text and doc.sections[1].tables


def test_msg_with_html_table_embedded_msg_and_eml_inside_an_email():
    from email import message_from_bytes, policy

    original = _email(
        "Nexperia PCN <pcn@nexperia.com>",
        "CN 202611001 discontinuation",
        "Affected type: PMEG3020EH,115",
        msg_id="cn@nexperia.com",
    )
    inner = outlook_msg(
        "EOL notice 4471",
        "Plain text body without the table",
        html="<html><body><p>EOL notice 4471</p><table><tr><th>Part Number</th></tr>"
        "<tr><td>SN74HC00N</td></tr></table><ul><li>one</li><li>two</li></ul></body></html>",
        sender=("Maker PCN", "pcn@maker.example"),
        attachments=[
            ("list.csv", b"Part Number\nLM358DR\n", "text/csv"),
            ("orig.eml", original, "message/rfc822"),
        ],
    )
    outer = outlook_msg(
        "FW: EOL notice 4471",
        "see below",
        sender=("Jane", "jane@acme-robotics.example"),
        embedded=[(inner, "EOL notice 4471.msg")],
    )
    mail = mail_with("FW EOL notice 4471.msg", outer.to_bytes(), "application", "vnd.ms-outlook")
    doc = read_bytes(mail, "m.eml")
    assert doc.warnings == []
    text = doc.text
    for expected in ("SN74HC00N", "LM358DR", "PMEG3020EH,115", "see below"):
        assert expected in text
    html = next(s for s in doc.sections if s.kind == "html")
    assert html.tables == [[["Part Number"], ["SN74HC00N"]]]  # HTML preferred: it carries the table
    assert "one\ntwo" in html.text
    assert message_from_bytes(mail, policy=policy.default)["Subject"] == "Notice FW EOL notice 4471.msg"
    direct = read_bytes(outer.to_bytes(), "fw.msg")
    assert direct.sender == "Maker PCN <pcn@maker.example>" or "Nexperia" in (direct.sender or "")


def test_broken_and_deep_msg_files_are_warnings():
    doc = read_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\xff" * 2000, "broken.msg")
    assert doc.sections == [] and any("broken.msg" in w and ".msg" in w for w in doc.warnings)
    good = vishay_msg_forward().data
    doc = read_bytes(good[: len(good) // 2], "truncated.msg")
    assert doc.warnings and all(isinstance(w, str) for w in doc.warnings)
    message = outlook_msg("level 0", "deepest", sender=("A", "a@example.com"))
    for level in range(1, 16):
        message = outlook_msg(
            f"level {level}", "wrapper", sender=("A", "a@example.com"), embedded=[(message, "inner.msg")]
        )
    doc = read_bytes(message.to_bytes(), "deep.msg")
    assert any("nested deeper" in w for w in doc.warnings) and "deepest" not in doc.text


def test_msg_lands_and_is_read_back_from_the_landing_event(sqlite_url, tmp_path):
    from datetime import date

    from radar_pipeline.landing import LandingStore
    from radar_pipeline.mail.ingest import events_from
    from radar_pipeline.pipeline.decode import decode_event
    from radar_pipeline_tests.pipeline_support import engine_for

    sample = vishay_msg_forward()
    folder = tmp_path / "inbox"
    folder.mkdir()
    (folder / sample.name).write_bytes(sample.data)
    ((where, event),) = list(events_from([str(folder)], first_day=date(2015, 1, 1)))
    assert where == str(folder / sample.name) and event.body == sample.data
    assert event.received_at.date() == datetime(2026, 11, 26, tzinfo=UTC).date()  # its own date, like .eml
    store = LandingStore(engine_for(sqlite_url))
    landed = store.land(event)
    (stored,) = store.fetch([landed.event_id])
    doc = decode_event(stored)
    assert doc.kind == "email" and doc.subject == "FW: End of Life Notification EOL-VSH-2611-07"
    assert any("SI2301CDS-T1-GE3" in s.text for s in doc.sections)


def winmail_dat(body: str, attachments: list[tuple[str, bytes]]) -> bytes:
    """A TNEF stream as Outlook writes one (signature, key, then level/id/type/length/data/checksum)."""
    import struct

    def attribute(level: int, name: int, kind: int, data: bytes) -> bytes:
        return (
            struct.pack("<BHHI", level, name, kind, len(data)) + data + struct.pack("<H", sum(data) & 0xFFFF)
        )

    out = struct.pack("<IH", 0x223E9F78, 0x0001)
    out += attribute(1, 0x9006, 0x0009, struct.pack("<I", 0x00010000))  # attTnefVersion
    out += attribute(1, 0x9007, 0x0006, struct.pack("<II", 1252, 0))  # attOemCodepage
    out += attribute(1, 0x800C, 0x0002, body.encode("cp1252"))  # attBody
    for name, data in attachments:
        out += attribute(2, 0x9002, 0x0006, b"\x01\x00" + b"\xff" * 12)  # attAttachRendData opens one
        out += attribute(2, 0x8010, 0x0001, name.encode("cp1252") + b"\x00")  # attAttachTitle
        out += attribute(2, 0x800F, 0x0006, data)  # attAttachData
    return out


def test_winmail_dat_from_outlook_is_unpacked():
    pdf = _pdf_table(["EOL notice PDN-77"], ["Part Number"], [["LM358DR"]], [])
    tnef = winmail_dat(
        "Please see the attached notice.", [("PDN-77.pdf", pdf), ("list.csv", b"Part Number\nTL072CDR\n")]
    )
    doc = read_bytes(mail_with("winmail.dat", tnef, "application", "ms-tnef"), "m.eml")
    assert doc.warnings == []
    names = [s.name for s in doc.sections]
    assert names == ["body", "winmail.dat (body)", "PDN-77.pdf", "list.csv"]
    assert "LM358DR" in doc.text and "TL072CDR" in doc.text
    doc = read_bytes(b"\x78\x9f\x3e\x22" + b"\x00" * 40, "winmail.dat")
    assert doc.sections == [] and doc.warnings


RTF_LETTER = (
    rb"{\rtf1\ansi\deff0 {\fonttbl {\f0 Times;}}\f0 Product Discontinuation Notice PDN-88\par "
    rb"Last Time Buy: 2027-03-31\par\trowd\cellx2000\cellx4000 Part Number\intbl\cell Replacement\intbl\cell\row"
    rb"\trowd\cellx2000\cellx4000 LM358DR\intbl\cell LM358BIDR\intbl\cell\row\pard W\'fcrth\par}"
)


@pytest.mark.parametrize("name", ["letter.rtf", "letter.doc"])
def test_rtf_letters_and_rtf_named_doc(name):
    doc = read_bytes(mail_with(name, RTF_LETTER, "application", "msword"), "m.eml")
    (letter,) = [s for s in doc.sections if s.name == name]
    assert letter.tables == [[["Part Number", "Replacement"], ["LM358DR", "LM358BIDR"]]]
    assert letter.text.splitlines() == [
        "Product Discontinuation Notice PDN-88",
        "Last Time Buy: 2027-03-31",
        "Part Number | Replacement",
        "LM358DR | LM358BIDR",
        "Würth",
    ]
    assert doc.warnings == []
    doc = read_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "old.doc")
    assert doc.sections == [] and doc.warnings


# -- HTML ----------------------------------------------------------------------------------------
def test_html_lists_and_nested_tables():
    html = (
        "<p>Affected:<ul><li>LM358DR</li><li>TL072CDR<ol><li>TL072CDRG4</li></ol></li></ul></p>"
        "<table><tr><td>Notice</td><td><table><tr><th>Part Number</th><th>Replacement</th></tr>"
        "<tr><td>SN74HC00N</td><td>SN74HC00DR</td></tr></table></td><td>after</td></tr></table>"
    )
    text, tables = html_to_text(html)
    lines = text.splitlines()
    assert lines[:4] == ["Affected:", "LM358DR", "TL072CDR", "TL072CDRG4"]
    assert [["Part Number", "Replacement"], ["SN74HC00N", "SN74HC00DR"]] in tables
    outer = next(t for t in tables if t[0][0] == "Notice")
    assert outer[0][-1] == "after"  # the outer row survives its inner table
    assert "SN74HC00N | SN74HC00DR" in lines


# -- scans ---------------------------------------------------------------------------------------
@needs_ocr
def test_scanned_pdf_table_is_read_through_ocr():
    sample = rohm_scanned_table_pdf()
    doc = read_bytes(sample.data, sample.name)
    assert any("read by OCR" in w and "no text layer" in w for w in doc.warnings)
    (section,) = doc.sections
    assert "Notice No.: PDN-R-2611-03" in section.text
    assert ["BD9E302EFJ-E2", "BD9E304FP4-E2"] in section.tables[0]


@needs_ocr
def test_a_scan_with_a_stamped_page_number_is_still_ocred():
    import pymupdf

    scan = pymupdf.open(stream=rohm_scanned_table_pdf().data, filetype="pdf")
    scan[0].insert_text((60, 820), "Received 2026-12-01  Page 1 of 1", fontsize=8)  # a copier's stamp
    doc = read_bytes(scan.tobytes(), "stamped.pdf")
    assert any("read by OCR" in w for w in doc.warnings)
    assert ["BD9G341AEFJ-E2", "None"] in doc.sections[0].tables[0]


@needs_ocr
def test_a_table_pasted_as_a_picture_on_a_text_page_when_allowed(monkeypatch):
    import pymupdf
    from fpdf import FPDF

    printed = pymupdf.open(stream=rohm_scanned_table_pdf_printed(), filetype="pdf")
    picture = printed[0].get_pixmap(dpi=200, clip=pymupdf.Rect(20, 50, 580, 140)).tobytes("png")
    pdf = FPDF(format="A4")
    pdf.add_page()
    pdf.set_font("Helvetica", size=10)
    pdf.multi_cell(0, 6, "ROHM Co., Ltd. Product Discontinuation Notice PDN-R-2611-03. " * 3)
    pdf.image(io.BytesIO(picture), x=10, y=60, w=190)
    data = bytes(pdf.output())
    assert "BD9G341AEFJ-E2" not in read_bytes(data, "pasted.pdf").text  # off by default
    monkeypatch.setenv("RADAR_PDF_OCR_PICTURES", "2")
    doc = read_bytes(data, "pasted.pdf")
    assert any("picture(s) on text pages" in w and "OCR" in w for w in doc.warnings), doc.warnings
    assert "PDN-R-2611-03" in doc.text and ["BD9G341AEFJ-E2", "None"] in doc.sections[0].tables[0]


def rohm_scanned_table_pdf_printed() -> bytes:
    from radar_pipeline.demo.corpus import ROHM_PARTS

    return _pdf_table(
        ["ROHM"], ["Part Number", "Recommended Replacement"], [[m, r or "None"] for m, r in ROHM_PARTS], []
    )


@needs_ocr
def test_ocr_is_bounded_in_pages(monkeypatch):
    printed = _pdf_table(["Page one: PDN 1"], ["Part Number"], [[f"LM358DR{i:02d}"] for i in range(60)], [])
    scan = scan_of(printed, dpi=100)
    monkeypatch.setenv("RADAR_PDF_OCR_PAGES", "1")
    doc = read_bytes(scan, "two_pages.pdf")
    assert any("OCR limit reached" in w and "RADAR_PDF_OCR_PAGES=1" in w and "2" in w for w in doc.warnings)
    assert "PDN 1" in doc.text


@needs_ocr
def test_without_the_tesseract_command_pymupdf_ocr_reads_the_scan(monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")  # language data installed, the command not found
    doc = read_bytes(rohm_scanned_table_pdf().data, "scan.pdf")
    assert any("read by OCR (tesseract via PyMuPDF)" in w for w in doc.warnings), doc.warnings
    assert "Notice No.: PDN-R-2611-03" in doc.sections[0].text


def test_without_tesseract_the_warning_says_so(monkeypatch, tmp_path):
    monkeypatch.setenv("TESSDATA_PREFIX", str(tmp_path))  # a folder without language data
    doc = read_bytes(rohm_scanned_table_pdf().data, "scan.pdf")
    assert doc.sections == []
    assert any("no text layer" in w and "OCR is not configured" in w for w in doc.warnings), doc.warnings


@needs_ocr
def test_image_attachments_are_ocred_and_logos_skipped():
    import pymupdf

    printed = pymupdf.open(stream=_pdf_table(["PDN 4471 EOL"], ["Part Number"], [["LM358DR"]], []))
    png = printed[0].get_pixmap(dpi=150, clip=pymupdf.Rect(0, 0, 595, 200)).tobytes("png")
    logo = printed[0].get_pixmap(dpi=20, clip=pymupdf.Rect(0, 0, 200, 60)).tobytes("png")
    mail = _email(
        "pcn@vendor.example",
        "PDN 4471",
        "see the picture",
        attachments=[("notice.png", png, "image", "png"), ("logo.png", logo, "image", "png")],
        msg_id="img@vendor.example",
    )
    doc = read_bytes(mail, "m.eml")
    image = next(s for s in doc.sections if s.name == "notice.png")
    assert "LM358DR" in image.text and "PDN 4471" in image.text
    assert any("logo.png" in w and "skipped" in w for w in doc.warnings)
    assert any("notice.png" in w and "OCR" in w for w in doc.warnings)
    doc = read_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 50, "bad.png")
    assert doc.sections == [] and any("bad.png" in w for w in doc.warnings)


def test_zip_bomb_named_docx_inside_msg_is_refused():
    message = outlook_msg(
        "bomb", "see attached", sender=("A", "a@example.com"), attachments=[("b.docx", zip_bomb_xlsx(), "")]
    )
    doc = read_bytes(message.to_bytes(), "bomb.msg")
    assert any("zip bomb" in w for w in doc.warnings)
    assert zipfile.is_zipfile(io.BytesIO(zip_bomb_xlsx()))
