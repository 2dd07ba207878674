"""XLSX and CSV attachments as tables of text cells (header detection is the extractor's job)."""

from __future__ import annotations

import csv
import io
import zipfile

import pandas as pd

MAX_UNCOMPRESSED = 200 * 1024 * 1024
MAX_RATIO = 200
MAX_ROWS = 100_000


class SpreadsheetError(ValueError):
    pass


def _check_zip(data: bytes) -> None:
    """Refuse zip bombs before openpyxl inflates them."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            total = sum(i.file_size for i in z.infolist())
            packed = sum(i.compress_size for i in z.infolist()) or 1
    except zipfile.BadZipFile:
        raise SpreadsheetError("not a readable XLSX file (bad zip container)") from None
    if total > MAX_UNCOMPRESSED or total / packed > MAX_RATIO:
        raise SpreadsheetError(
            f"XLSX expands to {total} bytes (ratio {total / packed:.0f}:1); refused as a zip bomb"
        )


def _rows(frame: pd.DataFrame) -> list[list[str]]:
    frame = frame.fillna("").astype(str).head(MAX_ROWS)
    rows = [[" ".join(c.split()) for c in row] for row in frame.itertuples(index=False, name=None)]
    return [r for r in rows if any(r)]


def read_xlsx(data: bytes) -> list[tuple[str, list[list[str]]]]:
    """Each sheet's name and rows."""
    _check_zip(data)
    try:
        sheets = pd.read_excel(io.BytesIO(data), sheet_name=None, header=None, dtype=str, engine="openpyxl")
    except Exception as exc:
        raise SpreadsheetError(f"XLSX could not be read: {type(exc).__name__}: {str(exc)[:200]}") from None
    return [(name, _rows(frame)) for name, frame in sheets.items()]


def read_csv(data: bytes) -> list[list[str]]:
    """Rows of a CSV file; ragged rows (a title line above the header) are kept."""
    text = None
    for enc in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(enc)
            break
        except UnicodeDecodeError:
            continue
    text = text if text is not None else data.decode("latin-1")
    sample = text[:8192]
    sep = max([",", ";", "\t", "|"], key=sample.count)
    reader = csv.reader(io.StringIO(text), delimiter=sep)
    rows = []
    for i, row in enumerate(reader):
        if i >= MAX_ROWS:
            break
        cells = [" ".join(c.split()) for c in row]
        if any(cells):
            rows.append(cells)
    return rows


def rows_to_text(rows: list[list[str]]) -> str:
    return "\n".join(" | ".join(c for c in row) for row in rows)
