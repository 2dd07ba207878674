"""The current exposure, from the stored notices and the stored BOM."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date
from functools import cache

from sqlalchemy import Engine, func, select

from radar_pipeline.bom.store import load_bom
from radar_pipeline.bom.where_used import BomGraph
from radar_pipeline.db.schema import bom_versions, notices
from radar_pipeline.exposure.alternates import listed_discontinued
from radar_pipeline.exposure.consolidated import consolidate
from radar_pipeline.exposure.model import ExposureInputs, assemble, compute_exposure
from radar_pipeline.notices.store import load_notices

REPORT_CHUNK = 2_000  # notices computed together: the report's working memory is a chunk's, not a year's


def current_exposure(
    engine: Engine,
    safety_stock: float,
    as_of: date,
    chunk: int = REPORT_CHUNK,
    notice_ids: Collection[int] | None = None,
    currency: str = "USD",
) -> dict:
    """The exposure of every stored notice (of ``notice_ids`` when given), its consolidation per part
    and per product with the totals (``by_part``, ``by_product``, ``totals``), and ``needs_review``: the
    open review items.

    Notices, parts and the BOM are read once (one query per table); the exposure is computed
    ``chunk`` notices at a time against the same BOM graph.
    """
    from radar_pipeline.review.queue import public_item, review_items_of

    listed, parts = load_notices(engine)
    discontinued = cache(lambda: listed_discontinued(listed, parts))  # every notice's: alternates ask all
    notices = listed if notice_ids is None else listed[listed["notice_id"].isin(list(notice_ids))]
    bom = load_bom(engine)
    graph = BomGraph(bom.bom, bom.products["product_id"])
    computed: list[dict] = []
    for start in range(0, len(notices), chunk):
        some = notices.iloc[start : start + chunk]
        some_parts = parts[parts["notice_id"].isin(some["notice_id"])]
        inputs = ExposureInputs(some, some_parts, bom, graph, discontinued=discontinued)
        computed += compute_exposure(inputs, safety_stock, as_of)["notices"]
    report = assemble(computed, safety_stock, as_of)
    report |= consolidate(report["notices"], bom, safety_stock, as_of, currency)
    report["needs_review"] = [public_item(i) for i in review_items_of(engine)]
    return report


def inputs_version(engine: Engine) -> tuple:
    """What ``current_exposure`` is computed from, in a value that changes with every committed write of
    it: every stored notice's (id, updated_at) — every write of a notice sets its ``updated_at``, a
    removal takes its pair out — hashed, and the BOM versions' count and newest id (an import adds one).

    Every pair, not a high-water mark: with concurrent writers an older timestamp or id can commit after
    a newer one, and a maximum would not move. Two columns of one row per notice, in key order.
    """
    n, v = notices.c, bom_versions.c
    with engine.connect() as conn:
        pairs = tuple(conn.execute(select(n.id, n.updated_at).order_by(n.id)).tuples())
        boms = tuple(conn.execute(select(func.count(), func.max(v.id)).select_from(bom_versions)).one())
    return len(pairs), hash(pairs), boms
