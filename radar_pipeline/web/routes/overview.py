"""``/``: the exposure per notice, the next last-time-buy deadlines and the size of the review queue."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from markupsafe import Markup

from radar_pipeline.exposure.report import bar_chart, top_exposures
from radar_pipeline.notices.decisions import STATES
from radar_pipeline.web.auth import User
from radar_pipeline.web.data import bom_ids_named, bom_loaded, desk_report
from radar_pipeline.web.deps import page, reader
from radar_pipeline.web.export import XLSX_MEDIA_TYPE, to_csv, to_xlsx
from radar_pipeline.web.find import (
    NOTICE_TYPES,
    PAGE_SIZES,
    REVIEW_STATES,
    RISKS,
    NoticeQuery,
    page_of,
    selected,
)
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
    report, impacts = desk_report(request.app.state.engine, request.app.state.snapshots)
    query = NoticeQuery.from_params(request.query_params)
    rows = selected(report["notices"], query, report["search_text"])
    return page(
        request,
        "overview.html",
        report=report,
        query=query,
        named=bom_ids_named(request.app.state.engine, query.q),
        has_bom=bom_loaded(request.app.state.engine),
        shown=page_of(rows, query),
        notice_types=NOTICE_TYPES,
        review_states=REVIEW_STATES,
        risks=RISKS,
        decision_states=STATES,
        page_sizes=PAGE_SIZES,
        deadlines=next_deadlines(report["notices"], impacts),
        chart=Markup(bar_chart(top_exposures(report, 20), request.app.state.settings.currency)),
    )


def _selection(request: Request) -> tuple[str, list[dict]]:
    """The overview's selection for the request's query string (search, filters, order), every page, and
    the report's date."""
    report, _ = desk_report(request.app.state.engine, request.app.state.snapshots)
    query = NoticeQuery.from_params(request.query_params)
    return report["as_of"], selected(report["notices"], query, report["search_text"])


def _download(body: str | bytes, media_type: str, name: str) -> Response:
    return Response(
        body, media_type=media_type, headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )


@router.get("/export.csv")
def export_csv(request: Request, user: User = Depends(reader)):
    """The overview's selection as CSV."""
    as_of, rows = _selection(request)
    body = to_csv(rows, request.app.state.settings.currency)
    return _download(body, "text/csv; charset=utf-8", f"radar-notices-{as_of}.csv")


@router.get("/export.xlsx")
def export_xlsx(request: Request, user: User = Depends(reader)):
    """The overview's selection as an Excel workbook: the CSV's columns, typed."""
    as_of, rows = _selection(request)
    body = to_xlsx(rows, request.app.state.settings.currency)
    return _download(body, XLSX_MEDIA_TYPE, f"radar-notices-{as_of}.xlsx")
