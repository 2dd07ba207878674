"""``/review``: the open review items with their reasons, and the latest decisions."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request

from radar_pipeline.review.corrections import decision_history
from radar_pipeline.review.queue import public_item, review_items_of
from radar_pipeline.web.auth import User
from radar_pipeline.web.deps import page, reader

router = APIRouter()
RECENT_DECISIONS = 20


@router.get("/review")
def review_queue(request: Request, user: User = Depends(reader)):
    engine = request.app.state.engine
    items = [public_item(i) for i in review_items_of(engine)]
    recent = decision_history(engine)[-RECENT_DECISIONS:][::-1]
    return page(request, "review.html", items=items, recent=recent)
