"""The current exposure, from the stored notices and the stored BOM."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Engine

from radar_pipeline.bom.store import load_bom
from radar_pipeline.exposure.model import ExposureInputs, compute_exposure
from radar_pipeline.notices.store import load_notices


def current_exposure(engine: Engine, safety_stock: float, as_of: date) -> dict:
    """The exposure of every stored notice, and ``needs_review``: the open review items."""
    from radar_pipeline.review.queue import public_item, review_items_of

    notices, parts = load_notices(engine)
    report = compute_exposure(ExposureInputs(notices, parts, load_bom(engine)), safety_stock, as_of)
    report["needs_review"] = [public_item(i) for i in review_items_of(engine)]
    return report
