"""The four processing steps, one per asset: decode, extract, match, expose."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache

import pandas as pd
from sqlalchemy import Engine, delete, insert, select

from radar_pipeline.bom.matching import match_parts
from radar_pipeline.bom.store import current_version, load_approved_mpns, load_bom, load_bom_above
from radar_pipeline.bom.where_used import BomGraph
from radar_pipeline.db.schema import documents, exposure_lines, extractions, notice_matches
from radar_pipeline.db.values import frame_of, storable
from radar_pipeline.documents import Document
from radar_pipeline.exposure.lines import report_from_lines, stored_lines, to_rows
from radar_pipeline.exposure.model import ExposureInputs, compute_exposure, unreconciled
from radar_pipeline.exposure.report import top_exposures
from radar_pipeline.extraction.extract import UnreadableEvent
from radar_pipeline.landing import EventStatus, LandingStore
from radar_pipeline.notices.store import load_discontinued, load_notices
from radar_pipeline.notices.trust import TrustPolicy
from radar_pipeline.pipeline.decode import UndecodableEvent, decode_event

log = logging.getLogger("radar.pipeline")
LIVE = (EventStatus.RECEIVED.value, EventStatus.PROCESSED.value)


def _events(store: LandingStore, days: Sequence[date]):
    return [e for d in days for e in store.events_of_day(d) if e.status in LIVE]


def decode_days(engine: Engine, days: Sequence[date]) -> dict:
    """``parsed_documents``: every live event of the days read into a document.

    Each document row is cleaned of what the database cannot store (``storable``) before it is
    written; every later step reads that row. An event that still cannot be written is a dead
    letter with the database's words, and the others of its day go on.
    """
    store = LandingStore(engine)
    events = _events(store, days)
    rows, dead = [], {}
    for ev in events:
        try:
            doc = decode_event(ev)
            row = storable(
                {
                    "event_id": ev.id,
                    "partition_day": ev.partition_day,
                    "kind": doc.kind,
                    "name": doc.name,
                    "content": doc.to_json(),
                    "warnings": doc.warnings,
                }
            )
        except UndecodableEvent as exc:
            dead[ev.id] = f"could not be read: {exc}"
            continue
        except Exception as exc:  # a reader bug must not stop the partition
            log.exception("decoding event %s failed", ev.id)
            dead[ev.id] = f"could not be read: unexpected {_described(exc)}"
            continue
        rows.append(row)
    with engine.begin() as conn:
        conn.execute(delete(documents).where(documents.c.event_id.in_([e.id for e in events])))
        failed = _insert_rows(conn, documents, rows)
    dead |= {event_id: f"could not be stored: {why}" for event_id, why in failed.items()}
    rows = [r for r in rows if r["event_id"] not in failed]
    for event_id, reason in dead.items():
        store.mark([event_id], EventStatus.DEAD_LETTER, reason)
    kinds = Counter(r["kind"] for r in rows)
    return {
        "events": len(events),
        "documents": len(rows),
        "dead_letters": len(dead),
        **{f"kind_{k}": v for k, v in kinds.items()},
    }


def _described(exc: Exception) -> str:
    """An exception as a dead letter's reason names it: its type and its message."""
    return f"{type(exc).__name__}: {exc}"[:500]


def _savepoint(conn):
    """A savepoint in ``conn``'s transaction. pysqlite opens a transaction only before a write, and a
    savepoint taken outside one commits when released: on SQLite the transaction is opened first."""
    if conn.dialect.name == "sqlite" and not conn.connection.dbapi_connection.in_transaction:
        conn.exec_driver_sql("BEGIN")
    return conn.begin_nested()


def _insert_rows(conn, table, rows: list[dict]) -> dict[int, str]:
    """Insert ``rows`` in one statement; if that fails, each in a savepoint of its own.

    Returns why rows were not written, by event id (empty when all were)."""
    if not rows:
        return {}
    try:
        with _savepoint(conn):
            conn.execute(insert(table), rows)
        return {}
    except Exception:
        log.warning("writing %d %s rows at once failed; writing them one by one", len(rows), table.name)
    failed = {}
    for row in rows:
        try:
            with _savepoint(conn):
                conn.execute(insert(table), [row])
        except Exception as exc:
            failed[row["event_id"]] = _described(exc)
    return failed


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


EXTRACT_CHUNK = 200  # documents whose readings are written in one transaction


@dataclass
class _Reading:
    """One document's extraction, made before the chunk's transaction (the LLM may be slow)."""

    doc_row: object
    event: object
    doc: Document
    result: object = None
    assessment: object = None
    asked: bool = False
    dead: str | None = None


def _read(doc_row, event, llm, llm_when: str) -> _Reading:
    from radar_pipeline.review.reading import read_reviewed

    reading = _Reading(doc_row, event, Document.from_json(doc_row.content))
    try:
        reading.result, reading.assessment, reading.asked = read_reviewed(reading.doc, llm, llm_when)
    except UnreadableEvent as exc:
        reading.dead = str(exc)
    except Exception as exc:
        log.exception("extracting event %s failed", doc_row.event_id)
        reading.dead = f"extraction failed: unexpected {_described(exc)}"
    return reading


class _Corrections:
    """The analysts' decisions, by notice key and by event, and which of them were applied."""

    def __init__(self, decisions) -> None:
        self.decisions = decisions
        self.by_key, self.by_event = {}, {}
        for dec in decisions:
            if dec.key:
                self.by_key.setdefault(dec.key, []).append(dec)
            if dec.event_id is not None:
                self.by_event.setdefault(dec.event_id, []).append(dec)
        self.applied: set[int] = set()


@dataclass
class _Run:
    """What one ``extract_days`` run shares between its readings: the analysts' decisions, the trust
    policy, and the notices it has settled (a notice whose readings all went is settled at the end)."""

    corrections: _Corrections
    policy: TrustPolicy
    settled: set = field(default_factory=set)


def _store_reading(conn, r: _Reading, run: _Run, marks: list) -> Counter:
    """Write one document's readings (extractions with their provenance) and its review items, and
    settle each notice it reads (``notices.readings``); its event's settlement goes to ``marks``."""
    from radar_pipeline.db.schema import review_items
    from radar_pipeline.extraction.version import extractor_version
    from radar_pipeline.notices.manufacturers import from_domain
    from radar_pipeline.notices.readings import settle
    from radar_pipeline.notices.trust import provenance
    from radar_pipeline.review.corrections import apply_corrections, created_notice

    event_id, day = r.doc_row.event_id, r.event.partition_day
    if r.dead is not None:
        marks.append((event_id, EventStatus.DEAD_LETTER, r.dead))
        return Counter(dead_letters=1)
    result, assessment, corrections = r.result, r.assessment, run.corrections
    # the review queue holds both the doubts about the reading and what a person must decide
    found = [
        (n, assessment.notice_reasons[i] + assessment.notice_decisions[i])
        for i, n in enumerate(result.notices)
    ]
    keys = {(n.manufacturer_key, n.notice_number) for n, _ in found}
    made = created_notice([x for x in corrections.by_event.get(event_id, []) if x.key and x.key not in keys])
    if made is not None:
        found.append((made, []))
    base = {"event_id": event_id, "partition_day": day, "received_at": r.event.received_at}
    review_rows = []
    trusts = Counter()
    for i, (raw, reasons) in enumerate(found):
        key = (raw.manufacturer_key, raw.notice_number)
        _, applied_ids = apply_corrections(raw, corrections.by_key.get(key, []))
        corrections.applied.update(applied_ids)
        trust, origin = provenance(r.event.source, r.event.received_at, r.doc, raw.manufacturer, run.policy)
        trusts[f"trust_{trust.name.lower()}"] += 1
        raw = raw.model_copy(update={"warnings": result.warnings + raw.warnings})
        extraction_id = conn.execute(
            insert(extractions)
            .values(
                event_id=event_id,
                partition_day=day,
                position=i,
                extractor=raw.extractor,
                notice=raw.to_contract(),
                warnings=raw.warnings,
                llm_tokens=result.llm_tokens if i == 0 else 0,
                extractor_version=extractor_version(),
                correction_ids=applied_ids or None,
                review_reasons=reasons,
                manufacturer_key=key[0],
                notice_number=key[1],
                trust=int(trust),
                provenance=storable(origin),
            )
            .returning(extractions.c.id)
        ).scalar_one()
        notice_id = settle(conn, key, corrections.by_key.get(key, []))
        run.settled.add(key)
        if reasons:
            review_rows.append(
                base
                | {
                    "notice_id": notice_id,
                    "extraction_id": extraction_id,
                    "notice_number": raw.notice_number,
                    "manufacturer_key": key[0],
                    "manufacturer": raw.manufacturer,
                    "reasons": reasons,
                }
            )
    if assessment.document_reasons:
        review_rows.append(
            base
            | {
                "notice_id": None,
                "extraction_id": None,
                "notice_number": None,
                "manufacturer_key": None,
                "manufacturer": from_domain(r.doc.sender) if r.doc.sender else None,
                "reasons": assessment.document_reasons,
            }
        )
    if review_rows:  # the partition's items were deleted before the first chunk
        conn.execute(review_items.insert(), review_rows)
    warnings = result.warnings + [w for n in result.notices for w in n.warnings if w not in result.warnings]
    needs = [x for row in review_rows for x in row["reasons"]]
    reason = "; ".join(
        ([f"needs review: {'; '.join(dict.fromkeys(needs))}"] if needs else []) + warnings
    ) or (None if found else "no notice found")
    marks.append((event_id, EventStatus.PROCESSED, reason[:1000] if reason else None))
    extractor = f"extractor_{result.notices[0].extractor}" if result.notices else "extractor_none"
    return trusts + Counter(
        {
            "notices": len(found),
            "not_notices": int(not found),
            "llm_tokens": result.llm_tokens,
            "llm_asked": int(r.asked),
            "needs_review": len(review_rows),
            # the ledger: part-like strings in the day's tables and lists, and those no role took
            "part_like_strings": len(result.ledger.roles),
            "unaccounted_strings": len(result.ledger.unaccounted),
            extractor: 1,
        }
    )


def _store_isolated(conn, r: _Reading, run: _Run, marks: list) -> Counter:
    """``_store_reading`` in a savepoint: a reading the database refuses becomes a dead letter with
    the exception's message, and the rest of the chunk (and of the day) is written."""
    own_marks: list = []
    settled = set(run.settled)
    try:
        with _savepoint(conn):
            counts = _store_reading(conn, r, run, own_marks)
    except Exception as exc:
        log.exception("storing the reading of event %s failed", r.doc_row.event_id)
        run.settled = settled  # what the savepoint undid is to be settled again
        marks.append((r.doc_row.event_id, EventStatus.DEAD_LETTER, f"could not be stored: {_described(exc)}"))
        return Counter(dead_letters=1)
    marks.extend(own_marks)
    return counts


def _settle_left(engine: Engine, keys: set, run: _Run) -> int:
    """Settle the notices the run's events read before and no longer read (their other readings, if
    any, hold them now; with none left they are removed). Returns how many were settled."""
    from radar_pipeline.notices.readings import settle

    done = 0
    with engine.begin() as conn:
        for key in sorted(keys - run.settled):
            try:
                with _savepoint(conn):
                    settle(conn, key, run.corrections.by_key.get(key, []))
                done += 1
            except Exception:
                log.exception("settling notice %s %s failed", *key)
    return done


def extract_days(
    engine: Engine,
    days: Sequence[date],
    llm=None,
    llm_when: str = "unsure",
    policy: TrustPolicy | None = None,
) -> dict:
    """``notice_extractions``: notices from each document, kept as readings with their provenance and
    trust; each notice settled from all its readings with the analysts' corrections on top
    (``notices.readings``); what needs a person goes to the review queue.

    With an LLM, documents the rules are unsure of are sent to it (``llm_when="always"``: all).
    Readings are written ``EXTRACT_CHUNK`` documents per transaction: a year's backfill commits a
    few hundred times, not once per event.
    """
    from radar_pipeline.review.corrections import load_decisions, mark_applied
    from radar_pipeline.review.queue import write_items

    store = LandingStore(engine)
    with engine.connect() as conn:
        docs = conn.execute(
            select(documents).where(documents.c.partition_day.in_(list(days))).order_by(documents.c.event_id)
        ).all()
        run = _Run(_Corrections(load_decisions(conn)), policy or TrustPolicy())
    alive = {e.id: e for e in store.fetch([d.event_id for d in docs]) if e.status in LIVE}
    docs = [d for d in docs if d.event_id in alive]
    with engine.begin() as conn:
        ids = list(alive)
        x = extractions.c
        before = conn.execute(
            select(x.manufacturer_key, x.notice_number)
            .where(x.event_id.in_(ids), x.manufacturer_key.is_not(None))
            .distinct()
        ).all()
        conn.execute(delete(extractions).where(x.event_id.in_(ids)))
        write_items(conn, ids, [])
    counts = Counter()
    for start in range(0, len(docs), EXTRACT_CHUNK):
        readings = [_read(d, alive[d.event_id], llm, llm_when) for d in docs[start : start + EXTRACT_CHUNK]]
        marks: list = []
        with engine.begin() as conn:
            for r in readings:
                counts.update(_store_isolated(conn, r, run, marks))
            store.settle(conn, marks)
    counts["notices_settled_again"] = _settle_left(engine, {tuple(k) for k in before}, run)
    with engine.begin() as conn:
        _mark_days_extracted(conn, days)
        mark_applied(conn, list(days), max((x.id for x in run.corrections.decisions), default=0))
    counts["corrections_applied"] = len(run.corrections.applied)
    return {"documents": len(docs), **counts, "correction_ids": sorted(run.corrections.applied)}


def match_days(engine: Engine, days: Sequence[date]) -> dict:
    """``bom_matches``: the days' notices against the current BOM's parts."""
    frame, parts = load_notices(engine, days)
    version = current_version(engine)
    matches = match_parts(parts, load_approved_mpns(engine))
    day_of = dict(zip(frame["notice_id"], frame["partition_day"], strict=True))
    rows = [
        {
            "partition_day": day_of[m.notice_id],
            "notice_id": int(m.notice_id),
            "mpn": m.mpn,
            "replacement_mpn": m.replacement_mpn if isinstance(m.replacement_mpn, str) else None,
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


def stored_matches(engine: Engine, days: Sequence[date]) -> pd.DataFrame:
    """What ``bom_matches`` wrote for the days, in the shape ``match_parts`` returns."""
    c = notice_matches.c
    cols = ["notice_id", "mpn", "replacement_mpn", "part_id", "match_type"]
    q = select(*[c[x] for x in cols]).where(c.partition_day.in_(list(days))).order_by(c.id)
    with engine.connect() as conn:
        return frame_of(conn.execute(q), cols)


WHOLE_BOM_DAYS = 8  # from this many days on, one read of the whole BOM beats a slice per chunk
CHUNK_DAYS = 7  # days whose exposure is computed together (a week's lines are small; a year's are not)


def days_report(
    engine: Engine,
    days: Sequence[date],
    safety_stock: float,
    as_of: date,
    whole: tuple | None = None,
    discontinued: Callable[[], pd.DataFrame] | None = None,
) -> tuple[dict, pd.DataFrame]:
    """The exposure of the notices of ``days`` from their stored matches and the BOM above them
    (the slice their parts reach, or ``whole``: a range run's BOM and graph, read once), against
    every stored discontinuance (``discontinued``: whether an approved alternate is still sold);
    returns the report and the days' notices."""
    frame, parts = load_notices(engine, days)
    matches = stored_matches(engine, days)
    bom, graph = whole or (load_bom_above(engine, matches["part_id"]), None)
    discontinued = discontinued or cache(lambda: load_discontinued(engine))
    inputs = ExposureInputs(frame, parts, bom, graph, matches=matches, discontinued=discontinued)
    return compute_exposure(inputs, safety_stock, as_of), frame


@dataclass
class ExposureSummary:
    counts: Counter = field(default_factory=Counter)
    top: list[dict] = field(default_factory=list)  # the biggest notices, parts left out
    unreconciled: list[str] = field(default_factory=list)


def expose_days(engine: Engine, days: Sequence[date], safety_stock: float, as_of: date) -> ExposureSummary:
    """``exposure``: the money at stake for the days' notices, one row per (notice, part, product).

    A week at a time, so a year's backfill holds one week's lines in memory.
    """
    version = current_version(engine)
    summary = ExposureSummary()
    discontinued = cache(lambda: load_discontinued(engine))  # read once, if an alternate asks
    whole = None
    if len(days) >= WHOLE_BOM_DAYS:
        bom = load_bom(engine)
        whole = (bom, BomGraph(bom.bom, bom.products["product_id"]))
    for start in range(0, len(days), CHUNK_DAYS):
        chunk = list(days[start : start + CHUNK_DAYS])
        report, frame = days_report(engine, chunk, safety_stock, as_of, whole, discontinued)
        lineage = frame.set_index("notice_id")[["partition_day", "extraction_id"]].to_dict("index")
        rows = to_rows(report, lineage, version["id"] if version else None)
        with engine.begin() as conn:
            conn.execute(delete(exposure_lines).where(exposure_lines.c.partition_day.in_(chunk)))
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


def stored_reports(engine: Engine, days: Sequence[date], as_of: date) -> Iterator[tuple[dict, dict]]:
    """``notifications``: the days' exposure as ``exposure`` stored it, in the report shape, a week at
    a time; with each report, its notices' partition days."""
    for start in range(0, len(days), CHUNK_DAYS):
        chunk = list(days[start : start + CHUNK_DAYS])
        frame, _ = load_notices(engine, chunk)
        day_of = dict(zip(frame["notice_id"].astype(int), frame["partition_day"], strict=True))
        yield day_of, report_from_lines(frame, stored_lines(engine, chunk), as_of)


def change_days(engine: Engine, days: Sequence[date], as_of: date) -> tuple[dict, list[int]]:
    """``change_impact``: for the days' change and NRND notices touching the BOM (as ``exposure``
    stored them), the products and forecast units carrying the part, the risk and the deadline.
    Returns the counts and the notices that have neither a risk and deadline nor a review reason."""
    from sqlalchemy import and_

    from radar_pipeline.bom.store import demand_of, product_owners
    from radar_pipeline.db.schema import notices
    from radar_pipeline.exposure.changes import impacts_of, unsettled, write_impacts

    frame, _ = load_notices(engine, days)
    moving = frame[frame["notice_type"].isin(["change", "nrnd"])]
    report = report_from_lines(moving, stored_lines(engine, days), as_of)
    n = notices.c
    with engine.connect() as conn:
        changes = {
            int(r.id): r.change
            for r in conn.execute(
                select(n.id, n.change).where(and_(n.partition_day.in_(list(days)), n.change.is_not(None)))
            )
        }
    products = {u["product_id"] for x in report["notices"] for p in x["parts"] for u in p["products"]}
    rows = impacts_of(report, changes, product_owners(engine), demand_of(engine, products), as_of)
    day_of = dict(zip(frame["notice_id"].astype(int), frame["partition_day"], strict=True))
    write_impacts(engine, days, day_of, rows)
    risks = Counter(r["risk"] or "ungraded" for r in rows)
    counts = {
        "change_notices": int((moving["notice_type"] == "change").sum()),
        "nrnd_notices": int((moving["notice_type"] == "nrnd").sum()),
        "touching_bom": len(rows),
        "needs_review": sum(bool(r["review_reason"]) for r in rows),
        **{f"risk_{k}": v for k, v in risks.items()},
    }
    return counts, unsettled(rows)
