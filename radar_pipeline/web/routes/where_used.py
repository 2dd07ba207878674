"""``/part?id=…`` and ``/product?id=…``: where-used pages — every notice reaching a BOM part or a product,
its decision, and the consolidated last-time buy (a part) or revenue at risk (a product).

"What hits ARM-200?" and "every notice on P-1002" are read from the same report as the overview, so a
figure here is the overview's figure.
"""

from __future__ import annotations

import pandas as pd
from fastapi import APIRouter, Depends, HTTPException, Request

from radar_pipeline.bom.store import load_bom
from radar_pipeline.bom.where_used import BomGraph
from radar_pipeline.exposure.consolidated import forecast_revenue
from radar_pipeline.web.auth import User
from radar_pipeline.web.data import desk_report
from radar_pipeline.web.deps import page, reader

router = APIRouter()
MAX_ID = 128  # a BOM id is at most this long: a longer one names nothing


def _reaching(notices: list[dict], reaches) -> list[dict]:
    """The notices with a line ``reaches(part)`` accepts, each with those lines (soonest date first, as
    the report orders them)."""
    out = []
    for n in notices:
        lines = [p for p in n["parts"] if reaches(p)]
        if lines:
            out.append({"notice": n, "lines": lines})
    return out


def _one(frame: pd.DataFrame, column: str, id: str, what: str) -> dict:
    """The BOM row named ``id`` (404 naming what was asked for when there is none)."""
    rows = frame[frame[column] == id] if len(id) <= MAX_ID else frame.iloc[0:0]
    if rows.empty:
        raise HTTPException(404, f"no {what} {id[:MAX_ID]}")
    return rows.iloc[0].to_dict()


@router.get("/part")
def part(request: Request, id: str, user: User = Depends(reader)):
    engine = request.app.state.engine
    bom = load_bom(engine)
    info = _one(bom.parts, "part_id", id, "BOM part")
    mpns = [(info["mpn"], info.get("manufacturer"))] + [
        (a["mpn"], a["manufacturer"])
        for a in bom.alternates[bom.alternates["part_id"] == id].to_dict("records")
    ]
    stock = bom.inventory[bom.inventory["part_id"] == id]["on_hand"]
    used = BomGraph(bom.bom, bom.products["product_id"]).where_used([id])
    report, _ = desk_report(engine, request.app.state.snapshots)
    consolidated = next((p for p in report["by_part"] if p["part_id"] == id), None)
    return page(
        request,
        "part.html",
        part=info,
        mpns=mpns,
        on_hand=float(stock.iloc[0]) if len(stock) else 0.0,
        used_in=used.sort_values("product_id").to_dict("records"),
        consolidated=consolidated,
        reaching=_reaching(report["notices"], lambda p: p["part_id"] == id),
    )


@router.get("/product")
def product(request: Request, id: str, user: User = Depends(reader)):
    engine = request.app.state.engine
    bom = load_bom(engine)
    info = _one(bom.products, "product_id", id, "product")
    report, _ = desk_report(engine, request.app.state.snapshots)
    consolidated = next((u for u in report["by_product"] if u["product_id"] == id), None)
    reaching = _reaching(report["notices"], lambda p: any(u["product_id"] == id for u in p["products"]))
    return page(
        request,
        "product.html",
        product=info,
        forecast=forecast_revenue(bom).get(id, 0.0),
        consolidated=consolidated,
        by_part={p["part_id"]: p for p in report["by_part"]},
        reaching=reaching,
    )
