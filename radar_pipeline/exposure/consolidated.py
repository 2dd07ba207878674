"""The consolidated exposure of CONTRACT §6: one last-time-buy decision per BOM part, one revenue figure
per product, and the totals the desk shows.

A report lists each notice with its own figures: a part two notices name appears twice, a product two
notices reach is at risk twice. Summing those buys the part twice and can put more revenue at risk than
the company will ever make. Here, over the counted lines (``exact``, discontinuance with a date, no
approved alternate covering the part) of every listed notice:

    L(p)                   = the earliest last-time buy of the lines naming part p
    need(p)                = Σ_products window_demand(P, L(p)) × extended_qty(P, p)
    ltb_qty(p), ltb_cost(p)  as per notice, from need(p): the part is bought once
    L(P)                   = the earliest L(p) over the counted parts product P uses
    revenue_at_risk(P)     = window_demand(P, L(P)) × unit_price(P)
    totals                 = Σ_p ltb_cost(p), Σ_P revenue_at_risk(P)

A product's window is a part of its forecast, so its revenue at risk never exceeds its forecast revenue
(``forecast_revenue``, stated beside it).
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from radar_pipeline.bom.data import BomData
from radar_pipeline.exposure.model import json_number, ltb_quantity, money, window_demand


def _month(day: str) -> str:
    return day[:7]


def _counted_lines(notices: list[dict]) -> dict[str, dict]:
    """Per BOM part: its earliest counted last-time buy, the notices and MPNs naming it, and the
    products it reaches (``extended_qty`` is the BOM's, the same on every notice)."""
    parts: dict[str, dict] = {}
    for n in notices:
        for p in n["parts"]:
            if not p.get("counted") or not p.get("last_time_buy_date"):
                continue
            entry = parts.setdefault(
                p["part_id"], {"ltb": p["last_time_buy_date"], "notices": [], "mpns": [], "products": {}}
            )
            entry["ltb"] = min(entry["ltb"], p["last_time_buy_date"])
            if n["notice_number"] not in entry["notices"]:
                entry["notices"].append(n["notice_number"])
            if p["mpn"] not in entry["mpns"]:
                entry["mpns"].append(p["mpn"])
            for u in p["products"]:
                entry["products"][u["product_id"]] = u["extended_qty"]
    return parts


def _window_demands(keys: list[tuple[str, str]], bom: BomData) -> dict[tuple[str, str], float]:
    """Σ demand after each (product, last-time-buy month), up to the product's end of life."""
    if not keys:
        return {}
    eol = bom.products.set_index("product_id")["end_of_life"]
    pairs = pd.DataFrame(keys, columns=["product_id", "ltb_month"])
    pairs["eol_month"] = [
        day.strftime("%Y-%m") if isinstance(day, date) else None for day in pairs["product_id"].map(eol)
    ]
    return dict(zip(keys, window_demand(pairs, bom.demand).tolist(), strict=True))


def forecast_revenue(bom: BomData) -> dict[str, float]:
    """Per product, its whole forecast (every month) at its unit price: the ceiling of its revenue at risk."""
    price = bom.products.set_index("product_id")["unit_price"]
    units = bom.demand.groupby("product_id")["quantity"].sum()
    return {str(pid): money(float(q) * float(price.get(pid, 0.0) or 0.0)) for pid, q in units.items()}


def consolidate(notices: list[dict], bom: BomData, safety_stock: float, as_of: date, currency: str) -> dict:
    """``by_part``, ``by_product`` and ``totals`` of the report's ``notices`` (see the module's formulas)."""
    parts = _counted_lines(notices)
    product_ltb: dict[str, str] = {}
    for entry in parts.values():
        for pid in entry["products"]:
            product_ltb[pid] = min(product_ltb.get(pid, entry["ltb"]), entry["ltb"])
    keys = {(pid, _month(e["ltb"])) for e in parts.values() for pid in e["products"]}
    keys |= {(pid, _month(ltb)) for pid, ltb in product_ltb.items()}
    demand = _window_demands(sorted(keys), bom)

    info = bom.parts.set_index("part_id")
    stock = bom.inventory.set_index("part_id")["on_hand"]
    by_part = []
    for part_id, e in parts.items():
        month = _month(e["ltb"])
        uses = [
            {
                "product_id": pid,
                "extended_qty": float(ext),
                "window_demand": json_number(demand[(pid, month)]),
            }
            for pid, ext in sorted(e["products"].items())
        ]
        need = sum(demand[(u["product_id"], month)] * u["extended_qty"] for u in uses)
        on_hand = float(stock.get(part_id, 0.0) or 0.0)
        cost = float(info["unit_cost"].get(part_id, 0.0) or 0.0)
        qty = ltb_quantity(need, safety_stock, on_hand)
        by_part.append(
            {
                "part_id": part_id,
                "mpns": e["mpns"],
                "notices": e["notices"],
                "last_time_buy_date": e["ltb"],
                "days_to_ltb": (date.fromisoformat(e["ltb"]) - as_of).days,
                "need": float(need),
                "on_hand": json_number(on_hand),
                "ltb_qty": json_number(qty),
                "unit_cost": json_number(cost),
                "ltb_cost": money(qty * cost),
                "products": uses,
            }
        )
    by_part.sort(key=lambda p: (p["last_time_buy_date"], p["part_id"]))

    price = bom.products.set_index("product_id")["unit_price"]
    names = (
        bom.products.set_index("product_id")["name"] if "name" in bom.products else pd.Series(dtype=object)
    )
    ceiling = forecast_revenue(bom)
    by_product = []
    for pid, ltb in sorted(product_ltb.items(), key=lambda x: (x[1], x[0])):
        wd = demand[(pid, _month(ltb))]
        name = names.get(pid)
        by_product.append(
            {
                "product_id": pid,
                "name": name if isinstance(name, str) and name else None,
                "last_time_buy_date": ltb,
                "parts": sorted(p for p, e in parts.items() if pid in e["products"]),
                "window_demand": json_number(wd),
                "unit_price": json_number(float(price.get(pid, 0.0) or 0.0)),
                "revenue_at_risk": money(wd * float(price.get(pid, 0.0) or 0.0)),
                "forecast_revenue": ceiling.get(pid, 0.0),
            }
        )
    totals = {
        "currency": currency,
        "parts": len(by_part),
        "products": len(by_product),
        "ltb_cost": money(sum(p["ltb_cost"] for p in by_part)),
        "revenue_at_risk": money(sum(p["revenue_at_risk"] for p in by_product)),
        "forecast_revenue": money(sum(ceiling.values())),
    }
    return {"totals": totals, "by_part": by_part, "by_product": by_product}
