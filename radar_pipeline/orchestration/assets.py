"""The asset graph: landing events -> documents -> extractions -> BOM matches -> exposure -> report.

Every partitioned asset covers the days of its run (one day, or a whole range
in a single-run backfill), replaces what it wrote for them, and records counts
as metadata. The ``bom`` asset is materialized by ``radar bom import``.
"""

import warnings
from collections import Counter
from datetime import UTC, datetime

import dagster as dg

from radar_pipeline.extraction.version import extractor_version
from radar_pipeline.orchestration.partitions import daily, days_of
from radar_pipeline.orchestration.resources import (
    ExposureSettings,
    LlmResource,
    NotifierResource,
    RadarDatabase,
    TrustResource,
)

warnings.filterwarnings("ignore", category=dg.BetaWarning)  # BackfillPolicy is beta in 1.13
PARTITIONED = {
    "partitions_def": daily,
    "backfill_policy": dg.BackfillPolicy.single_run(),
    "group_name": "notices",
}

bom = dg.AssetSpec(
    "bom",
    group_name="bom",
    description="Parts, products, multi-level BOM lines, forecast and inventory; materialized by `radar bom import`.",
    kinds={"csv"},
)


def _meta(counts: dict) -> dict:
    return {k: v for k, v in counts.items() if v is not None}


@dg.asset(
    **PARTITIONED, kinds={"sql"}, description="The day's events in the landing table, by source and status."
)
def landing_events(context: dg.AssetExecutionContext, database: RadarDatabase) -> dg.MaterializeResult:
    from radar_pipeline.landing import LandingStore

    counts = LandingStore(database.engine()).day_counts(days_of(context))
    return dg.MaterializeResult(
        metadata={
            "events": sum(n for _, _, n, _ in counts),
            **{f"events_{src}/{status}": n for src, status, n, _ in sorted(counts)},
            "max_event_id": max((m for *_, m in counts), default=0),
        }
    )


@dg.asset(
    **PARTITIONED,
    deps=[landing_events],
    kinds={"python"},
    description="Each event read into a document: provider JSON, email sections, PDF/spreadsheet tables.",
)
def parsed_documents(context: dg.AssetExecutionContext, database: RadarDatabase) -> dg.MaterializeResult:
    from radar_pipeline.pipeline.steps import decode_days

    return dg.MaterializeResult(metadata=_meta(decode_days(database.engine(), days_of(context))))


SETTLED_CHECK = dg.AssetCheckSpec(
    "every_event_settled",
    asset="notice_extractions",
    description="Every landing event of the partition is processed or dead-lettered.",
)


COMPLETE_CHECK = dg.AssetCheckSpec(
    "notices_complete",
    asset="notice_extractions",
    description="Every notice was read completely, or an analyst has decided on it (`radar review`, "
    "`radar correct`, `radar review accept`). Fails with severity WARN while any item is open, listing them; "
    "it looks at the whole queue, so the latest evaluation is the current state.",
)


def _decisions_markdown(decisions) -> str:
    lines = ["| id | action | notice | by | at (UTC) | what | note |", "|---:|---|---|---|---|---|---|"]
    for d in decisions:
        from radar_pipeline.review.corrections import Changes

        what = Changes.from_json(d.changes).describe() if d.changes else "closed without changes"
        at = (
            d.decided_at.strftime("%Y-%m-%d %H:%M")
            if hasattr(d.decided_at, "strftime")
            else str(d.decided_at)
        )
        lines.append(
            f"| {d.id} | {d.action} | {d.notice_number or f'event {d.event_id}'} | {d.decided_by} | {at} "
            f"| {what.replace('|', '/')} | {(d.note or '').replace('|', '/')} |"
        )
    return "\n".join(lines)


@dg.asset(
    **PARTITIONED,
    deps=[parsed_documents],
    kinds={"python", "openai"},
    code_version=extractor_version(),
    check_specs=[SETTLED_CHECK, COMPLETE_CHECK],
    description="Canonical notices from each document: provider adapters, rules, and the LLM where the rules "
    "are unsure; each kept as a reading with its provenance and trust, the notice settled from all its readings "
    "(a less trusted one never replaces a more trusted one: conflicts go to review); analysts' corrections "
    "applied on top. Code version = the extractor's version.",
)
def notice_extractions(
    context: dg.AssetExecutionContext, database: RadarDatabase, llm: LlmResource, trust: TrustResource
) -> dg.MaterializeResult:
    from radar_pipeline.landing import EventStatus, LandingStore
    from radar_pipeline.pipeline.steps import extract_days
    from radar_pipeline.review.corrections import load_decisions
    from radar_pipeline.review.queue import markdown, review_items_of

    engine = database.engine()
    days = days_of(context)
    counts = extract_days(engine, days, llm.extractor(engine), llm.when, trust.policy())
    applied = set(counts.pop("correction_ids"))
    store = LandingStore(engine)
    unsettled = store.ids_of_days(days, EventStatus.RECEIVED.value)
    dead = len(store.ids_of_days(days, EventStatus.DEAD_LETTER.value))
    # the whole queue, not only these days: the check's latest evaluation is what the UI shows
    open_items = review_items_of(engine, None, "open")
    in_days = [i for i in open_items if i["partition_day"] in set(days)]
    decided = [d for d in load_decisions(engine) if d.id in applied or d.partition_day in set(days)]
    metadata = _meta(counts) | {
        "dead_letters_in_partition": dead,
        "extractor_version": extractor_version(),
        "open_review_items": len(in_days),
    }
    if decided:
        metadata["review_decisions"] = dg.MetadataValue.md(_decisions_markdown(decided))
        metadata["corrected_by"] = ", ".join(sorted({d.decided_by for d in decided if d.id in applied}))
    if in_days:
        context.log.warning(f"{len(in_days)} item(s) of this run need review (radar review)")
    return dg.MaterializeResult(
        metadata=metadata,
        check_results=[
            dg.AssetCheckResult(
                check_name="every_event_settled",
                passed=not unsettled,
                metadata={"unsettled_event_ids": str(unsettled[:50]), "dead_letters": dead},
            ),
            dg.AssetCheckResult(
                check_name="notices_complete",
                passed=not open_items,
                severity=dg.AssetCheckSeverity.WARN,
                metadata={
                    "open_items": len(open_items),
                    "open_items_of_this_run": len(in_days),
                    "needs_review": dg.MetadataValue.md(markdown(open_items)),
                },
            ),
        ],
    )


@dg.asset(
    **PARTITIONED,
    deps=[notice_extractions, bom],
    kinds={"pandas"},
    description="Affected parts matched to BOM parts: exact, and packaging-family matches for review.",
)
def bom_matches(context: dg.AssetExecutionContext, database: RadarDatabase) -> dg.MaterializeResult:
    from radar_pipeline.pipeline.steps import match_days

    return dg.MaterializeResult(metadata=_meta(match_days(database.engine(), days_of(context))))


RECONCILE_CHECK = dg.AssetCheckSpec(
    "totals_reconcile",
    asset="exposure",
    description="Each notice's totals equal the sum of its counted lines.",
)


@dg.asset(
    **PARTITIONED,
    deps=[bom_matches, bom],
    kinds={"pandas"},
    check_specs=[RECONCILE_CHECK],
    description="Last-time-buy quantities and cost, revenue at risk, days left; one row per notice, part, product.",
)
def exposure(
    context: dg.AssetExecutionContext, database: RadarDatabase, settings: ExposureSettings
) -> dg.MaterializeResult:
    from radar_pipeline.exposure.report import to_markdown
    from radar_pipeline.pipeline.steps import expose_days

    summary = expose_days(database.engine(), days_of(context), settings.safety_stock, settings.as_of())
    top = dg.MetadataValue.md(to_markdown({"notices": summary.top}))
    return dg.MaterializeResult(
        metadata=_meta(dict(summary.counts)) | {"top_exposures": top},
        check_results=[
            dg.AssetCheckResult(
                check_name="totals_reconcile",
                passed=not summary.unreconciled,
                metadata={"notices_not_reconciling": str(summary.unreconciled[:50])},
            )
        ],
    )


@dg.asset(
    deps=[exposure, "change_impact", bom],
    group_name="reports",
    kinds={"html"},
    description="The current exposure of every open notice against the current BOM: HTML and CSV report.",
)
def exposure_report(
    context: dg.AssetExecutionContext, database: RadarDatabase, settings: ExposureSettings
) -> dg.MaterializeResult:
    from pathlib import Path

    from radar_pipeline.exposure.changes import stored_impacts
    from radar_pipeline.exposure.report import to_markdown, write_reports
    from radar_pipeline.exposure.service import current_exposure

    report = current_exposure(
        database.engine(), settings.safety_stock, settings.as_of(), currency=settings.currency
    )
    report["changes"] = stored_impacts(database.engine(), settings.as_of())
    stem = "exposure-" + datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    paths = write_reports(report, settings.report_dir, stem, settings.public_url)
    latest = Path(settings.report_dir) / "latest.html"
    latest.write_text(paths["html"].read_text(encoding="utf-8"), encoding="utf-8")
    context.log.info(f"exposure report written to {paths['html']}")
    return dg.MaterializeResult(
        metadata={
            "report": dg.MetadataValue.path(str(paths["html"].resolve())),
            "csv": dg.MetadataValue.path(str(paths["csv"].resolve())),
            "notices": len(report["notices"]),
            # consolidated (CONTRACT §6): a part bought once, a product's revenue counted once
            "total_ltb_cost": report["totals"]["ltb_cost"],
            "total_revenue_at_risk": report["totals"]["revenue_at_risk"],
            "top_exposures": dg.MetadataValue.md(to_markdown(report)),
            "needs_review": len(report["needs_review"]),
        }
    )


CHANGE_CHECK = dg.AssetCheckSpec(
    "changes_graded",
    asset="change_impact",
    description="Every change notice touching the BOM has a risk level and a response deadline, or a review "
    "reason saying which is missing.",
)


@dg.asset(
    **PARTITIONED,
    deps=[exposure, bom],
    kinds={"pandas"},
    check_specs=[CHANGE_CHECK],
    description="Change and NRND notices touching the BOM: products and forecast units carrying the part, "
    "risk (categories, form/fit/function), response deadline and days left.",
)
def change_impact(
    context: dg.AssetExecutionContext, database: RadarDatabase, settings: ExposureSettings
) -> dg.MaterializeResult:
    from radar_pipeline.pipeline.steps import change_days

    counts, ungraded = change_days(database.engine(), days_of(context), settings.as_of())
    return dg.MaterializeResult(
        metadata=_meta(counts),
        check_results=[
            dg.AssetCheckResult(
                check_name="changes_graded",
                passed=not ungraded,
                metadata={"notices_without_risk_deadline_or_reason": str(ungraded[:50])},
            )
        ],
    )


@dg.asset(
    **PARTITIONED,
    deps=[exposure, change_impact],
    kinds={"sendgrid", "email"},
    description="One email per (notice touching the BOM, recipient), sent exactly once: discontinuances to "
    "procurement and product owners, changes and NRND to engineering and product owners.",
)
def notifications(
    context: dg.AssetExecutionContext,
    database: RadarDatabase,
    settings: ExposureSettings,
    notifier: NotifierResource,
) -> dg.MaterializeResult:
    from pathlib import Path

    from radar_pipeline.bom.store import product_owners
    from radar_pipeline.exposure.changes import stored_impacts, to_json
    from radar_pipeline.notify.dispatch import notify
    from radar_pipeline.notify.message import Links
    from radar_pipeline.pipeline.steps import stored_reports

    engine = database.engine()
    links = Links(
        str((Path(settings.report_dir) / "latest.html").resolve()), settings.public_url, settings.currency
    )
    sender, counts, owners = notifier.client(), Counter(), product_owners(engine)
    as_of, routing = settings.as_of(), notifier.routing()
    impacts = {r["notice_id"]: to_json(r) for r in stored_impacts(engine, as_of, days_of(context))}
    for day_of, report in stored_reports(engine, days_of(context), as_of):
        counts.update(notify(engine, sender, routing, report, day_of, links, owners, impacts, as_of))
    from radar_pipeline.notify.review import notify_review
    from radar_pipeline.review.queue import review_items_of

    days = set(days_of(context))
    # the days' new items, and every open conflict: a conflict is made by whichever day's run settles its
    # notice, and carries the day of its reading (each is mailed once, whoever finds it first)
    pending = [
        i
        for i in review_items_of(engine, None, "open")
        if i["partition_day"] in days or i["kind"] == "conflict"
    ]
    counts.update(notify_review(engine, sender, notifier.review_recipient_list(), pending, links))
    return dg.MaterializeResult(
        metadata={k: int(v) for k, v in counts.items()} | {"recipients": len(notifier.recipient_list())}
    )


PIPELINE_ASSETS = [
    landing_events,
    parsed_documents,
    notice_extractions,
    bom_matches,
    exposure,
    change_impact,
    notifications,
]
