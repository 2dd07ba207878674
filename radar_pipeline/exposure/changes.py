"""What a change or NRND notice means for us: the products carrying the part, the risk, the deadline.

A change notice is work with a deadline: under J-STD-046 / the ZVEI practice a change counts as
accepted when the customer does not object within the response period, so engineering must judge
in time whether the change needs requalification. The risk follows from what changes (the
table below) and from what the notice says about form, fit and function; the days left count to
the response deadline. Plain Python: the ``change_impact`` asset and the CLI call it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import pandas as pd
from sqlalchemy import Engine, and_, delete, insert, select

from radar_pipeline.db.schema import change_impacts, notices
from radar_pipeline.db.values import as_date

# The risk table (README "Change notices"): what a change can do to a qualified product.
RISK_BY_CATEGORY = {
    "design": "high",  # new die, firmware, mask: behaviour may differ
    "wafer_fab": "high",  # another fab or process: parameters shift
    "datasheet": "high",  # the specification itself changes
    "assembly": "medium",  # another site or process: same die, new package build
    "test": "medium",
    "material": "medium",  # mold compound, leadframe, wire, plating
    "discontinuance": "medium",  # the unchanged material ends: buy or accept
    "other": "medium",  # unknown kind: a person judges
    "packing": "low",  # reel, tray, label, box
    "ordering": "low",  # ordering code only
}
RISK_BY_FFF = {"fit": "high", "function": "high", "form": "medium"}  # form only: at least medium
NRND_RISK = "medium"  # no new designs: existing products keep shipping, new ones must choose another part
RANK = {"low": 0, "medium": 1, "high": 2}


def risk_of(notice_type: str, change: dict | None) -> str | None:
    """The highest risk of the notice's categories and form/fit/function impacts; ``None`` when the
    notice says nothing we can grade (a person looks)."""
    if notice_type == "nrnd":
        return NRND_RISK
    change = change or {}
    levels = [RISK_BY_CATEGORY[c] for c in change.get("categories") or [] if c in RISK_BY_CATEGORY]
    levels += [RISK_BY_FFF[x] for x in change.get("form_fit_function") or []]
    return max(levels, key=RANK.__getitem__) if levels else None


NO_CATEGORY, NO_DEADLINE = "no change category read", "no response deadline read"


def review_reason(notice_type: str, change: dict | None) -> str | None:
    """Why a change notice touching the BOM needs a person: no category or no response deadline read."""
    if notice_type != "change":
        return None
    change = change or {}
    reasons = []
    if not change.get("categories"):
        reasons.append(NO_CATEGORY)
    if not change.get("response_deadline"):
        reasons.append(NO_DEADLINE)
    return "; ".join(reasons) or None


def forecast_units(demand: pd.DataFrame, product_id: str, from_day: date) -> float:
    """The product's forecast units from ``from_day``'s month on: the units that will carry changed parts."""
    first = f"{from_day.year:04d}-{from_day.month:02d}"
    rows = demand[(demand["product_id"] == product_id) & (demand["month"] >= first)]
    return float(rows["quantity"].sum())


def impacts_of(
    report: dict, changes: dict[int, dict | None], owners: dict[str, str], demand: pd.DataFrame, as_of: date
) -> list[dict]:
    """One impact per change or NRND notice of ``report`` (the stored exposure) touching the BOM."""
    out = []
    for n in report["notices"]:
        if n["notice_type"] not in ("change", "nrnd") or not n["parts"]:
            continue
        change = changes.get(n["notice_id"]) or {}
        effective = as_date(change.get("effective_date"))
        start = max(effective, as_of) if effective else as_of
        products: dict[str, dict] = {}
        for part in n["parts"]:
            for use in part["products"]:
                entry = products.setdefault(
                    use["product_id"],
                    {
                        "product_id": use["product_id"],
                        "owner": owners.get(use["product_id"]),
                        "parts": [],
                        "extended_qty": 0.0,
                        "match_type": "exact",
                    },
                )
                entry["parts"].append(part["mpn"])
                entry["extended_qty"] += use["extended_qty"]
                if part["match_type"] != "exact":
                    entry["match_type"] = part["match_type"]
        for entry in products.values():
            entry["forecast_units"] = forecast_units(demand, entry["product_id"], start)
        reasons = [review_reason(n["notice_type"], change)]
        if not any(p["match_type"] == "exact" for p in n["parts"]):
            reasons.append("only packaging-family matches: check the part")
        out.append(
            {
                "notice_id": n["notice_id"],
                "notice_type": n["notice_type"],
                "categories": list(change.get("categories") or []),
                "form_fit_function": list(change.get("form_fit_function") or []),
                "risk": risk_of(n["notice_type"], change),
                "effective_date": effective,
                "response_deadline": as_date(change.get("response_deadline")),
                "evidence": change.get("evidence") or None,
                "products": sorted(products.values(), key=lambda e: e["product_id"]),
                "review_reason": "; ".join(r for r in reasons if r) or None,
            }
        )
    return out


def write_impacts(engine: Engine, days: Sequence[date], day_of: dict[int, date], rows: list[dict]) -> None:
    """Replace the days' impacts (idempotent re-materialization)."""
    with engine.begin() as conn:
        conn.execute(delete(change_impacts).where(change_impacts.c.partition_day.in_(list(days))))
        if rows:
            conn.execute(
                insert(change_impacts), [r | {"partition_day": day_of[r["notice_id"]]} for r in rows]
            )


def unsettled(rows: list[dict]) -> list[int]:
    """The asset check: impacts with neither a risk and a deadline nor a review reason."""
    return [
        r["notice_id"]
        for r in rows
        if not r["review_reason"]
        and (r["risk"] is None or (r["notice_type"] == "change" and not r["response_deadline"]))
    ]


def stored_impacts(
    engine: Engine, as_of: date, days: Sequence[date] | None = None, risk: str | None = None
) -> list[dict]:
    """The stored impacts with their notice, soonest response deadline first, ``days_left`` to it."""
    c, n = change_impacts.c, notices.c
    q = select(
        c.notice_id,
        n.notice_number,
        n.manufacturer,
        n.source_event_id,
        c.notice_type,
        c.categories,
        c.form_fit_function,
        c.risk,
        c.effective_date,
        c.response_deadline,
        c.evidence,
        c.products,
        c.review_reason,
    ).join(notices, and_(n.id == c.notice_id, n.partition_day == c.partition_day))  # the notice's latest day
    if days is not None:
        q = q.where(c.partition_day.in_(list(days)))
    if risk:
        q = q.where(c.risk == risk)
    with engine.connect() as conn:
        rows = [dict(r._mapping) for r in conn.execute(q)]
    for r in rows:
        r["effective_date"], r["response_deadline"] = (
            as_date(r["effective_date"]),
            as_date(r["response_deadline"]),
        )
        r["days_left"] = (r["response_deadline"] - as_of).days if r["response_deadline"] else None
    rows.sort(
        key=lambda r: (r["response_deadline"] is None, r["response_deadline"] or as_of, r["notice_number"])
    )
    return rows


def to_json(row: dict) -> dict:
    """An impact as ``radar changes --format json`` prints it (and the notification reads it)."""
    return {k: (v.isoformat() if isinstance(v, date) else v) for k, v in row.items()}


FLAT_COLUMNS = [
    "notice_number",
    "manufacturer",
    "type",
    "categories",
    "form_fit_function",
    "risk",
    "effective_date",
    "response_deadline",
    "days_left",
    "products",
    "forecast_units",
    "review_reason",
]


def to_csv(rows: list[dict]) -> str:
    import csv
    import io

    buf = io.StringIO()
    writer = csv.DictWriter(buf, FLAT_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(flat_rows(rows))
    return buf.getvalue()


def flat_rows(rows: list[dict]) -> list[dict]:
    """One line per impact for tables and CSV."""
    return [
        {
            "notice_number": r["notice_number"],
            "manufacturer": r["manufacturer"],
            "type": r["notice_type"],
            "categories": ",".join(r["categories"]),
            "form_fit_function": ",".join(r["form_fit_function"]),
            "risk": r["risk"] or "",
            "effective_date": r["effective_date"].isoformat() if r["effective_date"] else "",
            "response_deadline": r["response_deadline"].isoformat() if r["response_deadline"] else "",
            "days_left": "" if r["days_left"] is None else r["days_left"],
            "products": ",".join(p["product_id"] for p in r["products"]),
            "forecast_units": sum(p["forecast_units"] for p in r["products"]),
            "review_reason": r["review_reason"] or "",
        }
        for r in rows
    ]


def html_section(rows: list[dict]) -> str:
    """The report's "Changes" (soonest response deadline first) and "NRND" sections."""
    from html import escape

    def table(items: list[dict], table_id: str, cols: list[str]) -> str:
        if not items:
            return f'<p id="{table_id}">none touch the BOM</p>'
        head = "".join(f"<th>{escape(c)}</th>" for c in cols)
        body = "".join(
            f'<tr class="risk-{escape(str(r["risk"]))}">'
            + "".join(f"<td>{escape(str(r[c]))}</td>" for c in cols)
            + "</tr>"
            for r in items
        )
        return f'<table id="{table_id}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'

    flat = flat_rows(rows)
    changes = [r for r in flat if r["type"] == "change"]
    nrnd = [r for r in flat if r["type"] == "nrnd"]
    return (
        f'<h2 id="changes">Changes ({len(changes)})</h2><p>Change notices touching the BOM, soonest response '
        "deadline first: after it the change counts as accepted.</p>"
        + table(
            changes,
            "changes-table",
            [
                "notice_number",
                "manufacturer",
                "categories",
                "form_fit_function",
                "risk",
                "products",
                "forecast_units",
                "effective_date",
                "response_deadline",
                "days_left",
                "review_reason",
            ],
        )
        + f'<h2 id="nrnd">NRND ({len(nrnd)})</h2><p>Not recommended for new designs: products carrying the part.</p>'
        + table(nrnd, "nrnd-table", ["notice_number", "manufacturer", "products", "forecast_units"])
    )
