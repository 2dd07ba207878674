"""The exposure model of CONTRACT §6, as vectorized functions over DataFrames.

For a discontinuance notice with last-time-buy (LTB) date L, and each product
that uses an affected part (at any BOM depth):

    window(product)         = forecast months after L's month, up to and including
                              the product's end-of-life month when it has one
    window_demand(product)  = Σ demand over the window
    need(part)              = Σ_products window_demand × extended_qty(product, part)
    ltb_qty(part)           = max(0, ceil(round(need × (1 + safety_stock), 6)) − on_hand)
    ltb_cost(part)          = ltb_qty × unit_cost                       (to the cent)
    revenue_at_risk(product)= window_demand × unit_price                (to the cent)
    days_to_ltb             = L − as-of date, in days

Only ``exact`` matches count in a notice's totals, and a product counts once in
its total revenue at risk. NRND and change notices, and notices without L, get
their where-used only (quantities and totals ``None``).

Approved alternates (exposure/alternates.py): a part may have several approved MPNs,
and a notice finds it through any of them. For a discontinuance notice N naming
part p through MPN m:

    covered_by_alternate(N, p) = the first other approved MPN of p that no listed
                                 discontinuance notice names (exact), else null
    L(N, p)                    = min(L_N, L(m') for every other approved MPN m')
                                 when every one of them is discontinued

A covered line is listed with its where-used, ``need``/``ltb_qty``/``ltb_cost`` null,
and counts in no total; an uncovered line's window, need and revenue use L(N, p),
its ``last_time_buy_date``. A product whose lines in one notice use different
dates counts once, at its largest revenue at risk (the earliest date).

A month of the forecast (its first to its last month, all products) inside a
product's window with no demand row for that product counts as zero, as the sum
above says; the report names those months (``missing_demand_months`` on the
product entries that have any, sentences under ``warnings``), because a zero that is a gap in the data
understates the need without anyone seeing it.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pandas as pd

from radar_pipeline.bom.data import BomData
from radar_pipeline.bom.matching import match_parts
from radar_pipeline.bom.where_used import BomGraph
from radar_pipeline.exposure.alternates import alternate_cover, listed_discontinued
from radar_pipeline.notices.manufacturers import same_maker

NOTICE_COLUMNS = [
    "notice_id",
    "notice_number",
    "manufacturer",
    "notice_type",
    "issue_date",
    "last_time_buy_date",
    "last_ship_date",
    "source_event_id",
    "extractor",
    "confidence",
]


def money(value: float) -> float:
    """Round to the cent, half up, from the value's shortest decimal form."""
    return float(Decimal(repr(float(value))).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def ltb_quantity(need: float, safety_stock: float, on_hand: float) -> float:
    """What to buy before the LTB date: need plus safety margin, less stock, never negative."""
    return max(0.0, math.ceil(round(need * (1 + safety_stock), 6)) - on_hand)


@dataclass(frozen=True)
class ExposureInputs:
    notices: pd.DataFrame  # NOTICE_COLUMNS
    notice_parts: pd.DataFrame  # notice_id, mpn, replacement_mpn
    bom: BomData
    graph: BomGraph | None = None  # built from ``bom`` when not given; pass one to reuse it
    matches: pd.DataFrame | None = None  # stored ``bom_matches`` rows; matched here when not given
    # ``mpn, last_time_buy_date`` of every listed discontinuance notice's parts (all stored notices, not
    # only these), asked only when needed: whether an alternate is still sold. Default: these notices'.
    discontinued: Callable[[], pd.DataFrame] | None = None


def window_demand(pairs: pd.DataFrame, demand: pd.DataFrame) -> np.ndarray:
    """Σ demand in each row's window; ``pairs`` holds ``product_id``, ``ltb_month`` and ``eol_month``."""
    rows = pairs[["product_id", "ltb_month", "eol_month"]].reset_index(drop=True)
    rows = rows.rename_axis("row").reset_index()
    rows = rows.merge(demand[["product_id", "month", "quantity"]], on="product_id", how="left")
    in_window = (rows["month"] > rows["ltb_month"]) & (
        rows["eol_month"].isna() | (rows["month"] <= rows["eol_month"])
    )
    rows["quantity"] = rows["quantity"].where(in_window, 0.0).fillna(0.0)
    sums = rows.groupby("row")["quantity"].sum()
    return sums.reindex(range(len(pairs)), fill_value=0.0).to_numpy(dtype=float)


def forecast_months(demand: pd.DataFrame) -> list[str]:
    """Every month from the forecast's first to its last (``YYYY-MM``), gaps included."""
    if demand.empty:
        return []
    first, last = demand["month"].min(), demand["month"].max()
    return [str(p) for p in pd.period_range(first, last, freq="M")]


def missing_months(pairs: pd.DataFrame, demand: pd.DataFrame) -> list[list[str]]:
    """Per (notice, product) pair, the forecast months of its window the product has no demand row for."""
    months = forecast_months(demand)
    present = demand.groupby("product_id")["month"].nunique()
    gapped = set(pairs["product_id"]) - set(present.index[present == len(months)])
    if not gapped:  # the usual case: every product has every month
        return [[] for _ in range(len(pairs))]
    have = demand[demand["product_id"].isin(gapped)].groupby("product_id")["month"].agg(set).to_dict()
    gaps = {p: [m for m in months if m not in have.get(p, ())] for p in gapped}
    return [
        [m for m in gaps.get(p, ()) if m > ltb and (pd.isna(eol) or m <= eol)]
        for p, ltb, eol in zip(pairs["product_id"], pairs["ltb_month"], pairs["eol_month"], strict=True)
    ]


def _month(value) -> str | None:
    return value.strftime("%Y-%m") if isinstance(value, date) else None


def exposure_lines(inputs: ExposureInputs, safety_stock: float) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per (notice, part) and per (notice, part, product) frames with every number computed.

    Both carry ``quantified`` (a discontinuance line with a date, no alternate covering it), ``ltb``
    (the date it counts at) and ``covered_by_alternate``.
    """
    notices, bom = inputs.notices, inputs.bom
    matches = inputs.matches
    if matches is None:
        matches = match_parts(inputs.notice_parts, bom.approved_mpns())
    discontinued = inputs.discontinued or (lambda: listed_discontinued(notices, inputs.notice_parts))
    matches = alternate_cover(matches, notices, bom, discontinued)
    is_disc = notices.set_index("notice_id")["notice_type"].eq("discontinuance")
    matches["quantified"] = (
        matches["notice_id"].map(is_disc).fillna(False).astype(bool)
        & matches["ltb"].map(lambda d: isinstance(d, date)).astype(bool)
        & matches["covered_by_alternate"].isna()
    )
    matches["ltb_month"] = matches["ltb"].map(_month)  # per (notice, part): its lines are many more
    graph = inputs.graph or BomGraph(bom.bom, bom.products["product_id"])
    used = graph.where_used(matches["part_id"])
    lines = matches.merge(used, on="part_id", how="inner")

    keys = ["notice_id", "ltb_month", "product_id"]
    pairs = lines.loc[lines["quantified"], keys].drop_duplicates()
    eol_month = bom.products.set_index("product_id")["end_of_life"].map(_month)
    pairs["eol_month"] = pairs["product_id"].map(eol_month)
    pairs["window_demand"] = window_demand(pairs, bom.demand) if len(pairs) else 0.0
    pairs["missing_months"] = missing_months(pairs, bom.demand) if len(pairs) else []
    price = bom.products.set_index("product_id")["unit_price"]
    pairs["revenue_at_risk"] = [
        money(w * p) for w, p in zip(pairs["window_demand"], pairs["product_id"].map(price), strict=True)
    ]

    lines = lines.merge(
        pairs[[*keys, "window_demand", "revenue_at_risk", "missing_months"]], on=keys, how="left"
    )
    lines["contribution"] = lines["window_demand"] * lines["extended_qty"]

    part_rows = matches.copy()
    need = lines.groupby(["notice_id", "part_id"], as_index=False)["contribution"].sum(min_count=1)
    part_rows = part_rows.merge(need.rename(columns={"contribution": "need"}), how="left")
    part_rows["need"] = (
        part_rows["need"].astype(float).where(~part_rows["quantified"], part_rows["need"].fillna(0.0))
    )
    stock = bom.inventory.set_index("part_id")["on_hand"]
    part_info = bom.parts.set_index("part_id")
    part_rows["on_hand"] = part_rows["part_id"].map(stock).fillna(0.0)
    part_rows["unit_cost"] = part_rows["part_id"].map(part_info["unit_cost"])
    part_rows["bom_manufacturer"] = part_rows["part_id"].map(part_info["manufacturer"])
    part_rows["ltb_qty"] = [
        ltb_quantity(n, safety_stock, h) if q else np.nan
        for n, h, q in zip(part_rows["need"], part_rows["on_hand"], part_rows["quantified"], strict=True)
    ]
    part_rows["ltb_cost"] = [
        money(qty * cost) if q else np.nan
        for qty, cost, q in zip(
            part_rows["ltb_qty"], part_rows["unit_cost"], part_rows["quantified"], strict=True
        )
    ]
    return part_rows, lines


def json_number(value) -> float | int | None:
    """JSON-friendly number: ``None`` for missing, ``int`` when whole."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    value = float(value)
    return int(value) if value.is_integer() else value


def _iso(value) -> str | None:
    return value.isoformat() if isinstance(value, date) else None


def _products_by_part(lines: pd.DataFrame) -> dict[tuple, list[dict]]:
    """Product entries per (notice, part), built in one pass over sorted plain lists."""
    lines = lines.sort_values(["notice_id", "part_id", "product_id"], kind="stable")
    out: dict[tuple, list[dict]] = {}
    for notice_id, part_id, product_id, ext, wd, rev, gaps, q in zip(
        lines["notice_id"].tolist(),
        lines["part_id"].tolist(),
        lines["product_id"].tolist(),
        lines["extended_qty"].tolist(),
        lines["window_demand"].tolist(),
        lines["revenue_at_risk"].tolist(),
        lines["missing_months"].tolist(),
        lines["quantified"].tolist(),
        strict=True,
    ):
        entry = {
            "product_id": product_id,
            "extended_qty": float(ext),
            "window_demand": json_number(wd) if q else None,
            "revenue_at_risk": json_number(rev) if q else None,
        }
        if q and gaps:  # only where the forecast has a gap: the usual product entry stays as it was
            entry["missing_demand_months"] = list(gaps)
        out.setdefault((notice_id, part_id), []).append(entry)
    return out


def demand_warnings(notices: list[dict]) -> list[str]:
    """One sentence per (notice, product) whose window has forecast months without demand."""
    out = []
    for n in notices:
        seen = {}
        for p in n["parts"]:
            for u in p["products"]:
                if u.get("missing_demand_months"):
                    seen.setdefault(u["product_id"], u["missing_demand_months"])
        out += [
            f"{n['notice_number']}: product {product} has no demand for {', '.join(months)} "
            "in the last-time-buy window; counted as 0"
            for product, months in seen.items()
        ]
    return out


def _text(value) -> str | None:
    return value if isinstance(value, str) else None


def revenue_by_product(counted_parts: list[dict]) -> dict[str, float]:
    """A notice's revenue at risk per product over its counted part lines: each product once, at its
    largest figure (lines of one product differ only when an alternate's earlier date widens one)."""
    if len({p.get("last_time_buy_date") for p in counted_parts}) <= 1:  # one window: one figure a product
        return {u["product_id"]: u["revenue_at_risk"] or 0.0 for p in counted_parts for u in p["products"]}
    out: dict[str, float] = {}
    for p in counted_parts:
        for u in p["products"]:
            out[u["product_id"]] = max(out.get(u["product_id"], 0.0), u["revenue_at_risk"] or 0.0)
    return out


def compute_exposure(inputs: ExposureInputs, safety_stock: float, as_of: date) -> dict:
    """The exposure report of CONTRACT §6 (``radar exposure --format json``)."""
    part_rows, lines = exposure_lines(inputs, safety_stock)
    notices = inputs.notices.to_dict("records")
    quantified = {
        n["notice_id"]
        for n in notices
        if n["notice_type"] == "discontinuance" and isinstance(n["last_time_buy_date"], date)
    }
    products_of = _products_by_part(lines)
    parts_of: dict = {}
    for p in part_rows.sort_values(["notice_id", "match_type", "mpn", "part_id"]).to_dict("records"):
        parts_of.setdefault(p["notice_id"], []).append(p)
    manufacturer_of = dict(zip(inputs.notices["notice_id"], inputs.notices["manufacturer"], strict=True))
    out = []
    for n in notices:
        q = n["notice_id"] in quantified
        parts = []
        for p in parts_of.get(n["notice_id"], []):
            pq = bool(p["quantified"])  # the notice is quantified and no alternate covers the part
            parts.append(
                {
                    "mpn": p["mpn"],
                    "part_id": p["part_id"],
                    "match_type": p["match_type"],
                    "counted": pq and p["match_type"] == "exact",
                    "covered_by_alternate": _text(p["covered_by_alternate"]),
                    "last_time_buy_date": _iso(p["ltb"]) if pq else None,
                    "replacement_mpn": _text(p["replacement_mpn"]),
                    "bom_manufacturer": _text(p["bom_manufacturer"]),
                    "manufacturer_agrees": same_maker(
                        manufacturer_of[n["notice_id"]], _text(p["bom_manufacturer"])
                    ),
                    "need": float(p["need"]) if pq else None,
                    "on_hand": json_number(p["on_hand"]),
                    "ltb_qty": json_number(p["ltb_qty"]) if pq else None,
                    "unit_cost": json_number(p["unit_cost"]),
                    "ltb_cost": json_number(p["ltb_cost"]) if pq else None,
                    "products": products_of.get((n["notice_id"], p["part_id"]), []),
                }
            )
        counted = [p for p in parts if p["counted"]]
        cost = sum(p["ltb_cost"] for p in counted)
        out.append(notice_entry(n, parts, as_of, q, cost, revenue_by_product(counted)))
    return assemble(out, safety_stock, as_of)


def notice_entry(
    n: dict, parts: list[dict], as_of: date, quantified: bool, ltb_cost: float, revenue: dict
) -> dict:
    """A notice of the report: its stored fields, ``parts``, and its totals (``ltb_cost``, and
    ``revenue`` by product so that a product counts once) when the notice is quantified."""
    ltb = n["last_time_buy_date"] if isinstance(n["last_time_buy_date"], date) else None
    return {
        "notice_id": json_number(n["notice_id"]),
        "notice_number": n["notice_number"],
        "manufacturer": n["manufacturer"],
        "notice_type": n["notice_type"],
        "issue_date": _iso(n["issue_date"]),
        "last_time_buy_date": _iso(ltb),
        "last_ship_date": _iso(n["last_ship_date"]),
        "days_to_ltb": (ltb - as_of).days if ltb else None,
        "source_event_id": json_number(n["source_event_id"]),
        "extractor": n["extractor"],
        "confidence": json_number(n["confidence"]),
        "corrected_by": _text(n.get("corrected_by")),
        "review": _text(n.get("review")),
        "total_ltb_cost": money(ltb_cost) if quantified else None,
        "total_revenue_at_risk": money(sum(revenue.values())) if quantified else None,
        "parts": parts,
    }


def assemble(notices: list[dict], safety_stock: float, as_of: date) -> dict:
    """The report of computed notices: soonest last-time buy first, with the demand warnings."""
    notices.sort(
        key=lambda x: (x["days_to_ltb"] is None, x["days_to_ltb"] or 0, x["manufacturer"], x["notice_number"])
    )
    return {
        "as_of": as_of.isoformat(),
        "safety_stock": safety_stock,
        "warnings": demand_warnings(notices),
        "notices": notices,
    }


def unreconciled(report: dict) -> list[str]:
    """Notices whose totals differ from the sum of their counted lines (the asset check)."""
    bad = []
    for n in report["notices"]:
        if n["total_ltb_cost"] is None:
            continue
        counted = [p for p in n["parts"] if p["counted"]]
        cost = money(sum(p["ltb_cost"] for p in counted))
        revenue = money(sum(revenue_by_product(counted).values()))
        if (cost, revenue) != (n["total_ltb_cost"], n["total_revenue_at_risk"]):
            bad.append(n["notice_number"])
    return bad
