"""The stored exposure: a report's lines as ``exposure_lines`` rows, and those rows read back.

The ``exposure`` asset writes one row per (notice, part, product) — a part used by
no product gets one row without a product — and the ``notifications`` asset
reads them back into the report shape its mails are written from. Nothing is
computed again on the way back: the totals are the sums the report states
(CONTRACT §6: only ``exact`` matches of a quantified notice count, a product
once per notice).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date

import pandas as pd
from sqlalchemy import Engine, select

from radar_pipeline.db.schema import exposure_lines
from radar_pipeline.db.values import frame_of
from radar_pipeline.exposure.model import money

LINE_COLUMNS = [
    "notice_id",
    "part_id",
    "mpn",
    "replacement_mpn",
    "match_type",
    "product_id",
    "extended_qty",
    "window_demand",
    "need",
    "ltb_qty",
    "ltb_cost",
    "revenue_at_risk",
]


def _int(value) -> int | None:
    return None if value is None or value != value else int(value)


def to_rows(report: dict, lineage: dict, version_id: int | None) -> list[dict]:
    """``exposure_lines`` rows of a report; ``lineage`` maps notice id to its partition day and extraction."""
    rows = []
    for n in report["notices"]:
        m = lineage[n["notice_id"]]
        for p in n["parts"]:
            for u in p["products"] or [{}]:
                rows.append(
                    {
                        "partition_day": m["partition_day"],
                        "notice_id": n["notice_id"],
                        "source_event_id": n["source_event_id"],
                        "extraction_id": _int(m["extraction_id"]),
                        "bom_version_id": version_id,
                        "part_id": p["part_id"],
                        "mpn": p["mpn"],
                        "replacement_mpn": p["replacement_mpn"],
                        "match_type": p["match_type"],
                        "product_id": u.get("product_id"),
                        "extended_qty": u.get("extended_qty"),
                        "window_demand": u.get("window_demand"),
                        "need": p["need"],
                        "ltb_qty": p["ltb_qty"],
                        "ltb_cost": p["ltb_cost"],
                        "revenue_at_risk": u.get("revenue_at_risk"),
                    }
                )
    return rows


def stored_lines(engine: Engine, days: Sequence[date]) -> pd.DataFrame:
    """The ``exposure_lines`` of ``days`` (the notices stored on those days)."""
    c = exposure_lines.c
    q = select(*[c[name] for name in LINE_COLUMNS]).where(c.partition_day.in_(list(days))).order_by(c.id)
    with engine.connect() as conn:
        return frame_of(conn.execute(q), LINE_COLUMNS)


def _value(v):
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return None
    return int(v) if isinstance(v, float) and v.is_integer() else v


def _iso(value) -> str | None:
    return value.isoformat() if isinstance(value, date) else None


def report_from_lines(notices: pd.DataFrame, lines: pd.DataFrame, as_of: date) -> dict:
    """The report shape of ``compute_exposure`` for the notices that have stored lines.

    ``notices`` is ``load_notices``' frame of the same days.
    """
    parts_of: dict[int, dict[str, dict]] = {}
    columns = [lines[c].tolist() for c in LINE_COLUMNS]
    for notice_id, part_id, mpn, replacement, match_type, product_id, ext, wd, need, qty, cost, rev in zip(
        *columns, strict=True
    ):
        parts = parts_of.setdefault(int(notice_id), {})
        part = parts.get(part_id)
        if part is None:  # the part's own numbers repeat on each of its product lines
            part = parts[part_id] = {
                "mpn": mpn,
                "part_id": part_id,
                "match_type": match_type,
                "replacement_mpn": replacement if isinstance(replacement, str) else None,
                "need": _value(need),
                "ltb_qty": _value(qty),
                "ltb_cost": _value(cost),
                "products": [],
            }
        if isinstance(product_id, str):
            part["products"].append(
                {
                    "product_id": product_id,
                    "extended_qty": float(ext),
                    "window_demand": _value(wd),
                    "revenue_at_risk": _value(rev),
                }
            )
    out = []
    for n in notices.to_dict("records"):
        found = parts_of.get(int(n["notice_id"]))
        if not found:
            continue
        ltb = n["last_time_buy_date"] if isinstance(n["last_time_buy_date"], date) else None
        quantified = n["notice_type"] == "discontinuance" and ltb is not None
        parts = sorted(found.values(), key=lambda p: (p["match_type"], p["mpn"] or "", p["part_id"]))
        counted = [p for p in parts if quantified and p["match_type"] == "exact"]
        for p in parts:
            p["counted"] = quantified and p["match_type"] == "exact"
        revenue = {u["product_id"]: u["revenue_at_risk"] or 0.0 for p in counted for u in p["products"]}
        out.append(
            {
                "notice_id": int(n["notice_id"]),
                "notice_number": n["notice_number"],
                "manufacturer": n["manufacturer"],
                "notice_type": n["notice_type"],
                "issue_date": _iso(n["issue_date"]),
                "last_time_buy_date": _iso(ltb),
                "last_ship_date": _iso(n["last_ship_date"]),
                "days_to_ltb": (ltb - as_of).days if ltb else None,
                "source_event_id": int(n["source_event_id"]),
                "corrected_by": n.get("corrected_by") if isinstance(n.get("corrected_by"), str) else None,
                "total_ltb_cost": money(sum(p["ltb_cost"] or 0.0 for p in counted)) if quantified else None,
                "total_revenue_at_risk": money(sum(revenue.values())) if quantified else None,
                "parts": parts,
            }
        )
    return {"as_of": as_of.isoformat(), "notices": out}
