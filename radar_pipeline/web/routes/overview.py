"""``/``: the exposure per notice, the next last-time-buy deadlines and the size of the review queue."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Depends, Request
from markupsafe import Markup

from radar_pipeline.clock import utc_today
from radar_pipeline.exposure.changes import stored_impacts
from radar_pipeline.exposure.report import bar_chart, top_exposures
from radar_pipeline.exposure.service import current_exposure
from radar_pipeline.web.auth import User
from radar_pipeline.web.deps import page, reader
from radar_pipeline.web.routes.notices import RESPONSE_NEAR_DAYS

router = APIRouter()
NEXT_DEADLINES = 8
LTB_NEAR_DAYS = 90  # a last-time buy this close is marked urgent: an order needs approval and a PO


def next_deadlines(notices: list[dict], impacts: list[dict], limit: int = NEXT_DEADLINES) -> list[dict]:
    """The dates still ahead, soonest first: last-time buys of the notices, and response deadlines of the
    change and NRND notices touching the BOM (after one, a change counts as accepted)."""
    dates = [
        {
            "kind": "last-time buy",
            "date": n["last_time_buy_date"],
            "days": n["days_to_ltb"],
            "urgent": n["days_to_ltb"] < LTB_NEAR_DAYS,
            "notice": n,
        }
        for n in notices
        if n["days_to_ltb"] is not None and n["days_to_ltb"] >= 0
    ]
    dates += [
        {
            "kind": "response deadline",
            "date": i["response_deadline"].isoformat(),
            "days": i["days_left"],
            "urgent": i["days_left"] <= RESPONSE_NEAR_DAYS,
            "notice": i,
        }
        for i in impacts
        if i["days_left"] is not None and i["days_left"] >= 0
    ]
    return sorted(dates, key=lambda d: (d["days"], d["kind"], d["notice"]["notice_number"]))[:limit]


@router.get("/")
def overview(request: Request, user: User = Depends(reader)):
    settings = request.app.state.settings
    as_of: date = utc_today()
    report = current_exposure(
        request.app.state.engine, settings.safety_stock, as_of, currency=settings.currency
    )
    return page(
        request,
        "overview.html",
        report=report,
        deadlines=next_deadlines(report["notices"], stored_impacts(request.app.state.engine, as_of)),
        chart=Markup(bar_chart(top_exposures(report, 20), settings.currency)),
    )
