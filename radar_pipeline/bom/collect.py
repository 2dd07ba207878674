"""What the sheets of a BOM export say, gathered row by row with where each fact was read, and turned
into the five tables (``parts``, ``products``, ``bom``, ``demand``, ``inventory``) the importer validates.

A part is named by its item number, or, when the export gives none, by the part already known under
one of its MPNs, else by its first MPN. The same part met on several rows (several boards, several
places in a tree) is one part: its approved MPNs are the union in the order met, its cost the first
one given (a different one later is a warning). A unit (an EDA board, the top of an indented tree) is a
product when a product sheet or its own row gives it a price, or an assembly when a product sheet
places it under a product; anything else is a problem, as is every row that cannot be placed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from radar_pipeline.bom.data import COLUMNS
from radar_pipeline.bom.importer import Problem
from radar_pipeline.bom.mpn import normalize_mpn

Where = tuple[str, int]  # (sheet name, line)


@dataclass
class Unit:
    """A board or the top of an indented tree: a product or an assembly, decided when all is read."""

    id: str
    where: Where
    kind: str  # "board" | "top-level item"


@dataclass
class Collected:
    """Facts as read. ``lines`` are (parent, child, qty per, where, loose): a loose line's row gave no
    MPN, so it stays only if its child is a unit or an assembly (a board placed on a board), else the
    row is left out (no notice can name a part without an MPN)."""

    parts: dict[str, list[tuple[str, str, str, Where]]] = field(default_factory=dict)  # (mpn, maker, desc)
    owner_of_mpn: dict[str, str] = field(default_factory=dict)  # exact key -> part id
    cost: dict[str, tuple[float, Where]] = field(default_factory=dict)
    lines: list[tuple[str, str, float, Where, bool]] = field(default_factory=list)
    units: dict[str, Unit] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)  # a top row's description: its product's name
    products: dict[str, dict] = field(
        default_factory=dict
    )  # id -> name, unit_price, end_of_life, owner, where
    placements: list[tuple[str, str, float, Where]] = field(default_factory=list)  # product, unit, qty
    demand: list[tuple[str, str, float, Where]] = field(default_factory=list)
    stock: list[tuple[str, str, float, Where]] = field(default_factory=list)  # "part"|"mpn", key, on hand
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)  # rows read and deliberately not loaded, with why

    def problem(self, where: Where, message: str) -> None:
        self.problems.append(Problem(where[0], where[1], message))

    def warn(self, where: Where, message: str) -> None:
        self.warnings.append(f"{where[0]}:{where[1]}: {message}")

    def part_id_of(self, mpns: list[tuple[str, str]]) -> str:
        """The part a row without an item number means: the one an MPN of it already names, else its MPN."""
        for mpn, _ in mpns:
            if normalize_mpn(mpn) in self.owner_of_mpn:
                return self.owner_of_mpn[normalize_mpn(mpn)]
        return mpns[0][0] if mpns else ""

    def part(self, part_id: str, mpns: list[tuple[str, str]], description: str, where: Where) -> None:
        """A part and the approved MPNs a row gives it (``(mpn, manufacturer)``, its own first); a maker or
        description a row gives where an earlier one gave none fills it in."""
        known = self.parts.setdefault(part_id, [])
        index = {normalize_mpn(m): i for i, (m, *_) in enumerate(known)}
        for mpn, maker in mpns:
            key = normalize_mpn(mpn)
            if key not in index:
                index[key] = len(known)
                known.append((mpn, maker, description, where))
                self.owner_of_mpn.setdefault(key, part_id)
            else:
                was = known[index[key]]
                known[index[key]] = (was[0], was[1] or maker, was[2] or description, was[3])

    def part_cost(self, part_id: str, value: float, where: Where) -> None:
        first = self.cost.setdefault(part_id, (value, where))
        if first[0] != value:
            self.warn(
                where,
                f"unit cost {value:g} of part {part_id!r} differs from {first[0]:g} "
                f"({first[1][0]}:{first[1][1]}); the first is used",
            )

    def unit(self, unit_id: str, where: Where, kind: str) -> None:
        first = self.units.setdefault(unit_id, Unit(unit_id, where, kind))
        if first.where[0] != where[0]:
            self.problem(
                where, f"{kind} {unit_id!r} is read twice: also at {first.where[0]}:{first.where[1]}"
            )

    def product(self, product_id: str, values: dict, where: Where) -> None:
        """A product's attributes; the same product on several rows must agree."""
        known = self.products.setdefault(product_id, {"where": where})
        for key, value in values.items():
            if value in (None, ""):
                continue
            if known.get(key) not in (None, "") and known[key] != value:
                at = known["where"]
                self.problem(
                    where,
                    f"product {product_id!r}: {key} {value!r} differs from {known[key]!r} ({at[0]}:{at[1]})",
                )
            else:
                known[key] = value


def _text(value: float) -> str:
    return f"{value:.15g}"


def _frame(name: str, rows: list[dict]) -> pd.DataFrame:
    cols = [*COLUMNS[name], "_file", "_line"]
    return pd.DataFrame(rows, columns=cols).astype({"_line": int})


def _spell_units_as_named(c: Collected) -> None:
    """A board named by its file ("ctrl.csv") is the board a product sheet calls "CTRL": the unit takes
    the spelling the product sheet (or another board's row) gives it, whatever the case."""
    named = {x.casefold(): x for x in [*c.products, *(u for _, u, _, _ in c.placements)]}
    named |= {child.casefold(): child for _, child, *_ in c.lines if child.casefold() not in named}
    spelled = {u: named[u.casefold()] for u in c.units if named.get(u.casefold(), u) != u}
    for old, new in list(spelled.items()):
        if new in c.units:  # "ctrl.csv" and "CTRL.xlsx": two boards of one name
            other = c.units[new].where
            c.problem(
                c.units[old].where,
                f"{c.units[old].kind} {old!r} is also read as {new!r} at {other[0]}:{other[1]}",
            )
            del spelled[old]
    if not spelled:
        return
    c.units = {spelled.get(u, u): unit for u, unit in c.units.items()}
    for unit in c.units.values():
        unit.id = spelled.get(unit.id, unit.id)
    c.lines = [(spelled.get(p, p), spelled.get(ch, ch), q, w, loose) for p, ch, q, w, loose in c.lines]


def place_units(c: Collected) -> dict[str, str]:
    """Each unit is a product or placed under one (a product sheet's Board column, or a row of another
    board), else a problem. Returns unit -> "product" | "assembly"."""
    _spell_units_as_named(c)
    placed = {unit for _, unit, _, _ in c.placements} | {child for _, child, *_ in c.lines}
    out = {}
    for unit in c.units.values():
        if unit.id in c.products:
            out[unit.id] = "product"
        elif unit.id in placed:
            out[unit.id] = "assembly"
        else:
            c.problem(
                unit.where,
                f"{unit.kind} {unit.id!r} is in no product: give it a price (a Sell Price column, or a product "
                "sheet's Product and Price columns), or place it under a product (a product sheet's Board column)",
            )
    return out


def _part_rows(c: Collected) -> list[dict]:
    rows = []
    for pid, mpns in c.parts.items():
        if pid in c.units:  # a board placed on another board's row is an assembly, not a part
            continue
        cost = c.cost.get(pid)
        if cost is None:
            c.problem(
                mpns[0][3],
                f"part {pid!r} has no unit cost: add a cost column (Unit Cost, Cost, Unit Price…) to its rows "
                "or a parts sheet (Part Number, MPN, Unit Cost)",
            )
        for i, (mpn, maker, desc, where) in enumerate(mpns):
            cell = _text(cost[0]) if cost and i == 0 else ""
            rows.append(
                {"part_id": pid, "mpn": mpn, "manufacturer": maker, "description": desc, "unit_cost": cell}
                | {"_file": where[0], "_line": where[1]}
            )
    return rows


def _product_rows(c: Collected) -> list[dict]:
    rows = []
    for pid, v in c.products.items():
        if v.get("unit_price") is None:
            c.problem(
                v["where"], f"product {pid!r} has no unit price: add a price column to the product sheet"
            )
        rows.append(
            {
                "product_id": pid,
                "name": v.get("name") or c.names.get(pid, ""),
                "unit_price": "" if v.get("unit_price") is None else _text(v["unit_price"]),
                "end_of_life": v.get("end_of_life", ""),
                "owner": v.get("owner", ""),
                "_file": v["where"][0],
                "_line": v["where"][1],
            }
        )
    return rows


def _bom_rows(c: Collected) -> list[dict]:
    """BOM lines; the same child twice under one parent (two rows of a board) is summed. A loose line
    whose child is neither a part nor a unit nor an assembly is left out, with why."""
    parents = {parent for parent, *_ in c.lines}
    summed: dict[tuple[str, str], list] = {}
    for parent, child, qty, where, loose in [*c.lines, *((*p, False) for p in c.placements)]:
        if loose and child not in c.parts and child not in c.units and child not in parents:
            c.left_out.append(f"{where[0]}:{where[1]}: {child!r} has no MPN (no notice can name it)")
            continue
        summed.setdefault((parent, child), [0.0, where])[0] += qty
    return [
        {"parent_id": p, "child_id": ch, "qty_per": _text(q), "_file": w[0], "_line": w[1]}
        for (p, ch), (q, w) in summed.items()
    ]


def _demand_rows(c: Collected) -> list[dict]:
    seen: dict[tuple[str, str], Where] = {}
    rows = []
    for product, month, qty, where in c.demand:
        first = seen.setdefault((product, month), where)
        if first != where:
            c.problem(where, f"demand for {product!r} in {month} is given twice (also {first[0]}:{first[1]})")
            continue
        rows.append(
            {
                "product_id": product,
                "month": month,
                "quantity": _text(qty),
                "_file": where[0],
                "_line": where[1],
            }
        )
    return rows


def _stock_rows(c: Collected) -> list[dict]:
    """On-hand quantities by part, those given by MPN found through the parts' approved MPNs. The same
    part's stock met on several rows (a stock column on every board row) must agree."""
    found: dict[str, tuple[float, Where]] = {}
    for kind, key, qty, where in c.stock:
        pid = key if kind == "part" else c.owner_of_mpn.get(normalize_mpn(key))
        if pid is None or pid not in c.parts:
            c.problem(
                where,
                f"on-hand quantity for {key!r}, which is no {'part' if kind == 'part' else 'MPN of a part'}",
            )
            continue
        first = found.setdefault(pid, (qty, where))
        if first[0] != qty:
            c.problem(
                where,
                f"part {pid!r} has {qty:g} on hand here but {first[0]:g} at {first[1][0]}:{first[1][1]}",
            )
    return [
        {"part_id": pid, "on_hand": _text(q), "_file": w[0], "_line": w[1]} for pid, (q, w) in found.items()
    ]


def to_tables(c: Collected) -> dict[str, pd.DataFrame]:
    """The five tables as text, each row with the ``_file`` and ``_line`` it was read from."""
    return {
        "parts": _frame("parts", _part_rows(c)),
        "products": _frame("products", _product_rows(c)),
        "bom": _frame("bom", _bom_rows(c)),
        "demand": _frame("demand", _demand_rows(c)),
        "inventory": _frame("inventory", _stock_rows(c)),
    }
