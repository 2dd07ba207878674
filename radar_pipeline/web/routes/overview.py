"""``/``: the exposure per notice, the next last-time-buy deadlines and the size of the review queue."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Depends, Request
from markupsafe import Markup

from radar_pipeline.clock import utc_today
from radar_pipeline.exposure.report import bar_chart, top_exposures
from radar_pipeline.exposure.service import current_exposure
from radar_pipeline.web.auth import User
from radar_pipeline.web.deps import page, reader

router = APIRouter()
NEXT_DEADLINES = 5


def next_deadlines(notices: list[dict], limit: int = NEXT_DEADLINES) -> list[dict]:
    """The discontinuances whose last-time buy is still ahead, soonest first."""
    ahead = [n for n in notices if n["days_to_ltb"] is not None and n["days_to_ltb"] >= 0]
    return sorted(ahead, key=lambda n: n["days_to_ltb"])[:limit]


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
        deadlines=next_deadlines(report["notices"]),
        chart=Markup(bar_chart(top_exposures(report, 20), settings.currency)),
    )
