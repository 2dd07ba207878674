"""Renderings of an exposure report: terminal table, CSV lines, markdown summary, HTML page.

The HTML page is self-contained (inline SVG, no script, no network): it opens
from a mail attachment or a file share as it is. It is rendered from the analysts'
desk's templates (``radar_pipeline/web/templates``), so its figures read as the desk's do.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from html import escape
from pathlib import Path

from markupsafe import Markup

from radar_pipeline.exposure.changes import html_section
from radar_pipeline.text_table import text_table
from radar_pipeline.web.render import money, notice_counts, render, review_label

NOTICE_CELLS = [
    "notice_number",
    "manufacturer",
    "notice_type",
    "last_time_buy_date",
    "days_to_ltb",
    "source_event_id",
]
PART_CELLS = [
    "mpn",
    "part_id",
    "match_type",
    "counted",
    "covered_by_alternate",  # the approved MPN, still sold, that covers the part: not counted
    "need",
    "on_hand",
    "ltb_qty",
    "ltb_cost",
    "part_last_time_buy_date",  # the date the part counts at, when not the notice's (an alternate's)
]
PRODUCT_CELLS = [
    "product_id",
    "extended_qty",
    "window_demand",
    "revenue_at_risk",
    "missing_demand_months",  # forecast months of the window without a demand row, counted as 0
]
CSV_COLUMNS = NOTICE_CELLS + PART_CELLS + PRODUCT_CELLS


def _fmt_money(v) -> str:
    return "" if v is None else f"{v:,.2f}"


def flat_lines(report: dict) -> list[dict]:
    """One row per (notice, part, product); a notice or part with none still gets a row."""
    rows = []
    for n in report["notices"]:
        head = {k: n[k] for k in NOTICE_CELLS}
        if not n["parts"]:
            rows.append(head)
        for p in n["parts"]:
            part = head | _part_cells(n, p)
            rows.extend([part | _product_cells(u) for u in p["products"]] or [part])
    return rows


def _part_cells(notice: dict, part: dict) -> dict:
    cells = {k: part.get(k) for k in PART_CELLS}
    ltb = part.get("last_time_buy_date")
    cells["part_last_time_buy_date"] = ltb if ltb != notice["last_time_buy_date"] else None  # said once
    return cells


def _product_cells(product: dict) -> dict:
    cells = {k: product.get(k) for k in PRODUCT_CELLS}
    cells["missing_demand_months"] = " ".join(product.get("missing_demand_months") or [])
    return cells


def to_csv(report: dict) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, CSV_COLUMNS, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(flat_lines(report))
    return buf.getvalue()


def summary_rows(report: dict) -> list[dict]:
    rows = []
    for n in report["notices"]:
        counts = notice_counts(n)
        rows.append(
            {
                "notice": n["notice_number"],
                "manufacturer": n["manufacturer"],
                "type": n["notice_type"],
                "ltb": n["last_time_buy_date"] or "",
                "days_to_ltb": "" if n["days_to_ltb"] is None else n["days_to_ltb"],
                "parts": counts["parts"],
                "review": counts["family"],
                "by_alternate": counts["covered"],
                "products": counts["products"],
                "ltb_cost": _fmt_money(n["total_ltb_cost"]),
                "revenue_at_risk": _fmt_money(n["total_revenue_at_risk"]),
                "checked": review_label(n).replace("needs review", "NEEDS REVIEW"),
            }
        )
    return rows


def to_table(report: dict) -> str:
    rows = summary_rows(report)
    cols = list(rows[0]) if rows else ["notice"]
    right = {"days_to_ltb", "parts", "review", "by_alternate", "products", "ltb_cost", "revenue_at_risk"}
    head = ""
    pending = report.get("needs_review") or []
    if pending:
        head = f"{len(pending)} item(s) need review: `radar review` lists them\n\n"
    warnings = "".join(f"\nwarning: {w}" for w in report.get("warnings") or [])
    return (
        head
        + f"Exposure as of {report['as_of']} — {len(rows)} notice(s)\n"
        + text_table(rows, cols, right)
        + consolidated_line(report)
        + warnings
    )


def consolidated_line(report: dict) -> str:
    """The consolidated totals in a sentence (CONTRACT §6); the table's money columns are per notice."""
    t = report.get("totals")
    if not t:
        return ""
    c = t["currency"]
    return (
        f"\nConsolidated: last-time buys {money(t['ltb_cost'], c)} for {t['parts']} part(s) (each bought once, at "
        f"its earliest last-time buy); revenue at risk {money(t['revenue_at_risk'], c)} over {t['products']} "
        f"product(s), of {money(t['forecast_revenue'], c)} forecast revenue. The money columns above are per notice."
    )


CONSOLIDATED_COLUMNS = {
    "part": [
        "part_id",
        "mpns",
        "notices",
        "last_time_buy_date",
        "days_to_ltb",
        "need",
        "on_hand",
        "ltb_qty",
        "unit_cost",
        "ltb_cost",
    ],
    "product": [
        "product_id",
        "name",
        "last_time_buy_date",
        "parts",
        "window_demand",
        "unit_price",
        "revenue_at_risk",
        "forecast_revenue",
    ],
}


def consolidated_rows(report: dict, by: str) -> list[dict]:
    """The report's ``by_part`` or ``by_product`` as flat lines (lists joined with spaces)."""
    return [
        {c: " ".join(r[c]) if isinstance(r[c], list) else r[c] for c in CONSOLIDATED_COLUMNS[by]}
        for r in report["by_" + by]
    ]


def consolidated_csv(report: dict, by: str) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, CONSOLIDATED_COLUMNS[by], lineterminator="\n")
    writer.writeheader()
    writer.writerows(consolidated_rows(report, by))
    return buf.getvalue().rstrip("\n")


def consolidated_table(report: dict, by: str) -> str:
    rows = consolidated_rows(report, by)
    right = {"days_to_ltb", "need", "on_hand", "ltb_qty", "unit_cost", "ltb_cost", "window_demand"}
    right |= {"unit_price", "revenue_at_risk", "forecast_revenue"}
    what = "last-time buys per BOM part" if by == "part" else "revenue at risk per product"
    return (
        f"Consolidated {what} as of {report['as_of']} ({report['totals']['currency']})\n"
        + text_table(rows, CONSOLIDATED_COLUMNS[by], right)
        + consolidated_line(report)
    )


def top_exposures(report: dict, limit: int = 10) -> list[dict]:
    quantified = [n for n in report["notices"] if n["total_ltb_cost"] is not None]
    return sorted(quantified, key=lambda n: -(n["total_ltb_cost"] + n["total_revenue_at_risk"]))[:limit]


def to_markdown(report: dict, limit: int = 10) -> str:
    """The top exposures as a markdown table (Dagster shows it as asset metadata)."""
    lines = [
        "| notice | manufacturer | LTB | days | LTB cost | revenue at risk |",
        "|---|---|---|---:|---:|---:|",
    ]
    for n in top_exposures(report, limit):
        lines.append(
            f"| {n['notice_number']} | {n['manufacturer']} | {n['last_time_buy_date']} | {n['days_to_ltb']} "
            f"| {_fmt_money(n['total_ltb_cost'])} | {_fmt_money(n['total_revenue_at_risk'])} |"
        )
    if len(lines) == 2:
        lines.append("| (no discontinuance with a last-time-buy date touches the BOM) | | | | | |")
    return "\n".join(lines)


def bar_chart(notices: list[dict], currency: str = "USD") -> str:
    """Two bar panels per notice, each on its own scale: LTB cost (orange) and revenue at risk (blue),
    each notice's own figures (a part two notices name is in both bars)."""
    rows = [n for n in notices if n["total_ltb_cost"] or n["total_revenue_at_risk"]][:20]  # no $0.00 bars
    if not rows:
        return "<p>No discontinuance notice with a last-time-buy date puts an amount at risk.</p>"
    top_cost = max(n["total_ltb_cost"] for n in rows) or 1.0
    top_rev = max(n["total_revenue_at_risk"] for n in rows) or 1.0
    label_w, bar_w, gap, row_h = 290, 300, 130, 26
    width, height = label_w + 2 * (bar_w + gap), row_h * len(rows) + 34
    parts = [  # the viewBox lets it scale down to a narrow screen (CSS: max-width 100%)
        f'<svg id="exposure-chart" role="img" aria-label="Exposure per notice (each notice\'s own figures)" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg" font-size="12">',
        f'<text x="{label_w}" y="14" font-weight="bold">last-time-buy cost</text>',
        f'<text x="{label_w + bar_w + gap}" y="14" font-weight="bold">revenue at risk</text>',
    ]
    for i, n in enumerate(rows):
        y = i * row_h + 24
        cost_w, rev_w = bar_w * n["total_ltb_cost"] / top_cost, bar_w * n["total_revenue_at_risk"] / top_rev
        label = f"{n['notice_number']} ({n['manufacturer']})"
        parts += [
            f'<text x="0" y="{y + 12}">{escape(label[:40])}</text>',
            f'<rect class="bar ltb-cost" x="{label_w}" y="{y}" width="{cost_w:.1f}" height="16" fill="#e8590c">'
            f"<title>LTB cost {money(n['total_ltb_cost'], currency)}</title></rect>",
            f'<text x="{label_w + cost_w + 4:.1f}" y="{y + 12}">{money(n["total_ltb_cost"], currency)}</text>',
            f'<rect class="bar revenue" x="{label_w + bar_w + gap}" y="{y}" width="{rev_w:.1f}" height="16" fill="#1c7ed6">'
            f"<title>Revenue at risk {money(n['total_revenue_at_risk'], currency)}</title></rect>",
            f'<text x="{label_w + bar_w + gap + rev_w + 4:.1f}" y="{y + 12}">{money(n["total_revenue_at_risk"], currency)}</text>',
        ]
    parts.append("</svg>")
    return "".join(parts)


def timeline(notices: list[dict], as_of: date) -> str:
    """Last-time-buy deadlines on a time axis, today marked."""
    dated = [n for n in notices if n["last_time_buy_date"]]
    if not dated:
        return ""
    days = [n["days_to_ltb"] for n in dated] + [0]
    lo, hi = min(days), max(days)
    span = (hi - lo) or 1
    width, pad = 1000, 40
    x = lambda d: pad + (d - lo) / span * (width - 2 * pad)  # noqa: E731
    height = 40 + 18 * len(dated)
    parts = [
        f'<svg id="ltb-timeline" role="img" aria-label="Last-time-buy deadlines" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg" font-size="11">',
        f'<line x1="{pad}" y1="20" x2="{width - pad}" y2="20" stroke="#868e96"/>',
        f'<line x1="{x(0):.1f}" y1="8" x2="{x(0):.1f}" y2="{30 + 18 * len(dated)}" stroke="#2b8a3e" stroke-dasharray="4"/>',
        f'<text x="{x(0) + 3:.1f}" y="12" fill="#2b8a3e">today ({as_of.isoformat()})</text>',
    ]
    for i, n in enumerate(sorted(dated, key=lambda n: n["days_to_ltb"])):
        cx, color = x(n["days_to_ltb"]), "#c92a2a" if n["days_to_ltb"] < 90 else "#e67700"
        parts.append(f'<circle class="deadline" cx="{cx:.1f}" cy="20" r="5" fill="{color}"/>')
        parts.append(
            f'<text x="{min(cx, width - 300):.1f}" y="{40 + 18 * i}">{escape(n["notice_number"])}: '
            f"{n['last_time_buy_date']} ({n['days_to_ltb']} days)</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


MAX_HTML_LINES = 2000


def _notices_with_lines(notices: list[dict]) -> int:
    """How many notices' lines the page shows: whole notices, up to about ``MAX_HTML_LINES`` rows."""
    rows = 0
    for i, n in enumerate(notices):
        rows += sum(1 + len(p["products"]) for p in n["parts"]) or 1
        if rows > MAX_HTML_LINES:
            return max(i, 1)
    return len(notices)


def to_html(report: dict, base: str | None = None) -> str:
    """The report page; ``base`` (``RADAR_PUBLIC_URL``) links each notice to its page on the desk."""
    currency = (report.get("totals") or {}).get("currency", "USD")
    return render(
        "report.html",
        report={"warnings": [], "needs_review": []} | report,
        base=base,
        currency=currency,
        chart=Markup(bar_chart(top_exposures(report, 20), currency)),
        timeline=Markup(timeline(report["notices"], date.fromisoformat(report["as_of"]))),
        shown=_notices_with_lines(report["notices"]),
        changes=Markup(html_section(report.get("changes", []))),
    )


def write_reports(report: dict, directory: str | Path, stem: str, base: str | None = None) -> dict[str, Path]:
    """Write the HTML page and the CSV lines; returns their paths."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    paths = {"html": directory / f"{stem}.html", "csv": directory / f"{stem}.csv"}
    paths["html"].write_text(to_html(report, base), encoding="utf-8")
    paths["csv"].write_text(to_csv(report), encoding="utf-8")
    return paths
