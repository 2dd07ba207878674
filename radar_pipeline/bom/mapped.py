"""``radar bom import FILE...``: BOM exports as companies have them, read by the meaning of their columns.

The five CSV files (or a workbook of those five sheets) load as they always have (``importer.read_bom``).
Anything else — an indented ERP/PLM sheet, EDA board BOMs with a product sheet, parts, forecast and
stock sheets, in xlsx, xls or csv, in any mix — is read sheet by sheet: its header row found under any
title block, its columns named by their words (``headers.py``, ``--map`` overrides), its kind decided by
what they name (``layouts.py``), its rows gathered (``collect.py``) into the same five tables, which are
then validated as the CSV files are. Nothing loads unless everything does; ``summary`` says in words what
was understood (``--dry-run`` prints it).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from radar_pipeline.bom.collect import Collected, place_units, to_tables
from radar_pipeline.bom.data import BomData
from radar_pipeline.bom.headers import Column, Header, Overrides, find_header
from radar_pipeline.bom.importer import BomImportError, Problem, ReadResult, read_bom, validate
from radar_pipeline.bom.layouts import ORDER, READERS, Fields, classify, missing, resolve
from radar_pipeline.bom.sheets import SUFFIXES, Sheet, read_sheets
from radar_pipeline.documents.spreadsheet_reader import SpreadsheetError
from radar_pipeline.extraction.columns import compact

KINDS = {
    "indented": "indented BOM",
    "board": "board BOM",
    "structure": "BOM lines (parent, child, quantity)",
    "products": "products",
    "demand": "forecast",
    "inventory": "stock on hand",
    "parts": "parts (approved MPNs, costs)",
}
SHOWN = 12  # names listed in the summary before "…"
LEFT_OUT_SHOWN = 200


@dataclass
class Reading:
    """How one sheet was understood: its kind (``None``: not a BOM sheet, ``why``), header, columns."""

    sheet: Sheet
    header: Header | None
    columns: list[Column] = field(default_factory=list)
    kind: str | None = None
    why: str = ""
    facts: dict = field(default_factory=dict)


def understand(sheet: Sheet, overrides: Overrides) -> Reading:
    header = find_header(sheet.rows, overrides)
    if header is None:
        return Reading(sheet, None, why=missing(set(), False))
    columns = resolve(header, sheet)
    fields = {c.field for c in columns if c.rank == 1}
    kind = classify(fields, bool(header.months))
    return Reading(sheet, header, columns, kind, "" if kind else missing(fields, bool(header.months)))


def five_tables(path: Path) -> bool:
    """Whether ``path`` is the layout of the five tables: a folder with ``parts.csv`` (or with
    ``products.csv`` and ``bom.csv``: then the missing one is named as always), or a workbook (or a
    folder's first workbook) with sheets named ``parts`` and ``bom``."""
    if path.is_dir():
        if (path / "parts.csv").exists() or (
            (path / "products.csv").exists() and (path / "bom.csv").exists()
        ):
            return True
        path = next(iter(sorted(path.glob("*.xlsx"))), path)
    if not path.is_file() or path.suffix.lower() not in (".xlsx", ".xlsm"):
        return False
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True)
        names = {n.strip().lower() for n in book.sheetnames}
        book.close()
    except Exception:  # not a readable workbook: the export reader says why
        return False
    return {"parts", "bom"} <= names


def _files(paths: Sequence[Path]) -> list[Path]:
    """The files named, a folder's spreadsheet and CSV files (sorted; no lock or hidden files)."""
    out = []
    for path in paths:
        if path.is_dir():
            out += sorted(
                p
                for p in path.iterdir()
                if p.suffix.lower() in SUFFIXES and not p.name.startswith((".", "~$"))
            )
        else:
            out.append(path)
    return out


def read_any(paths: Sequence[str | Path], overrides: Overrides | None = None) -> ReadResult:
    """Read and validate a BOM in any accepted layout; raises ``BomImportError`` listing every problem."""
    paths = [Path(p) for p in paths]
    absent = [Problem(str(p), None, "no such file or folder") for p in paths if not p.exists()]
    if absent:
        raise BomImportError(absent)
    if len(paths) == 1 and not overrides and five_tables(paths[0]):
        result = read_bom(paths[0])
        alternates = result.data.alternates.groupby("part_id", sort=False)["mpn"].agg(", ".join)
        aml = [
            f"{pid} ({first}, {alternates[pid]})"
            for pid, first in result.data.parts[["part_id", "mpn"]].values
            if pid in alternates
        ]
        result.summary = [
            f"{paths[0]}: the five tables (parts, products, bom, demand, inventory)",
            f"parts with approved alternates ({len(aml)}): {_names(aml) or 'none'}",
            *loaded(result.data),
        ]
        return result
    return read_exports(_files(paths), overrides or {})


def read_exports(files: list[Path], overrides: Overrides) -> ReadResult:
    """Read export files by meaning (see the module's docstring)."""
    digest, problems, readings = hashlib.sha256(), [], []
    for path in files:
        try:
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
            sheets = read_sheets(path)
        except (SpreadsheetError, OSError) as exc:
            problems.append(Problem(path.name, None, f"cannot be read: {exc}"))
            continue
        found = [understand(sheet, overrides) for sheet in sheets]
        if not any(r.kind for r in found):
            why = next((r.why for r in found if r.header), found[0].why if found else "it is empty")
            problems.append(Problem(path.name, None, f"nothing in it reads as a BOM sheet: {why}"))
        readings += found
    problems += _unused_overrides(readings, overrides)
    c = Collected()
    for kind in ORDER:
        for r in readings:
            if r.kind == kind:
                r.facts = READERS[kind](Fields(r.sheet, r.header, r.columns), c)
    became = place_units(c)
    tables = to_tables(c)
    unreadable = bool(problems)  # then what is absent is absent for that reason: not said twice
    problems += sorted(c.problems, key=lambda p: (p.file, p.line or 0))
    problems += [] if unreadable else _absent(tables)
    summary = describe(readings, c, became)
    if problems:
        raise BomImportError(problems, summary)
    try:
        data, warnings = validate(tables, {name: f"{name} (as read)" for name in tables})
    except BomImportError as exc:
        raise BomImportError(exc.problems, summary) from None
    source = ", ".join(str(p) for p in files)
    return ReadResult(data, digest.hexdigest(), source, c.warnings + warnings, summary + loaded(data))


def _unused_overrides(readings: list[Reading], overrides: Overrides) -> list[Problem]:
    """A ``--map`` naming a column no header row has is a mistake, not a no-op."""
    seen = {compact(cell) for r in readings if r.header for cell in r.sheet.rows[r.header.line - 1]}
    return [
        Problem("--map", None, f"no header row has a column {header!r} (mapped to {name})")
        for header, (name, _) in overrides.items()
        if header not in seen
    ]


def _absent(tables: dict) -> list[Problem]:
    needs = {
        "parts": "no part was read: a BOM needs a part column (MPN, Manufacturer Part Number, Item Number…)",
        "products": "no product was read: give a product sheet (Product, Price…) or a Sell Price column on top rows",
        "demand": "no forecast was read: give a forecast (Product, Month, Quantity rows, or a column per month "
        "such as 2027-01 on the product sheet)",
    }
    return [Problem("BOM", None, why) for name, why in needs.items() if tables[name].empty]


def _names(values: list[str]) -> str:
    shown = ", ".join(values[:SHOWN])
    return f"{shown}, … ({len(values)} in all)" if len(values) > SHOWN else shown


def describe(readings: list[Reading], c: Collected, became: dict[str, str]) -> list[str]:
    """What was understood, in words: each sheet's kind, header line, title block and column mapping;
    the products, assemblies, parts and alternates; the rows left out and why."""
    out = []
    for r in readings:
        if r.kind is None:
            out.append(f"{r.sheet.name}: not read ({r.why})")
            continue
        head = f"{r.sheet.name}: {KINDS[r.kind]}, header on line {r.header.line}"
        if r.header.title:
            head += "; title block: " + ", ".join(f"{k}={v}" for k, v in r.header.title.items())
        out.append(head)
        out.append("  columns: " + ", ".join(col.describe() for col in r.columns))
        if r.header.months:
            months = sorted(r.header.months.values())
            out.append(f"  forecast columns: {months[0]} … {months[-1]} ({len(months)})")
        if r.header.unused:
            out.append("  not used: " + ", ".join(f'"{h}"' for h in r.header.unused))
        for key in ("board", "levels", "units of measure"):
            if key in r.facts:
                out.append(f"  {key}: {r.facts[key]}")
        if r.facts.get("tops"):
            out.append(f"  top-level items: {_names(r.facts['tops'])}")
    products = [u for u, what in became.items() if what == "product"] + [
        p for p in c.products if p not in became
    ]
    out.append(f"products ({len(products)}): {_names(products)}")
    assemblies = [u for u, what in became.items() if what == "assembly"]
    assemblies += sorted({p for p, *_ in c.lines} - set(products) - set(assemblies))
    out.append(f"assemblies ({len(assemblies)}): {_names(assemblies)}")
    aml = [f"{pid} ({', '.join(m for m, *_ in mpns)})" for pid, mpns in c.parts.items() if len(mpns) > 1]
    out.append(f"parts: {len(c.parts)}; with approved alternates ({len(aml)}): {_names(aml) or 'none'}")
    if c.left_out:
        out.append(f"left out ({len(c.left_out)}):")
        out += [f"  {line}" for line in c.left_out[:LEFT_OUT_SHOWN]]
        if len(c.left_out) > LEFT_OUT_SHOWN:
            out.append(f"  … and {len(c.left_out) - LEFT_OUT_SHOWN} more")
    return out


def loaded(data: BomData) -> list[str]:
    counts = data.counts()
    return [
        f"to load: {counts['parts']} parts ({counts['alternates']} alternate MPNs), {counts['products']} "
        f"products, {counts['bom']} BOM lines, {counts['demand']} forecast rows, {counts['inventory']} "
        "on-hand rows"
    ]
