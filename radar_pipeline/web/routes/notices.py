"""``/notices/{id}``: one notice — fields, dates, parts, where they reach, the money, how it was read,
its source document and every decision about it — with the reviewer's Accept and Correct forms."""

from __future__ import annotations

from datetime import date
from urllib.parse import quote

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import Response

from radar_pipeline.clock import utc_today
from radar_pipeline.db.values import as_date
from radar_pipeline.exposure.changes import risk_of
from radar_pipeline.exposure.service import current_exposure
from radar_pipeline.notices.decisions import STATES, decisions_about
from radar_pipeline.notices.model import manufacturer_key
from radar_pipeline.review.corrections import (
    CHANGE_CATEGORIES,
    MAX_NOTE,
    decision_history,
    rereads_pending,
)
from radar_pipeline.review.queue import notice_review_states, public_item, review_items_of
from radar_pipeline.web.auth import User
from radar_pipeline.web.data import (
    find_notice_id,
    notice_record,
    notice_trail,
    product_names,
    review_now,
    source_document,
)
from radar_pipeline.web.deps import page, reader
from radar_pipeline.web.routes.params import RowId

router = APIRouter()
NOTICE_TYPES = ("discontinuance", "nrnd", "change")
RESPONSE_NEAR_DAYS = 30  # a response deadline this close is marked urgent (a PCN's period is 30 to 90 days)


def change_facts(record: dict, as_of: date) -> dict | None:
    """What a change or NRND notice (or a discontinuance stating it) changes, its risk and its dates, the
    days left to object; ``None`` for a notice that states no change and is no change or NRND."""
    change = record.get("change") or {}
    if not change and record["notice_type"] == "discontinuance":
        return None
    deadline = as_date(change.get("response_deadline"))
    days = (deadline - as_of).days if deadline else None
    return {
        "categories": list(change.get("categories") or []),
        "form_fit_function": list(change.get("form_fit_function") or []),
        "risk": risk_of(record["notice_type"], change),
        "effective_date": as_date(change.get("effective_date")),
        "response_deadline": deadline,
        "days_left": days,
        "near": days is not None and days <= RESPONSE_NEAR_DAYS,
        "samples_date": as_date(change.get("samples_date")),
        "evidence": change.get("evidence") or None,
    }


# how much of a refused form's values is shown back (a date is ten characters; nothing is echoed whole)
ECHOED = {
    "ltb": 40,
    "last_ship": 40,
    "effective": 40,
    "response_deadline": 40,
    "notice_type": 40,
    "parts": 20_000,
    "remove": 20_000,
}


def notice_exposure(request: Request, notice_id: int) -> dict:
    """The notice's exposure, from the desk's snapshot (a notice written since is computed alone)."""
    engine, settings = request.app.state.engine, request.app.state.settings
    found = request.app.state.snapshots.current().by_id.get(notice_id)
    if found is None:
        (found,) = current_exposure(engine, settings.safety_stock, utc_today(), notice_ids=[notice_id])[
            "notices"
        ]
    return found | {"review": review_now(found, notice_review_states(engine))}


def notice_page(
    request: Request, notice_id: int, status_code: int = 200, error: str | None = None, form=None
):
    """The notice page; after a refused correction it shows the error and the values typed."""
    engine = request.app.state.engine
    record = notice_record(engine, notice_id)
    if record is None:
        raise HTTPException(404, f"no notice {notice_id}")
    today = utc_today()
    exposure = notice_exposure(request, notice_id)
    items = [public_item(i) for i in review_items_of(engine) if i["notice_id"] == notice_id]
    history = [  # this maker's notice of that number ("TI" and "Texas Instruments" are one maker)
        h
        for h in decision_history(engine, record["notice_number"])
        if manufacturer_key(h["manufacturer"] or "") == record["manufacturer_key"]
    ]
    decisions = decisions_about(engine, record["manufacturer"], record["notice_number"])
    return page(
        request,
        "notice.html",
        status_code=status_code,
        notice=record,
        exposure=exposure,
        items=items,
        history=history,
        product_names=product_names(engine),
        notice_types=NOTICE_TYPES,
        change=change_facts(record, today),
        decisions=decisions,
        rereading=rereads_pending(engine).get((record["manufacturer_key"], record["notice_number"])),
        current={d["part_id"]: d for d in reversed(decisions)},  # the newest per part (None: the notice)
        decision_states=STATES,
        change_categories=CHANGE_CATEGORIES,
        trail=notice_trail(engine, record),
        error=error,
        form={k: str(v)[: ECHOED.get(k, MAX_NOTE)] for k, v in (form or {}).items()},
        chosen=set(form.getlist("category")) if form is not None else set(),
    )


@router.get("/notice")
def lasting_notice(request: Request, manufacturer: str, number: str, user: User = Depends(reader)):
    """The notice's lasting address (mails, the report, links): by manufacturer and number."""
    too_long = len(manufacturer) > 256 or len(number) > 128  # no stored notice has such a name
    notice_id = None if too_long else find_notice_id(request.app.state.engine, manufacturer, number)
    if notice_id is None:
        raise HTTPException(404, f"no notice {number[:128]} of {manufacturer[:256]}")
    return notice_page(request, notice_id)


@router.get("/notices/{notice_id}")
def notice(request: Request, notice_id: RowId, user: User = Depends(reader)):
    return notice_page(request, notice_id)


@router.get("/notices/{notice_id}/source")
def source(request: Request, notice_id: RowId, user: User = Depends(reader)):
    """The document the notice is read from now, byte for byte as it landed."""
    record = notice_record(request.app.state.engine, notice_id)
    document = source_document(request.app.state.engine, record["source_event_id"]) if record else None
    if document is None:
        raise HTTPException(404, f"no source document for notice {notice_id}")
    return _download(document)


@router.get("/events/{event_id}/source")
def event_source(request: Request, event_id: RowId, user: User = Depends(reader)):
    """A landing event's document as it landed: the lasting link (a landed body never changes, while the
    notice a row id names may be read from another event tomorrow)."""
    document = source_document(request.app.state.engine, event_id)
    if document is None:
        raise HTTPException(404, f"no landing event {event_id}")
    return _download(document)


def _download(document) -> Response:
    disposition = f"attachment; filename*=UTF-8''{quote(document.filename)}"
    return Response(
        document.body, media_type=document.content_type, headers={"Content-Disposition": disposition}
    )
