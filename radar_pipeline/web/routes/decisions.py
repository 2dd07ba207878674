"""The reviewer's forms: what ``radar review accept`` and ``radar correct`` do, by the same code,
recorded as the signed-in user. A refused correction shows the command's own message."""

from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import RedirectResponse

from radar_pipeline.review import actions
from radar_pipeline.review.corrections import CorrectionError
from radar_pipeline.web.data import notice_record
from radar_pipeline.web.deps import decision_form, flash
from radar_pipeline.web.routes.notices import notice_page

router = APIRouter()


def _lines(value) -> list[str]:
    """A textarea's entries, one per line; blank lines are no entries."""
    return [line.strip() for line in str(value or "").splitlines() if line.strip()]


def _text(value) -> str | None:
    return str(value).strip() or None if value is not None else None


def _record(request: Request, notice_id: int) -> dict:
    record = notice_record(request.app.state.engine, notice_id)
    if record is None:
        raise HTTPException(404, f"no notice {notice_id}")
    return record


@router.post("/notices/{notice_id}/accept")
def accept(request: Request, notice_id: int, posted=Depends(decision_form)):
    user, form = posted
    record = _record(request, notice_id)
    try:
        done = actions.accept(
            request.app.state.engine,
            record["notice_number"],
            user.name,
            _text(form.get("note")),
            record["manufacturer"],
        )
    except CorrectionError as exc:
        return notice_page(request, notice_id, 400, f"error: {exc}", form)
    flash(request, done)
    return RedirectResponse(f"/notices/{notice_id}", status_code=303)


@router.post("/notices/{notice_id}/correct")
def correct(request: Request, notice_id: int, posted=Depends(decision_form)):
    user, form = posted
    record = _record(request, notice_id)
    try:
        done = actions.correct(
            request.app.state.engine,
            record["notice_number"],
            user.name,
            parts=_lines(form.get("parts")),
            remove=_lines(form.get("remove")),
            ltb=_text(form.get("ltb")),
            last_ship=_text(form.get("last_ship")),
            notice_type=_text(form.get("notice_type")),
            note=_text(form.get("note")),
            manufacturer=record["manufacturer"],
        )
    except CorrectionError as exc:
        return notice_page(request, notice_id, 400, f"error: {exc}", form)
    flash(request, done)
    return RedirectResponse(f"/notices/{notice_id}", status_code=303)


@router.post("/events/{event_id}/accept")
def accept_document(request: Request, event_id: int, posted=Depends(decision_form)):
    """Close the item of a document that gave no notice (``radar review accept --event``)."""
    user, form = posted
    try:
        done = actions.accept(
            request.app.state.engine, None, user.name, _text(form.get("note")), None, event_id
        )
    except CorrectionError as exc:
        raise HTTPException(400, f"error: {exc}") from None
    flash(request, done)
    return RedirectResponse("/review", status_code=303)
