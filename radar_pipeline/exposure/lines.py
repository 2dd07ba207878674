"""The stored exposure: a report's lines as ``exposure_lines`` rows, and those rows read back.

The ``exposure`` asset writes one row per (notice, part, product) — a part used by
no product gets one row without a product — and the ``notifications`` asset
reads them back into the report shape its mails are written from. Nothing is
computed again on the way back: the totals are the sums the report states
(CONTRACT §6: only ``exact`` matches of a quantified notice that no approved
alternate covers count, a product once per notice).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import pandas as pd
from sqlalchemy import Engine, select

from radar_pipeline.db.schema import exposure_lines
from radar_pipeline.db.values import as_date, frame_of
from radar_pipeline.exposure.model import json_number, notice_entry, revenue_by_product

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
    "covered_by_alternate",
    "last_time_buy_date",
]


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
                        "extraction_id": json_number(m["extraction_id"]),
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
                        "covered_by_alternate": p["covered_by_alternate"],
                        "last_time_buy_date": as_date(p["last_time_buy_date"]),
                    }
                )
    return rows


def _iso(value) -> str | None:
    day = as_date(value)
    return day.isoformat() if day else None


def stored_lines(engine: Engine, days: Sequence[date]) -> pd.DataFrame:
    """The ``exposure_lines`` of ``days`` (the notices stored on those days)."""
    c = exposure_lines.c
    q = select(*[c[name] for name in LINE_COLUMNS]).where(c.partition_day.in_(list(days))).order_by(c.id)
    with engine.connect() as conn:
        return frame_of(conn.execute(q), LINE_COLUMNS)


def report_from_lines(notices: pd.DataFrame, lines: pd.DataFrame, as_of: date) -> dict:
    """The report shape of ``compute_exposure`` for the notices that have stored lines.

    ``notices`` is ``load_notices``' frame of the same days.
    """
    parts_of: dict[int, dict[str, dict]] = {}
    columns = [lines[c].tolist() for c in LINE_COLUMNS]
    for (
        notice_id,
        part_id,
        mpn,
        replacement,
        match_type,
        product_id,
        ext,
        wd,
        need,
        qty,
        cost,
        rev,
        covered,
        ltb,
    ) in zip(*columns, strict=True):
        parts = parts_of.setdefault(int(notice_id), {})
        part = parts.get(part_id)
        if part is None:  # the part's own numbers repeat on each of its product lines
            part = parts[part_id] = {
                "mpn": mpn,
                "part_id": part_id,
                "match_type": match_type,
                "covered_by_alternate": covered if isinstance(covered, str) else None,
                "last_time_buy_date": _iso(ltb),
                "replacement_mpn": replacement if isinstance(replacement, str) else None,
                "need": json_number(need),
                "ltb_qty": json_number(qty),
                "ltb_cost": json_number(cost),
                "products": [],
            }
        if isinstance(product_id, str):
            part["products"].append(
                {
                    "product_id": product_id,
                    "extended_qty": float(ext),
                    "window_demand": json_number(wd),
                    "revenue_at_risk": json_number(rev),
                }
            )
    out = []
    for n in notices.to_dict("records"):
        found = parts_of.get(int(n["notice_id"]))
        if not found:
            continue
        quantified = n["notice_type"] == "discontinuance" and isinstance(n["last_time_buy_date"], date)
        parts = sorted(found.values(), key=lambda p: (p["match_type"], p["mpn"] or "", p["part_id"]))
        for p in parts:
            p["counted"] = quantified and p["match_type"] == "exact" and not p["covered_by_alternate"]
        counted = [p for p in parts if p["counted"]]
        cost = sum(p["ltb_cost"] or 0.0 for p in counted)
        out.append(notice_entry(n, parts, as_of, quantified, cost, revenue_by_product(counted)))
    return {"as_of": as_of.isoformat(), "notices": out}
