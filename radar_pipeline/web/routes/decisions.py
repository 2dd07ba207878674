"""The reviewer's forms: what ``radar review accept`` and ``radar correct`` do, by the same code,
recorded as the signed-in user. A refused correction shows the command's own message.

A form names its notice as the command does (number and manufacturer), not by row id: the
review-decision sensor may have re-read the day, and given the notice a new row, since the page
was shown.
"""

from __future__ import annotations

import re
from functools import partial

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import RedirectResponse

from radar_pipeline.notices.decisions import DecisionError, read_decision, record_decision, state_label
from radar_pipeline.review import actions
from radar_pipeline.review.corrections import CorrectionError
from radar_pipeline.web.data import find_notice_id
from radar_pipeline.web.deps import decision_form, flash
from radar_pipeline.web.paths import notice_path
from radar_pipeline.web.routes.notices import notice_exposure, notice_page
from radar_pipeline.web.routes.params import RowId

router = APIRouter()
# the command's options as the form names its fields: a person at the desk never sees a flag
FORM_WORDS = {
    "--part": "part to add",
    "--remove-part": "part not affected",
    "--ltb": "last-time buy",
    "--last-ship": "last ship",
    "--type": "type",
    "--category": "category",
    "--effective": "effective date",
    "--response-deadline": "response deadline",
    "--manufacturer": "manufacturer",
}
FLAG = re.compile(r"--[a-z]+(?:-[a-z]+)*")
# what the command's messages send people to do, as the desk does it
FORM_WAYS = {
    "`radar review accept`": "Accept",
    " (or now, in the foreground: `radar process`)": "; this page shows the new figures once it has run",
}


def in_form_words(message: str) -> str:
    """A message of ``radar correct`` / ``radar review accept`` in the words of the desk's forms."""
    for said, meant in FORM_WAYS.items():
        message = message.replace(said, meant)
    return FLAG.sub(lambda m: FORM_WORDS.get(m.group(0), m.group(0)), message)


def _lines(value) -> list[str]:
    """A textarea's entries, one per line; blank lines are no entries."""
    return [line.strip() for line in str(value or "").splitlines() if line.strip()]


def _text(value) -> str | None:
    return (str(value).strip() or None) if value is not None else None


def _event(value) -> int | None:
    """The landing event a conflict decision names (a hidden field of the form)."""
    text = _text(value)
    if text is None:
        return None
    if not text.isdigit() or not 0 < int(text) < 2**63:
        raise HTTPException(400, "the form names no landing event")
    return int(text)


def _decided(request: Request, form, decide) -> RedirectResponse:
    """Run ``decide(engine, number, manufacturer=…)``; back to the notice with what was done, or the
    notice page again with the command's error message and the values typed."""
    number, manufacturer = str(form.get("number") or ""), str(form.get("manufacturer") or "")
    engine = request.app.state.engine
    try:
        done = decide(engine, number, manufacturer=manufacturer)
    except CorrectionError as exc:
        notice_id = find_notice_id(engine, manufacturer, number)
        if notice_id is None:
            raise HTTPException(400, f"error: {in_form_words(str(exc))}") from None
        return notice_page(request, notice_id, 400, f"error: {in_form_words(str(exc))}", form)
    flash(request, in_form_words(done))
    return RedirectResponse(notice_path(manufacturer, number), status_code=303)


@router.post("/notice/accept")
def accept(request: Request, posted=Depends(decision_form)):
    """Right as it is; with ``event``: conflicting readings settled by keeping the notice in use."""
    user, form = posted
    note, event = _text(form.get("note")), _event(form.get("event"))
    return _decided(request, form, partial(actions.accept, by=user.name, note=note, event_id=event))


@router.post("/notice/take")
def take(request: Request, posted=Depends(decision_form)):
    """Conflicting readings settled by taking the values the reading of ``event`` states."""
    user, form = posted
    note, event = _text(form.get("note")), _event(form.get("event"))
    if event is None:
        raise HTTPException(400, "the form names no landing event")
    return _decided(request, form, partial(actions.take, by=user.name, event_id=event, note=note))


@router.post("/notice/correct")
def correct(request: Request, posted=Depends(decision_form)):
    user, form = posted

    def decide(engine, number, manufacturer):
        return actions.correct(
            engine,
            number,
            user.name,
            parts=_lines(form.get("parts")),
            remove=_lines(form.get("remove")),
            ltb=_text(form.get("ltb")),
            last_ship=_text(form.get("last_ship")),
            notice_type=_text(form.get("notice_type")),
            categories=[c for c in form.getlist("category") if isinstance(c, str)],
            effective=_text(form.get("effective")),
            response_deadline=_text(form.get("response_deadline")),
            note=_text(form.get("note")),
            manufacturer=manufacturer,
        )

    return _decided(request, form, decide)


@router.post("/notice/decide")
def decide(request: Request, posted=Depends(decision_form)):
    """What was decided about the notice or one of its parts (state, owner, due date, note; a last-time
    buy's quantity, PO and date; the alternate qualified), as the signed-in reviewer. Kept as history."""
    user, form = posted
    number, manufacturer = str(form.get("number") or ""), str(form.get("manufacturer") or "")
    engine = request.app.state.engine
    notice_id = find_notice_id(engine, manufacturer, number) if len(number) <= 128 else None
    if notice_id is None:
        raise HTTPException(400, "error: the form names no notice")
    exposure = notice_exposure(request, notice_id)
    fields = {k: v for k, v in form.items() if isinstance(v, str)}
    try:
        decision = read_decision(fields, exposure["notice_type"], {p["part_id"] for p in exposure["parts"]})
    except DecisionError as exc:
        return notice_page(request, notice_id, 400, f"error: {exc}", form)
    record_decision(engine, exposure["manufacturer"], exposure["notice_number"], decision, user.name)
    what = state_label(decision.state) + (f" for part {decision.part_id}" if decision.part_id else "")
    owner = f", owner {decision.owner}" if decision.owner else ""
    due = f", due {decision.due_date}" if decision.due_date else ""
    flash(request, f"decision recorded: {what}{owner}{due}")
    return RedirectResponse(notice_path(manufacturer, number), status_code=303)


@router.post("/events/{event_id}/accept")
def accept_document(request: Request, event_id: RowId, posted=Depends(decision_form)):
    """Close the item of a document that gave no notice (``radar review accept --event``)."""
    user, form = posted
    try:
        done = actions.accept(
            request.app.state.engine, None, user.name, _text(form.get("note")), None, event_id
        )
    except CorrectionError as exc:
        raise HTTPException(400, f"error: {in_form_words(str(exc))}") from None
    flash(request, in_form_words(done))
    return RedirectResponse("/review", status_code=303)
