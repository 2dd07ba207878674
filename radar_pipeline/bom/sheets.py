"""The sheets of BOM export files (xlsx, xlsm, xls, csv), every row kept so that a row's index is its
line, and the cell values a BOM carries (numbers with thousands separators or currency, dates)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from radar_pipeline.documents.spreadsheet_reader import MAX_ROWS, SpreadsheetError, read_csv, read_workbook

TEXT_SUFFIXES = {".csv", ".tsv", ".txt"}
SUFFIXES = TEXT_SUFFIXES | {".xlsx", ".xlsm", ".xls", ".xlsb"}


@dataclass
class Sheet:
    """``name`` as problems cite it (``erp.xlsx[BOM]``, ``ctrl.csv``); ``stem``: the file's name without
    its extension (a board's id unless its title block names one)."""

    name: str
    stem: str
    rows: list[list[str]]

    def cell(self, row: list[str], index: int | None) -> str:
        return row[index].strip() if index is not None and index < len(row) else ""


def read_sheets(path: Path) -> list[Sheet]:
    """Every sheet of a file; ``SpreadsheetError`` (or ``OSError``) in words when it cannot be read or
    is longer than the readers take."""
    data = path.read_bytes()
    if path.suffix.lower() in TEXT_SUFFIXES:
        sheets = [(None, read_csv(data, blank_rows=True))]
    else:
        sheets = read_workbook(data, blank_rows=True)
    out = []
    for title, rows in sheets:
        if len(rows) >= MAX_ROWS:
            raise SpreadsheetError(f"more than {MAX_ROWS:,} rows; split it into several files")
        out.append(Sheet(path.name if title is None else f"{path.name}[{title}]", path.stem, rows))
    return out


_CURRENCY = re.compile(r"^[^\d\-+.,]*|[^\d.,]*$")  # "$", "EUR ", " USD", "€" around the digits


def number(text: str) -> float | None:
    """A cell's number: ``1,234.5``, ``1.234,5``, ``1 234``, ``$0.25``, ``0,25 €``; ``None`` when it is none."""
    t = _CURRENCY.sub("", text.strip().replace("\u00a0", "").replace(" ", "").replace("'", ""))
    if not t:
        return None
    if "," in t and "." in t:  # the later mark is the decimal one
        t = t.replace(",", "") if t.rfind(".") > t.rfind(",") else t.replace(".", "").replace(",", ".")
    elif "," in t:
        t = t.replace(",", "") if re.fullmatch(r"-?\d{1,3}(,\d{3})+", t) else t.replace(",", ".")
    try:
        value = float(t)
    except ValueError:
        return None
    return value if value == value and abs(value) != float("inf") else None


def iso_date(text: str) -> str | None:
    """``YYYY-MM-DD`` of a cell's date (``2027-06-30``, ``2027-06-30 00:00:00``, ``30.06.2027``), else ``None``."""
    t = text.strip()
    if m := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?", t):
        y, mo, d = map(int, m.groups())
    elif m := re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", t):
        d, mo, y = map(int, m.groups())
    else:
        return None
    try:
        return date(y, mo, d).isoformat()
    except ValueError:
        return None
