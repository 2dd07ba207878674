"""The overview's selection as a file (``/export.csv``, ``/export.xlsx``): ``notice_rows`` builds each
notice's row once, typed; the CSV and the Excel writer only write it, so the two files always hold the
same columns, notices and order.

Notice numbers and makers come from mail anyone can send: a text cell a spreadsheet would run as a
formula (``=``, ``+``, ``-``, ``@``, tab, CR) is quoted with ``'`` in the CSV and written as a text cell
(never a formula) in the workbook.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import UTC, date, datetime

from radar_pipeline.db.values import as_date
from radar_pipeline.notices.decisions import state_label
from radar_pipeline.web.render import notice_counts, review_label

COLUMNS = [
    "notice_number",
    "manufacturer",
    "notice_type",
    "last_time_buy_date",
    "days_to_ltb",
    "response_deadline",
    "response_days_left",
    "risk",
    "parts",
    "family_matches",
    "covered_by_alternates",
    "products",
    "ltb_cost_this_notice",
    "revenue_at_risk_this_notice",
    "currency",
    "review",
    "decision",
    "decision_owner",
    "decision_due",
    "ltb_quantity_placed",
    "purchase_order",
    "ordered_on",
    "alternate",
    "decision_note",
    "decided_by",
    "decided_at",
    "part_decisions",
]
MONEY_COLUMNS = {"ltb_cost_this_notice", "revenue_at_risk_this_notice"}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _decision_cells(n: dict) -> dict:
    """The notice's current decision, and its parts' (``U1: last-time buy placed; U2: redesign``)."""
    d = n.get("decision") or {}
    parts = "; ".join(f"{p['part_id']}: {p['label']}" for p in n.get("part_decisions") or [])
    return {
        "decision": state_label(d.get("state")),
        "decision_owner": d.get("owner"),
        "decision_due": as_date(d.get("due_date")),
        "ltb_quantity_placed": d.get("quantity"),
        "purchase_order": d.get("po"),
        "ordered_on": as_date(d.get("placed_on")),
        "alternate": d.get("alternate"),
        "decision_note": d.get("note"),
        "decided_by": d.get("decided_by"),
        "decided_at": datetime.fromisoformat(d["decided_at"]) if d.get("decided_at") else None,
        "part_decisions": parts,
    }


def notice_rows(notices: list[dict], currency: str) -> Iterator[dict]:
    """One row per notice, in the view's order, keyed by ``COLUMNS``: dates as dates, the decision's
    time as an aware UTC datetime, counts and money as numbers, nothing quoted yet."""
    for n in notices:
        c = notice_counts(n)
        yield {
            "notice_number": n["notice_number"],
            "manufacturer": n["manufacturer"],
            "notice_type": n["notice_type"],
            "last_time_buy_date": as_date(n["last_time_buy_date"]),
            "days_to_ltb": n["days_to_ltb"],
            "response_deadline": as_date(n.get("response_deadline")),
            "response_days_left": n.get("response_days_left"),
            "risk": n.get("risk"),
            "parts": c["parts"],
            "family_matches": c["family"],
            "covered_by_alternates": c["covered"],
            "products": c["products"],
            "ltb_cost_this_notice": n["total_ltb_cost"],
            "revenue_at_risk_this_notice": n["total_revenue_at_risk"],
            "currency": currency,
            "review": review_label(n) or "complete",
        } | _decision_cells(n)


def formula_like(value) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


# how a CSV cell writes a value of each type that is not written as it is (by exact type: one lookup a cell)
_CSV_TEXT = {
    datetime: lambda v: v.isoformat(timespec="seconds"),
    date: date.isoformat,
    str: lambda v: "'" + v if v.startswith(FORMULA_STARTS) else v,
}


def to_csv(notices: list[dict], currency: str) -> str:
    """The selected notices, one line each, in the view's order (dates ISO 8601)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in notice_rows(notices, currency):
        cells = [row[c] for c in COLUMNS]
        writer.writerow([f(v) if (f := _CSV_TEXT.get(v.__class__)) else v for v in cells])
    return buf.getvalue()


XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_FORMATS = {date: "yyyy-mm-dd", datetime: "yyyy-mm-dd hh:mm:ss"}
_MONEY_FORMAT = "#,##0.00"
_MAX_TEXT = 32767  # characters Excel keeps in a cell
_WIDTHS = (8, 48)  # a column's width in characters: its header or longest value, within these


def _shown(column: str, value) -> str:
    """The value as the sheet shows it, to size its column."""
    if column in MONEY_COLUMNS and isinstance(value, int | float):
        return f"{value:,.2f}"
    if isinstance(value, datetime):
        return "yyyy-mm-dd hh:mm:ss"
    return "" if value is None else str(value)


def to_xlsx(notices: list[dict], currency: str) -> bytes:
    """The same rows as ``to_csv`` as an Excel workbook: numbers as numbers, dates as dates, money with
    two decimals, the header row frozen and filtered, columns as wide as their content."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    rows = list(notice_rows(notices, currency))
    book = Workbook(write_only=True)  # streams: a sheet of 10,000 notices without a cell object each
    sheet = book.create_sheet("notices")
    last = get_column_letter(len(COLUMNS))
    for i, column in enumerate(COLUMNS, start=1):
        longest = max([len(column)] + [len(_shown(column, r[column])) for r in rows])
        sheet.column_dimensions[get_column_letter(i)].width = min(max(longest + 2, _WIDTHS[0]), _WIDTHS[1])
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{last}{len(rows) + 1}"

    def cell(column: str, value):
        if value is None:
            return None
        if isinstance(value, str):
            value = ILLEGAL_CHARACTERS_RE.sub("", value)[:_MAX_TEXT]  # control characters: no valid file
            if not formula_like(value):
                return value
            text = WriteOnlyCell(sheet, value)
            text.data_type, text.quotePrefix = "s", True  # shown and kept as typed, never run
            return text
        if isinstance(value, datetime):
            value = value.astimezone(UTC).replace(tzinfo=None)  # Excel has no time zones: UTC, as everywhere
        number_format = _MONEY_FORMAT if column in MONEY_COLUMNS else _FORMATS.get(type(value))
        if number_format is None:
            return value
        styled = WriteOnlyCell(sheet, value)
        styled.number_format = number_format
        return styled

    header = []
    for column in COLUMNS:
        title = WriteOnlyCell(sheet, column)
        title.font = Font(bold=True)
        header.append(title)
    sheet.append(header)
    for row in rows:
        sheet.append([cell(column, row[column]) for column in COLUMNS])
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()
