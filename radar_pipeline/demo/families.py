"""A generator of notices in the layout families of issue 20, with random wording and sizes.

``draw(seed)`` picks one FAMILY (what the layout does: header phrases, a subset table before
the full list, placeholder cells, a header-less grid under the title, multi-column grids over
pages, wildcard patterns, a maker named only in the letterhead/address/logo/domain) and one
LAYOUT (how it reached us: a PDF written with fpdf2, an HTML mail, a mail with the PDF
attached, the text dump of a PDF, a mail with an .xlsx attachment), then invents a maker,
numbers, dates and parts. The truth is what a careful analyst would read. Makers are invented
from syllables so that no rule keyed to a known maker can help.

``unread_table(seed)`` is the same kind of letter whose full table has a header no reader
could know, and whose prose names only one or two of its parts: a reader that does not read
that table must at least flag the document.
"""

from __future__ import annotations

import io
import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from html import escape

from radar_pipeline.demo.corpus import Sample, Truth, _email
from radar_pipeline.demo.layouts import PDF, XLSX


@dataclass
class FamilyTruth(Truth):
    patterns: list[str] = field(default_factory=list)


@dataclass
class FamilySample(Sample):
    family: str = ""
    layout: str = ""
    seed: int = 0


# which layouts each family is drawn in (the .txt text dump is family 6 for 1, 3, 5, 7)
FAMILIES: dict[str, tuple[str, ...]] = {
    "headers": ("pdf", "txt", "html", "eml_pdf", "xlsx"),
    "subset_full": ("pdf", "eml_pdf", "html", "txt"),
    "placeholders": ("pdf", "txt", "html", "xlsx"),
    "headerless_grid": ("pdf", "html", "txt"),
    "grid_pages": ("pdf", "txt", "eml_pdf"),
    "patterns": ("pdf", "txt", "html", "xlsx"),
    "maker_implicit": ("pdf", "html", "eml_pdf", "txt"),
    "prose_lists": ("txt", "pdf", "html", "eml_pdf"),
}
UNREAD_LAYOUTS = ("pdf", "html", "txt")

KNOWN_MAKERS = {
    "texas", "analog", "micron", "vishay", "infineon", "nxp", "renesas", "microchip", "onsemi", "rohm",
    "kemet", "murata", "tdk", "toshiba", "intel", "amd", "xilinx", "altera", "maxim", "diodes", "nexperia",
    "broadcom", "marvell", "samsung", "hynix", "kioxia", "wurth", "bourns", "littelfuse", "yageo", "avx",
    "st", "stmicro", "cypress", "lattice", "silicon", "skyworks", "qorvo", "panasonic", "omron", "epson",
}  # fmt: skip
SYLLABLES = [
    "kor", "va", "la", "tes", "sin", "ar", "dent", "vel", "mir", "ox", "qua", "lum", "bri", "zen", "tal",
    "nor", "dax", "cy", "ren", "hal", "sto", "vik", "bel", "tro", "mar", "den", "su", "ka", "lo", "fen",
]  # fmt: skip
KINDS = [
    ("Semiconductor", "semi"), ("Microdevices", "micro"), ("Power", "power"), ("Electronics", "elec"),
    ("Microsystems", "msys"), ("Components", "comp"), ("Devices", "dev"), ("Photonics", "photon"),
    ("Circuits", "ic"), ("Analog", "analog"),
]  # fmt: skip
SUFFIXES = ["Inc.", "GmbH", "Co., Ltd.", "Corp.", "AG", "S.A.", "Ltd.", "B.V.", "K.K.", "LLC"]
CITIES = [
    ("1200 Lakeview Drive", "San Jose, CA 95134, USA"), ("Industriestrasse 14", "81379 Muenchen, Germany"),
    ("No. 8 Keji Road", "Hsinchu Science Park 30078, Taiwan"), ("3-11-2 Shin-Yokohama", "Yokohama 222-0033, Japan"),
    ("Rue des Artisans 5", "38000 Grenoble, France"), ("45 Harbour Road", "Wan Chai, Hong Kong"),
]  # fmt: skip

AFFECTED_HEADERS = [
    "Devices being discontinued", "Device to be Discontinued", "Products affected", "Affected products",
    "Discontinued part numbers", "Part Number (EOL)", "Discontinued Devices", "Affected Part Number",
    "EOL part number", "Products to be discontinued",
]  # fmt: skip
REPLACEMENT_HEADERS = [
    "Recommended replacement products", "Suggested replacement", "Migration path", "Replacement (suggested)",
    "Recommended replacement", "Proposed alternative",
]  # fmt: skip
PLACEHOLDERS = ["#NONE", "#NA", "NULL", "N/A", "-", "TBD", "None"]
PACKAGES = ["SOT-23", "QFN-32", "SOIC-8", "TSSOP-20", "QFN-24", "BGA-144", "DFN-10", "LQFP-64", "SOT-223"]
LTB_LABELS = ["Last Time Buy", "Final order date", "LTB", "Last order date", "Last Time Buy Date"]
LTS_LABELS = ["Last shipment", "Final Ship Date", "LTS", "Last Time Ship"]
ISSUE_LABELS = ["Date", "Issue date", "Notification date", "Date of issue", "Publication date"]
NUMBER_LABELS = ["Notice No.", "PDN Number", "Reference", "Document #", "Notification number"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]  # fmt: skip
UNKNOWN_HEADERS = ["Zorbin codes", "Artikelreihe X", "Plomvek items", "Tessaline list", "Vorn entries"]
UNKNOWN_SIDE = ["Kelm", "Bastwerk", "Orvo grade", "Lint class"]


# -- the invented world ------------------------------------------------------------------------
@dataclass
class Maker:
    name: str  # "Korvala Semiconductor Inc."
    brand: str  # "Korvala"
    domain: str  # "korvala-semi.com"
    prefix: str  # "KV"
    street: str
    city: str


def _maker(rng: random.Random) -> Maker:
    while True:
        brand = "".join(rng.sample(SYLLABLES, rng.choice((2, 2, 3)))).capitalize()
        if brand.lower() not in KNOWN_MAKERS and not any(brand.lower().startswith(k) for k in KNOWN_MAKERS):
            break
    kind, short = rng.choice(KINDS)
    street, city = rng.choice(CITIES)
    prefix = (brand[0] + rng.choice([c for c in brand[1:] if c.isalpha()])).upper()
    if rng.random() < 0.3:
        prefix += kind[0]
    return Maker(
        f"{brand} {kind} {rng.choice(SUFFIXES)}", brand, f"{brand.lower()}-{short}.com", prefix, street, city
    )


def _part_shape(rng: random.Random, prefix: str):
    """A function n -> part number in one realistic shape for this document's series."""
    L = "ABCDEFGHJKLMNPRSTUVWXYZ"
    base = rng.randint(10, 89)
    pkg, pins = rng.choice([("QFN", 24), ("QFN", 32), ("SOT", 23), ("DFN", 10), ("SO", 8), ("BGA", 144)])
    letter = rng.choice(L)
    shapes = [
        lambda n: f"{prefix}{base}{n:02d}-{pkg}{pins}-TR",
        lambda n: f"{prefix}{base}{n % 10}{L[n // 10 % len(L)]}{rng.randint(1, 9)}#PBF",
        lambda n: f"{prefix}{base}{n:02d}{letter}/T{rng.randint(1, 9)}",
        lambda n: f"{base}{rng.randint(10, 99)}-{2200 + n:04d}-{rng.choice('RTE')}",
        lambda n: (
            f"{prefix}{rng.randint(1, 9)}{letter}{n:03d}-{rng.randint(1, 3)}{pkg}{pins}{rng.choice('ICE')}"
        ),
        lambda n: (
            f"{prefix}{base}{n:02d}{rng.choice(['AIDR', 'BQDR', 'EUR', 'MX'])}{rng.choice(['', '+', '-Q1'])}"
        ),
    ]
    return rng.choice(shapes)


def _parts(rng: random.Random, prefix: str, n: int) -> list[str]:
    out: list[str] = []
    seen: set[str] = set()
    shape = _part_shape(rng, prefix)
    i = 0
    while len(out) < n:
        if i and i % 40 == 0:  # a bigger notice names several series
            shape = _part_shape(rng, prefix)
        p = shape(rng.randint(0, 99))
        i += 1
        if p not in seen:
            seen.add(p)
            out.append(p)
        if i > 20 * n:
            shape = _part_shape(rng, prefix)
    return out


def _fmt_date(d: date, style: int) -> str:
    return [
        d.isoformat(),
        f"{d.day} {MONTHS[d.month - 1][:3]} {d.year}",
        f"{MONTHS[d.month - 1]} {d.day}, {d.year}",
        f"{d.day:02d}.{d.month:02d}.{d.year}",
        f"{d.day:02d}-{MONTHS[d.month - 1][:3]}-{d.year}",
    ][style]


def _number(rng: random.Random, kind: str, year: int) -> str:
    yy = year % 100
    head = {"discontinuance": rng.choice(["PDN", "EOL", "DN"]), "nrnd": "NRND", "change": "PCN"}[kind]
    return rng.choice(
        [
            f"{head}-{year}-{rng.randint(1, 999):04d}",
            f"{head}#{rng.randint(1000, 9999)}",
            f"{yy}-{rng.randint(1, 199):03d}-{head[:2]}",
            f"{head}{yy}{rng.randint(100, 999)}",
        ]
    )


# -- the abstract letter: blocks rendered by each layout ----------------------------------------
# ("title", text) | ("line", text) | ("table", header | None, rows, ruled) | ("page",)


@dataclass
class Letter:
    blocks: list[tuple] = field(default_factory=list)
    subject: str = ""
    sender: str = ""
    cover: str = ""  # the mail body when the letter is attached
    when: date | None = None

    def title(self, text: str) -> None:
        self.blocks.append(("title", text))

    def line(self, *texts: str) -> None:
        self.blocks.extend(("line", t) for t in texts)

    def table(self, header, rows, ruled: bool = True) -> None:
        self.blocks.append(("table", header, rows, ruled))

    def page(self) -> None:
        self.blocks.append(("page",))


def _render_pdf(letter: Letter, rng: random.Random) -> bytes:
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.core_fonts_encoding = "windows-1252"
    pdf.set_auto_page_break(True, margin=15)
    pdf.add_page()
    size = rng.choice((8, 9, 10))
    pdf.set_font("Helvetica", size=size)
    for block in letter.blocks:
        if block[0] == "title":
            pdf.set_font("Helvetica", "B", size + 3)
            pdf.multi_cell(0, 7, block[1], new_x="LMARGIN", new_y="NEXT")
            pdf.set_font("Helvetica", size=size)
        elif block[0] == "line":
            pdf.multi_cell(0, 5, block[1] or " ", new_x="LMARGIN", new_y="NEXT")
        elif block[0] == "page":
            pdf.add_page()
        else:
            _, header, rows, ruled = block
            cols = len(header) if header else max(len(r) for r in rows)
            font = min(size, 8 if cols <= 4 else 7)
            pdf.set_font("Helvetica", size=font)
            pdf.ln(2)
            if ruled:
                with pdf.table(
                    first_row_as_headings=header is not None,
                    repeat_headings=1 if header else 0,
                    line_height=font * 0.6,
                ) as table:
                    for r in ([header] if header else []) + rows:
                        row = table.row()
                        for cell in r:
                            row.cell(cell)
            else:  # borderless text columns
                width = (pdf.w - pdf.l_margin - pdf.r_margin) / cols
                for i, r in enumerate(([header] if header else []) + rows):
                    pdf.set_font("Helvetica", "B" if header and i == 0 else "", font)
                    for cell in r:
                        pdf.cell(width, font * 0.6, cell)
                    pdf.ln(font * 0.6)
            pdf.ln(3)
            pdf.set_font("Helvetica", size=size)
    return bytes(pdf.output())


def _render_txt(letter: Letter, rng: random.Random) -> bytes:
    out: list[str] = []
    pageno = 1
    for block in letter.blocks:
        if block[0] in ("title", "line"):
            out.append(block[1])
        elif block[0] == "page":
            pageno += 1
            out.append(rng.choice(["\f", f"\n-- {pageno - 1} --\n\f", f"Page {pageno - 1}\n\f"]))
        else:
            _, header, rows, _ = block
            allrows = ([header] if header else []) + rows
            widths = [max(len(r[c]) for r in allrows if c < len(r)) for c in range(max(map(len, allrows)))]
            gap = rng.randint(2, 5)
            out.append("")
            for r in allrows:
                out.append("".join(cell.ljust(widths[c] + gap) for c, cell in enumerate(r)).rstrip())
            out.append("")
    return "\n".join(out).encode()


def _html(letter: Letter) -> str:
    parts = ["<html><body>"]
    for block in letter.blocks:
        if block[0] == "title":
            parts.append(f"<h2>{escape(block[1])}</h2>")
        elif block[0] == "line":
            parts.append(f"<p>{escape(block[1])}</p>" if block[1] else "<br>")
        elif block[0] == "page":
            parts.append("<hr>")
        else:
            _, header, rows, _ = block
            parts.append('<table border="1" cellpadding="3">')
            if header:
                parts.append("<tr>" + "".join(f"<th>{escape(c)}</th>" for c in header) + "</tr>")
            for r in rows:
                parts.append("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in r) + "</tr>")
            parts.append("</table>")
    parts.append("</body></html>")
    return "\n".join(parts)


def _xlsx(letter: Letter) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Notice"
    for block in letter.blocks:
        if block[0] in ("title", "line"):
            ws.append([block[1]])
        elif block[0] == "table":
            _, header, rows, _ = block
            ws.append([])
            for r in ([header] if header else []) + rows:
                ws.append(list(r))
            ws.append([])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _render(letter: Letter, layout: str, rng: random.Random, stem: str) -> tuple[str, bytes]:
    when = datetime.combine(letter.when, datetime.min.time(), UTC).replace(hour=9, minute=30)
    msg_id = f"{stem}@{letter.sender.split('@')[-1].strip('>')}"
    if layout == "pdf":
        return f"{stem}.pdf", _render_pdf(letter, rng)
    if layout == "txt":
        return f"{stem}.txt", _render_txt(letter, rng)
    if layout == "html":
        return f"{stem}.eml", _email(
            letter.sender, letter.subject, None, html=_html(letter), msg_id=msg_id, when=when
        )
    if layout == "eml_pdf":
        pdf = _render_pdf(letter, rng)
        attach = [(f"{stem}.pdf", pdf, *PDF)]
        return f"{stem}.eml", _email(
            letter.sender, letter.subject, letter.cover, attachments=attach, msg_id=msg_id, when=when
        )
    if layout == "xlsx":
        attach = [(f"{stem}.xlsx", _xlsx(letter), *XLSX)]
        return f"{stem}.eml", _email(
            letter.sender, letter.subject, letter.cover, attachments=attach, msg_id=msg_id, when=when
        )
    raise ValueError(layout)


# -- one drawn notice --------------------------------------------------------------------------
@dataclass
class Draft:
    """The facts of one notice before its letter is written."""

    maker: Maker
    kind: str
    number: str  # "" for an unnumbered letter
    issued: date
    ltb: date | None
    lts: date | None
    date_style: int
    parts: list[tuple[str, str | None]]
    patterns: list[str] = field(default_factory=list)

    def d(self, x: date) -> str:
        return _fmt_date(x, self.date_style)

    def truth(self) -> FamilyTruth:
        iso = lambda x: x.isoformat() if x else None  # noqa: E731
        return FamilyTruth(
            self.number, self.maker.name, self.kind, iso(self.issued), iso(self.ltb), iso(self.lts),
            list(self.parts), patterns=list(self.patterns),
        )  # fmt: skip


TITLES = {
    "discontinuance": ["Product Discontinuance Notice", "End of Life Notification", "Product Discontinuation",
                       "Notice of Product Discontinuance", "EOL Announcement"],
    "nrnd": ["Not Recommended for New Designs (NRND) Notice", "NRND Notification", "Product Status Change: NRND"],
    "change": ["Product Change Notification", "Process Change Notice (PCN)", "Customer Change Notification"],
}  # fmt: skip


def _draft(rng: random.Random, family: str, n_parts: int | None = None) -> Draft:
    maker = _maker(rng)
    kind = "discontinuance"
    if family not in ("patterns", "headerless_grid", "subset_full"):
        kind = rng.choices(["discontinuance", "nrnd", "change"], [0.75, 0.15, 0.10])[0]
    issued = date(2026, 1, 1) + timedelta(days=rng.randint(0, 330))
    ltb = lts = None
    if kind == "discontinuance":
        ltb = issued + timedelta(days=rng.randint(150, 365))
        lts = ltb + timedelta(days=rng.randint(90, 365))
    number = _number(rng, kind, issued.year)
    if family == "headerless_grid" and rng.random() < 0.7:
        number = ""
    n = n_parts or rng.choice([rng.randint(3, 12), rng.randint(3, 40), rng.randint(20, 120)])
    mpns = _parts(rng, maker.prefix, n)
    parts: list[tuple[str, str | None]] = []
    repl_pool = _parts(rng, maker.prefix + rng.choice("QXZ"), n)
    for i, m in enumerate(mpns):
        r = repl_pool[i] if kind != "change" and rng.random() < 0.5 else None
        parts.append((m, r))
    return Draft(maker, kind, number, issued, ltb, lts, rng.randint(0, 4), parts)


def _sender(d: Draft, rng: random.Random, named: bool = True) -> str:
    local = rng.choice(["pcn", "eol-notice", "quality", "product.change", "noreply"])
    who = (
        f"{d.maker.brand} {rng.choice(['PCN Team', 'Quality', 'Product Management'])}"
        if named
        else "PCN Desk"
    )
    return f"{who} <{local}@{d.maker.domain}>"


def _head(d: Draft, rng: random.Random, letter: Letter, *, letterhead: bool = True) -> None:
    """Letterhead, title, number and issue date, dates, distractors."""
    if letterhead:
        letter.line(d.maker.name, f"{d.maker.street}, {d.maker.city}")
    letter.title(rng.choice(TITLES[d.kind]))
    if d.number:
        letter.line(f"{rng.choice(NUMBER_LABELS)}: {d.number}")
    letter.line(f"{rng.choice(ISSUE_LABELS)}: {d.d(d.issued)}")
    if rng.random() < 0.6:
        letter.line(
            f"Customer No.: {rng.randint(10, 99)}-{rng.randint(10000, 99999)}   PO: 45{rng.randint(10**7, 10**8 - 1)}"
        )
    letter.line("", "Dear Customer,")


def _dates(d: Draft, rng: random.Random, letter: Letter) -> None:
    if d.kind != "discontinuance":
        if d.kind == "nrnd":
            letter.line("The products remain available, but they are not recommended for new designs.")
        else:
            letter.line(
                f"The change applies to products shipped from {d.d(d.issued + timedelta(days=90))} onward."
            )
        return
    if rng.random() < 0.7:
        letter.line(f"{rng.choice(LTB_LABELS)}: {d.d(d.ltb)}", f"{rng.choice(LTS_LABELS)}: {d.d(d.lts)}")
    else:
        letter.line(
            f"Orders are accepted until the {rng.choice(LTB_LABELS)} of {d.d(d.ltb)}; "
            f"the {rng.choice(LTS_LABELS)} is {d.d(d.lts)}."
        )


def _tail(d: Draft, rng: random.Random, letter: Letter, *, signature: bool = True) -> None:
    letter.line(
        "",
        f"For questions please call {rng.choice(['+1 (408) 555-', '+49 89 4120 ', '+886 3 578 ', '+81 45 470 '])}"
        f"{rng.randint(1000, 9999)} or contact your local sales office.",
        "Sincerely,",
    )
    if signature:
        letter.line(f"{d.maker.name} - Quality Assurance", f"www.{d.maker.domain}")


def _reason(rng: random.Random, d: Draft) -> str:
    what = {"discontinuance": "discontinued", "nrnd": "moved to NRND status", "change": "changed"}[d.kind]
    why = rng.choice(["declining demand", "the closure of a wafer fab line", "supplier obsolescence of a raw material",
                      "a portfolio consolidation"])  # fmt: skip
    return f"Due to {why}, the products listed in this notice will be {what}."


def _part_table(d: Draft, rng: random.Random, parts, *, placeholders: bool = False):
    """A table of affected parts with synonym headers in any order and distractor columns."""
    has_repl = d.kind != "change" and (placeholders or any(r for _, r in parts) or rng.random() < 0.5)
    cols = ["mpn"] + (["repl"] if has_repl else [])
    if has_repl and rng.random() < 0.35:
        cols.insert(cols.index("repl") + 1, "p2p")
    if rng.random() < 0.4:
        cols.insert(rng.choice((0, len(cols))), "cpn")
    if rng.random() < 0.5:
        cols.append("pkg")
    heads = {
        "mpn": rng.choice(AFFECTED_HEADERS),
        "repl": rng.choice(REPLACEMENT_HEADERS),
        "p2p": rng.choice(["Pin to pin match", "Pin-to-pin compatible", "P2P"]),
        "cpn": rng.choice(["Customer P/N", "Your part number", "Customer part no."]),
        "pkg": rng.choice(["Package", "Pkg"]),
    }
    token = rng.choice(PLACEHOLDERS)
    rows = []
    for m, r in parts:
        cells = {
            "mpn": m,
            "repl": r or (rng.choice([token, token, rng.choice(PLACEHOLDERS)]) if placeholders else ""),
            "p2p": (rng.choice(["Yes", "No"]) if r else (rng.choice(PLACEHOLDERS) if placeholders else "")),
            "cpn": f"{rng.randint(100, 999)}-{rng.randint(1000, 9999)}-{rng.randint(0, 99):02d}",
            "pkg": rng.choice(PACKAGES)
            if not placeholders or rng.random() < 0.8
            else rng.choice(PLACEHOLDERS),
        }
        rows.append([cells[c] for c in cols])
    return [heads[c] for c in cols], rows


# -- the families ------------------------------------------------------------------------------
def _fam_headers(rng, layout, d: Draft, letter: Letter, placeholders: bool = False) -> None:
    if placeholders:  # runs of placeholder rows, also first and last rows
        d.parts = [(m, r if rng.random() < 0.45 else None) for m, r in d.parts]
        if len(d.parts) > 3:
            d.parts[0] = (d.parts[0][0], None)
    _head(d, rng, letter)
    letter.line(_reason(rng, d))
    if rng.random() < 0.5:
        _dates(d, rng, letter)
        letter.line("", rng.choice(["Affected products:", "The following devices are affected:", ""]))
        letter.table(*_part_table(d, rng, d.parts, placeholders=placeholders), ruled=rng.random() < 0.6)
    else:
        letter.table(*_part_table(d, rng, d.parts, placeholders=placeholders), ruled=rng.random() < 0.6)
        _dates(d, rng, letter)
    _tail(d, rng, letter)


def _fam_subset_full(rng, layout, d: Draft, letter: Letter) -> None:
    if len(d.parts) < 8:
        extra = _parts(rng, d.maker.prefix + "R", 8 - len(d.parts) + rng.randint(0, 10))
        d.parts += [(m, None) for m in extra if m not in dict(d.parts)]
    _head(d, rng, letter)
    letter.line(_reason(rng, d))
    _dates(d, rng, letter)
    subset = rng.sample(d.parts, rng.randint(2, 5))
    letter.line(rng.choice(["Our records show you purchased the following devices in the last 24 months:",
                            "Your affected parts:", "Devices you purchased:"]))  # fmt: skip
    head = [rng.choice(["Devices you purchased", "Your affected parts", "Purchased device"])]
    if rng.random() < 0.5:
        head.append(rng.choice(["Qty (last 12 months)", "Last order"]))
        rows = [[m, str(rng.randint(1, 90) * 100)] for m, _ in subset]
    else:
        rows = [[m] for m, _ in subset]
    letter.table(head, rows, ruled=True)
    letter.line("The complete list of products affected by this notice is given in Appendix A.")
    for _ in range(rng.randint(1, 2)):
        letter.page()
        letter.title(rng.choice(["Reason for the change", "Ordering information", "Terms of last-time buy"]))
        for _ in range(rng.randint(3, 8)):
            letter.line(rng.choice([
                "Last-time-buy orders are non-cancellable and non-returnable.",
                "Orders must be placed in multiples of the standard pack quantity.",
                "Scheduled deliveries beyond the last shipment date cannot be accepted.",
                "Please contact your sales representative to discuss alternatives for your application.",
            ]))  # fmt: skip
    letter.page()
    letter.title(
        rng.choice(["Appendix A - Full list of affected products", "Attachment: Affected product list"])
    )
    letter.table(*_part_table(d, rng, d.parts), ruled=rng.random() < 0.6)
    _tail(d, rng, letter)


def _grid(rng, parts: list[str], cols: int) -> list[list[str]]:
    rows = [parts[i : i + cols] for i in range(0, len(parts), cols)]
    if rows and len(rows[-1]) < cols:
        rows[-1] = rows[-1] + [""] * (cols - len(rows[-1]))
    return rows


def _fam_headerless_grid(rng, layout, d: Draft, letter: Letter) -> None:
    d.parts = [(m, None) for m, _ in d.parts]
    letter.line(d.maker.name, f"{d.maker.street}, {d.maker.city}")
    letter.line(f"{d.d(d.issued)}")
    letter.title(rng.choice(TITLES[d.kind]))
    if d.number:
        letter.line(f"{rng.choice(NUMBER_LABELS)}: {d.number}")
    letter.table(None, _grid(rng, [m for m, _ in d.parts], rng.randint(2, 4)), ruled=rng.random() < 0.5)
    letter.line(
        "Dear Customer,",
        rng.choice(
            [
                "The following products are being discontinued",
                "The products listed above are being discontinued",
                "The above products will be discontinued",
            ]
        )  # fmt: skip
        + f" by {d.maker.name}. "
        + _reason(rng, d),
    )
    _dates(d, rng, letter)
    _tail(d, rng, letter)


def _fam_grid_pages(rng, layout, d: Draft, letter: Letter) -> None:
    if len(d.parts) < 30:
        more = _parts(rng, d.maker.prefix + "G", 30 - len(d.parts) + rng.randint(0, 60))
        d.parts += [(m, None) for m in more if m not in dict(d.parts)]
    d.parts = [(m, None) for m, _ in d.parts]
    _head(d, rng, letter)
    letter.line(_reason(rng, d))
    _dates(d, rng, letter)
    letter.line(rng.choice(["Affected part numbers:", "The following part numbers are affected:",
                            "List of discontinued devices"]))  # fmt: skip
    cols = rng.randint(3, 6)
    rows = _grid(rng, [m for m, _ in d.parts], cols)
    per_page = rng.randint(6, 14)
    ruled = rng.random() < 0.5
    for i in range(0, len(rows), per_page):
        if i:
            letter.page()
            if rng.random() < 0.5:
                letter.line("Affected part numbers (continued)")
        letter.table(None, rows[i : i + per_page], ruled=ruled)
    _tail(d, rng, letter)


def _fam_patterns(rng, layout, d: Draft, letter: Letter) -> None:
    k = rng.randint(3, 12)
    pats, news = [], []
    for _ in range(k):
        base = f"{d.maker.prefix}{rng.randint(10, 99)}{rng.choice(['', 'A', 'B'])}"
        tail = rng.choice(["-TR", "#PBF", "/T7", "", "-Q1"])
        wild = rng.choice(["*", "*", "*", "xx"])
        pats.append(f"{base}{wild}{tail}")
        news.append(
            f"{base[:-1] if base[-1].isalpha() else base}{rng.randint(0, 9)}{wild}{tail}"
            if rng.random() < 0.8
            else ""
        )
    pats = list(dict.fromkeys(pats))
    d.parts, d.patterns = [], [p.replace("xx", "??") for p in pats]  # "x": one character (README)
    _head(d, rng, letter)
    letter.line(_reason(rng, d), "All part numbers of the series below are affected.")
    _dates(d, rng, letter)
    head = [rng.choice(["Old PN", "Affected series", "Discontinued PN"]), "New PN",
            rng.choice(["Yield", "Share of volume", "Capacity share"])]  # fmt: skip
    rows = [
        [p, news[i] or rng.choice(PLACEHOLDERS), f"{rng.choice([100, 95, 85, 60, 40])}%"]
        for i, p in enumerate(pats)
    ]
    letter.table(head, rows, ruled=rng.random() < 0.6)
    _tail(d, rng, letter)


def _fam_maker_implicit(rng, layout, d: Draft, letter: Letter) -> str:
    mode = rng.choice(["letterhead", "address", "logo", "domain"])
    # the name with or without its legal form ("Korvala Semiconductor Inc.", "Korvala Semiconductor")
    name = rng.choice([d.maker.name, " ".join(d.maker.name.split()[:2])])
    if mode == "letterhead":
        letter.line(name)
    elif mode == "logo":
        brand = d.maker.brand
        letter.line(rng.choice([brand.upper(), f"{brand}(R)", f"{brand}®", f"// {brand.upper()} //"]))
    _head(d, rng, letter, letterhead=False)
    letter.line(_reason(rng, d).replace("this notice", "this letter"))
    _dates(d, rng, letter)
    letter.table(*_part_table(d, rng, d.parts), ruled=rng.random() < 0.6)
    _tail(d, rng, letter, signature=False)
    if mode == "address":
        letter.line("", name, d.maker.street, d.maker.city)
    elif mode == "domain":
        letter.line("", f"www.{d.maker.domain}")
    if mode in ("address", "letterhead"):
        return mode
    d.maker = Maker(
        d.maker.brand, d.maker.brand, d.maker.domain, d.maker.prefix, d.maker.street, d.maker.city
    )
    return mode


DESCRIPTIONS = ["5 V LDO regulator", "8-bit microcontroller", "dual op amp", "N-channel MOSFET, 30 V",
                "serial EEPROM, 256 kbit", "3.3 V CAN transceiver", "buck converter, 2 A", "quad comparator"]  # fmt: skip
REPLACEMENT_SENTENCES = ["{r} is the recommended replacement for {m}.", "{m} will be replaced by {r}.",
                         "{r} replaces {m}.", "We suggest {r} as a replacement for {m}.", "{m} -> {r}"]  # fmt: skip
REPLACEMENT_LEADS = ["Suggested replacements:", "Recommended replacement products:", "Alternatives:"]


def _fam_prose_lists(rng, layout, d: Draft, letter: Letter) -> None:
    """Parts as a bulleted or numbered list, an item maybe followed by what it is; replacements in
    sentences written either way round, or as a list of their own that pairs with nothing."""
    d.parts = d.parts[: rng.randint(3, 12)]
    _head(d, rng, letter)
    letter.line(_reason(rng, d), "", rng.choice(["Affected products:", "The following devices are affected:",
                                                 "Products concerned:"]))  # fmt: skip
    bullet = rng.choice(["•", "-", "*", "1."])
    for i, (m, _) in enumerate(d.parts):
        what = rng.choice(
            ["", f" - {rng.choice(DESCRIPTIONS)}", f", {rng.choice(DESCRIPTIONS)}, {rng.choice(PACKAGES)}"]
        )
        letter.line(f"  {f'{i + 1}.' if bullet == '1.' else bullet} {m}{what}")
    pairs = [(m, r) for m, r in d.parts if r]
    letter.line("")
    if pairs and rng.random() < 0.4:
        letter.line(rng.choice(REPLACEMENT_LEADS))
        letter.line(*(f"  {'-' if bullet == '1.' else bullet} {r}" for _, r in pairs))
        d.parts = [(m, None) for m, _ in d.parts]  # a list of replacements says nothing of which is whose
        letter.line("")
    else:
        letter.line(*(rng.choice(REPLACEMENT_SENTENCES).format(m=m, r=r) for m, r in pairs))
    if d.kind == "discontinuance" and rng.random() < 0.5:
        letter.line(f"Last time buy orders must be placed by {d.d(d.ltb)}.",
                    f"Last shipments will be made until {d.d(d.lts)}.")  # fmt: skip
    else:
        _dates(d, rng, letter)
    _tail(d, rng, letter)


BUILD = {
    "headers": _fam_headers,
    "subset_full": _fam_subset_full,
    "placeholders": lambda rng, layout, d, letter: _fam_headers(rng, layout, d, letter, placeholders=True),
    "headerless_grid": _fam_headerless_grid,
    "grid_pages": _fam_grid_pages,
    "patterns": _fam_patterns,
    "maker_implicit": _fam_maker_implicit,
    "prose_lists": _fam_prose_lists,
}


def _cover(d: Draft, rng: random.Random, family: str) -> str:
    ref = f" {d.number}" if d.number else ""
    who = "" if family == "maker_implicit" else f"\n{d.maker.name}\n"
    return (
        f"Dear customer,\n\nplease find attached our notification{ref}.\n"
        f"Kindly acknowledge receipt within 30 days.\n{who}"
    )


def pick(seed: int) -> tuple[str, str]:
    """The family and layout ``draw(seed)`` makes, without making it."""
    rng = random.Random(seed)
    family = rng.choice(sorted(FAMILIES))
    return family, rng.choice(FAMILIES[family])


def draw(seed: int, family: str | None = None, layout: str | None = None) -> FamilySample:
    """One sample; ``family``/``layout`` force the draw (the rest still follows the seed)."""
    rng = random.Random(seed)
    picked = rng.choice(sorted(FAMILIES))
    family = family or picked
    picked = rng.choice(FAMILIES[family])
    layout = layout or picked
    d = _draft(rng, family)
    letter = Letter(when=d.issued)
    note = BUILD[family](rng, layout, d, letter) or ""
    letter.sender = _sender(d, rng, named=family != "maker_implicit")
    letter.subject = f"{rng.choice(TITLES[d.kind])}{' ' + d.number if d.number else ''}"
    letter.cover = _cover(d, rng, family)
    name, data = _render(letter, layout, rng, f"{family}_{layout}_{seed}")
    return FamilySample(name, data, [d.truth()], f"{family}/{layout} {note}".strip(), family, layout, seed)


def family_corpus(n: int = 24, seed: int = 0) -> list[FamilySample]:
    return [draw(seed * 100_003 + i) for i in range(n)]


def unread_table(seed: int, layout: str | None = None) -> FamilySample:
    """A letter whose full table has a header no reader could know; the prose names 1-2 parts."""
    rng = random.Random(seed)
    layout = layout or rng.choice(UNREAD_LAYOUTS)
    d = _draft(rng, "headers", rng.randint(8, 60))
    d.parts = [(m, None) for m, _ in d.parts]
    letter = Letter(when=d.issued)
    _head(d, rng, letter)
    named = [m for m, _ in rng.sample(d.parts, rng.randint(1, 2))]
    letter.line(f"{_reason(rng, d)} This concerns among others {' and '.join(named)}.")
    _dates(d, rng, letter)
    head = [rng.choice(UNKNOWN_HEADERS), rng.choice(UNKNOWN_SIDE)]
    letter.table(
        head, [[m, rng.choice(["A1", "B", "C3", "K"])] for m, _ in d.parts], ruled=rng.random() < 0.6
    )
    _tail(d, rng, letter)
    letter.sender = _sender(d, rng)
    letter.subject = f"{rng.choice(TITLES[d.kind])}{' ' + d.number if d.number else ''}"
    letter.cover = _cover(d, rng, "unread")
    name, data = _render(letter, layout, rng, f"unread_{layout}_{seed}")
    return FamilySample(name, data, [d.truth()], f"unread/{layout}", "unread", layout, seed)
