"""Realistic notice documents in the layouts manufacturers really send, with their truth.

Each builder returns a ``Sample``: file name, bytes, and the notices a careful
analyst would read from it. PDFs are written with fpdf2 (not PyMuPDF's own
writer), spreadsheets with openpyxl, emails with the stdlib.
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

    img = Image.new("RGB", (800, 400), "white")
    ImageDraw.Draw(img).text((40, 40), "PDN 7781 - EOL - LM358DR", fill="black")
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    pdf = FPDF()
    pdf.add_page()
    pdf.image(io.BytesIO(buf.getvalue()), x=10, y=10, w=180)
    return Sample("scanned_notice.pdf", bytes(pdf.output()), [], "image only: warning expected")


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
]


def build_corpus() -> list[Sample]:
    return [build() for build in BUILDERS]
