"""The ``radar`` command line. Heavy modules are imported inside each command."""

from __future__ import annotations

import json
import sys

import click

from radar_pipeline.config import get_settings


def _echo_json(value) -> None:
    click.echo(json.dumps(value, indent=2, default=str))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """Radar: obsolescence radar for electronics supply chains."""


@main.group()
def db() -> None:
    """The business database."""


@db.command("upgrade")
def db_upgrade() -> None:
    """Apply the schema migrations (every command does this by itself)."""
    from radar_pipeline.db import open_database

    open_database(get_settings().database_url)
    click.echo("database schema is current")


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--workers", default=1, show_default=True, type=int, help="uvicorn worker processes")
def gateway(host: str, port: int, workers: int) -> None:
    """Run the ingestion gateway (webhooks, SendGrid Inbound Parse)."""
    import uvicorn

    from radar_pipeline.db import open_database

    open_database(get_settings().database_url)  # migrate once, before workers start
    uvicorn.run(
        "radar_pipeline.gateway.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="info",
        access_log=False,
        h11_max_incomplete_event_size=64 * 1024,
    )


@main.group(invoke_without_command=True)
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8080, show_default=True, type=int)
@click.pass_context
def web(ctx: click.Context, host: str, port: int) -> None:
    """Run the analysts' desk: overview, a page per notice, the review queue (sign-in required)."""
    if ctx.invoked_subcommand is not None:
        return
    import uvicorn

    from radar_pipeline.web.app import create_app
    from radar_pipeline.web.auth import WebConfigError

    try:
        app = create_app()
    except WebConfigError as exc:
        _refuse(exc)
    uvicorn.run(app, host=host, port=port, log_level="info", proxy_headers=False)


@web.command("hash-password")
@click.password_option(prompt="Password", help="read from the terminal when not given")
def web_hash_password(password: str) -> None:
    """Print an argon2 hash of a password, for RADAR_WEB_USERS (name:role:hash)."""
    from radar_pipeline.web.auth import hash_password

    click.echo(hash_password(password))


@main.command()
@click.option("--status", type=click.Choice(["received", "processed", "dead_letter"]), default=None)
@click.option("--format", "fmt", type=click.Choice(["json", "table"]), default="table", show_default=True)
def events(status: str | None, fmt: str) -> None:
    """List landing events and their state."""
    from radar_pipeline.db import open_database
    from radar_pipeline.landing import LandingStore

    rows = LandingStore(open_database(get_settings().database_url)).list_events(status)
    if fmt == "json":
        _echo_json(rows)
    else:
        from radar_pipeline.text_table import text_table

        click.echo(text_table(rows, ["id", "source", "dedup_key", "received_at", "status", "reason"]))


@main.command()
@click.argument("files", nargs=-1, required=True)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["json", "table", "stages"]),
    default="json",
    show_default=True,
    help="stages: each stage of the reading in words (layout, pieces, notices, ledger)",
)
@click.option("--llm", is_flag=True, help="also ask the configured LLM (OPENAI_*), reconciled with the rules")
def extract(files: tuple[str, ...], fmt: str, llm: bool) -> None:
    """Read notices from .eml, .pdf, .xlsx, .csv, .txt or .html files (one JSON line per file)."""
    from radar_pipeline.documents import read_file
    from radar_pipeline.review.reading import read_reviewed

    extractor = None
    if llm:
        from radar_pipeline.extraction.llm import llm_from_settings

        extractor = llm_from_settings(get_settings())
        if extractor is None:
            click.echo("error: --llm needs OPENAI_API_KEY (and OPENAI_BASE_URL for a local server)", err=True)
            sys.exit(2)
    failed = False
    for name in files:
        try:
            doc = read_file(name)
        except OSError as exc:
            click.echo(f"error: {name}: {exc.strerror or exc}", err=True)
            failed = True
            continue
        result, assessment, _ = read_reviewed(doc, extractor, "always")
        line = {
            "source": name,
            "notices": [n.to_contract() for n in result.notices],
            "warnings": result.warnings + [w for n in result.notices for w in n.warnings],
            # what a person should look at (see README, "When Radar is unsure")
            "needs_review": [
                {"notice_number": n.notice_number, "reasons": reasons}
                for n, reasons in zip(result.notices, assessment.notice_reasons, strict=True)
                if reasons
            ]
            + (
                [{"notice_number": None, "reasons": assessment.document_reasons}]
                if assessment.document_reasons
                else []
            ),
            # what a person must settle on a notice read right (a change notice stating no response period)
            "to_decide": [
                {"notice_number": n.notice_number, "reasons": reasons}
                for n, reasons in zip(result.notices, assessment.notice_decisions, strict=True)
                if reasons
            ],
            # every part-like string of the document's tables, lists and grids, and those no role took
            "ledger": result.ledger.to_json(),
        }
        if fmt == "json":
            click.echo(json.dumps(line, ensure_ascii=False))
        elif fmt == "stages":
            from radar_pipeline.extraction.trace import stages_text

            click.echo(f"{name}:\n{stages_text(result)}")
        else:
            click.echo(f"{name}: {len(result.notices)} notice(s)")
            for n in result.notices:
                click.echo(
                    f"  {n.notice_number} {n.manufacturer} {n.notice_type.value} LTB {n.last_time_buy_date} "
                    f"LTS {n.last_ship_date} ({len(n.parts)} parts, {n.extractor}, {n.confidence})"
                )
            for w in line["warnings"]:
                click.echo(f"  warning: {w}")
            ledger = line["ledger"]
            click.echo(
                f"  ledger: {ledger['candidates']} part-like strings, {ledger['affected']} affected, "
                f"{ledger['replacement']} replacement, {ledger['other']} other, "
                f"{len(ledger['unaccounted'])} unaccounted"
                + (f" ({', '.join(ledger['unaccounted'][:8])})" if ledger["unaccounted"] else "")
            )
            for item in line["needs_review"]:
                click.echo(
                    f"  needs review ({item['notice_number'] or 'document'}): {'; '.join(item['reasons'])}"
                )
            for item in line["to_decide"]:
                click.echo(f"  to decide ({item['notice_number']}): {'; '.join(item['reasons'])}")
    sys.exit(1 if failed else 0)


@main.group()
def bom() -> None:
    """The bill of materials, forecast and inventory."""


@bom.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@click.option(
    "--map",
    "mapping",
    multiple=True,
    metavar="COLUMN=FIELD",
    help="read the column headed COLUMN as FIELD (level, item, mpn, manufacturer, qty, designator, "
    "unit_cost, …; mpn2/manufacturer2 a further approved source; ignore drops it); repeatable",
)
@click.option("--dry-run", is_flag=True, help="print what was understood and what would load; load nothing")
def bom_import(paths: tuple[str, ...], mapping: tuple[str, ...], dry_run: bool) -> None:
    """Load the BOM: the five CSV files (a folder, or one workbook with those sheets), or exports read by
    the meaning of their columns — an indented ERP/PLM BOM, EDA board BOMs with a product sheet, parts,
    forecast and stock sheets (xlsx, xls, csv).

    Everything is validated first; on any problem nothing is loaded and each
    problem is listed with its file and line.
    """
    from radar_pipeline.bom.headers import parse_overrides
    from radar_pipeline.bom.importer import BomImportError
    from radar_pipeline.bom.mapped import read_any
    from radar_pipeline.bom.store import replace_bom
    from radar_pipeline.db import open_database

    try:
        overrides = parse_overrides(mapping)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    click.echo(f"reading {', '.join(paths)}", err=True)
    try:
        result = read_any(paths, overrides)
    except BomImportError as exc:
        if dry_run:
            click.echo("\n".join(exc.summary))
        click.echo(f"error: BOM import refused: {exc}", err=True)
        if not dry_run and exc.summary:
            click.echo("(radar bom import --dry-run shows how each file was read)", err=True)
        sys.exit(1)
    if dry_run:
        click.echo("\n".join(result.summary))
        for warning in result.warnings:
            click.echo(f"warning: {warning}")
        click.echo("dry run: nothing was loaded")
        return
    engine = open_database(get_settings().database_url)
    for warning in result.warnings:
        click.echo(f"warning: {warning}", err=True)

    def progress(table: str, done: int, total: int) -> None:
        click.echo(f"  {table}: {done}/{total} rows", err=True)

    version = replace_bom(engine, result, progress)
    counts = ", ".join(f"{v} {k}" for k, v in result.data.counts().items())
    click.echo(f"BOM version {version} loaded ({counts}); sha256 {result.content_sha256[:12]}")
    from radar_pipeline.orchestration.runner import report_bom_import

    report_bom_import(get_settings(), version, result.content_sha256, result.data.counts())


@main.command()
@click.option(
    "--as-of", "as_of", type=click.DateTime(["%Y-%m-%d"]), default=None, help="default: today (UTC)"
)
@click.option(
    "--format", "fmt", type=click.Choice(["json", "table", "csv"]), default="table", show_default=True
)
@click.option(
    "--by",
    type=click.Choice(["notice", "part", "product"]),
    default="notice",
    show_default=True,
    help="table/csv: a line per notice, or the consolidated last-time buy per BOM part or revenue per product",
)
def exposure(as_of, fmt: str, by: str) -> None:
    """The current exposure: every notice, the parts it touches, the money at stake.

    JSON always carries the consolidated ``totals``, ``by_part`` and ``by_product`` beside ``notices``.
    """
    from radar_pipeline.clock import utc_today
    from radar_pipeline.db import open_database
    from radar_pipeline.exposure import report as render
    from radar_pipeline.exposure.service import current_exposure

    settings = get_settings()
    day = as_of.date() if as_of else utc_today()
    result = current_exposure(
        open_database(settings.database_url), settings.safety_stock, day, currency=settings.currency
    )
    if fmt == "json":
        _echo_json(result)
    elif by != "notice":
        click.echo(
            render.consolidated_csv(result, by) if fmt == "csv" else render.consolidated_table(result, by)
        )
    elif fmt == "csv":
        click.echo(render.to_csv(result), nl=False)
    else:
        click.echo(render.to_table(result))


@main.command()
@click.option(
    "--format", "fmt", type=click.Choice(["json", "table", "csv"]), default="table", show_default=True
)
@click.option("--risk", type=click.Choice(["high", "medium", "low"]), default=None, help="only this risk")
def changes(fmt: str, risk: str | None) -> None:
    """Change and NRND notices touching the BOM: what changes, risk, products, response deadline, days left."""
    from radar_pipeline.clock import utc_today
    from radar_pipeline.db import open_database
    from radar_pipeline.exposure import changes as impacts
    from radar_pipeline.text_table import text_table

    rows = impacts.stored_impacts(open_database(get_settings().database_url), utc_today(), risk=risk)
    if fmt == "json":
        _echo_json([impacts.to_json(r) for r in rows])
    elif fmt == "csv":
        click.echo(impacts.to_csv(rows), nl=False)
    else:
        click.echo(
            text_table(impacts.flat_rows(rows), impacts.FLAT_COLUMNS, right={"days_left", "forecast_units"})
        )


@main.command()
@click.argument("paths", nargs=-1, required=True)
def ingest(paths: tuple[str, ...]) -> None:
    """Land documents (.eml, mbox, .pdf, .xlsx, .csv, .txt, .html; files or folders) as the inbox would.

    Mail lands on the day of its own date; mail dated before the first daily partition
    (RADAR_HISTORY_START) is not landed, and then the exit status is 1 unless something new was.
    """
    from radar_pipeline.db import open_database
    from radar_pipeline.landing import LandingStore
    from radar_pipeline.mail.authentication import dkim_keys_dns
    from radar_pipeline.mail.ingest import NotLanded, events_from

    settings = get_settings()
    store = LandingStore(open_database(settings.database_url))
    new = dup = refused = 0
    for where, event in events_from(list(paths), settings.first_day, dkim_keys_dns(settings.dkim_keys)):
        if isinstance(event, NotLanded):
            refused += 1
            click.echo(f"{where}: not landed: {event.reason}", err=True)
            continue
        landed = store.land(event)
        new, dup = new + (not landed.duplicate), dup + landed.duplicate
        state = "duplicate of" if landed.duplicate else "landed as"
        click.echo(f"{where}: {state} event {landed.event_id} (day {event.received_at.date()})")
    click.echo(
        f"{new} new event(s), {dup} duplicate(s); run `radar process` (or let the sensor) to process them"
    )
    if refused:
        click.echo(
            f"{refused} document(s) not landed: dated before the first daily partition "
            f"{settings.first_day} (RADAR_HISTORY_START)",
            err=True,
        )
        if not new:
            sys.exit(1)


def _finish(summary) -> None:
    if summary.failed:
        click.echo(f"error: {len(summary.failed)} run(s) failed: {', '.join(summary.failed)}", err=True)
        sys.exit(1)


@main.command()
def process() -> None:
    """Materialize every partition with unprocessed landing events or new review decisions,
    through the Dagster asset graph."""
    from radar_pipeline.db import open_database
    from radar_pipeline.landing import LandingStore
    from radar_pipeline.orchestration.runner import process_days
    from radar_pipeline.review.corrections import pending_decision_days

    settings = get_settings()
    engine = open_database(settings.database_url)
    days = sorted(set(LandingStore(engine).pending_days()) | set(pending_decision_days(engine)))
    if not days:
        click.echo("nothing to process: no landing event or correction is waiting")
        return
    click.echo(f"{len(days)} partition(s) with unprocessed events or corrections")
    summary = process_days(settings, days, click.echo)
    click.echo(f"done: {summary.runs} run(s)")
    from radar_pipeline.review.queue import review_items_of

    waiting = review_items_of(engine)
    if waiting:
        click.echo(f"{len(waiting)} item(s) need review: `radar review` lists them")
    _finish(summary)


@main.command()
@click.argument("event_ids", nargs=-1, type=int, required=True)
def replay(event_ids: tuple[int, ...]) -> None:
    """Send events through the pipeline again: dead letters, and processed events (their day is
    re-materialized; analysts' corrections are applied again)."""
    from radar_pipeline.db import open_database
    from radar_pipeline.landing import LandingStore
    from radar_pipeline.orchestration.runner import process_days

    settings = get_settings()
    store = LandingStore(open_database(settings.database_url))
    reset = store.reset_for_replay(event_ids)
    processed = [e.id for e in store.fetch(set(event_ids) - set(reset)) if e.status == "processed"]
    skipped = sorted(set(event_ids) - set(reset) - set(processed))
    if skipped:
        click.echo(f"unknown (or being received), left as they are: {skipped}", err=True)
    reset = sorted([*reset, *processed])
    if not reset:
        sys.exit(1)
    days = sorted({e.partition_day for e in store.fetch(reset)})
    _finish(process_days(settings, days, click.echo))
    for e in store.fetch(reset):
        click.echo(f"event {e.id}: {e.status}" + (f" ({e.reason})" if e.reason else ""))


@main.group(invoke_without_command=True)
@click.option("--format", "fmt", type=click.Choice(["json", "table"]), default="table", show_default=True)
@click.option(
    "--state",
    type=click.Choice(["open", "accepted", "corrected", "all"]),
    default="open",
    show_default=True,
    help="which items to list",
)
@click.pass_context
def review(ctx: click.Context, fmt: str, state: str) -> None:
    """Notices and documents that need a person (parts not found, attachment missing, …)."""
    if ctx.invoked_subcommand is not None:
        return
    from radar_pipeline.db import open_database
    from radar_pipeline.review.queue import public_item, review_items_of

    items = review_items_of(
        open_database(get_settings().database_url), state=None if state == "all" else state
    )
    rows = [public_item(i) | ({"state": i["state"]} if state != "open" else {}) for i in items]
    if fmt == "json":
        _echo_json(rows)
        return
    from radar_pipeline.text_table import text_table

    table = [
        r
        | {
            "notice_number": r["notice_number"] or "(no notice)",
            "reasons": "; ".join(r["reasons"]),
            "received_at": (r["received_at"] or "")[:16],
        }
        for r in rows
    ]
    cols = ["notice_id", "notice_number", "event_id", "manufacturer", "received_at", "reasons"]
    click.echo(f"{len(rows)} item(s) {'need review' if state == 'open' else state}")
    if rows:
        click.echo(text_table(table, cols + (["state"] if state != "open" else [])))
    if state == "open" and items:
        from radar_pipeline.review.commands import decision_commands

        click.echo("\nto decide (each command's values quoted for the shell):")
        for item in items:
            for what, line in decision_commands(item).items():
                click.echo(f"  {what:8} {line}")


def _refuse(exc: Exception) -> None:
    click.echo(f"error: {exc}", err=True)
    sys.exit(2)


@review.command("accept")
@click.argument("notice_number", required=False)
@click.option("--by", "by", default=None, help="who decided (default: $USER)")
@click.option("--note", default=None, help="why")
@click.option("--manufacturer", default=None, help="when the number exists for several manufacturers")
@click.option("--event", "event_id", type=int, default=None, help="a document without a notice, by event id")
def review_accept(notice_number, by, note, manufacturer, event_id) -> None:
    """Close a review item without changes."""
    import getpass

    from radar_pipeline.db import open_database
    from radar_pipeline.review import actions
    from radar_pipeline.review.corrections import CorrectionError

    engine = open_database(get_settings().database_url)
    try:
        click.echo(
            actions.accept(engine, notice_number, by or getpass.getuser(), note, manufacturer, event_id)
        )
    except CorrectionError as exc:
        _refuse(exc)


@review.command("take")
@click.argument("notice_number")
@click.option("--event", "event_id", type=int, required=True, help="the event whose reading is taken")
@click.option("--by", "by", default=None, help="who decided (default: $USER)")
@click.option("--note", default=None, help="why")
@click.option("--manufacturer", default=None, help="when the number exists for several manufacturers")
def review_take(notice_number, event_id, by, note, manufacturer) -> None:
    """Settle conflicting readings by taking what one event read (its type, dates and parts): a
    correction that sticks. To keep the notice as it is: `radar review accept NUMBER --event EVENT_ID`."""
    import getpass

    from radar_pipeline.db import open_database
    from radar_pipeline.review import actions
    from radar_pipeline.review.corrections import CorrectionError

    engine = open_database(get_settings().database_url)
    try:
        click.echo(actions.take(engine, notice_number, by or getpass.getuser(), event_id, note, manufacturer))
    except CorrectionError as exc:
        _refuse(exc)


@review.command("history")
@click.argument("notice_number", required=False)
@click.option("--format", "fmt", type=click.Choice(["json", "table"]), default="table", show_default=True)
def review_history(notice_number, fmt) -> None:
    """Every correction and review decision, oldest first (who, when, what, why)."""
    from radar_pipeline.db import open_database
    from radar_pipeline.review.corrections import decision_history

    rows = decision_history(open_database(get_settings().database_url), notice_number)
    if fmt == "json":
        _echo_json(rows)
    else:
        from radar_pipeline.text_table import text_table

        click.echo(
            text_table(rows, ["id", "action", "notice_number", "event_id", "by", "at", "changes", "note"])
        )


@main.command()
@click.argument("notice_number")
@click.option("--part", "parts", multiple=True, help="MPN or MPN=REPLACEMENT (repeatable)")
@click.option("--remove-part", "remove", multiple=True, help="an MPN that is not affected (repeatable)")
@click.option("--ltb", default=None, help="last-time-buy date, YYYY-MM-DD")
@click.option("--last-ship", "last_ship", default=None, help="last-ship date, YYYY-MM-DD")
@click.option("--type", "notice_type", default=None, help="discontinuance | nrnd | change")
@click.option(
    "--category",
    "categories",
    multiple=True,
    help="what a change notice changes (repeatable: the whole list)",
)
@click.option("--effective", default=None, help="first shipment of changed product, YYYY-MM-DD")
@click.option("--response-deadline", "response_deadline", default=None, help="date to object by, YYYY-MM-DD")
@click.option("--by", "by", default=None, help="who corrects (default: $USER)")
@click.option("--note", default=None, help="why")
@click.option(
    "--event", "event_id", type=int, default=None, help="the document (event) of a notice Radar did not find"
)
@click.option("--manufacturer", default=None, help="the maker (a new notice, or a number several makers use)")
@click.option(
    "--from-json",
    "from_json",
    default=None,
    help="a canonical notice (CONTRACT §4): fields and the whole parts list",
)
def correct(
    notice_number,
    parts,
    remove,
    ltb,
    last_ship,
    notice_type,
    categories,
    effective,
    response_deadline,
    by,
    note,
    event_id,
    manufacturer,
    from_json,
):
    """Correct a notice; the correction sticks across replays, backfills and new extractors."""
    import getpass

    from radar_pipeline.db import open_database
    from radar_pipeline.review import actions
    from radar_pipeline.review.corrections import CorrectionError

    engine = open_database(get_settings().database_url)
    try:
        done = actions.correct(
            engine,
            notice_number,
            by or getpass.getuser(),
            parts=parts,
            remove=remove,
            ltb=ltb,
            last_ship=last_ship,
            notice_type=notice_type,
            categories=categories,
            effective=effective,
            response_deadline=response_deadline,
            note=note,
            manufacturer=manufacturer,
            event_id=event_id,
            from_json=from_json,
        )
    except CorrectionError as exc:
        _refuse(exc)
    click.echo(done)


@main.command()
@click.option("--from", "first", type=click.DateTime(["%Y-%m-%d"]), required=True)
@click.option("--to", "last", type=click.DateTime(["%Y-%m-%d"]), required=True)
def backfill(first, last) -> None:
    """Re-materialize a range of days as one run (historical notices)."""
    from radar_pipeline.orchestration.runner import process_range

    _finish(process_range(get_settings(), first.date(), last.date(), click.echo))


@main.command()
@click.option("--root", default=".radar", show_default=True, help="where the demo keeps its state")
@click.option("--keep", is_flag=True, help="keep earlier demo state instead of starting fresh")
def demo(root: str, keep: bool) -> None:
    """Run the whole radar end to end on a realistic demo company (SQLite, no services needed)."""
    from pathlib import Path

    from radar_pipeline.demo.run import run_demo

    sys.exit(run_demo(Path(root), click.echo, reset=not keep))


@main.command()
@click.option("--root", default=".radar", show_default=True)
@click.option("--gateway-port", default=8000, show_default=True)
@click.option("--ui-port", default=3000, show_default=True)
@click.option("--web-port", default=8080, show_default=True, help="the analysts' desk")
def dev(root: str, gateway_port: int, ui_port: int, web_port: int) -> None:
    """The gateway, the analysts' desk, Dagster's webserver and daemon (sensors running) on the demo data;
    a signal (Ctrl-C, SIGTERM, a closed terminal) stops them all."""
    from pathlib import Path

    from radar_pipeline.demo.run import run_dev

    sys.exit(run_dev(Path(root), click.echo, gateway_port, ui_port, web_port))


@main.command("send-test-webhook")
@click.option("--url", default="http://127.0.0.1:8000", show_default=True, help="the gateway")
@click.option("--source", default="siliconexpert", show_default=True)
@click.option("--part", default="LM317T/NOPB", show_default=True, help="the affected part number")
def send_test_webhook(url: str, source: str, part: str) -> None:
    """Sign a sample discontinuance notice with the source's secret and send it to the gateway."""
    import json as _json
    import uuid

    from radar_pipeline.demo.webhooks import SAMPLE, send_webhook

    secrets = get_settings().webhook_secrets(source)
    if not secrets:
        click.echo(f"error: set RADAR_WEBHOOK_SECRET_{source.upper()} (as the gateway has it)", err=True)
        sys.exit(2)
    _, payload = SAMPLE
    payload = _json.loads(_json.dumps(payload))
    payload["PCNNumber"] = f"PDN-TEST-{uuid.uuid4().hex[:6].upper()}"
    payload["AffectedParts"][0]["PartNumber"] = part
    r = send_webhook(url, source, payload, secrets[0])
    click.echo(f"{r.status_code} {r.text}")
    sys.exit(0 if r.status_code < 300 else 1)


if __name__ == "__main__":
    sys.exit(main())
