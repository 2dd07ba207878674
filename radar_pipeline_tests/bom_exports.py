"""One company, Cobalt Instruments, written as companies export their BOM: the five CSV files, an
indented ERP/PLM sheet (each ``Level`` spelling, xlsx, xls or csv, under a title block), and EDA board
BOMs (KiCad-, Altium- and OrCAD-style, one file per board) with a product sheet. Each must import to
the same BOM, hence the same exposure to the cent (test_bom_layouts.py).

ARM holds the CTRL board once and PWR twice; GATE holds CTRL twice and IO once; SENS is a board sold as
a product. CTRL carries two MEM daughterboards (J1, J2), so a DDR part sits three levels below ARM.
P-105 and P-106 each have a second approved source.
"""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import xlwt

from radar_pipeline.bom.designators import designators

PARTS = {  # part: (description, unit cost, approved (MPN, maker)s, the part's own first)
    "P-100": ("MCU Cortex-M3", 3.90, [("STM32F103C8T6", "STMicroelectronics")]),
    "P-101": ("Resistor 10k 0603", 0.002, [("RC0603FR-0710KL", "Yageo")]),
    "P-102": ("MLCC 100nF 0603", 0.004, [("GRM188R71C104KA01D", "Murata")]),
    "P-103": ("LDO 1.5A", 2.15, [("TPS7A4501DCQR", "Texas Instruments")]),
    "P-104": ("DDR3L 4Gb", 6.20, [("MT41K256M16TW-107:P", "Micron")]),
    "P-105": ("Adjustable regulator", 0.62, [("LM317T/NOPB", "Texas Instruments"), ("LM317TG", "onsemi")]),
    "P-106": ("Power MOSFET", 0.88, [("IRF540NPBF", "Infineon"), ("IRF540PBF", "Vishay")]),
    "P-107": ("Power inductor 10uH", 0.44, [("744771110", "Würth Elektronik")]),
    "P-108": ("5V regulator", 0.31, [("L7805CV", "STMicroelectronics")]),
    "P-109": ("RS-232 transceiver, reel", 1.95, [("MAX3232CSE+T", "Maxim Integrated")]),
    "P-110": ("N-MOSFET", 0.05, [("BSS138NH6327XTSA2", "Infineon")]),
    "P-111": ("Quad buffer", 0.09, [("74HC125D,653", "Nexperia")]),
    "P-112": ("Dual comparator", 0.21, [("LM2903DT", "STMicroelectronics")]),
    "P-113": ("RS-232 transceiver, tube", 2.10, [("MAX3232CSE", "Maxim Integrated")]),
}
BOARDS = {  # board: (description, [(part or board, designators)])
    "CTRL": (
        "Controller board",
        [("P-100", "U1"), ("P-101", "R1-R24"), ("P-102", "C1-C40"), ("P-103", "U2, U3"), ("MEM", "J1, J2")],
    ),
    "MEM": ("Memory daughterboard", [("P-104", "U1, U2"), ("P-102", "C1-C8")]),
    "PWR": ("Power board", [("P-105", "U1, U2"), ("P-106", "Q1-Q4"), ("P-107", "L1, L2"), ("P-108", "U3")]),
    "IO": (
        "I/O board",
        [("P-109", "U1, U2"), ("P-110", "Q1-Q6"), ("P-111", "U3-U6"), ("P-102", "C1, C2, C5-C6")],
    ),
    "SENS": ("Sensor pod", [("P-100", "U1"), ("P-112", "U2"), ("P-102", "C1-C6"), ("P-113", "U3")]),
}
PRODUCTS = {  # product: (name, price, end of life, owner, [(board, per unit)]); SENS is its own board
    "ARM": ("Arm controller", 4200.0, "", "arm@cobalt.example", [("CTRL", 1), ("PWR", 2)]),
    "GATE": ("Gateway", 1500.0, "2027-09-30", "", [("CTRL", 2), ("IO", 1)]),
    "SENS": ("Sensor pod", 300.0, "", "", []),
}
MONTHS = [f"2027-{m:02d}" for m in range(1, 13)]
DEMAND = {
    p: {m: base + 3 * i for i, m in enumerate(MONTHS)}
    for p, base in (("ARM", 100), ("GATE", 40), ("SENS", 300))
}
STOCK = {"P-100": 150, "P-105": 500, "P-109": 10000}
# Notices the company's exposure is compared on: number -> (type, last-time buy, MPNs)
NOTICES = {
    "N-MCU": ("discontinuance", "2027-03-31", ["STM32F103C8T6"]),  # shared by CTRL and SENS
    "N-DDR": ("discontinuance", "2027-05-15", ["MT41K256M16TW-107:P"]),  # three levels below ARM
    "N-FET": ("discontinuance", "2027-02-28", ["IRF540NPBF"]),  # IRF540PBF still sold: covered
    "N-REG": ("discontinuance", "2027-06-30", ["LM317T/NOPB"]),  # and N-REG2 ends LM317TG earlier
    "N-REG2": ("discontinuance", "2027-04-30", ["LM317TG"]),
    "N-232": ("discontinuance", "2027-04-15", ["MAX3232CSE+T"]),  # exact P-109, family P-113
    "N-5V": ("nrnd", None, ["L7805CV"]),
}


def count(refs: str) -> int:
    return len(designators(refs))


def _write_csv(path: Path, rows: list[list]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(rows)
    return path


def _write_xlsx(path: Path, sheets: dict[str, list[list]]) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def _write_xls(path: Path, sheets: dict[str, list[list]]) -> Path:
    book = xlwt.Workbook()
    for name, rows in sheets.items():
        sheet = book.add_sheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value not in ("", None):
                    sheet.write(r, c, value)
    book.save(str(path))
    return path


def write(path: Path, sheets: dict[str, list[list]]) -> Path:
    """Sheets to ``path`` as its extension says (a CSV file holds the first sheet)."""
    if path.suffix == ".csv":
        return _write_csv(path, next(iter(sheets.values())))
    return (_write_xls if path.suffix == ".xls" else _write_xlsx)(path, sheets)


# -- the five CSV files --------------------------------------------------------------------------
def five_csvs(directory: Path) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    parts = [["part_id", "mpn", "manufacturer", "description", "unit_cost"]]
    for pid, (desc, cost, mpns) in PARTS.items():
        parts += [[pid, mpn, maker, desc, cost if i == 0 else ""] for i, (mpn, maker) in enumerate(mpns)]
    _write_csv(directory / "parts.csv", parts)
    _write_csv(
        directory / "products.csv",
        [["product_id", "name", "unit_price", "end_of_life", "owner"]]
        + [[p, name, price, eol, owner] for p, (name, price, eol, owner, _) in PRODUCTS.items()],
    )
    lines = [["parent_id", "child_id", "qty_per"]]
    lines += [[p, board, qty] for p, (*_, boards) in PRODUCTS.items() for board, qty in boards]
    lines += [[board, child, count(refs)] for board, (_, rows) in BOARDS.items() for child, refs in rows]
    _write_csv(directory / "bom.csv", lines)
    _write_csv(
        directory / "demand.csv",
        [["product_id", "month", "quantity"]]
        + [[p, m, q] for p, months in DEMAND.items() for m, q in months.items()],
    )
    _write_csv(directory / "inventory.csv", [["part_id", "on_hand"]] + [[p, q] for p, q in STOCK.items()])
    return directory


# -- an indented ERP/PLM BOM ---------------------------------------------------------------------
def level_text(depth: int, spelling: str, outline: list[int]) -> str:
    if spelling == "dots":
        return "." * depth + str(depth) if depth else "0"
    if spelling == "outline":
        return ".".join(map(str, outline[: depth + 1]))
    return str(depth)


def indented(path: Path, spelling: str = "number", forecast: str = "sheet") -> Path:
    """The whole company in one indented sheet under a title block: product rows (sell price, end of
    life, owner) at the top level, boards and parts below, a sub-assembly exploded wherever it is
    used, each further approved source on its own row under its part (no level, no item number).
    ``forecast``: ``sheet`` (a Forecast sheet, a column per month) or ``columns`` (month columns on
    the product rows, for a CSV file)."""
    months = MONTHS if forecast == "columns" else []
    header = [
        "Level",
        "Item Number",
        "Description",
        "Qty Per",
        "UoM",
        "Manufacturer",
        "Manufacturer Part Number",
        "Unit Cost",
        "On Hand",
        "Sell Price",
        "EOL Date",
        "Owner",
        *months,
    ]
    rows: list[list] = [
        ["Indented Bill of Materials"],
        ["Company: Cobalt Instruments"],
        ["Report date: 2026-11-02", "", "Page 1"],
        [],
        header,
    ]
    outline = [0] * 8

    def emit(depth: int, item: str, desc: str, qty, mpns=(), cost="", stock="", product=None) -> None:
        outline[depth] += 1
        outline[depth + 1 :] = [0] * (len(outline) - depth - 1)
        level = level_text(depth, spelling, outline)
        own = mpns[0] if mpns else ("", "")
        tail = ["", "", "", *[""] * len(months)]
        if product:
            name, price, eol, owner, _ = product
            tail = [price, eol, owner, *[DEMAND[item][m] for m in months]]
        rows.append([level, item, desc, qty, "EA", own[1], own[0], cost, stock, *tail])
        for mpn, maker in mpns[1:]:  # the approved alternates, as PLM tools list them under the part
            rows.append(["", "", "", "", "", maker, mpn, "", "", *[""] * (3 + len(months))])

    def explode(board: str, depth: int) -> None:
        for child, refs in BOARDS[board][1]:
            if child in BOARDS:
                emit(depth, child, BOARDS[child][0], count(refs))
                explode(child, depth + 1)
            else:
                desc, cost, mpns = PARTS[child]
                emit(depth, child, desc, count(refs), mpns, cost, STOCK.get(child, ""))

    for product, spec in PRODUCTS.items():
        emit(0, product, spec[0], 1, product=spec)
        if product in BOARDS:
            explode(product, 1)
        for board, qty in spec[4]:
            emit(1, board, BOARDS[board][0], qty)
            explode(board, 2)
    sheets = {"BOM": rows}
    if forecast == "sheet":
        sheets["Forecast"] = [["Product", *MONTHS]] + [[p, *DEMAND[p].values()] for p in PRODUCTS]
    return write(path, sheets)


# -- EDA board BOMs and a product sheet ----------------------------------------------------------
def _board_rows(board: str, columns: list[str], extra_mpns: int = 1) -> list[list]:
    """One row per part (or daughterboard) of a board, in the columns an EDA tool names."""
    out = []
    for n, (child, refs) in enumerate(BOARDS[board][1], start=1):
        desc, cost, mpns = PARTS.get(child, (BOARDS.get(child, ("",))[0], "", []))
        cell = {
            "line": n,
            "refs": refs,
            "qty": count(refs),
            "desc": desc,
            "cost": cost,
            "ipn": child,
            "value": desc.split()[-1],
            "dnp": "",
        }
        for rank in range(extra_mpns + 1):
            mpn, maker = mpns[rank] if rank < len(mpns) else ("", "")
            cell[f"mpn{rank}"], cell[f"maker{rank}"] = mpn, maker
        out.append([cell[c] for c in columns])
    return out


def eda(directory: Path) -> Path:
    """Five board BOMs in the styles of three EDA tools, and a product workbook (products with the
    boards they hold, a forecast, stock by MPN)."""
    directory.mkdir(parents=True, exist_ok=True)
    # KiCad-style CSV: Reference/Qty/DNP, an IPN field, one DNP row; J1, J2 place two MEM boards
    kicad = [["Reference", "Value", "Qty", "DNP", "Manufacturer", "MPN", "IPN", "Cost"]]
    kicad += _board_rows("CTRL", ["refs", "value", "qty", "dnp", "maker0", "mpn0", "ipn", "cost"])
    kicad.append(["R99", "0R", 1, "DNP", "Yageo", "RC0603JR-070RL", "P-999", 0.001])
    write(directory / "ctrl.csv", {"CTRL": kicad})
    # Altium-style workbook under a title block, a second source in numbered columns
    altium = [
        ["Bill of Materials"],
        ["Project:", "PWR"],
        ["Variant:", "[No Variations]"],
        [],
        [
            "Line #",
            "Designator",
            "Comment",
            "Description",
            "Quantity",
            "Manufacturer 1",
            "Manufacturer Part Number 1",
            "Manufacturer 2",
            "Manufacturer Part Number 2",
            "Internal PN",
            "Unit Price",
        ],
    ]
    altium += _board_rows(
        "PWR", ["line", "refs", "value", "desc", "qty", "maker0", "mpn0", "maker1", "mpn1", "ipn", "cost"]
    )
    write(directory / "power-board.xlsx", {"BOM": altium})
    # OrCAD-style CSV: "Item" is a running line number, "Part Number" the company's (an MPN column exists)
    orcad = [["Item", "Quantity", "Reference", "Part", "Mfr", "Mfr Part #", "Part Number", "Unit Cost"]]
    orcad += _board_rows("IO", ["line", "qty", "refs", "value", "maker0", "mpn0", "ipn", "cost"])
    write(directory / "IO.csv", {"IO": orcad})
    # a minimal one whose quantities are counted from the designators
    mem = [["Designator", "Manufacturer", "Manufacturer Part Number", "IPN", "Price"]]
    mem += _board_rows("MEM", ["refs", "maker0", "mpn0", "ipn", "cost"])
    write(directory / "MEM.csv", {"MEM": mem})
    # a legacy .xls board
    sens = [["Ref Des", "Qty", "Mfr", "MPN", "Company PN", "Std Cost"]]
    sens += _board_rows("SENS", ["refs", "qty", "maker0", "mpn0", "ipn", "cost"])
    write(directory / "SENS.xls", {"SENS": sens})
    products = [["Product", "Name", "Sell Price", "EOL Date", "Owner", "Board", "Boards per unit"]]
    for product, (name, price, eol, owner, boards) in PRODUCTS.items():
        for board, qty in boards or [("", "")]:
            products.append([product, name, price, eol, owner, board, qty])
    forecast = [["Product", "Month", "Forecast"]] + [
        [p, m, q] for p, months in DEMAND.items() for m, q in months.items()
    ]
    stock = [["Manufacturer Part Number", "Qty On Hand"]] + [[PARTS[p][2][0][0], q] for p, q in STOCK.items()]
    write(directory / "products.xlsx", {"Products": products, "Forecast": forecast, "Stock": stock})
    return directory
