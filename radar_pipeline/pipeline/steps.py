"""The four processing steps, one per asset: decode, extract, match, expose."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date

import pandas as pd
from sqlalchemy import Engine, delete, insert, select

from radar_pipeline.bom.matching import match_parts
from radar_pipeline.bom.store import current_version, load_bom
from radar_pipeline.bom.where_used import BomGraph
from radar_pipeline.db.schema import documents, exposure_lines, extractions, notice_matches
from radar_pipeline.documents import Document
from radar_pipeline.exposure.model import ExposureInputs, compute_exposure, unreconciled
from radar_pipeline.exposure.report import top_exposures
from radar_pipeline.extraction.extract import UnreadableEvent
from radar_pipeline.landing import EventStatus, LandingStore
from radar_pipeline.notices.store import delete_notices_of_events, load_notices, upsert_notice
from radar_pipeline.pipeline.decode import UndecodableEvent, decode_event

log = logging.getLogger("radar.pipeline")
LIVE = (EventStatus.RECEIVED.value, EventStatus.PROCESSED.value)


def _events(store: LandingStore, days: Sequence[date]):
    return [e for d in days for e in store.events_of_day(d) if e.status in LIVE]


def decode_days(engine: Engine, days: Sequence[date]) -> dict:
    """``parsed_documents``: every live event of the days read into a document."""
    store = LandingStore(engine)
    events = _events(store, days)
    rows, dead = [], {}
    for ev in events:
        try:
            doc = decode_event(ev)
        except UndecodableEvent as exc:
            dead[ev.id] = f"could not be read: {exc}"
            continue
        except Exception as exc:  # a reader bug must not stop the partition
            log.exception("decoding event %s failed", ev.id)
            dead[ev.id] = f"could not be read: unexpected {type(exc).__name__}"
            continue
        rows.append(
            {
                "event_id": ev.id,
                "partition_day": ev.partition_day,
                "kind": doc.kind,
                "name": doc.name,
                "content": doc.to_json(),
                "warnings": doc.warnings,
            }
        )
    with engine.begin() as conn:
        conn.execute(delete(documents).where(documents.c.event_id.in_([e.id for e in events])))
        if rows:
            conn.execute(insert(documents), rows)
    for event_id, reason in dead.items():
        store.mark([event_id], EventStatus.DEAD_LETTER, reason)
    kinds = Counter(r["kind"] for r in rows)
    return {
        "events": len(events),
        "documents": len(rows),
        "dead_letters": len(dead),
        **{f"kind_{k}": v for k, v in kinds.items()},
    }


def _mark_days_extracted(conn, days: Sequence[date]) -> None:
    """Record the extractor version each day was read with (the nightly re-extraction looks here)."""
    from datetime import UTC, datetime

    from sqlalchemy.dialects import postgresql, sqlite

    from radar_pipeline.db.schema import extraction_days
    from radar_pipeline.extraction.version import extractor_version

    insert_ = postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert
    now = datetime.now(UTC)
    for day in days:
        stmt = insert_(extraction_days).values(
            partition_day=day, extractor_version=extractor_version(), extracted_at=now
        )
        conn.execute(
            stmt.on_conflict_do_update(
                index_elements=["partition_day"],
                set_={"extractor_version": extractor_version(), "extracted_at": now},
            )
        )


def extract_days(engine: Engine, days: Sequence[date], llm=None, llm_when: str = "unsure") -> dict:
    """``notice_extractions``: notices from each document, with the analysts' corrections applied on top,
    stored and upserted by notice number; what needs a person goes to the review queue.

    With an LLM, documents the rules are unsure of are sent to it (``llm_when="always"``: all).
    """
    from radar_pipeline.db.schema import review_items
    from radar_pipeline.extraction.extract import extract_reviewed
    from radar_pipeline.extraction.version import extractor_version
    from radar_pipeline.notices.manufacturers import from_domain
    from radar_pipeline.notices.model import manufacturer_key
    from radar_pipeline.review.corrections import (
        apply_corrections,
        created_notice,
        load_decisions,
        mark_applied,
    )
    from radar_pipeline.review.queue import write_items

    store = LandingStore(engine)
    with engine.connect() as conn:
        docs = conn.execute(
            select(documents).where(documents.c.partition_day.in_(list(days))).order_by(documents.c.event_id)
        ).all()
        decisions = load_decisions(conn)
    by_key, by_event = {}, {}
    for dec in decisions:
        if dec.key:
            by_key.setdefault(dec.key, []).append(dec)
        if dec.event_id is not None:
            by_event.setdefault(dec.event_id, []).append(dec)
    alive = {e.id: e for e in store.fetch([d.event_id for d in docs]) if e.status in LIVE}
    docs = [d for d in docs if d.event_id in alive]
    counts = Counter()
    applied: set[int] = set()
    with engine.begin() as conn:
        ids = list(alive)
        conn.execute(delete(extractions).where(extractions.c.event_id.in_(ids)))
        delete_notices_of_events(conn, ids)
        write_items(conn, ids, [])
    for d in docs:
        event = alive[d.event_id]
        doc = Document.from_json(d.content)
        try:
            result, assessment, asked = extract_reviewed(doc, llm, llm_when)
        except UnreadableEvent as exc:
            store.mark([d.event_id], EventStatus.DEAD_LETTER, str(exc))
            counts["dead_letters"] += 1
            continue
        except Exception as exc:
            log.exception("extracting event %s failed", d.event_id)
            store.mark(
                [d.event_id], EventStatus.DEAD_LETTER, f"extraction failed: unexpected {type(exc).__name__}"
            )
            counts["dead_letters"] += 1
            continue
        found = [(n, assessment.notice_reasons[i]) for i, n in enumerate(result.notices)]
        keys = {(n.manufacturer_key, n.notice_number) for n, _ in found}
        made = created_notice([x for x in by_event.get(d.event_id, []) if x.key and x.key not in keys])
        if made is not None:
            found.append((made, []))
        review_rows = []
        base = {
            "event_id": d.event_id,
            "partition_day": event.partition_day,
            "received_at": event.received_at,
        }
        with engine.begin() as conn:
            for i, (raw, reasons) in enumerate(found):
                notice, applied_ids = apply_corrections(
                    raw, by_key.get((raw.manufacturer_key, raw.notice_number), [])
                )
                applied.update(applied_ids)
                corrected_by = None
                if applied_ids:
                    corrected_by = next(x.decided_by for x in decisions if x.id == applied_ids[-1])
                extraction_id = conn.execute(
                    insert(extractions)
                    .values(
                        event_id=d.event_id,
                        partition_day=event.partition_day,
                        position=i,
                        extractor=raw.extractor,
                        notice=raw.to_contract(),
                        warnings=result.warnings + raw.warnings,
                        llm_tokens=result.llm_tokens if i == 0 else 0,
                        extractor_version=extractor_version(),
                        correction_ids=applied_ids or None,
                        review_reasons=reasons,
                    )
                    .returning(extractions.c.id)
                ).scalar_one()
                notice.warnings.extend(result.warnings)
                notice_id = upsert_notice(
                    conn, notice, d.event_id, event.partition_day, extraction_id, applied_ids, corrected_by
                )
                conn.execute(
                    extractions.update().where(extractions.c.id == extraction_id).values(notice_id=notice_id)
                )
                if reasons:
                    review_rows.append(
                        base
                        | {
                            "notice_id": notice_id,
                            "extraction_id": extraction_id,
                            "notice_number": raw.notice_number,
                            "manufacturer_key": manufacturer_key(raw.manufacturer),
                            "manufacturer": raw.manufacturer,
                            "reasons": reasons,
                        }
                    )
            if assessment.document_reasons:
                maker = from_domain(doc.sender) if doc.sender else None
                review_rows.append(
                    base
                    | {
                        "notice_id": None,
                        "extraction_id": None,
                        "notice_number": None,
                        "manufacturer_key": None,
                        "manufacturer": maker,
                        "reasons": assessment.document_reasons,
                    }
                )
            if review_rows:  # the partition's items were deleted above
                conn.execute(review_items.insert(), review_rows)
        warnings = result.warnings + [
            w for n in result.notices for w in n.warnings if w not in result.warnings
        ]
        needs = [r for row in review_rows for r in row["reasons"]]
        reason = "; ".join(
            ([f"needs review: {'; '.join(dict.fromkeys(needs))}"] if needs else []) + warnings
        ) or (None if found else "no notice found")
        reason = reason[:1000] if reason else None
        store.mark([d.event_id], EventStatus.PROCESSED, reason)
        counts["notices"] += len(found)
        counts["not_notices"] += not found
        counts["llm_tokens"] += result.llm_tokens
        counts["llm_asked"] += asked
        counts["needs_review"] += len(review_rows)
        counts[f"extractor_{result.notices[0].extractor}" if result.notices else "extractor_none"] += 1
    with engine.begin() as conn:
        _mark_days_extracted(conn, days)
        mark_applied(conn, list(days), max((x.id for x in decisions), default=0))
    counts["corrections_applied"] = len(applied)
    return {"documents": len(docs), **counts, "correction_ids": sorted(applied)}


def _day_notices(engine: Engine, days: Sequence[date]) -> tuple[pd.DataFrame, pd.DataFrame]:
    frame, parts = load_notices(engine)
    frame = frame[frame["partition_day"].isin(list(days))]
    return frame, parts[parts["notice_id"].isin(frame["notice_id"])]


def match_days(engine: Engine, days: Sequence[date]) -> dict:
    """``bom_matches``: the day's notices against the current BOM."""
    frame, parts = _day_notices(engine, days)
    version = current_version(engine)
    matches = match_parts(parts, load_bom(engine).parts)
    day_of = dict(zip(frame["notice_id"], frame["partition_day"], strict=True))
    rows = [
        {
            "partition_day": day_of[m.notice_id],
            "notice_id": int(m.notice_id),
            "mpn": m.mpn,
            "part_id": m.part_id,
            "match_type": m.match_type,
            "bom_version_id": version["id"] if version else None,
        }
        for m in matches.itertuples(index=False)
    ]
    with engine.begin() as conn:
        conn.execute(delete(notice_matches).where(notice_matches.c.partition_day.in_(list(days))))
        if rows:
            conn.execute(insert(notice_matches), rows)
    kinds = Counter(r["match_type"] for r in rows)
    return {
        "notices": len(frame),
        "notice_parts": len(parts),
        "exact_matches": kinds["exact"],
        "family_matches": kinds["family"],
        "bom_version": version["id"] if version else None,
    }


def reports_by_day(
    engine: Engine, days: Sequence[date], safety_stock: float, as_of: date
) -> Iterator[tuple[date, dict]]:
    """The exposure report of each day's notices; the BOM, its graph and the notices are loaded once,
    and only one day's report is in memory at a time (a year's backfill stays small)."""
    frame, parts = load_notices(engine)
    bom = load_bom(engine)
    graph = BomGraph(bom.bom, bom.products["product_id"])
    for day in days:
        f = frame[frame["partition_day"] == day]
        p = parts[parts["notice_id"].isin(f["notice_id"])]
        yield day, compute_exposure(ExposureInputs(f, p, bom, graph), safety_stock, as_of)


def _int(value) -> int | None:
    return None if value is None or value != value else int(value)


def _lines(report: dict, lineage: dict, version_id: int | None) -> list[dict]:
    rows = []
    for n in report["notices"]:
        m = lineage[n["notice_id"]]
        for p in n["parts"]:
            for u in p["products"] or [{}]:
                rows.append(
                    {
                        "partition_day": m["partition_day"],
                        "notice_id": n["notice_id"],
                        "source_event_id": n["source_event_id"],
                        "extraction_id": _int(m["extraction_id"]),
                        "bom_version_id": version_id,
                        "part_id": p["part_id"],
                        "match_type": p["match_type"],
                        "product_id": u.get("product_id"),
                        "extended_qty": u.get("extended_qty"),
                        "window_demand": u.get("window_demand"),
                        "need": p["need"],
                        "ltb_qty": p["ltb_qty"],
                        "ltb_cost": p["ltb_cost"],
                        "revenue_at_risk": u.get("revenue_at_risk"),
                    }
                )
    return rows


@dataclass
class ExposureSummary:
    counts: Counter = field(default_factory=Counter)
    top: list[dict] = field(default_factory=list)  # the biggest notices, parts left out
    unreconciled: list[str] = field(default_factory=list)


def expose_days(engine: Engine, days: Sequence[date], safety_stock: float, as_of: date) -> ExposureSummary:
    """``exposure``: the money at stake for the days' notices, one row per (notice, part, product)."""
    version = current_version(engine)
    frame, _ = load_notices(engine)
    lineage = frame.set_index("notice_id")[["partition_day", "extraction_id"]].to_dict("index")
    summary = ExposureSummary()
    for day, report in reports_by_day(engine, days, safety_stock, as_of):
        rows = _lines(report, lineage, version["id"] if version else None)
        with engine.begin() as conn:
            conn.execute(delete(exposure_lines).where(exposure_lines.c.partition_day == day))
            for start in range(0, len(rows), 20_000):
                conn.execute(insert(exposure_lines), rows[start : start + 20_000])
        quantified = [n for n in report["notices"] if n["total_ltb_cost"] is not None]
        summary.counts["notices"] += len(report["notices"])
        summary.counts["notices_touching_bom"] += sum(bool(n["parts"]) for n in report["notices"])
        summary.counts["lines"] += len(rows)
        summary.counts["total_ltb_cost"] += sum(n["total_ltb_cost"] for n in quantified)
        summary.counts["total_revenue_at_risk"] += sum(n["total_revenue_at_risk"] for n in quantified)
        summary.unreconciled += unreconciled(report)
        summary.top = top_exposures({"notices": summary.top + [n | {"parts": []} for n in quantified]}, 10)
    summary.counts["total_ltb_cost"] = round(summary.counts["total_ltb_cost"], 2)
    summary.counts["total_revenue_at_risk"] = round(summary.counts["total_revenue_at_risk"], 2)
    return summary
