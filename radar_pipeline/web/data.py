"""What the desk's pages read beyond the exposure report: a notice's stored record, how its parts
were read, the products' names and the source document as it landed."""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import Engine, func, select

from radar_pipeline.db.schema import extractions, landing_events, notice_parts, notices, parts, products
from radar_pipeline.db.values import as_date

if TYPE_CHECKING:
    from radar_pipeline.web.snapshot import ExposureSnapshots

# what a part entry of an extraction says besides the part itself: how the extractor found it
_PART_FIELDS = {"mpn", "replacement_mpn"}


def notice_record(engine: Engine, notice_id: int) -> dict | None:
    """The stored notice with its parts (as the notice spells them) and how each was read."""
    with engine.connect() as conn:
        row = conn.execute(select(notices).where(notices.c.id == notice_id)).first()
        if row is None:
            return None
        notice = dict(row._mapping)
        p = notice_parts.c
        listed = conn.execute(
            select(p.mpn, p.replacement_mpn).where(p.notice_id == notice_id).order_by(p.position)
        ).all()
        extraction = None
        if notice["extraction_id"] is not None:
            extraction = conn.execute(
                select(extractions.c.notice, extractions.c.extractor, extractions.c.review_reasons).where(
                    extractions.c.id == notice["extraction_id"]
                )
            ).first()
    read = {}
    if extraction is not None:
        for part in (extraction.notice or {}).get("parts") or []:
            extra = {k: v for k, v in part.items() if k not in _PART_FIELDS and v not in (None, "", [], {})}
            if extra:
                read[part.get("mpn")] = ", ".join(f"{k.replace('_', ' ')}: {v}" for k, v in extra.items())
    for day in ("issue_date", "last_time_buy_date", "last_ship_date", "partition_day"):
        notice[day] = as_date(notice[day])
    notice["parts"] = [
        {"mpn": mpn, "replacement_mpn": replacement, "how_read": read.get(mpn)} for mpn, replacement in listed
    ]
    notice["review_reasons"] = list(extraction.review_reasons or []) if extraction is not None else []
    return notice


def notice_trail(engine: Engine, record: dict):
    """Where each value of the stored notice (``notice_record``) came from (``notices.sources``)."""
    from radar_pipeline.notices.sources import trail
    from radar_pipeline.review.corrections import load_decisions
    from radar_pipeline.review.queue import review_items_of

    key = (record["manufacturer_key"], record["notice_number"])
    current = {
        "notice_type": record["notice_type"],
        "issue_date": record["issue_date"],
        "last_time_buy_date": record["last_time_buy_date"],
        "last_ship_date": record["last_ship_date"],
        "parts": record["parts"],
        "change": record["change"],
    }
    states = {
        i["event_id"]: i["state"]
        for i in review_items_of(engine, None, state=None)
        if i["kind"] == "conflict" and i["notice_id"] == record["id"]
    }
    decisions = [d for d in load_decisions(engine) if d.key == key]
    return trail(engine, key, current, decisions, list(record["correction_ids"] or []), states)


def find_notice_id(engine: Engine, manufacturer: str, number: str) -> int | None:
    """The current row of a notice named as people name it (a re-read day gives it a new row id)."""
    from radar_pipeline.notices.model import manufacturer_key

    q = select(notices.c.id).where(
        notices.c.manufacturer_key == manufacturer_key(manufacturer), notices.c.notice_number == number
    )
    with engine.connect() as conn:
        return conn.execute(q).scalar()


def product_names(engine: Engine) -> dict[str, str]:
    with engine.connect() as conn:
        return {
            pid: name for pid, name in conn.execute(select(products.c.product_id, products.c.name)) if name
        }


@dataclass(frozen=True)
class SourceDocument:
    filename: str
    content_type: str
    body: bytes


_EXTENSIONS = {"message/rfc822": ".eml", "application/json": ".json", "application/pdf": ".pdf"}


def source_document(engine: Engine, event_id: int) -> SourceDocument | None:
    """The landing event's raw body, as it arrived: the email (``.eml``), the PDF, the webhook's JSON."""
    from radar_pipeline.pipeline.decode import MAIL_SOURCES, content_type_param

    e = landing_events.c
    with engine.connect() as conn:
        row = conn.execute(select(e.id, e.source, e.content_type, e.body).where(e.id == event_id)).first()
    if row is None:
        return None
    content_type = row.content_type.split(";")[0].strip().lower() or "application/octet-stream"
    if row.source in MAIL_SOURCES:
        content_type = "message/rfc822"
    name = content_type_param(row.content_type, "name")
    extension = _EXTENSIONS.get(content_type) or mimetypes.guess_extension(content_type) or ".bin"
    filename = f"event-{row.id}-{name}" if name else f"event-{row.id}{extension}"
    return SourceDocument(filename, content_type, bytes(row.body))


def review_now(notice: dict, states: dict[int, str]) -> str | None:
    """A snapshot's notice's review state now (``review.queue.review_state``): an item accepted since does
    not change the figures, so it does not make a new snapshot. ``corrected_by`` is set exactly when a
    correction is applied (``notices.readings.settle``)."""
    from radar_pipeline.review.queue import review_state

    return review_state(notice["notice_id"], bool(notice["corrected_by"]), states)


def desk_report(engine: Engine, snapshots: ExposureSnapshots) -> tuple[dict, list[dict]]:
    """The current exposure report as the desk shows it — each notice with its review state, its response
    deadline and risk (a change or NRND notice touching the BOM) and its current decisions — and those
    impacts. The figures come from the snapshot; what the analysts and the pipeline change around them
    (reviews, decisions, impacts) is read now. The snapshot is shared by every page: a notice with
    anything of its own is a copy, the others are the snapshot's (``snapshot.DESK_FIELDS``)."""
    from radar_pipeline.exposure.changes import stored_impacts
    from radar_pipeline.notices.decisions import current_decisions
    from radar_pipeline.notices.model import manufacturer_key
    from radar_pipeline.review.corrections import rereads_pending
    from radar_pipeline.review.queue import notice_review_states, public_item, review_items_of

    snapshot = snapshots.current()
    impacts = stored_impacts(engine, snapshot.as_of)
    by_notice = {i["notice_id"]: i for i in impacts}
    decided, pending = current_decisions(engine), rereads_pending(engine)
    states = notice_review_states(engine)
    notices = []
    for shared in snapshot.report["notices"]:
        review, i = review_now(shared, states), by_notice.get(shared["notice_id"])
        decisions = since = None
        if decided or pending:  # the maker's key only where someone decided something
            key = (manufacturer_key(shared["manufacturer"]), shared["notice_number"])
            decisions, since = decided.get(key), pending.get(key)
        if review == shared["review"] and i is None and not decisions and since is None:
            notices.append(shared)
            continue
        n = dict(shared, review=review, rereading_since=since)
        if decisions:
            n["decision"] = decisions.get(None)
            n["part_decisions"] = [d for part, d in decisions.items() if part is not None]
        if i is not None:
            deadline = i["response_deadline"]
            n["response_deadline"] = deadline.isoformat() if deadline else None
            n["response_days_left"], n["risk"] = i["days_left"], i["risk"]
        notices.append(n)
    needs_review = [public_item(i) for i in review_items_of(engine)]
    report = snapshot.report | {"notices": notices, "needs_review": needs_review}
    return report | {"computed_at": snapshot.computed_at, "search_text": snapshot.search_text}, impacts


def bom_ids_named(engine: Engine, text: str) -> dict[str, list[str]]:
    """The BOM parts and products whose id is ``text`` (any case): a search naming one offers its page."""
    wanted = text.strip().casefold()
    if not wanted or len(wanted) > 128:
        return {"parts": [], "products": []}
    with engine.connect() as conn:
        found = {
            "parts": conn.execute(
                select(parts.c.part_id).where(func.lower(parts.c.part_id) == wanted)
            ).scalars(),
            "products": conn.execute(
                select(products.c.product_id).where(func.lower(products.c.product_id) == wanted)
            ).scalars(),
        }
        return {k: sorted(v) for k, v in found.items()}


def bom_loaded(engine: Engine) -> bool:
    """Whether a BOM has been imported: without one no notice can reach anything."""
    with engine.connect() as conn:
        return conn.execute(select(products.c.product_id).limit(1)).first() is not None
