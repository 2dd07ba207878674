"""Realistic notice documents in the layouts manufacturers really send, with their truth.

Each builder returns a ``Sample``: file name, bytes, and the notices a careful
analyst would read from it. PDFs are written with fpdf2 (not PyMuPDF's own
writer), spreadsheets with openpyxl, emails with the stdlib, Word letters with
python-docx; real ``.xls`` (xlwt) and Outlook ``.msg`` (aspose-email-foss) need the
``test`` extra. Scans are PDFs rendered to images (PyMuPDF) and wrapped by fpdf2.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime


@dataclass
class Truth:
    notice_number: str
    manufacturer: str
    notice_type: str
    issue_date: str | None
    last_time_buy_date: str | None
    last_ship_date: str | None
    parts: list[tuple[str, str | None]]
    change: dict | None = None  # what a change notice changes (CONTRACT §4), where the sample states it


@dataclass
class Sample:
    name: str
    data: bytes
    truth: list[Truth] = field(default_factory=list)
    note: str = ""


def _email(
    sender: str,
    subject: str,
    body: str,
    *,
    html: str | None = None,
    attachments=(),
    msg_id: str,
    when: datetime | None = None,
) -> bytes:
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = sender, "components@acme-robotics.example", subject
    msg["Message-ID"] = f"<{msg_id}>"
    msg["Date"] = format_datetime(when or datetime(2026, 11, 2, 9, 30, tzinfo=UTC))
    if body is not None:
        msg.set_content(body)
        if html:
            msg.add_alternative(html, subtype="html")
    else:
        msg.set_content(html, subtype="html")
    for name, data, maintype, subtype in attachments:
        msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return bytes(msg)


# -- 1. TI-style PDN: PDF table spanning pages -------------------------------------------------
TI_PARTS = (
    [(f"TPS7A45{n:02d}DCQR", f"TPS7A45{n:02d}DCQRQ1") for n in range(1, 41)]
    + [
        ("LM317T/NOPB", "LM317HVT/NOPB"),
        ("LM317KTTR", None),
        ("TLV1117-33IDCYR", "TLV1117LV33DCYR"),
        ("SN74LVC1G14DBVR", None),
        ("OPA2333AIDGKR", "OPA2333PIDGKR"),
    ]
    + [(f"INA2{n:02d}AIDR", None) for n in range(10, 35)]
)


def _pdf_table(title_lines: list[str], header: list[str], rows: list[list[str]], footer: list[str]) -> bytes:
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(True, margin=15)
    pdf.add_page()
    pdf.set_font("Helvetica", size=10)
    for line in title_lines:
        pdf.multi_cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    with pdf.table(col_widths=tuple([60] + [40] * (len(header) - 1)), repeat_headings=1) as table:
        head = table.row()
        for cell in header:
            head.cell(cell)
        for r in rows:
            row = table.row()
            for cell in r:
                row.cell(cell)
    pdf.ln(4)
    for line in footer:
        pdf.multi_cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def ti_pdn_email() -> Sample:
    pdf = _pdf_table(
        [
            "Texas Instruments Incorporated",
            "Product Discontinuance Notification (PDN)",
            "PDN Number: PDN2026-1104",
            "Notification Date: 04-Nov-2026",
            "Last Time Buy Date: 30-Apr-2027",
            "Last Time Ship Date: 31-Oct-2027",
            "Customer No.: 4471-2290   PO Number: 4500918273",
            "TI is discontinuing the devices listed below due to the end of the wafer fab process.",
        ],
        ["Orderable Part Number", "Recommended Replacement", "Package"],
        [[m, r or "None", "SOT-223"] for m, r in TI_PARTS],
        ["For questions contact your TI sales representative, +1 (972) 995-2011."],
    )
    body = (
        "Dear Customer,\n\nPlease find attached Product Discontinuance Notification PDN2026-1104.\n"
        "Our records show your purchase order 4500918273 includes affected devices.\n\nTexas Instruments PCN team\n"
    )
    data = _email(
        "TI PCN Team <pcn@list.ti.com>",
        "PDN2026-1104 Product Discontinuance Notification",
        body,
        attachments=[("PDN2026-1104.pdf", pdf, "application", "pdf")],
        msg_id="pdn2026-1104@ti.com",
    )
    return Sample(
        "ti_pdn_pdf_table.eml",
        data,
        [
            Truth(
                "PDN2026-1104",
                "Texas Instruments",
                "discontinuance",
                "2026-11-04",
                "2027-04-30",
                "2027-10-31",
                TI_PARTS,
            )
        ],
        "PDF table over pages",
    )


# -- 2. Excel attachment with a title row above the header ----------------------------------
NXP_PARTS = [
    (f"PCA96{n:02d}PW,118", f"PCA96{n:02d}BS,118" if n % 3 == 0 else None) for n in range(10, 90)
] + [(f"74HC{n:03d}D,653", None) for n in range(100, 180)]


def nxp_xlsx_email() -> Sample:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Affected Products"
    ws.append(["NXP Semiconductors - End of Life notice 202611004DN - affected products"])
    ws.append([])
    ws.append(
        [
            "12NC",
            "Type number",
            "Orderable part number",
            "Replacement part",
            "Last time buy date",
            "Last delivery date",
        ]
    )
    for i, (mpn, repl) in enumerate(NXP_PARTS):
        ws.append([f"9353{i:08d}", mpn.split(",")[0], mpn, repl or "", "2027-05-15", "2027-11-15"])
    buf = io.BytesIO()
    wb.save(buf)
    body = (
        "NXP Semiconductors\nEnd-of-Life Notification 202611004DN\n\nIssue date: 10 November 2026\n"
        "Please see the attached spreadsheet for the affected products, last time buy and last delivery dates.\n"
    )
    data = _email(
        "NXP Quality <pcn@nxp.com>",
        "EOL notice 202611004DN",
        body,
        attachments=[
            (
                "202611004DN.xlsx",
                buf.getvalue(),
                "application",
                "vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
        ],
        msg_id="202611004DN@nxp.com",
    )
    return Sample(
        "nxp_eol_xlsx.eml",
        data,
        [
            Truth(
                "202611004DN",
                "NXP Semiconductors",
                "discontinuance",
                "2026-11-10",
                "2027-05-15",
                "2027-11-15",
                NXP_PARTS,
            )
        ],
        "spreadsheet with title row",
    )


# -- 3. HTML-only mail ---------------------------------------------------------------------
MCHP_PARTS = [
    ("PIC16F1509-I/SO", "PIC16F18456-I/SO"),
    ("PIC16F1509-I/SS", "PIC16F18456-I/SS"),
    ("PIC16F1509-E/P", None),
    ("MCP2515-I/ST", "MCP25625-E/SS"),
    ("MCP2515T-I/SO", None),
    ("ATMEGA328P-AU", None),
    ("AT24C256C-SSHL-T", "24LC256T-I/SN"),
]


def microchip_html_email() -> Sample:
    rows = "".join(f"<tr><td>{m}</td><td>{r or 'N/A'}</td></tr>" for m, r in MCHP_PARTS)
    html = (
        "<html><head><style>td{padding:2px}</style><script>var t=1;</script></head><body>"
        "<h2>Microchip Technology Inc.</h2><p><b>Product Discontinuation Notice CAAN-02OLLE763</b></p>"
        "<p>Notification Date: November 17, 2026<br>Last Time Buy: June 30th, 2027<br>Last Time Ship: December 31st, 2027</p>"
        "<p>Microchip has decided to discontinue the following devices.</p>"
        f"<table><tr><th>Affected Catalog Part Number</th><th>Recommended Replacement</th></tr>{rows}</table>"
        "<p>Questions? Call 1-480-792-7200.</p></body></html>"
    )
    data = _email(
        "Microchip PCN <pcn@microchip.com>",
        "Microchip PDN CAAN-02OLLE763",
        None,
        html=html,
        msg_id="CAAN-02OLLE763@microchip.com",
    )
    return Sample(
        "microchip_html_only.eml",
        data,
        [
            Truth(
                "CAAN-02OLLE763",
                "Microchip Technology",
                "discontinuance",
                "2026-11-17",
                "2027-06-30",
                "2027-12-31",
                MCHP_PARTS,
            )
        ],
        "HTML only",
    )


# -- 4. forwarded notice with distractor numbers ---------------------------------------------
ADI_PARTS = [
    ("LTC2944IDD#PBF", "LTC2944IDD#TRPBF"),
    ("MAX3232CSE+T", "MAX3232ECSE+T"),
    ("DS3231SN#", None),
    ("AD8605ARTZ-REEL7", "ADA4805-1ARTZ-R7"),
]


def adi_forwarded_email() -> Sample:
    inner = _email(
        "Analog Devices PCN <pcn@analog.com>",
        "Discontinuance notice PDN2401",
        "Analog Devices, Inc.\nProduct Discontinuance Notice\n\nNotice Number: PDN2401\nDate of Notice: 2026-11-12\n"
        "Last Time Buy Date: 2027-05-12\nLast Time Ship Date: 2027-11-12\n\n"
        "Affected parts (orderable part -> replacement):\n"
        + "\n".join(f"  {m} -> {r}" if r else f"  {m}" for m, r in ADI_PARTS)
        + "\n\nReason: low demand.\n",
        msg_id="pdn2401@analog.com",
    )
    outer = EmailMessage()
    outer["From"], outer["To"] = "Jane Buyer <jane@acme-robotics.example>", "radar@acme-robotics.example"
    outer["Subject"], outer["Message-ID"] = (
        "Fwd: Discontinuance notice PDN2401",
        "<fwd-pdn2401@acme-robotics.example>",
    )
    outer["Date"] = format_datetime(datetime(2026, 11, 13, 8, 0, tzinfo=UTC))
    outer.set_content(
        "FYI - see below. Our PO 4500771234 for 2,500 pcs is affected.\n"
        "Call me at +1 617 555 0142. Customer number 77120-A.\nJane\n"
    )
    from email import message_from_bytes, policy

    outer.add_attachment(message_from_bytes(inner, policy=policy.default))
    return Sample(
        "adi_forwarded.eml",
        bytes(outer),
        [
            Truth(
                "PDN2401",
                "Analog Devices",
                "discontinuance",
                "2026-11-12",
                "2027-05-12",
                "2027-11-12",
                ADI_PARTS,
            )
        ],
        "forwarded with distractors",
    )


# -- 5. German notice ----------------------------------------------------------------------
INFINEON_PARTS = [
    ("BSS138NH6327XTSA2", "BSS138NH6433XTMA1"),
    ("IRF540NPBF", None),
    ("BTS5030-1EJA", "BTS7002-1EPP"),
    ("TLE4275G", None),
]


def infineon_german_email() -> Sample:
    body = (
        "Infineon Technologies AG\nProduktabkündigung (Product Discontinuance)\n\n"
        "Mitteilungsnummer: PD-2026-118\nDatum der Mitteilung: 17.11.2026\n"
        "Letzter Bestelltermin: 30.06.2027\nLetzter Liefertermin: 31.12.2027\n\n"
        "Betroffene Produkte:\n"
        + "\n".join(f"{m} ersetzt durch {r}" if r else m for m, r in INFINEON_PARTS)
        + "\n\nGrund: Umstellung der Fertigungslinie.\nMit freundlichen Grüßen\nInfineon PCN Team\n"
    )
    data = _email(
        "Infineon PCN <pcn@infineon.com>",
        "Produktabkündigung PD-2026-118",
        body,
        msg_id="pd-2026-118@infineon.com",
    )
    return Sample(
        "infineon_german.eml",
        data,
        [
            Truth(
                "PD-2026-118",
                "Infineon Technologies",
                "discontinuance",
                "2026-11-17",
                "2027-06-30",
                "2027-12-31",
                INFINEON_PARTS,
            )
        ],
        "German",
    )


# -- 6. provider digest with several notices ------------------------------------------------
def digest_email() -> Sample:
    notices = [
        Truth(
            "FPCN23911X",
            "onsemi",
            "change",
            "2026-11-20",
            None,
            None,
            [("NCP1117ST33T3G", None), ("MC7805CTG", None)],
        ),
        Truth(
            "ADG/26/14021",
            "STMicroelectronics",
            "nrnd",
            "2026-11-21",
            None,
            None,
            [("STM32F103C8T6", "STM32F103CBT6"), ("L7805CV", None)],
        ),
        Truth(
            "EOL-MT-2611",
            "Micron Technology",
            "discontinuance",
            "2026-11-22",
            "2027-02-28",
            "2027-08-31",
            [("MT41K256M16TW-107:P", "MT41K256M16TW-093:P"), ("MT25QL128ABA1EW9-0SIT", None)],
        ),
    ]
    blocks = []
    titles = {
        "change": "Product Change Notification",
        "nrnd": "Not Recommended for New Designs (NRND)",
        "discontinuance": "End of Life notice",
    }
    for i, n in enumerate(notices, 1):
        lines = [
            f"=== Notice {i} of {len(notices)}: {n.manufacturer} {titles[n.notice_type]} ===",
            f"Notice Number: {n.notice_number}",
            f"Manufacturer: {n.manufacturer}",
            f"Issue Date: {n.issue_date}",
        ]
        if n.last_time_buy_date:
            lines += [f"Last Time Buy: {n.last_time_buy_date}", f"Last Ship Date: {n.last_ship_date}"]
        lines.append("Affected parts:")
        lines += [f"  {m} -> {r}" if r else f"  {m}" for m, r in n.parts]
        blocks.append("\n".join(lines))
    body = (
        "Your weekly lifecycle digest (3 notices)\n\n"
        + "\n\n".join(blocks)
        + "\n\nManage alerts at your portal.\n"
    )
    data = _email(
        "Lifecycle Digest <digest@alerts.partwatch.example>",
        "Weekly lifecycle digest: 3 notices",
        body,
        msg_id="digest-2026-47@partwatch.example",
    )
    return Sample("provider_digest.eml", data, notices, "digest of three")


# -- 7. change notice with a "current material last order date" --------------------------------
def change_notice_email() -> Sample:
    body = (
        "STMicroelectronics\nProduct/Process Change Notification\n\n1.1 Company: STMicroelectronics\n"
        "1.2 PCN No.: ADG/26/14188\n1.3 Title of PCN: Additional assembly site for SO-8\n"
        "1.4 Product Category: Linear regulators\n1.5 Issue date: 2026-11-18\n\n"
        "Current material last order date: 2027-02-15\n\nAffected part numbers:\n  L78L05ACD13TR\n  LM2903DT\n\n"
        "Reason for change: capacity extension.\n"
    )
    data = _email(
        "ST PCN <pcn.notification@st.com>",
        "PCN ADG/26/14188 Additional assembly site",
        body,
        msg_id="adg-26-14188@st.com",
    )
    return Sample(
        "st_change_numbered_fields.eml",
        data,
        [
            Truth(
                "ADG/26/14188",
                "STMicroelectronics",
                "change",
                "2026-11-18",
                "2027-02-15",
                None,
                [("L78L05ACD13TR", None), ("LM2903DT", None)],
            )
        ],
        "change with last order date",
    )


# -- 8. image-only PDF -------------------------------------------------------------------------
def scanned_pdf() -> Sample:
    from fpdf import FPDF
    from PIL import Image, ImageDraw

    # A scan with nothing OCR can read (a drawing, no words): no notice, and a warning that says why.
    # (A scanned notice with words is rohm_scanned_table_pdf: OCR reads it.)
    img = Image.new("RGB", (800, 400), "white")
    draw = ImageDraw.Draw(img)
    for i in range(12):
        x, y = 40 + 60 * i, 60 + (i * 37) % 200
        draw.ellipse((x, y, x + 50, y + 90), outline="black", width=3)
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    pdf = FPDF()
    pdf.add_page()
    pdf.image(io.BytesIO(buf.getvalue()), x=10, y=10, w=180)
    return Sample("scanned_notice.pdf", bytes(pdf.output()), [], "image only, no words: warning expected")


# -- 9. a mail that is no notice -------------------------------------------------------------
def not_a_notice() -> Sample:
    body = (
        "Hi team,\n\nThe quarterly business review is moved to 2026-12-03 at 10:00 in room B2-114.\n"
        "Please bring the Q3 numbers (PO 4500119922 status) and the forecast for 2027.\n"
        "Dial-in: +49 89 1234 5678, code 99812.\n\nThanks,\nMark\n"
    )
    data = _email("Mark <mark@acme-robotics.example>", "QBR moved", body, msg_id="qbr@acme-robotics.example")
    return Sample("not_a_notice.eml", data, [], "no notice")


# -- 10. NRND as a plain text file --------------------------------------------------------------
def nrnd_text() -> Sample:
    text = (
        "Renesas Electronics Corporation\nNRND Notice\nNotice No.: TN-RL7-A026A/E\nDate: 17 Nov 2026\n\n"
        "The following products are Not Recommended for New Designs:\n  R5F104LEAFB#30\n  R5F104LEAFB#50\n"
        "  ISL8117FRZ-T7A\n\nProducts remain available for existing designs.\n"
    )
    return Sample(
        "renesas_nrnd.txt",
        text.encode(),
        [
            Truth(
                "TN-RL7-A026A/E",
                "Renesas Electronics",
                "nrnd",
                "2026-11-17",
                None,
                None,
                [("R5F104LEAFB#30", None), ("R5F104LEAFB#50", None), ("ISL8117FRZ-T7A", None)],
            )
        ],
        "NRND text",
    )


# -- 11. numeric-only MPNs in a CSV -----------------------------------------------------------
def wurth_csv() -> Sample:
    parts = [
        ("744771110", "744772110"),
        ("744771122", None),
        ("7447709100", None),
        ("744031220", "744031221"),
    ]
    text = (
        "Würth Elektronik eiSos - Product Discontinuation PDN-WE-2611\nIssue date: 2026-11-19\n\n"
        "Order Code;Description;Successor;Last Order Date\n"
        + "\n".join(f"{m};WE-PD power inductor;{r or ''};2027-03-31" for m, r in parts)
        + "\n"
    )
    return Sample(
        "wurth_pdn.csv",
        text.encode("utf-8"),
        [Truth("PDN-WE-2611", "Würth Elektronik", "discontinuance", "2026-11-19", "2027-03-31", None, parts)],
        "numeric MPNs, semicolon CSV",
    )


# -- 12. Word letter with a parts table and no notice number ---------------------------------------
KEMET_PARTS = [
    ("T491A106K016AT", "T491A106K016AT7280"),
    ("T491B476K010AT", None),
    ("T491C226K025AT", "T495C226K025ATE275"),
    ("T491D107K016AT", None),
]
KEMET_CUSTOMER = ["1212004471-01", "1212004472-03", "1212005510-11", "1212005518-02"]


def docx_letter(paragraphs, header, rows, letterhead: str = "", after=()) -> bytes:
    """A Word letter (python-docx): letterhead in the page header, prose, a parts table, a reply form."""
    from docx import Document as WordDocument

    word = WordDocument()
    if letterhead:
        word.sections[0].header.paragraphs[0].text = letterhead
    for text in paragraphs:
        word.add_paragraph(text)
    table = word.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = text
    for row in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.text = text
    for _ in range(3):  # the blank rows letters leave for more parts
        table.add_row()
    for text in after:
        word.add_paragraph(text)
    form = word.add_table(rows=3, cols=2)
    form.rows[0].cells[0].merge(form.rows[0].cells[1]).text = "Acknowledgement"
    form.rows[1].cells[0].text, form.rows[2].cells[0].text = "Company", "Signature"
    buf = io.BytesIO()
    word.save(buf)
    return buf.getvalue()


def kemet_docx_letter() -> Sample:
    letter = docx_letter(
        [
            "Issue Date: 2026/11/24",
            "KEMET Electronics Corporation",
            "Tantalum Business Group",
            "Tantalum chip capacitors T491 series - Product Discontinuation Notice",
            "Thank you for your continued business with KEMET. This letter informs you that KEMET will "
            "discontinue the products listed below, which we have been shipping to you.",
            "The list shows your part number, our part number and the recommended substitute where one exists.",
        ],
        ["Your part number", "Our part number", "Our substitute"],
        [[c, m, r or ""] for c, (m, r) in zip(KEMET_CUSTOMER, KEMET_PARTS, strict=True)],
        letterhead="KEMET Electronics Corporation - Confidential",
        after=[
            "1. Received date of Last Time Buy order: March 31, 2027",
            "2. Final delivery date: September 30, 2027",
            "Please return the acknowledgement below to your KEMET sales office within 30 days.",
        ],
    )
    data = _email(
        "KEMET Product Management <pcn@kemet.com>",
        "Product Discontinuation Notice: T491 series",
        "Dear customer,\n\nPlease find the attached discontinuation letter for T491 series.\n\nKEMET\n",
        attachments=[
            (
                "T491 series.docx",
                letter,
                "application",
                "vnd.openxmlformats-officedocument.wordprocessingml.document",
            )
        ],
        msg_id="t491-eol@kemet.com",
    )
    return Sample(
        "kemet_docx_letter.eml",
        data,
        [
            Truth(
                "",
                "Kemet",
                "discontinuance",
                "2026-11-24",
                "2027-03-31",
                "2027-09-30",
                KEMET_PARTS,
            )
        ],
        "DOCX letter, customer part column, no notice number",
    )


# -- 13. Outlook .msg forward with the maker's PDF attached ----------------------------------------
VISHAY_PARTS = [
    ("SI2301CDS-T1-GE3", "SI2301DS-T1-GE3"),
    ("SI2302CDS-T1-GE3", None),
    ("SIR872ADP-T1-GE3", "SIR872BDP-T1-RE3"),
    ("SUD50P04-08-GE3", None),
]


def outlook_msg(
    subject: str,
    body: str,
    *,
    sender: tuple[str, str],
    html: str | None = None,
    attachments=(),
    embedded=(),
    when: datetime | None = None,
):
    """An Outlook message (aspose-email-foss writes the MSG compound file; a test-only dependency)."""
    from aspose.email_foss import msg

    message = msg.MapiMessage.create(subject, body)
    if html:
        message.body_html = html
    message.set_property(msg.PropertyId.SENDER_NAME, sender[0])
    message.set_property(msg.PropertyId.SENDER_EMAIL_ADDRESS, sender[1])
    message.set_property(
        msg.PropertyId.MESSAGE_DELIVERY_TIME, when or datetime(2026, 11, 26, 8, 15, tzinfo=UTC)
    )
    message.add_recipient("radar@acme-robotics.example", display_name="Radar")
    for name, data, mime in attachments:
        message.add_attachment(name, data, mime_type=mime)
    for inner, name in embedded:
        message.add_embedded_message_attachment(inner, filename=name)
    return message


def vishay_msg_forward() -> Sample:
    pdf = _pdf_table(
        [
            "Vishay Intertechnology, Inc.",
            "End of Life Notification",
            "Notice Number: EOL-VSH-2611-07",
            "Notification Date: 2026-11-20",
            "Last Time Buy Date: 2027-05-31",
            "Last Time Ship Date: 2027-11-30",
            "The MOSFETs listed below will be discontinued at the end of the wafer fab's life.",
        ],
        ["Part Number", "Replacement Part"],
        [[m, r or "-"] for m, r in VISHAY_PARTS],
        ["Contact your Vishay sales office for questions."],
    )
    body = (
        "Hi all, FYI - Vishay EOL below. Our PO 4500662211 (3,000 pcs) is open.\n"
        "Jane Buyer | +1 617 555 0142\n\n"
        "-----Original Message-----\nFrom: Vishay PCN <pcn@vishay.com>\nSent: Friday, November 20, 2026 10:02 AM\n"
        "Subject: End of Life Notification EOL-VSH-2611-07\n\n"
        "Dear customer, please find attached End of Life Notification EOL-VSH-2611-07.\n"
    )
    message = outlook_msg(
        "FW: End of Life Notification EOL-VSH-2611-07",
        body,
        sender=("Jane Buyer", "jane@acme-robotics.example"),
        attachments=[("EOL-VSH-2611-07.pdf", pdf, "application/pdf")],
    )
    return Sample(
        "FW_ End of Life Notification EOL-VSH-2611-07.msg",
        message.to_bytes(),
        [
            Truth(
                "EOL-VSH-2611-07",
                "Vishay",
                "discontinuance",
                "2026-11-20",
                "2027-05-31",
                "2027-11-30",
                VISHAY_PARTS,
            )
        ],
        "Outlook .msg forward, PDF attached",
    )


# -- 14. part list workbook: an xlsm named .xls, and a real BIFF .xls ------------------------------
RENESAS_PARTS = [
    ("R5F10BMEAFB#V0", None),
    ("R5F10BMGAFB#V0", None),
    ("ISL28218FBZ-T7", None),
    ("ISL8117FRZ-T7A", None),
    ("HIP4082IBZT", None),
]


def _renesas_rows() -> list[list]:
    # the report block sits to the right of the list, as the maker's export puts it
    return [
        ["", "", "Report Name:", "Product List"],
        ["", "", "Notice Number:", "PA261101"],
        ["", "", "Effective Date:", datetime(2026, 11, 27)],
        [],
        ["Product Name", "Replacement"],
        *[[m, r or ""] for m, r in RENESAS_PARTS],
    ]


def _renesas_mail(attachment: tuple, msg_id: str) -> bytes:
    body = (
        "Renesas Electronics Corporation\nProduct Discontinuation Notice PA261101\n\n"
        "Date of issue: 27 November 2026\nLast time buy: 31 May 2027\nLast time ship: 30 November 2027\n\n"
        "The discontinued products are listed in the attached Product List.\n"
    )
    return _email(
        "Renesas PCN <pcn@renesas.com>",
        "PA261101 Product Discontinuation Notice",
        body,
        attachments=[attachment],
        msg_id=msg_id,
    )


def _renesas_truth() -> list[Truth]:
    return [
        Truth(
            "PA261101",
            "Renesas Electronics",
            "discontinuance",
            "2026-11-27",
            "2027-05-31",
            "2027-11-30",
            RENESAS_PARTS,
        )
    ]


def renesas_xlsm_named_xls() -> Sample:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Product List"
    for row in _renesas_rows():
        ws.append(row)
    wb.create_sheet("Notes").append(["Generated by the product list report"])
    buf = io.BytesIO()
    wb.save(buf)
    data = _renesas_mail(
        ("Product List.xls", buf.getvalue(), "application", "vnd.ms-excel.sheet.macroenabled.12"),
        "pa261101@renesas.com",
    )
    return Sample("renesas_product_list_xlsm.eml", data, _renesas_truth(), "xlsm workbook named .xls")


def real_xls(sheets: dict[str, list[list]]) -> bytes:
    """A BIFF8 ``.xls`` workbook (xlwt, a test-only dependency): numbers are floats, dates serials."""
    import xlwt

    book = xlwt.Workbook()
    date_style = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    for name, rows in sheets.items():
        sheet = book.add_sheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if isinstance(value, datetime):
                    sheet.write(r, c, value, date_style)
                elif value != "":
                    sheet.write(r, c, value)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def renesas_real_xls() -> Sample:
    data = _renesas_mail(
        ("Product List.xls", real_xls({"Product List": _renesas_rows()}), "application", "vnd.ms-excel"),
        "pa261101-xls@renesas.com",
    )
    return Sample("renesas_product_list_biff.eml", data, _renesas_truth(), "real .xls (BIFF8)")


# -- 15. scanned notice: a PDF holding only a page image, with a small table -----------------------
ROHM_PARTS = [
    ("BD9E302EFJ-E2", "BD9E304FP4-E2"),
    ("BD9G341AEFJ-E2", None),
    ("BU33TD3WG-TR", "BU33UA3WNVX-TL"),
]


def scan_of(pdf: bytes, dpi: int = 200) -> bytes:
    """What a scanner makes of a printed PDF: each page as a grey image, no text layer."""
    import pymupdf
    from fpdf import FPDF

    printed = pymupdf.open(stream=pdf, filetype="pdf")
    scan = FPDF(format="A4")
    for page in printed:
        png = page.get_pixmap(dpi=dpi, colorspace=pymupdf.csGRAY).tobytes("png")
        scan.add_page()
        scan.image(io.BytesIO(png), x=0, y=0, w=210, h=297)
    return bytes(scan.output())


def rohm_scanned_table_pdf() -> Sample:
    printed = _pdf_table(
        [
            "ROHM Co., Ltd.",
            "Product Discontinuation Notice",
            "Notice No.: PDN-R-2611-03",
            "Issue Date: 2026-11-30",
            "Last Time Buy Date: 2027-06-30",
            "Last Time Ship Date: 2027-12-31",
            "ROHM will discontinue the products below.",
        ],
        ["Part Number", "Recommended Replacement"],
        [[m, r or "None"] for m, r in ROHM_PARTS],
        ["Please contact your ROHM sales representative."],
    )
    return Sample(
        "rohm_pdn_scan.pdf",
        scan_of(printed),
        [
            Truth(
                "PDN-R-2611-03",
                "ROHM Semiconductor",
                "discontinuance",
                "2026-11-30",
                "2027-06-30",
                "2027-12-31",
                ROHM_PARTS,
            )
        ],
        "scanned (image-only) PDF with a table: OCR",
    )


BUILDERS = [
    ti_pdn_email,
    nxp_xlsx_email,
    microchip_html_email,
    adi_forwarded_email,
    infineon_german_email,
    digest_email,
    change_notice_email,
    scanned_pdf,
    not_a_notice,
    nrnd_text,
    wurth_csv,
    kemet_docx_letter,
    vishay_msg_forward,
    renesas_xlsm_named_xls,
    renesas_real_xls,
    rohm_scanned_table_pdf,
]


def build_corpus() -> list[Sample]:
    return [build() for build in BUILDERS]


from radar_pipeline.demo.layouts import BUILDERS as LAYOUT_BUILDERS  # noqa: E402  (imitations of real layout families)

BUILDERS += LAYOUT_BUILDERS
