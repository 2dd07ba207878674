"""Spreadsheets (xlsx, xlsm, real .xls, xlsb) and CSV as tables of text cells.

Header detection is the extractor's job: this only turns every sheet into rows of
strings, with cells as a person reads them: a part number typed as a number comes
back as ``744771110`` (not the ``744771110.0`` a float gives), a date as
``2027-05-15``. The container decides the reader, not the file name: makers send
xlsm workbooks named ``.xls``, so ``PK`` (zip) bytes go to openpyxl and OLE
(``D0CF11E0``) bytes to xlrd whatever the extension says.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import warnings
import zipfile

MAX_UNCOMPRESSED = 200 * 1024 * 1024  # bytes, all entries inflated
MAX_RATIO = 200  # inflated : compressed
MAX_ROWS = 100_000
MAX_COLUMNS = 500

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

Rows = list[list[str]]


class SpreadsheetError(ValueError):
    pass


def check_zip(data: bytes, what: str = "XLSX") -> zipfile.ZipFile:
    """Refuse zip bombs before a reader inflates them; the open archive otherwise. The message names
    each limit the archive exceeds. The declared sizes are trusted here because ``zipfile`` never
    inflates an entry past its declared size (it stops there and fails the CRC check)."""
    try:
        z = zipfile.ZipFile(io.BytesIO(data))
        infos = z.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise SpreadsheetError(f"not a readable {what} file (bad zip container)") from None
    total = sum(i.file_size for i in infos)
    packed = sum(i.compress_size for i in infos) or 1
    exceeded = []
    if total > MAX_UNCOMPRESSED:
        exceeded.append(f"the {MAX_UNCOMPRESSED // 2**20} MiB size limit")
    if total / packed > MAX_RATIO:
        exceeded.append(f"the {MAX_RATIO}:1 decompression-ratio limit")
    if exceeded:
        raise SpreadsheetError(
            f"{what} would expand {packed} bytes to {total} (ratio {total / packed:.0f}:1), over "
            + " and ".join(exceeded)
            + "; refused as a zip bomb"
        )
    return z


def number_text(value: float | int, number_format: str | None = None) -> str:
    """A number as written: integers without ``.0``, zero-padded codes (format ``000000``) padded."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return ""
        if not value.is_integer():
            return f"{value:.15g}"  # Excel keeps 15 significant digits: 0.1 + 0.2 reads 0.3
        value = int(value)
    text = str(value)
    if number_format and re.fullmatch(r"0{2,}", number_format.strip()) and value >= 0:
        text = text.zfill(len(number_format.strip()))
    return text


def cell_text(value, number_format: str | None = None) -> str:
    """One cell's value as text, whitespace collapsed."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        text = value.date().isoformat() if value.time() == dt.time(0) else value.isoformat(sep=" ")
    elif isinstance(value, dt.date | dt.time):
        text = value.isoformat()
    elif isinstance(value, int | float):
        text = number_text(value, number_format)
    else:
        text = str(value)
    return " ".join(text.split())


def _trim(rows: Rows, blank_rows: bool = False) -> Rows:
    """Blank rows dropped (kept as ``[]`` when ``blank_rows``, so that a row's index is its line), empty
    columns on the right cut (sheets often carry formatted empty columns); the rows stay as wide as the
    widest, so columns line up."""
    out = []
    for row in rows:
        while row and not row[-1]:
            row.pop()
        if row or blank_rows:
            out.append(row)
    width = max((len(r) for r in out), default=0)
    return [r + [""] * (width - len(r)) for r in out]


def container(data: bytes) -> str:
    """``zip``, ``ole`` or ``other``, from the first bytes."""
    if data.startswith(ZIP_MAGIC):
        return "zip"
    if data.startswith(OLE_MAGIC):
        return "ole"
    return "other"


def read_workbook(data: bytes, blank_rows: bool = False) -> list[tuple[str, Rows]]:
    """Each sheet's name and rows, whatever the workbook format; ``SpreadsheetError`` in words otherwise.
    ``blank_rows`` keeps blank rows, so that row ``i`` is line ``i + 1`` of the sheet (the BOM importer
    names lines)."""
    kind = container(data)
    if kind == "zip":
        with check_zip(data, "workbook") as z:
            names = set(z.namelist())
        if "xl/workbook.bin" in names:
            return read_xlsb(data, blank_rows)
        return read_xlsx(data, blank_rows)
    if kind == "ole":
        return read_xls(data, blank_rows)
    raise SpreadsheetError("not a workbook (neither an xlsx/xlsm zip nor a legacy .xls file)")


def read_xlsx(data: bytes, blank_rows: bool = False) -> list[tuple[str, Rows]]:
    """xlsx and xlsm (openpyxl; macros are never run, only cell values read)."""
    check_zip(data)
    from openpyxl import load_workbook

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "Cannot parse header or footer", unknown extensions
            wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True, keep_links=False)
            sheets = []
            for ws in wb.worksheets:
                if hasattr(ws, "reset_dimensions"):
                    ws.reset_dimensions()  # some writers record a wrong sheet size; read what is there
                rows = []
                for i, row in enumerate(ws.iter_rows()):
                    if i >= MAX_ROWS:
                        break
                    rows.append(
                        [
                            cell_text(getattr(c, "value", None), getattr(c, "number_format", None))
                            for c in row[:MAX_COLUMNS]
                        ]
                    )
                sheets.append((ws.title, _trim(rows, blank_rows)))
            wb.close()
    except Exception as exc:
        raise SpreadsheetError(f"XLSX could not be read: {type(exc).__name__}: {str(exc)[:200]}") from None
    return sheets


def read_xls(data: bytes, blank_rows: bool = False) -> list[tuple[str, Rows]]:
    """Legacy BIFF ``.xls`` workbooks (xlrd)."""
    import xlrd

    try:
        book = xlrd.open_workbook(
            file_contents=data, formatting_info=False, on_demand=True, logfile=io.StringIO()
        )
        sheets = []
        for index in range(book.nsheets):
            sheet = book.sheet_by_index(index)
            rows = []
            for r in range(min(sheet.nrows, MAX_ROWS)):
                row = []
                for c in range(min(sheet.ncols, MAX_COLUMNS)):
                    cell = sheet.cell(r, c)
                    if cell.ctype == xlrd.XL_CELL_DATE:
                        try:
                            row.append(cell_text(xlrd.xldate_as_datetime(cell.value, book.datemode)))
                        except Exception:  # a date out of Excel's range: keep the serial number
                            row.append(cell_text(cell.value))
                    elif cell.ctype == xlrd.XL_CELL_BOOLEAN:
                        row.append("TRUE" if cell.value else "FALSE")
                    elif cell.ctype in (xlrd.XL_CELL_ERROR, xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
                        row.append("")
                    else:
                        row.append(cell_text(cell.value))
                rows.append(row)
            sheets.append((sheet.name, _trim(rows, blank_rows)))
            book.unload_sheet(index)
    except Exception as exc:
        raise SpreadsheetError(
            f".xls workbook could not be read: {type(exc).__name__}: {str(exc)[:200]}"
        ) from None
    return sheets


def read_xlsb(data: bytes, blank_rows: bool = False) -> list[tuple[str, Rows]]:
    """Binary ``.xlsb`` workbooks (pyxlsb's record reader). Cells are placed by their own row and
    column records, not the sheet's recorded size (writers get it wrong). pyxlsb reads no styles,
    so a date cell reads as Excel's day number (46477 for 2027-03-31)."""
    check_zip(data, "XLSB")
    try:
        from pyxlsb import biff12, open_workbook
    except ImportError:
        raise SpreadsheetError(
            ".xlsb (binary) workbooks need pyxlsb, which is not installed; save as .xlsx"
        ) from None
    try:
        sheets = []
        with open_workbook(io.BytesIO(data)) as wb:
            for name in wb.sheets:
                with wb.get_sheet(name) as sheet:
                    sheets.append((name, _trim(_xlsb_rows(sheet, biff12, blank_rows), blank_rows)))
    except Exception as exc:
        raise SpreadsheetError(f"XLSB could not be read: {type(exc).__name__}: {str(exc)[:200]}") from None
    return sheets


def _xlsb_rows(sheet, biff12, blank_rows: bool = False) -> Rows:
    rows: dict[int, dict[int, str]] = {}
    current = None
    sheet._reader.seek(sheet._data_offset, 0)
    for kind, record in sheet._reader:
        if kind == biff12.ROW:
            if len(rows) >= MAX_ROWS and record.r not in rows:
                break
            current = rows.setdefault(record.r, {})
        elif (
            biff12.BLANK <= kind <= biff12.FORMULA_BOOLERR and current is not None and record.c < MAX_COLUMNS
        ):
            value = record.v
            if kind == biff12.STRING and sheet._stringtable is not None:
                value = sheet._stringtable[value]
            elif kind in (biff12.BOOLERR, biff12.FORMULA_BOOLERR):
                value = ""  # an error cell (#N/A)
            current[record.c] = cell_text(value)
        elif kind == biff12.SHEETDATA_END:
            break
    width = max((max(r) + 1 for r in rows.values() if r), default=0)
    if not blank_rows:
        return [[cells.get(c, "") for c in range(width)] for _, cells in sorted(rows.items())]
    last = min(max(rows, default=-1), MAX_ROWS - 1)  # a missing row blank: row i is line i + 1
    return [[rows.get(r, {}).get(c, "") for c in range(width)] for r in range(last + 1)]


def read_csv(data: bytes, warnings_out: list[str] | None = None, blank_rows: bool = False) -> Rows:
    """Rows of a CSV file; ragged rows (a title line above the header) are kept, blank ones too when
    ``blank_rows``."""
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
    reader = csv.reader(io.StringIO(text.replace("\x00", "")), delimiter=sep)
    rows = []
    try:
        for i, row in enumerate(reader):
            if i >= MAX_ROWS:
                break
            cells = [" ".join(c.split()) for c in row]
            if any(cells) or blank_rows:
                rows.append(cells if any(cells) else [])
    except csv.Error as exc:  # a field over the csv module's limit: keep the rows before it, say so
        if warnings_out is not None:
            warnings_out.append(f"CSV read up to line {reader.line_num} only: {exc}")
    return rows


def rows_to_text(rows: Rows) -> str:
    return "\n".join(" | ".join(c for c in row) for row in rows)
