"""Builders that imitate the layout families makers' real notices come in, with their truth.

The real documents are third-party and are not copied: the wording, the part numbers
(shaped like the makers' own) and the layout code are ours. Each family is one builder:
borderless and ruled PDF tables over pages, side-by-side blocks, a digest of PDFs, a
distributor relay with a CSV, a header-less public products grid, a Japanese letter
forwarded in Chinese, and a part list workbook with a stale copy sheet.

``KNOWN_GAPS`` names builders whose document is right but whose reading the extractor
still gets wrong; they are kept here and left out of the corpus until it is fixed.

``corpus`` appends ``BUILDERS`` to its own at its end, so this module takes ``Sample``,
``Truth`` and ``_email`` from it only at its own end, after ``BUILDERS`` exists: either
module may then be imported first.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime

PDF = ("application", "pdf")
XLSX = ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def _form_pdf(title: str, fields: list[tuple[str, str]], widths: tuple[int, int]):
    """A notice form's first page: a bold title, then its fields as a ruled key/value table."""
    pdf = _fpdf()
    pdf.set_auto_page_break(True, margin=18)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 12)
    pdf.cell(0, 8, title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=9)
    with pdf.table(col_widths=widths, first_row_as_headings=False, line_height=5.5) as table:
        for key, value in fields:
            row = table.row()
            row.cell(key)
            row.cell(value)
    pdf.ln(4)
    return pdf


def _paragraphs(pdf, lines: list[str]) -> None:
    for line in lines:
        pdf.multi_cell(0, 5, line, new_x="LMARGIN", new_y="NEXT")


def _fpdf():
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.core_fonts_encoding = "windows-1252"  # en dashes and the like, as Word's PDFs carry them
    pdf.set_auto_page_break(False)
    pdf.set_font("Helvetica", size=9)
    return pdf


def _lines(pdf, lines, y: float, x: float = 15, step: float = 5.5) -> float:
    for line in lines:
        pdf.text(x, y, line)
        y += step
    return y


# -- 1. borderless PDF table over three pages (Micron-like) ----------------------------------------
MICRON_COMPONENTS = [
    ("MT60B2G8RZ-56B:D", "MT60B2G8HB-62B:E"),
    ("MT60B2G8RZ-56B IT:D", "MT60B2G8HB-62B IT:E"),
    ("MT60B1G16RZ-56B:D", "MT60B1G16HC-62B:E"),
    ("MT60B1G16RZ-56B IT:D", None),
    ("MT60B4G4RZ-56B:D", None),
    ("MT53E1G32D2FW-046 WT:B", "MT53E1G32D2FW-046 WT:C"),
    ("MT53E1G32D2FW-046 AAT:B", "MT53E1G32D2FW-046 AAT:C"),
    ("MT53E512M32D1ZW-046 WT:B", "MT53E512M32D1ZW-046 WT:C"),
    ("MT53E512M32D1ZW-046 IT:B", None),
    ("MT53E2G32D4DE-046 AIT:C", "MT53E2G32D4DE-046 AIT:D"),
    ("MT40A1G8SA-075:H", "MT40A1G8SA-062E:R"),
    ("MT40A1G8SA-075 IT:H", "MT40A1G8SA-062E IT:R"),
    ("MT40A512M16LY-075:E", "MT40A512M16TB-062E:R"),
    ("MT40A512M16LY-075 IT:E", None),
    ("MT40A2G8SA-075:E", None),
    ("MT40A256M16LY-062E:F", "MT40A256M16TB-062E:J"),
    ("MT41K512M16HA-107:A", None),
    ("MT41K256M16TW-107 AIT:P", "MT41K256M16TW-093 AIT:P"),
    ("MT41K128M16JT-125 XIT:K", None),
    ("MT29F4G08ABAFAWP-IT:F", "MT29F4G08ABBFAH4-IT:F"),
    ("MT29F8G08ADAFAH4-IT:F", None),
    ("MT29F16G08AJADAWP:D", None),
    ("MT25QU256ABA8E12-0SIT", "MT25QU256ABA8E12-1SIT"),
    ("MT25QL512ABB8ESF-0SIT", None),
    ("MT35XU512ABA1G12-0SIT", "MT35XU512ABA1G12-0AUT"),
    ("MTFC8GAKAJCN-4M IT", "MTFC8GAMALBH-AIT"),
    ("MTFC16GAPALBH-IT", None),
    ("MTFC32GAPALBH-AAT", None),
]
MICRON_MODULES = [
    ("MTA18ASF2G72PZ-2G9E1", "MTA18ASF2G72PZ-3G2R1"),
    ("MTA18ASF2G72PDZ-2G9E1", "MTA18ASF2G72PDZ-3G2R1"),
    ("MTA9ASF1G72PZ-2G9E1", None),
    ("MTA36ASF4G72PZ-2G9E2", "MTA36ASF4G72PZ-3G2R1"),
    ("MTA8ATF1G64HZ-2G6J1", None),
    ("MTA16ATF2G64HZ-2G6J1", "MTA16ATF2G64HZ-3G2R1"),
    ("MTA4ATF51264HZ-2G6J1", None),
    ("MTC20F2085S1RC56BD1", "MTC20F2085S1RC64BD2"),
    ("MTC10F1084S1RC56BD1", None),
    ("MTC20C2085S1EC56BD1", "MTC20C2085S1EC64BD2"),
    ("MTC40F2046S1RC56BD1", None),
    ("MT18KSF1G72PZ-1G6E1", None),
    ("MT16KTF1G64HZ-1G6E1", "MTA8ATF1G64HZ-3G2R1"),
    ("MT36KSF2G72PZ-1G6N1", None),
]
MICRON_CUSTOMER = {
    "MT60B2G8RZ-56B:D": "310-0045-02",
    "MT40A1G8SA-075:H": "310-0017-11",
    "MT29F4G08ABAFAWP-IT:F": "322-1180-00",
    "MTA18ASF2G72PZ-2G9E1": "540-2209-04",
    "MTFC16GAPALBH-IT": "322-1202-01",
}
MICRON_HEAD = ["Micron Technology, Inc.", "8000 S. Federal Way, P.O. Box 6, Boise, ID 83707-0006"]


def _micron_rows(components, modules):
    rows: list[tuple[str, str, str]] = []
    for label, group in (("COMPONENT", components), ("MODULE", modules)):
        if not group:
            continue
        rows.append((label, "", ""))
        for mpn, repl in group:
            rows.append((mpn, repl or "Contact Sales Representative", MICRON_CUSTOMER.get(mpn, "")))
    return rows


def _micron_pdf(
    fields: list[str], intro: list[str], rows, closing: list[str], per_page=(15, 25, 40)
) -> bytes:
    """Micron's layout: address header on every page, columns held apart by white space only."""
    chunks, i = [], 0
    for n in per_page:
        if i >= len(rows):
            break
        chunks.append(rows[i : i + n])
        i += n
    if i < len(rows):
        chunks[-1] = chunks[-1] + rows[i:]
    pdf = _fpdf()
    xs = (15, 82, 148)
    for page, chunk in enumerate(chunks, 1):
        pdf.add_page()
        pdf.set_font("Helvetica", "B", 8)
        y = _lines(pdf, MICRON_HEAD, 12, step=4)
        pdf.set_font("Helvetica", size=9)
        y += 6
        if page == 1:
            pdf.set_font("Helvetica", "B", 12)
            pdf.text(15, y, "Product Change Notification")
            pdf.set_font("Helvetica", size=9)
            y = _lines(pdf, fields + [""] + intro, y + 9)
            y += 4
            pdf.set_font("Helvetica", "B", 9)
            for x, head in zip(
                xs, ("Affected Part Number", "Recommended Replacement", "Customer Part Number"), strict=True
            ):
                pdf.text(x, y, head)
            pdf.set_font("Helvetica", size=9)
            y += 7
        for mpn, repl, cust in chunk:
            if mpn in ("COMPONENT", "MODULE"):
                pdf.set_font("Helvetica", "B", 9)
                pdf.text(xs[0], y + 1, mpn)
                pdf.set_font("Helvetica", size=9)
                y += 7
                continue
            for x, value in zip(xs, (mpn, repl, cust), strict=True):
                if value:
                    pdf.text(x, y, value)
            y += 6
        if page == len(chunks):
            _lines(pdf, closing, y + 6)
        pdf.text(95, 288, f"Page {page} of {len(chunks)}")
    return bytes(pdf.output())


def micron_borderless_pdf() -> Sample:
    fields = [
        "PCN: 36518",
        "Published: 2026-11-18",
        "Type: General Change - End of Life",
        "Last Order Date: 2027-05-18",
        "Last Ship Date: 2027-11-18",
    ]
    intro = [
        "Micron is announcing the end of life of the products below. Where a recommended replacement",
        "is listed it is form, fit and function compatible; otherwise please contact your sales office.",
    ]
    closing = [
        "Orders for the affected parts are non-cancellable and non-returnable after the last order date.",
        "Questions about this notice: pcn@micron.example",
    ]
    data = _micron_pdf(fields, intro, _micron_rows(MICRON_COMPONENTS, MICRON_MODULES), closing)
    return Sample(
        "PCN_36518.pdf",
        data,
        [
            Truth(
                "36518",
                "Micron Technology",
                "discontinuance",
                "2026-11-18",
                "2027-05-18",
                "2027-11-18",
                MICRON_COMPONENTS + MICRON_MODULES,
            )
        ],
        "borderless table over 3 pages, header on page 1 only",
    )


# -- 2. ruled table over two pages, header repeated (onsemi-like) ------------------------------------
ONSEMI_PARTS = (
    [(f"NCP{n}DR2G", f"NCP{n}DR2G-F" if n % 4 else None) for n in range(1251, 1269)]
    + [(f"NCV{n}MNTWG", "#NONE") for n in range(4264, 4276)]
    + [
        ("MC33074DR2G", "MC33074DR2G-W"),
        ("MC33078DR2G", "#NONE"),
        ("LM393DR2G", "LM393DR2G-W"),
        ("FAN7631SJX", "#NONE"),
        ("FDMC8010", "FDMC8010-F40"),
        ("FDMC8030", "#NONE"),
        ("NTMFS5C430NLT1G", "NTMFS5C430NLT1G-F"),
        ("NTMFS5C442NLT1G", "#NONE"),
        ("NVMFS5C460NLWFT1G", "#NONE"),
        ("NCP51530BMNTWG", "NCP51530BMNTWG-F"),
        ("NCP1399AADR2G", "#NONE"),
        ("NCP1623ADR2G", "#NONE"),
        ("NCP13992ACDR2G", "NCP13992ACDR2G-F"),
        ("NCP4306AADZZZAMNTWG", "#NONE"),
    ]
)


def onsemi_ruled_pdf() -> Sample:
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(True, margin=18)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 13)
    pdf.cell(0, 8, "onsemi", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "B", 11)
    pdf.cell(0, 7, "Initial Product/Process Change Notification", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=9)
    for line in [
        "Document #: IPCN25817X",
        "Issue Date:18 Jan 2026",
        "Title of Change: Qualification of an additional wafer fab for selected analog products",
        "Proposed Changes: Wafers may also be fabricated at the 200 mm line in Gresham, Oregon.",
        "Reason for Change: capacity and supply continuity.",
        "Sample availability: upon request. The qualification vehicles below were used to qualify the change.",
    ]:
        pdf.multi_cell(0, 5, line, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    vehicles = ["NCP1251DR2G", "NCV4264MNTWG", "MC33074DR2G", "FDMC8010", "NCP1399AADR2G"]
    with pdf.table(col_widths=(65, 65, 50), repeat_headings=1, line_height=5.2) as table:
        head = table.row()
        for cell in ("Current Part Number", "New Part Number", "Qualification Vehicle"):
            head.cell(cell)
        for i, (mpn, new) in enumerate(ONSEMI_PARTS):
            row = table.row()
            row.cell(mpn)
            row.cell(new or "#NONE")
            row.cell(vehicles[i * len(vehicles) // len(ONSEMI_PARTS)])
    pdf.ln(4)
    pdf.multi_cell(0, 5, "Contact your local onsemi sales office for questions about this notification.")
    pdf.set_auto_page_break(False)  # the footers below must not open pages of their own
    for page in range(1, pdf.pages_count + 1):
        pdf.page = page
        pdf.set_xy(0, 285)
        pdf.cell(210, 5, f"Page {page} of {pdf.pages_count}", align="C")
    parts = [(m, None if r in (None, "#NONE") else r) for m, r in ONSEMI_PARTS]
    return Sample(
        "IPCN25817X.pdf",
        bytes(pdf.output()),
        [Truth("IPCN25817X", "onsemi", "change", "2026-01-18", None, None, parts)],
        "ruled table over 2 pages, header repeated, '#NONE' replacements",
    )


# -- 3. side-by-side blocks: customer subset and a header-less products grid (TI-like) --------------
TI_GRID = [
    ["INA105AM", "INA105AM.A", "INA105BM", "INA105BM.A"],
    ["INA105KP", "INA105KP.A", "INA105KU", "INA105KU.A"],
    ["INA105KU/2K5", "INA105KU/2K5.A", "INA106KU/2K5", "INA106KU/2K5.A"],
]


def ti_side_by_side_pdf() -> Sample:
    pdf = _form_pdf(
        "Texas Instruments - Product Change Notification",
        [
            ("PCN Number:", "20260121004.1"),
            ("PCN Date:", "January 21, 2026"),
            ("Title:", "Datasheet update for INA105 and INA106 differential amplifiers"),
            ("Customer Contact:", "PCN Manager"),
            ("Change Type:", "Datasheet (information only)"),
        ],
        (60, 120),
    )
    _paragraphs(
        pdf,
        [
            "Notification Details",
            "Texas Instruments is announcing an information only notification. The product datasheet(s)",
            "is being updated as summarized below. No change to form, fit, function or reliability.",
            "The datasheet number will be changing.",
        ],
    )
    pdf.ln(2)
    with pdf.table(col_widths=(90, 90), line_height=5.5) as table:
        head = table.row()
        head.cell("Change From:")
        head.cell("Change To:")
        row = table.row()
        row.cell("SBOS145A")
        row.cell("SBOS145B")
    pdf.ln(3)
    pdf.multi_cell(
        0,
        5,
        "Changes to the electrical characteristics table: typical offset drift corrected; package drawing updated.",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.add_page()
    pdf.multi_cell(
        0, 5, "Customer-specific devices affected by this notification:", new_x="LMARGIN", new_y="NEXT"
    )
    pdf.ln(2)
    with pdf.table(col_widths=(90, 90), line_height=5.5) as table:
        head = table.row()
        head.cell("DEVICE")
        head.cell("CUSTOMER PART NUMBER")
        for device, customer in [
            ("INA105KU/2K5", "1410025676-01"),
            ("INA105AM.A", "NULL"),
            ("INA106KU/2K5", "1410025699-02"),
        ]:
            row = table.row()
            row.cell(device)
            row.cell(customer)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 10)
    pdf.cell(0, 7, "Product Affected:", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=9)
    with pdf.table(col_widths=(45, 45, 45, 45), first_row_as_headings=False, line_height=5.5) as table:
        for grid_row in TI_GRID:
            row = table.row()
            for cell in grid_row:
                row.cell(cell)
    pdf.ln(4)
    pdf.multi_cell(
        0, 5, "For questions regarding this notice, contact your local TI field sales representative."
    )
    parts = [(p, None) for grid_row in TI_GRID for p in grid_row]
    return Sample(
        "PCN20260121004.1.pdf",
        bytes(pdf.output()),
        [Truth("20260121004.1", "Texas Instruments", "change", "2026-01-21", None, None, parts)],
        "customer subset table, header-less products grid, literature numbers not parts",
    )


# -- 4. digest mail: three notice PDFs and a qualification report (Micron-like) ----------------------
def _digest_notices() -> list[Truth]:
    return [
        Truth(
            "36604",
            "Micron Technology",
            "discontinuance",
            "2026-11-03",
            "2027-05-03",
            "2027-11-03",
            [
                ("MT62F1G32D4DR-031 WT:B", "MT62F1G32D2DS-023 WT:C"),
                ("MT62F512M32D2DR-031 WT:B", None),
                ("MT62F2G32D8DR-031 AAT:B", None),
            ],
        ),
        Truth(
            "36611",
            "Micron Technology",
            "change",
            "2026-11-05",
            None,
            None,
            [
                ("MT29F2G08ABAGAWP-IT:G", None),
                ("MT29F2G16ABAGAWP-IT:G", None),
                ("MT29F1G08ABAFAWP-AAT:F", None),
                ("MT29F4G08ABADAWP-IT:D", None),
            ],
        ),
        Truth(
            "36617",
            "Micron Technology",
            "discontinuance",
            "2026-11-06",
            "2027-02-06",
            "2027-08-06",
            [
                ("MTFC4GACAJCN-1M WT", "MTFC8GAKAJCN-1M WT"),
                ("MTFC4GACAJCN-4M IT", None),
            ],
        ),
    ]


def _qual_report() -> bytes:
    pdf = _fpdf()
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 12)
    pdf.text(15, 20, "Qualification Report - PCN 36611")
    pdf.set_font("Helvetica", size=9)
    y = _lines(
        pdf,
        [
            "Micron Technology, Inc. - Reliability Engineering",
            "Purpose: qualify the additional assembly site for 2Gb SLC NAND in TSOP.",
            "Test vehicles:",
        ],
        32,
    )
    xs = (15, 70, 120, 165)
    pdf.set_font("Helvetica", "B", 9)
    for x, head in zip(xs, ("Test", "Vehicle", "Conditions", "Result"), strict=True):
        pdf.text(x, y + 2, head)
    pdf.set_font("Helvetica", size=9)
    y += 8
    for test, vehicle, cond, result in [
        ("HTOL", "MT29F2G08ABAGAH4-IT:G", "125C, 1000 h", "0/231"),
        ("TC", "MT29F2G08ABAGAH4-IT:G", "-55C/125C, 1000 cyc", "0/231"),
        ("HAST", "MT29F4G08ABBGAH4-IT:G", "130C/85%RH, 96 h", "0/77"),
        ("ESD HBM", "MT29F4G08ABBGAH4-IT:G", "2000 V", "pass"),
    ]:
        for x, value in zip(xs, (test, vehicle, cond, result), strict=True):
            pdf.text(x, y, value)
        y += 6
    _lines(pdf, ["Conclusion: all reliability tests passed; the site is qualified."], y + 6)
    return bytes(pdf.output())


def micron_digest_email() -> Sample:
    titles = {"discontinuance": "General Change - End of Life", "change": "General Change - Assembly Site"}
    attachments = []
    notices = _digest_notices()
    for n in notices:
        fields = [f"PCN: {n.notice_number}", f"Published: {n.issue_date}", f"Type: {titles[n.notice_type]}"]
        if n.last_time_buy_date:
            fields += [f"Last Order Date: {n.last_time_buy_date}", f"Last Ship Date: {n.last_ship_date}"]
        intro = (
            ["The products below reach end of life; see the recommended replacements."]
            if n.notice_type == "discontinuance"
            else ["An additional assembly site is qualified for the products below. No change to datasheets."]
        )
        rows = _micron_rows(n.parts, [])
        pdf = _micron_pdf(fields, intro, rows, ["Questions: pcn@micron.example"], per_page=(40,))
        attachments.append((f"PCN_{n.notice_number}.pdf", pdf, *PDF))
    attachments.append(("PCN 36611 Qual report.pdf", _qual_report(), *PDF))
    body = (
        "Micron Product Change Notification digest\n\n"
        "The following notifications were published for parts you follow:\n"
        + "".join(f"  PCN {n.notice_number} - {titles[n.notice_type]}\n" for n in notices)
        + "\nSee the attached PDF of each notification. This is an automated message.\n"
    )
    data = _email(
        "Micron PCN <pcn_notify@micron.example>",
        "Micron PCN notifications: 3 new",
        body,
        attachments=attachments,
        msg_id="digest-2026-45@micron.example",
        when=datetime(2026, 11, 7, 6, 0, tzinfo=UTC),
    )
    return Sample("micron_pcn_digest.eml", data, notices, "digest of PDFs plus a qual report")


# -- 5. distributor relay with a CSV (Avnet-like) ----------------------------------------------------
MURATA_PARTS = [
    "DSS1NB32A103Q9B",
    "DSS1NB32A223Q9B",
    "DSS1NB32A472Q9B",
    "DSS1NB32A102Q9B",
    "DSS306-55Y5S103M",
    "DSS306-55B102M",
]


def avnet_relay_email() -> Sample:
    rows = [
        ("DSS1NB32A103Q9B", "Y", "70-100-2210"),
        ("DSS1NB32A223Q9B", "Y", "70-100-2211"),
        ("DSS1NB32A103Q9B", "N", "70-100-2210"),
        ("DSS1NB32A472Q9B", "N", ""),
        ("ADVDSS1NB32A223Q9B", "Y", "70-100-2211"),
        ("DSS1NB32A102Q9B", "N", ""),
        ("DSS306-55Y5S103M", "Y", "70-100-3002"),
        ("ADVDSS306-55Y5S103M", "N", ""),
        ("DSS306-55B102M", "N", ""),
        ("DSS306-55B102M", "Y", "70-100-3005"),
    ]

    def distributor(mpn: str) -> str:
        code = "MUR" + mpn.removeprefix("ADV")
        return code[:17] + ">" if len(code) > 17 else code

    csv = "S/N,Ordered,Manufacturer Part Number,Customer Part Number,Distributor Part Number\r\n" + "".join(
        f"{i},{ordered},{mpn},{cust},{distributor(mpn)}\r\n" for i, (mpn, ordered, cust) in enumerate(rows, 1)
    )
    body = (
        "Avnet Product Change Notification\n\n"
        "Dear Customer,\n"
        "Avnet has received the following notification from the manufacturer. Parts you bought from us\n"
        "in the last 24 months are listed in the attached file.\n\n"
        "Manufacturer\tMurata Manufacturing\n"
        "Manufacturer PCN#\tEOL-26-DSS-0042\n"
        "PCN Issue Date\t01.03.2026\n"
        "PCN Category\t06 EOL\n"
        "PCN Title\tDiscontinuation of DSS series EMI suppression filters\n"
        "Last Buy Date\t31.03.2028\n"
        "Last Shipment Date\t30.09.2028\n"
        "EOL Date\t\n"
        "Replacement\tsee manufacturer notice\n\n"
        "Please contact your Avnet sales representative with any questions.\n"
        "Avnet EMEA PCN Team\n"
    )
    data = _email(
        "Avnet PCN <pcn.emea@avnet.example>",
        "Avnet PCN: Murata EOL-26-DSS-0042",
        body,
        attachments=[("PCN_EOL-26-DSS-0042_parts.csv", csv.encode(), "text", "csv")],
        msg_id="eol-26-dss-0042@avnet.example",
        when=datetime(2026, 3, 3, 7, 45, tzinfo=UTC),
    )
    return Sample(
        "avnet_relay_murata.eml",
        data,
        [
            Truth(
                "EOL-26-DSS-0042",
                "Murata",
                "discontinuance",
                "2026-03-01",
                "2028-03-31",
                "2028-09-30",
                [(m, None) for m in MURATA_PARTS],
            )
        ],
        "distributor relay: dd.mm.yyyy fields, CSV with distributor copies",
    )


# -- 6. ST: PCN form PDF plus a header-less public products grid ------------------------------------
ST_GRID = [
    ["STM32G431CBU6", "STM32G431CBT6", "STM32G431KBT6"],
    ["STM32G431RBT6", "STM32G431VBT6", "STM32G441CBT6"],
    ["STM32G441KBU6", "STM32G441RBT6", "STM32G474CET6"],
    ["STM32G474RET6", "STM32G474VET6", "STM32G474QET6"],
]
ST_CUSTOMER_ONLY = "STM32G491RET6"


def _st_form() -> bytes:
    pdf = _form_pdf(
        "PRODUCT / PROCESS CHANGE NOTIFICATION",
        [
            ("1. PCN (Product/Process Change Notification)", ""),
            ("1.1 Company", "STMicroelectronics International N.V."),
            ("1.2 PCN No.", "EMBEDDED PROCESSING/26/15237"),
            ("1.3 Title of PCN", "Additional back-end site for STM32G4 in LQFP and UFQFPN"),
            ("1.4 Product Category", "STM32G4 series"),
            ("1.5 Issue date", "2026-03-10"),
            ("2. Key contacts", ""),
            ("2.1 Contact supplier", "Local ST sales office"),
            ("3. Change", ""),
            ("3.1 Category", "Assembly site"),
            ("3.2 Type of change", "Additional assembly and test site"),
        ],
        (70, 110),
    )
    _paragraphs(
        pdf,
        [
            "4. Description of change: parts may also be assembled at an additional qualified back-end site.",
            "5. Reason / motivation for change: service continuity and capacity.",
            "Please refer to PCN 14864 – Additional information for the earlier site transfer.",
            "9. Products affected: see the attached Public product list.",
            "10. Customer part numbers",
        ],
    )
    pdf.ln(2)
    with pdf.table(col_widths=(60, 60, 60), first_row_as_headings=False, line_height=5.5) as table:
        row = table.row()
        row.cell("10.1 Current", colspan=2)
        row.cell("10.2 New (if applicable)")
        row = table.row()
        for cell in ("10.1.1 Customer Part No", "10.1.2 Supplier Part No", "10.1.2 Supplier Part No"):
            row.cell(cell)
        row = table.row()
        for cell in ("ACME-77310", ST_CUSTOMER_ONLY, ""):
            row.cell(cell)
    return bytes(pdf.output())


def _st_public_list() -> bytes:
    pdf = _fpdf()
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 11)
    pdf.text(15, 20, "PCN EMBEDDED PROCESSING/26/15237 - Public products list")
    pdf.set_font("Helvetica", size=9)
    pdf.text(15, 30, "Please find below the Standard Public Products List impacted by the change.")
    pdf.set_xy(15, 36)
    with pdf.table(col_widths=(60, 60, 60), first_row_as_headings=False, line_height=6) as table:
        for grid_row in ST_GRID:
            row = table.row()
            for cell in grid_row:
                row.cell(cell)
    return bytes(pdf.output())


def st_public_products_email() -> Sample:
    data = _email(
        "ST PCN <pcn.notification@st.example>",
        "PCN EMBEDDED PROCESSING/26/15237 - Additional back-end site",
        "Dear Customer,\n\nPlease find attached the PCN and the list of public products concerned.\n\n"
        "STMicroelectronics\n",
        attachments=[
            ("EMBEDDED PROCESSING_26_15237.pdf", _st_form(), *PDF),
            ("15237 Public product.pdf", _st_public_list(), *PDF),
        ],
        msg_id="ep-26-15237@st.example",
        when=datetime(2026, 3, 10, 12, 0, tzinfo=UTC),
    )
    parts = [(p, None) for grid_row in ST_GRID for p in grid_row] + [(ST_CUSTOMER_ONLY, None)]
    return Sample(
        "st_public_products.eml",
        data,
        [
            Truth(
                "EMBEDDED PROCESSING/26/15237",
                "STMicroelectronics",
                "change",
                "2026-03-10",
                None,
                None,
                parts,
            )
        ],
        "PCN form plus header-less public products grid; stale PCN reference",
    )


# -- 7. Japanese EOL letter forwarded by a Chinese distributor (Nova-like) ---------------------------
def japanese_letter_forward() -> Sample:
    body = (
        "各位客户：\n\n"
        "您好！现转发原厂ROHM的停产通知，请查收。如有库存需求，请在最终订货日前与我司业务联系。\n\n"
        "诺瓦电子（深圳）有限公司 产品部\n"
        "电话：0755-8888 0000\n\n"
        "-------- 转发的邮件 --------\n"
        "发件人：ローム株式会社\n\n"
        "2025年9月26日\n"
        "お客様各位\n\n"
        "ROHM Co., Ltd.\n"
        "ローム株式会社\n\n"
        "販売終息のご案内\n\n"
        "拝啓　時下ますますご清栄のこととお慶び申し上げます。\n"
        "さて、下記製品につきまして、生産設備の老朽化により販売を終息させていただくことになりました。\n"
        "誠に勝手ながら、何卒ご理解賜りますようお願い申し上げます。\n\n"
        "記\n\n"
        "１．対象製品：ＢＤ２３１４ＡＬ\n"
        "２．理由：生産設備の老朽化のため\n"
        "３．最終ご発注日：2026年3月25日\n"
        "４．最終出荷日：2026年10月30日\n"
        "５．代替製品：ＢＤ２３１４Ａｓ／ＢＤ２５１４\n\n"
        "以上\n"
    )
    data = _email(
        "Nova Electronics <pm@nova-elec.example>",
        "转发：ROHM 停产通知 販売終息のご案内",
        body,
        msg_id="fwd-rohm-eol@nova-elec.example",
        when=datetime(2025, 9, 29, 2, 30, tzinfo=UTC),
    )
    return Sample(
        "nova_forward_japanese_eol.eml",
        data,
        [
            Truth(
                "",
                "ROHM Semiconductor",
                "discontinuance",
                "2025-09-26",
                "2026-03-25",
                "2026-10-30",
                [("BD2314AL", "BD2314As")],
            )
        ],
        "Japanese letter, full-width characters, in a Chinese forward",
    )


# -- 8. part list workbook with a key/value block and a stale copy sheet (Renesas-like) -------------
RENESAS_NEW = [
    "R7FA4M1AB3CFM#AA0",
    "R7FA4M1AB3CFP#AA0",
    "R7FA4M1AB3CNB#AA0",
    "R7FA2E1A72DFL#AA0",
    "R7FA2E1A92DFM#AA0",
    "RAA2230154GNP#HA0",
]
RENESAS_STALE = ["R5F51303ADFL#30", "R5F51305ADFM#30", "R5F52108ADFP#30"]


def renesas_stale_sheet_email() -> Sample:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Product List"
    for row in [
        ["Report Name:", "Product List"],
        ["Notice Number:", "PA260214"],
        ["Effective Date:", datetime(2026, 2, 14)],
        [],
        ["Product List"],
        *[[m] for m in RENESAS_NEW],
    ]:
        ws.append(row)
    old = wb.create_sheet("Product List (2)")
    for row in [
        ["Report Name:", "Product List"],
        ["Notice Number:", "PA250731"],
        ["Effective Date:", datetime(2025, 7, 31)],
        [],
        ["Product List", "Last Time Buy"],
        *[[m, datetime(2025, 12, 31)] for m in RENESAS_STALE],
    ]:
        old.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    body = (
        "Renesas Electronics Corporation\nProduct Discontinuation Notice PA260214\n\n"
        "Date of issue: 14 February 2026\nLast time buy: 31 August 2026\nLast time ship: 26 February 2027\n\n"
        "The discontinued products are listed in the attached Product List.\n"
    )
    data = _email(
        "Renesas PCN <pcn@renesas.example>",
        "PA260214 Product Discontinuation Notice",
        body,
        attachments=[("Product List PA260214.xlsx", buf.getvalue(), *XLSX)],
        msg_id="pa260214@renesas.example",
        when=datetime(2026, 2, 14, 1, 0, tzinfo=UTC),
    )
    return Sample(
        "renesas_product_list_stale_sheet.eml",
        data,
        [
            Truth(
                "PA260214",
                "Renesas Electronics",
                "discontinuance",
                "2026-02-14",
                "2026-08-31",
                "2027-02-26",
                [(m, None) for m in RENESAS_NEW],
            )
        ],
        "key/value block above a lone 'Product List' header; stale copy sheet not read",
    )


ALL = [
    micron_borderless_pdf,
    onsemi_ruled_pdf,
    ti_side_by_side_pdf,
    micron_digest_email,
    avnet_relay_email,
    st_public_products_email,
    japanese_letter_forward,
    renesas_stale_sheet_email,
]
KNOWN_GAPS: dict[str, str] = {}
BUILDERS = [b for b in ALL if b.__name__ not in KNOWN_GAPS]

from radar_pipeline.demo.corpus import Sample, Truth, _email  # noqa: E402  (see the module docstring)
