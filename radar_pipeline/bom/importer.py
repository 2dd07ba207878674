"""``radar bom import``: read and validate a BOM folder (CSV) or workbook (XLSX).

Everything is validated before anything is loaded; each problem names its file
and line (the header is line 1). Checks: missing files or columns, empty ids,
duplicate keys, non-numeric or negative quantities and prices, bad dates and
months, unknown ids, parts used as parents, and cycles (with their path).

A ``part_id`` on several rows of ``parts.csv``, each with another MPN, is one part
with approved alternates (CONTRACT §5): its first row gives its cost, the other
rows go to ``BomData.alternates``.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict, deque
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from radar_pipeline.bom.data import ALTERNATE_COLUMNS, COLUMNS, OPTIONAL_COLUMNS, BomData
from radar_pipeline.bom.mpn import normalize_mpn

REQUIRED_FILES = ("parts", "products", "bom", "demand")
MAX_REPORTED = 200


@dataclass(frozen=True)
class Problem:
    file: str
    line: int | None
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}" if self.line else f"{self.file}: {self.message}"


class BomImportError(ValueError):
    """Every problem found; ``summary``: what was understood of an export before them (for --dry-run)."""

    def __init__(self, problems: list[Problem], summary: list[str] | None = None) -> None:
        self.problems = problems
        self.summary = summary or []
        shown = "\n".join(str(p) for p in problems[:MAX_REPORTED])
        more = f"\n... and {len(problems) - MAX_REPORTED} more" if len(problems) > MAX_REPORTED else ""
        super().__init__(f"{len(problems)} problem(s); nothing was loaded:\n{shown}{more}")


@dataclass
class ReadResult:
    data: BomData
    content_sha256: str
    source: str
    warnings: list[str] = field(default_factory=list)  # loaded, but worth a look (named with file:line)
    summary: list[str] = field(default_factory=list)  # what was understood, in words (--dry-run)


#: Columns a table read from an export carries beside its own: where each row was read.
LOCATION = ["_file", "_line"]


def where(file: str, frame: pd.DataFrame, idx) -> tuple[str, int]:
    """The file and line of a row: its ``_file``/``_line`` when read from an export, else the CSV's
    line (the header is line 1)."""
    if "_file" in frame.columns:
        return frame.at[idx, "_file"], int(frame.at[idx, "_line"])
    return file, int(idx) + 2


class _Checker:
    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, file: str, line: int | None, message: str) -> None:
        self.problems.append(Problem(file, line, message))

    def rows(self, file: str, frame: pd.DataFrame, mask: pd.Series, message: str) -> None:
        for idx in frame.index[mask.to_numpy(dtype=bool)][:MAX_REPORTED]:
            self.add(*where(file, frame, idx), message.format(**frame.loc[idx].to_dict()))


def _read_tables(path: Path) -> tuple[dict[str, pd.DataFrame], dict[str, str], str]:
    """Raw text tables by name, their display file names, and a content hash."""
    digest = hashlib.sha256()
    tables: dict[str, pd.DataFrame] = {}
    names: dict[str, str] = {}
    workbook = path if path.is_file() else next(iter(sorted(path.glob("*.xlsx"))), None)
    if path.is_dir() and (path / "parts.csv").exists() or workbook is None:
        for name in COLUMNS:
            file = path / f"{name}.csv"
            names[name] = file.name
            if file.exists():
                raw = file.read_bytes()
                digest.update(name.encode() + b"\0" + raw)
                tables[name] = pd.read_csv(
                    file, dtype=str, keep_default_na=False, skipinitialspace=True, encoding="utf-8-sig"
                )
        return tables, names, digest.hexdigest()
    digest.update(workbook.read_bytes())
    sheets = pd.read_excel(workbook, sheet_name=None, dtype=str, keep_default_na=False, engine="openpyxl")
    by_lower = {s.strip().lower(): s for s in sheets}
    for name in COLUMNS:
        names[name] = f"{workbook.name}[{name}]"
        if name in by_lower:
            tables[name] = sheets[by_lower[name]]
    return tables, names, digest.hexdigest()


def _prepare(name: str, frame: pd.DataFrame | None, file: str, check: _Checker) -> pd.DataFrame:
    wanted = COLUMNS[name]
    if frame is None:
        if name in REQUIRED_FILES:
            check.add(file, None, "file is missing")
        return pd.DataFrame({c: pd.Series([], dtype=str) for c in wanted})
    frame = frame.rename(columns=lambda c: str(c).strip().lower())
    missing = [c for c in wanted if c not in frame.columns and c not in OPTIONAL_COLUMNS]
    if missing:
        check.add(file, 1, f"missing column(s): {', '.join(missing)} (expected {', '.join(wanted)})")
    for c in wanted:
        if c not in frame.columns:
            frame[c] = ""
    located = [c for c in LOCATION if c in frame.columns]
    text = frame[wanted].astype(str).apply(lambda s: s.str.strip())
    return pd.concat([text, frame[located]], axis=1).reset_index(drop=True)


def _number(
    file: str, frame: pd.DataFrame, col: str, check: _Checker, *, positive: bool = False
) -> pd.Series:
    values = pd.to_numeric(frame[col], errors="coerce")
    bad = ~np.isfinite(values.to_numpy(dtype=float))
    bad = pd.Series(bad, index=frame.index)
    check.rows(file, frame, bad, f"{col} {{{col}!r}} is not a number")
    neg = ~bad & ((values <= 0) if positive else (values < 0))
    check.rows(
        file, frame, neg, f"{col} {{{col}}} must be {'greater than zero' if positive else 'zero or more'}"
    )
    return values


def _ids(file: str, frame: pd.DataFrame, col: str, check: _Checker) -> None:
    check.rows(file, frame, frame[col] == "", f"{col} is empty")


def _duplicates(file: str, frame: pd.DataFrame, cols: list[str], check: _Checker) -> None:
    dup = frame.duplicated(cols, keep="first") & (frame[cols] != "").all(axis=1)
    label = ", ".join(f"{c} {{{c}!r}}" for c in cols)
    check.rows(file, frame, dup, f"duplicate key: {label} appears more than once")


def _unknown(file: str, frame: pd.DataFrame, col: str, known: set[str], what: str, check: _Checker) -> None:
    mask = (frame[col] != "") & ~frame[col].isin(known)
    check.rows(file, frame, mask, f"{col} {{{col}!r}} is not a known {what}")


def _dates(file: str, frame: pd.DataFrame, col: str, check: _Checker) -> pd.Series:
    def parse(text: str) -> date | None:
        return date.fromisoformat(text) if text else None

    out: list[date | None] = []
    for idx, text in frame[col].items():
        try:
            out.append(parse(text))
        except ValueError:
            check.add(*where(file, frame, idx), f"{col} {text!r} is not a date (YYYY-MM-DD) or empty")
            out.append(None)
    return pd.Series(out, index=frame.index, dtype=object)


def _months(file: str, frame: pd.DataFrame, check: _Checker) -> None:
    ok = frame["month"].str.fullmatch(r"\d{4}-(0[1-9]|1[0-2])")
    check.rows(file, frame, ~ok, "month {month!r} is not a month (YYYY-MM)")


def _alternate_costs(file: str, costed: pd.DataFrame, cost: pd.Series, first: pd.Series) -> list[str]:
    """A cost on an alternate's row that differs from the part's: the first row's is used, say so."""
    part_cost = dict(zip(costed.loc[first[costed.index], "part_id"], cost[first[costed.index]], strict=True))
    out = []
    for idx in costed.index[~first[costed.index].to_numpy()]:
        pid, value = costed.at[idx, "part_id"], cost[idx]
        if pid in part_cost and np.isfinite(value) and value != part_cost[pid]:
            at = ":".join(map(str, where(file, costed, idx)))
            out.append(
                f"{at}: unit_cost {value:g} of alternate {costed.at[idx, 'mpn']!r} differs "
                f"from {part_cost[pid]:g} on the first row of part {pid!r}; the first row's is used"
            )
    return out


def find_cycle(edges: pd.DataFrame) -> list[str] | None:
    """A cycle among BOM lines, as the path of ids that closes it, or ``None``."""
    children = defaultdict(list)
    indegree: dict[str, int] = defaultdict(int)
    for parent, child in zip(edges["parent_id"], edges["child_id"], strict=True):
        children[parent].append(child)
        indegree[child] += 1
        indegree.setdefault(parent, 0)
    queue = deque(n for n, d in indegree.items() if d == 0)
    while queue:  # Kahn: peel nodes that no remaining line points at
        node = queue.popleft()
        for child in children.get(node, ()):
            indegree[child] -= 1
            if indegree[child] == 0:
                queue.append(child)
    left = {n for n, d in indegree.items() if d > 0}
    if not left:
        return None
    start = min(left)
    path, seen = [start], {start: 0}
    node = start
    while True:  # every remaining node has a remaining parent; walk children within `left`
        node = next(c for c in children[node] if c in left)
        if node in seen:
            return path[seen[node] :] + [node]
        seen[node] = len(path)
        path.append(node)


def read_bom(path: str | Path) -> ReadResult:
    """Read and validate the five tables (a folder of CSV files or a workbook of those sheets); raises
    ``BomImportError`` listing every problem."""
    path = Path(path)
    if not path.exists():
        raise BomImportError([Problem(str(path), None, "no such file or folder")])
    raw, files, digest = _read_tables(path)
    data, warnings = validate(raw, files)
    return ReadResult(data=data, content_sha256=digest, source=str(path), warnings=warnings)


def validate(raw: dict[str, pd.DataFrame], files: dict[str, str]) -> tuple[BomData, list[str]]:
    """The five tables (text; rows may carry ``_file``/``_line``) checked and typed, with warnings;
    raises ``BomImportError`` listing every problem. ``files`` names each table in messages."""
    check = _Checker()
    t = {name: _prepare(name, raw.get(name), files[name], check) for name in COLUMNS}
    if check.problems:
        raise BomImportError(check.problems)
    parts, products, bom, demand, inventory = (t[n] for n in COLUMNS)
    fp, fr, fb, fd, fi = (files[n] for n in COLUMNS)

    _ids(fp, parts, "part_id", check)
    first = ~parts["part_id"].duplicated(keep="first")  # a part's first row; its further rows: alternates
    _duplicates(fp, parts.assign(mpn=parts["mpn"].map(normalize_mpn)), ["part_id", "mpn"], check)
    for file, frame, key in ((fr, products, ["product_id"]), (fi, inventory, ["part_id"])):
        _ids(file, frame, key[0], check)
        _duplicates(file, frame, key, check)
    _ids(fb, bom, "parent_id", check)
    _ids(fb, bom, "child_id", check)
    _duplicates(fb, bom, ["parent_id", "child_id"], check)
    _ids(fd, demand, "product_id", check)
    _duplicates(fd, demand, ["product_id", "month"], check)
    check.rows(fp, parts, parts["mpn"] == "", "mpn is empty for part {part_id!r}")

    costed = parts[first | (parts["unit_cost"] != "")]  # an alternate's row may leave the cost out
    unit_cost = _number(fp, costed, "unit_cost", check)
    warnings = _alternate_costs(fp, costed, unit_cost, first)
    unit_price = _number(fr, products, "unit_price", check)
    end_of_life = _dates(fr, products, "end_of_life", check)
    qty_per = _number(fb, bom, "qty_per", check, positive=True)
    quantity = _number(fd, demand, "quantity", check)
    on_hand = _number(fi, inventory, "on_hand", check)
    _months(fd, demand, check)

    part_ids, product_ids = set(parts["part_id"]), set(products["product_id"])
    both = sorted(part_ids & product_ids - {""})
    for pid in both[:MAX_REPORTED]:
        check.add(fr, None, f"id {pid!r} is both a part and a product")
    assemblies = set(bom["parent_id"]) - part_ids - product_ids
    check.rows(
        fb,
        bom,
        bom["parent_id"].isin(part_ids),
        "parent_id {parent_id!r} is a part; parts cannot have children",
    )
    _unknown(
        fb,
        bom,
        "child_id",
        part_ids | assemblies | product_ids,
        "part, product or assembly (parent of other lines)",
        check,
    )
    _unknown(fd, demand, "product_id", product_ids, "product", check)
    _unknown(fi, inventory, "part_id", part_ids, "part", check)
    self_loops = bom["parent_id"] == bom["child_id"]
    check.rows(fb, bom, self_loops, "cycle: {parent_id} -> {child_id}")
    if not check.problems:
        structural = bom[~bom["child_id"].isin(part_ids)]
        cycle = find_cycle(structural)
        if cycle:
            check.add(fb, None, "cycle in the BOM: " + " -> ".join(cycle))
    if check.problems:
        raise BomImportError(check.problems)

    data = BomData(
        parts=parts[first].assign(unit_cost=unit_cost[parts.index[first]].astype(float)),
        alternates=parts.loc[~first, ALTERNATE_COLUMNS].reset_index(drop=True),
        products=products.assign(unit_price=unit_price.astype(float), end_of_life=end_of_life),
        bom=bom.assign(qty_per=qty_per.astype(float)),
        demand=demand.assign(quantity=quantity.astype(float)),
        inventory=inventory.assign(on_hand=on_hand.astype(float)),
    )
    for name in COLUMNS:  # where the rows were read from served the messages; the BOM is the values
        frame = getattr(data, name)
        setattr(data, name, frame[COLUMNS[name]].reset_index(drop=True))
    return data, warnings
