"""The kinds of sheet a BOM export holds, each read into ``Collected`` facts, row by row.

- *indented*: a ``Level`` column (ERP/PLM multi-level BOM, one sheet, tops first);
- *board*: a flat BOM of one board or assembly (EDA: designators, quantity, MPN), the file's;
- *structure*: parent, child, quantity lines (``bom.csv``);
- *products*: products with price, end of life, owner, the boards they hold, forecast months;
- *demand*: product, month, quantity (or a column per month);
- *inventory*: part or MPN, on hand;
- *parts*: parts with their MPNs and costs (an approved manufacturer list).

The kind is decided by which fields the header names (``classify``); what is missing from a
sheet that is none of them is said in words (``missing``).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from radar_pipeline.bom.collect import Collected, Where
from radar_pipeline.bom.designators import designators
from radar_pipeline.bom.headers import Column, Header, month_of
from radar_pipeline.bom.levels import SPELLINGS, Level, is_outline, parse_level
from radar_pipeline.bom.sheets import Sheet, iso_date, number
from radar_pipeline.extraction.columns import compact

# Title-block keys naming the unit a sheet describes ("Board: CTRL-7", "Top Assembly: ARM-100")
UNIT_KEYS = re.compile(
    r"^(board|pcba|pcb|assembly|topassembly|toplevel|parent(item|part)?|product|item|material|project|bomof|"
    r"billofmaterialsfor)"
    r"(id|number|no|name|#)?$"
)
NOT_FITTED = {
    "dnp",
    "dni",
    "dnf",
    "nf",
    "notfitted",
    "nofit",
    "nopop",
    "notplaced",
    "donotplace",
    "donotpopulate",
}
YES = {"x", "yes", "y", "true", "1", "*"}
NO = {"no", "n", "false", "0", "-"}


def _line_numbers(values: list[str]) -> bool:
    """Whether a column counts rows (1, 2, 3…) rather than naming parts."""
    if not all(v.isdigit() for v in values):
        return False
    numbers = [int(v) for v in values]
    return numbers == list(range(numbers[0], numbers[0] + len(numbers))) if numbers else True


def resolve(header: Header, sheet: Sheet) -> list[Column]:
    """The ambiguous words settled: "Part Number" is the MPN unless an MPN column exists (then it is
    the item number); a bare "Item" column is a line number when its values count 1, 2, 3…"""
    has_mpn = any(c.field == "mpn" for c in header.columns)
    has_item = any(c.field == "item" for c in header.columns)
    out = []
    for c in header.columns:
        if c.field == "part_number":
            if has_mpn and has_item and c.rank == 1:
                continue  # both an item and an MPN column name it already: left unused
            as_item = has_mpn and c.rank == 1
            why = "an MPN column exists, so the item number" if as_item else "the MPN"
            c = Column(c.index, c.header, "item" if as_item else "mpn", c.rank, f"Part Number: {why}")
        elif c.field == "supplier_pn":
            if has_mpn:
                continue  # a distributor's order code beside the manufacturer's part number
            c = Column(c.index, c.header, "mpn", c.rank, f"{c.header}: no manufacturer's part number column")
        elif c.field == "item_or_line":
            values = [sheet.cell(r, c.index) for r in sheet.rows[header.line :] if sheet.cell(r, c.index)]
            if has_item or _line_numbers(values):
                continue  # a running line number, not a part
            c = Column(c.index, c.header, "item", 1, "Item: its values are no running line number")
        out.append(c)
    return _one_each(out, header, sheet)


def _one_each(columns: list[Column], header: Header, sheet: Sheet) -> list[Column]:
    """One column per field and rank, the first; but an item column of numbers only (a position, as SAP's
    0010, 0020) yields to one that is not. The others are shown as not used."""

    def numbers_only(c: Column) -> bool:
        return all(
            sheet.cell(r, c.index).isdigit() for r in sheet.rows[header.line :] if sheet.cell(r, c.index)
        )

    kept: dict[tuple[str, int], Column] = {}
    for c in sorted(columns, key=lambda c: c.field == "item" and numbers_only(c)):
        if (c.field, c.rank) in kept:
            header.unused.append(
                f"{c.header} (a second {c.field} column; {kept[(c.field, c.rank)].header} is read)"
            )
        else:
            kept[(c.field, c.rank)] = c
    return sorted(kept.values(), key=lambda c: c.index)


@dataclass
class Fields:
    """A sheet's columns by field, and the cells of a row by field."""

    sheet: Sheet
    header: Header
    columns: list[Column]

    def index(self, name: str, rank: int = 1) -> int | None:
        return next((c.index for c in self.columns if c.field == name and c.rank == rank), None)

    def has(self, name: str) -> bool:
        return self.index(name) is not None

    def get(self, row: list[str], name: str, rank: int = 1) -> str:
        return self.sheet.cell(row, self.index(name, rank))

    def header_of(self, name: str) -> str:
        return next((c.header for c in self.columns if c.field == name), name)

    def mpns(self, row: list[str]) -> list[tuple[str, str]]:
        """``(mpn, manufacturer)`` of a row, its own first, then its further approved sources by rank."""
        ranks = sorted({c.rank for c in self.columns if c.field == "mpn"})
        return [(m, self.get(row, "manufacturer", r)) for r in ranks if (m := self.get(row, "mpn", r))]

    def rows(self):
        """``(line, row)`` of every non-blank row under the header."""
        for i, row in enumerate(self.sheet.rows[self.header.line :], start=self.header.line + 1):
            if any(cell.strip() for cell in row):
                yield i, row

    def rows_giving(self, name: str, c: Collected):
        """``(where, row, value)`` of the rows that give a ``name``; the others are left out, with why."""
        for line, row in self.rows():
            value = self.get(row, name)
            if value:
                yield (self.sheet.name, line), row, value
            else:
                c.left_out.append(f"{self.sheet.name}:{line}: no {self.header_of(name)}")

    def number(self, row: list[str], name: str, where: Where, c: Collected) -> float | None:
        text = self.get(row, name)
        if not text:
            return None
        value = number(text)
        if value is None:
            c.problem(where, f"{self.header_of(name)} {text!r} is not a number")
        return value


PRODUCT_FIELDS = {"price", "product_price", "name", "end_of_life", "owner", "board", "description"}
PART_FIELDS = {"unit_cost", "price", "manufacturer", "description"}


def classify(fields: set[str], months: bool) -> str | None:
    """The kind of a sheet whose header names ``fields`` (and forecast month columns when ``months``)."""
    placed = fields & {"item", "mpn"} and fields & {"qty", "designator"}  # a part and how many
    if "level" in fields:
        return "indented" if placed else None
    if {"parent", "item"} <= fields:
        return "structure"
    if "designator" in fields:
        return "board" if placed else None
    if "product" in fields:
        forecast_only = months and not fields & PRODUCT_FIELDS
        return "demand" if ("month" in fields and fields & {"qty", "demand"}) or forecast_only else "products"
    if placed:
        return "board"  # a flat BOM of one assembly
    if fields & {"item", "mpn"} and "on_hand" in fields and not fields & PART_FIELDS:
        return "inventory"
    return "parts" if "mpn" in fields else None


def missing(fields: set[str], months: bool) -> str:
    """What a sheet that fits no kind lacks, in words."""
    if not fields:
        return (
            "no header row names what a BOM needs: a part column (MPN, Manufacturer Part Number, Item "
            "Number, Part Number…) and a quantity (Qty, Quantity, Qty Per…) or designators (Designator, "
            "Reference…); a product sheet needs a Product column"
        )
    found = ", ".join(sorted(fields | ({"month columns"} if months else set())))
    if fields & {"qty", "designator"}:
        return (
            f"it names {found} but no part column (MPN, Manufacturer Part Number, Item Number, Part Number…)"
        )
    return (
        f"it names {found} but no quantity (Qty, Quantity, Qty Per…) or designators (Designator, Reference…)"
    )


def _stock_and_cost(f: Fields, row: list[str], part_id: str, where: Where, c: Collected) -> None:
    """A row's cost (its cost column, else its price column) and stock for its part."""
    cost_field = "unit_cost" if f.has("unit_cost") else "price"
    cost = f.number(row, cost_field, where, c)
    if cost is not None:
        c.part_cost(part_id, cost, where)
    on_hand = f.number(row, "on_hand", where, c)
    if on_hand is not None:
        c.stock.append(("part", part_id, on_hand, where))


def _quantity(f: Fields, row: list[str], child: str, where: Where, c: Collected) -> float | None:
    """The row's quantity: its Quantity cell, or its designators counted (a disagreement is a warning);
    ``None``, with why, when there is none or it is zero (not fitted: left out)."""
    qty = f.number(row, "qty", where, c)
    refs = designators(f.get(row, "designator")) if f.has("designator") else []
    if qty is not None and refs and qty != len(refs):
        c.warn(
            where,
            f"{f.header_of('qty')} {qty:g} but {len(refs)} designators ({f.get(row, 'designator')}); "
            f"{f.header_of('qty')} is used",
        )
    qty = qty if qty is not None else (float(len(refs)) if refs else None)
    if qty is None and not f.get(row, "qty"):  # a cell that is no number was said so already
        nor = " and no designators" if f.has("designator") else ""
        c.problem(where, f"{child!r} has no quantity ({f.header_of('qty')}){nor}")
    elif qty == 0:
        c.left_out.append(f"{where[0]}:{where[1]}: {child!r} quantity 0 (not fitted, or a phantom)")
        return None
    return qty


def _not_fitted(f: Fields, row: list[str]) -> bool:
    dnp = compact(f.get(row, "dnp"))
    fitted = compact(f.get(row, "fitted"))
    return (f.has("dnp") and (dnp in YES or dnp in NOT_FITTED)) or (
        f.has("fitted") and (fitted in NO or fitted in NOT_FITTED)
    )


def unit_from_title(header: Header) -> str | None:
    for key, value in header.title.items():
        if UNIT_KEYS.match(key):
            return value.strip().strip("[]").rsplit(".", 1)[0] if key == "project" else value.strip()
    return None


def read_board(f: Fields, c: Collected) -> dict:
    """A flat BOM of one board (or assembly): the title block's board name, else the file's name."""
    board = unit_from_title(f.header) or f.sheet.stem
    c.unit(board, (f.sheet.name, f.header.line), "board")
    seen: dict[str, int] = {}
    for line, row in f.rows():
        where = (f.sheet.name, line)
        refs = f.get(row, "designator")
        if _not_fitted(f, row):
            c.left_out.append(f"{where[0]}:{line}: {refs or 'row'} not fitted (DNP)")
            continue
        mpns, item = f.mpns(row), f.get(row, "item")
        child = item or c.part_id_of(mpns)
        if not child:
            c.left_out.append(f"{where[0]}:{line}: {refs + ': ' if refs else ''}no MPN and no item number")
            continue
        qty = _quantity(f, row, child, where, c)
        if qty is None:
            continue
        for ref in designators(refs):
            if ref in seen:
                c.warn(where, f"designator {ref} is also on line {seen[ref]}")
            seen.setdefault(ref, line)
        if mpns:
            c.part(child, mpns, f.get(row, "description"), where)
            _stock_and_cost(f, row, child, where, c)
        c.lines.append((board, child, qty, where, not mpns))
    return {"board": board}


@dataclass
class _Node:
    id: str
    where: Where
    level: Level
    row: list[str]


def read_indented(f: Fields, c: Collected) -> dict:
    """A multi-level BOM: each row's parent is the nearest row one level up (or its outline prefix).

    A sub-assembly exploded again where it is used again must list the same contents; a row with no
    level, no item number and an MPN is a further approved source of the part above it.
    """
    level_col = f.index("level")
    cells = [f.sheet.cell(row, level_col) for _, row in f.rows()]
    outline = is_outline(cells)
    nodes: list[tuple[_Node, _Node | None]] = []  # each placed row with its parent's (None: a top row)
    stack: list[_Node] = []
    by_outline: dict[str, _Node] = {}
    levels = [lv for t in cells if (lv := parse_level(t, outline))]
    top = min((lv.depth for lv in levels), default=0)
    root = unit_from_title(f.header) if top >= 1 else None
    if root:
        c.unit(root, (f.sheet.name, f.header.line), "top-level item")
        stack.append(_Node(root, (f.sheet.name, f.header.line), Level(top - 1, "number"), []))
    extra: dict[int, list[tuple[str, str]]] = {}  # node index -> further sources from rows below it
    for line, row in f.rows():
        where = (f.sheet.name, line)
        text, item, mpns = f.get(row, "level"), f.get(row, "item"), f.mpns(row)
        if not text:
            if mpns and nodes and (not item or item == nodes[-1][0].id):
                extra.setdefault(len(nodes) - 1, []).extend(mpns)
            elif item or mpns:
                c.problem(where, f"{item or mpns[0][0]!r} has no {f.header_of('level')}: it cannot be placed")
            else:
                c.left_out.append(f"{where[0]}:{line}: no level and no part (a note or a total)")
            continue
        level = parse_level(text, outline)
        if level is None:
            c.problem(where, f"{f.header_of('level')} {text!r} is no level (0, 1, .1, ..2, 1.2.3)")
            continue
        node = _Node(item or c.part_id_of(mpns), where, level, row)
        if not node.id:
            c.problem(where, "no item number and no MPN: the row cannot be placed")
            continue
        if outline:
            parent = by_outline.get(level.parent_outline or "") or (
                stack[0] if root and level.depth == top else None
            )
            by_outline[level.outline or ""] = node
        else:
            while stack and stack[-1].level.depth >= level.depth:
                stack.pop()
            parent = stack[-1] if stack else None
            stack.append(node)
        if parent is None and level.depth != top:
            c.problem(
                where, f"{node.id!r} at level {text} has no row one level up above it: it cannot be placed"
            )
            continue
        if parent is not None and parent.level.depth != level.depth - 1:
            c.problem(
                where,
                f"{node.id!r} at level {text} is under {parent.id!r} at {parent.where[1]}, "
                f"{level.depth - parent.level.depth} levels up: a level is missing between them",
            )
            continue
        nodes.append((node, None if parent is None else parent))
    return _tree(f, c, nodes, extra, outline, root)


def _tree(f: Fields, c: Collected, nodes: list, extra: dict, outline: bool, root: str | None) -> dict:
    """Units, parts and BOM lines of the placed rows."""
    contents: dict[tuple[str, int], dict[str, list]] = {}  # (parent, its row's line) -> child -> [qty, where]
    parents = {parent.id for _, parent in nodes if parent is not None}
    tops = []
    for i, (node, parent) in enumerate(nodes):
        row, where = node.row, node.where
        if parent is None:
            tops.append(node.id)
            c.unit(node.id, where, "top-level item")
            _product_of_row(f, row, node.id, where, c)
            continue
        qty = _quantity(f, row, node.id, where, c)
        if qty is None:
            continue
        kids = contents.setdefault((parent.id, parent.where[1]), {})
        kids.setdefault(node.id, [0.0, where])[0] += qty
        mpns = f.mpns(row) + extra.get(i, [])
        if node.id in parents:
            if mpns:
                c.warn(
                    where,
                    f"{node.id!r} has rows under it, so it is an assembly; its MPN {mpns[0][0]} is not matched",
                )
        elif mpns:
            c.part(node.id, mpns, f.get(row, "description"), where)
            _stock_and_cost(f, row, node.id, where, c)
    first: dict[str, tuple[dict, int]] = {}
    for (parent, line), kids in contents.items():
        shape = {child: qty for child, (qty, _) in kids.items()}
        if parent in first:
            if first[parent][0] != shape:
                c.problem(
                    (f.sheet.name, line),
                    f"assembly {parent!r} lists other contents here than at line {first[parent][1]}",
                )
            continue  # the same sub-assembly exploded again where it is used again
        first[parent] = (shape, line)
        for child, (qty, where) in kids.items():
            c.lines.append((parent, child, qty, where, child not in c.parts))
    depths = Counter(node.level.depth for node, _ in nodes)
    dotted = any(node.level.spelling == "dots" for node, _ in nodes)
    spelling = "outline" if outline else "dots" if dotted else "number"
    facts = {
        "levels": SPELLINGS[spelling]
        + ": "
        + ", ".join(f"level {d}: {n} rows" for d, n in sorted(depths.items())),
        "tops": ([root] if root else []) + tops,
    }
    if f.has("uom"):
        units = Counter(f.get(node.row, "uom") or "(none)" for node, parent in nodes if parent is not None)
        facts["units of measure"] = ", ".join(f"{u} ({n})" for u, n in units.most_common())
    return facts


def _product_of_row(f: Fields, row: list[str], product: str, where: Where, c: Collected) -> None:
    """A top row's product facts: a sell price, end of life, owner, forecast months (a product sheet
    may give them instead)."""
    c.names.setdefault(product, f.get(row, "description"))
    price = f.number(row, "product_price", where, c)
    if price is not None:
        c.product(product, _product_values(f, row, where, c) | {"unit_price": price}, where)
    _months(f, row, product, where, c)


def _product_values(f: Fields, row: list[str], where: Where, c: Collected) -> dict:
    eol = f.get(row, "end_of_life")
    day = iso_date(eol) if eol else ""
    if day is None:
        c.problem(where, f"{f.header_of('end_of_life')} {eol!r} is not a date (YYYY-MM-DD)")
    return {"end_of_life": day or "", "owner": f.get(row, "owner")}


def _months(f: Fields, row: list[str], product: str, where: Where, c: Collected) -> None:
    for col, month in f.header.months.items():
        text = f.sheet.cell(row, col)
        if not text:
            continue
        qty = number(text)
        if qty is None:
            c.problem(where, f"forecast {month} {text!r} is not a number")
        else:
            c.demand.append((product, month, qty, where))


def read_products(f: Fields, c: Collected) -> dict:
    """Products: price, end of life, owner; the boards (assemblies) each holds and how many; forecast."""
    price_field = "product_price" if f.has("product_price") else "price"
    for where, row, product in f.rows_giving("product", c):
        price = f.number(row, price_field, where, c)
        values = _product_values(f, row, where, c) | {"name": f.get(row, "name") or f.get(row, "description")}
        c.product(product, values | ({"unit_price": price} if price is not None else {}), where)
        board = f.get(row, "board")
        if board:
            qty = f.number(row, "qty", where, c)
            c.placements.append((product, board, 1.0 if qty is None else qty, where))
        _months(f, row, product, where, c)
    return {}


def read_demand(f: Fields, c: Collected) -> dict:
    """A forecast: product, month, quantity rows, or a product per row and a column per month."""
    qty_field = "demand" if f.has("demand") else "qty"
    for where, row, product in f.rows_giving("product", c):
        if f.has("month"):
            text = f.get(row, "month")
            month = month_of(text)
            qty = f.number(row, qty_field, where, c)
            if month is None:
                c.problem(where, f"{f.header_of('month')} {text!r} is not a month (YYYY-MM)")
            elif qty is not None:
                c.demand.append((product, month, qty, where))
        _months(f, row, product, where, c)
    return {}


def read_inventory(f: Fields, c: Collected) -> dict:
    """On-hand quantities by item number, or by MPN."""
    for line, row in f.rows():
        where = (f.sheet.name, line)
        item, mpns = f.get(row, "item"), f.mpns(row)
        qty = f.number(row, "on_hand", where, c)
        if qty is None or not (item or mpns):
            c.left_out.append(f"{where[0]}:{line}: no part or no on-hand quantity")
            continue
        c.stock.append(("part", item, qty, where) if item else ("mpn", mpns[0][0], qty, where))
    return {}


def read_parts(f: Fields, c: Collected) -> dict:
    """Parts with their approved MPNs (a row each, or further MPN columns) and costs."""
    for line, row in f.rows():
        where = (f.sheet.name, line)
        mpns = f.mpns(row)
        if not mpns:
            c.left_out.append(f"{where[0]}:{line}: no MPN")
            continue
        part = f.get(row, "item") or c.part_id_of(mpns)
        c.part(part, mpns, f.get(row, "description"), where)
        _stock_and_cost(f, row, part, where, c)
    return {}


def read_structure(f: Fields, c: Collected) -> dict:
    """Parent, child, quantity lines."""
    for line, row in f.rows():
        where = (f.sheet.name, line)
        parent, child = f.get(row, "parent"), f.get(row, "item")
        qty = f.number(row, "qty", where, c)
        if not (parent and child) or qty is None:
            c.problem(where, "a BOM line needs a parent, a child and a quantity")
            continue
        c.lines.append((parent, child, qty, where, False))
    return {}


READERS = {
    "indented": read_indented,
    "board": read_board,
    "structure": read_structure,
    "products": read_products,
    "demand": read_demand,
    "inventory": read_inventory,
    "parts": read_parts,
}
# Parts sheets first (their item numbers name the parts boards give only by MPN), inventory by MPN last
ORDER = ["parts", "indented", "board", "structure", "products", "demand", "inventory"]
