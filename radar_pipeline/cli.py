"""The ``radar`` command line. Heavy modules are imported inside each command."""

from __future__ import annotations

import json
import sys

import click

from radar_pipeline.config import get_settings


def _echo_json(value) -> None:
    click.echo(json.dumps(value, indent=2, default=str))


def _table(rows: list[dict], columns: list[str]) -> str:
    widths = {
        c: max([len(c)] + [len(str(r.get(c, "") if r.get(c) is not None else "")) for r in rows])
        for c in columns
    }
    lines = ["  ".join(c.ljust(widths[c]) for c in columns), "  ".join("-" * widths[c] for c in columns)]
    for r in rows:
        lines.append(
            "  ".join(str(r.get(c) if r.get(c) is not None else "").ljust(widths[c]) for c in columns)
        )
    return "\n".join(lines)


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
        click.echo(_table(rows, ["id", "source", "dedup_key", "received_at", "status", "reason"]))


if __name__ == "__main__":
    sys.exit(main())
