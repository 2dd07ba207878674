"""``radar demo``: the whole radar on Acme Robotics, on the embedded default, in a few minutes.

1. writes the company (BOM, forecast, inventory) and imports it;
2. starts the gateway and delivers notices over HTTP: signed webhooks and
   SendGrid Inbound Parse posts (parsed mode with a PDF, raw mode);
3. drops manufacturers' emails (PDF, XLSX, HTML, German, a digest, a non-notice)
   into a Maildir and lands them with the inbox reader;
4. runs the Dagster asset graph over every pending day, then prints the top
   exposures, the notifications written and where the HTML report is.
"""

from __future__ import annotations

import base64
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from email import message_from_bytes, policy
from pathlib import Path

import httpx

from radar_pipeline.demo.company import write_company
from radar_pipeline.demo.corpus import (
    adi_forwarded_email,
    change_notice_email,
    digest_email,
    infineon_german_email,
    microchip_html_email,
    not_a_notice,
    nxp_xlsx_email,
    ti_pdn_email,
)
from radar_pipeline.demo.webhooks import DEMO_SECRET, PAYLOADS, send_webhook

Echo = Callable[[str], None]
INBOUND_AUTH = "sendgrid:demo-inbound"
# the analysts' desk of `make dev`: a reviewer to sign in as (the demo's, not for production)
DESK_USER, DESK_PASSWORD, DESK_PORT = "analyst", "radar-demo", 8080


def demo_environment(root: Path) -> dict[str, str]:
    """Settings of the demo: everything under ``root`` (``.radar`` by default)."""
    return {
        "RADAR_DATABASE_URL": f"sqlite:///{root / 'radar.db'}",
        "DAGSTER_HOME": str((root / "dagster_home").resolve()),
        "RADAR_OUTBOX_DIR": str(root / "outbox"),
        "RADAR_REPORT_DIR": str(root / "reports"),
        "RADAR_MAILDIR": str(root / "demo" / "Maildir"),
        "RADAR_NOTIFY_TO": "procurement@acme-robotics.example",
        "RADAR_ENGINEERING_TO": "engineering@acme-robotics.example",
        "RADAR_INBOUND_BASIC_AUTH": INBOUND_AUTH,
        "RADAR_WEBHOOK_SECRET_SILICONEXPERT": DEMO_SECRET,
        "RADAR_WEBHOOK_SECRET_ACCURIS": DEMO_SECRET,
    }


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _sendgrid_parsed(raw: bytes) -> tuple[dict, dict]:
    """The form SendGrid's parsed mode would post for ``raw``: fields and attachment files."""
    msg = message_from_bytes(raw, policy=policy.default)
    headers = "".join(f"{k}: {v}\n" for k, v in msg.items())
    body = msg.get_body(("plain", "html"))
    files = {
        f"attachment{i}": (p.get_filename(), p.get_content(), p.get_content_type())
        for i, p in enumerate(msg.iter_attachments(), 1)
    }
    data = {
        "headers": headers,
        "text": body.get_content() if body else "",
        "from": msg["From"],
        "to": msg["To"],
        "subject": msg["Subject"],
        "attachments": str(len(files)),
        "charsets": '{"text": "utf-8"}',
    }
    return data, files


def _maildir_drop(maildir: Path, name: str, raw: bytes) -> None:
    for sub in ("new", "cur", "tmp"):
        (maildir / sub).mkdir(parents=True, exist_ok=True)
    tmp = maildir / "tmp" / name
    tmp.write_bytes(raw)
    tmp.rename(maildir / "new" / name)


def run_demo(root: Path, echo: Echo, reset: bool = True) -> int:
    started = time.monotonic()
    if reset and root.exists():
        for name in ("radar.db", "radar.db-wal", "radar.db-shm"):
            (root / name).unlink(missing_ok=True)
        for name in ("dagster_home", "outbox", "reports", "demo"):
            shutil.rmtree(root / name, ignore_errors=True)
    root.mkdir(parents=True, exist_ok=True)
    env = demo_environment(root)
    os.environ.update(env)
    from radar_pipeline.config import get_settings

    settings = get_settings()
    step = lambda n, text: echo(f"[{n}/5] {text} ({time.monotonic() - started:.0f}s)")  # noqa: E731

    step(1, "writing Acme Robotics' BOM, forecast and inventory and importing it")
    from radar_pipeline.bom.importer import read_bom
    from radar_pipeline.bom.store import replace_bom
    from radar_pipeline.db import open_database
    from radar_pipeline.orchestration.runner import report_bom_import

    engine = open_database(settings.database_url)
    result = read_bom(write_company(root / "demo" / "bom"))
    version = replace_bom(engine, result)
    report_bom_import(settings, version, result.content_sha256, result.data.counts())

    step(2, "starting the gateway and delivering signed webhooks and SendGrid posts over HTTP")
    port = _free_port()
    gateway = subprocess.Popen(
        [sys.executable, "-m", "radar_pipeline.cli", "gateway", "--port", str(port)],
        env=os.environ.copy(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(base + "/readyz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline or gateway.poll() is not None:
                raise RuntimeError("the gateway did not start")
            time.sleep(0.2)
        for i, (source, payload) in enumerate(PAYLOADS):
            r = send_webhook(base, source, payload, DEMO_SECRET, msg_id=f"demo-{source}-{i}")
            echo(f"      webhook {source:13s} -> {r.status_code} {r.json()}")
        auth = {"Authorization": "Basic " + base64.b64encode(INBOUND_AUTH.encode()).decode()}
        data, files = _sendgrid_parsed(ti_pdn_email().data)
        r = httpx.post(f"{base}/inbound/sendgrid", data=data, files=files, headers=auth, timeout=60)
        echo(f"      SendGrid parsed mode (TI PDN with PDF table) -> {r.status_code} {r.json()}")
        raw = microchip_html_email().data.decode()
        r = httpx.post(
            f"{base}/inbound/sendgrid",
            data={"email": raw, "to": "radar@acme-robotics.example"},
            files={"dummy": ("", b"", "text/plain")},
            headers=auth,
            timeout=60,
        )
        echo(f"      SendGrid raw mode (Microchip HTML-only) -> {r.status_code} {r.json()}")
    finally:
        gateway.terminate()
        gateway.wait(10)

    step(3, "dropping manufacturers' emails into the Maildir and landing them with the inbox reader")
    from radar_pipeline.clock import utc_today
    from radar_pipeline.demo.change_notices import demo_changes
    from radar_pipeline.mail.inbox import MaildirInbox

    maildir = Path(settings.maildir)
    samples = [
        nxp_xlsx_email(),
        adi_forwarded_email(),
        infineon_german_email(),
        digest_email(),
        change_notice_email(),
        not_a_notice(),
        *demo_changes(utc_today()),  # a fab transfer (90 days to object), a packing change, a German one
    ]
    for i, sample in enumerate(samples):
        _maildir_drop(maildir, f"{1764400000 + i}.M{i}P1.demo", sample.data)
    echo(f"      {MaildirInbox(maildir, engine).poll()}")

    step(4, "running the Dagster asset graph over every pending day")
    from radar_pipeline.landing import LandingStore
    from radar_pipeline.orchestration.runner import process_days

    days = sorted(LandingStore(engine).pending_days())
    summary = process_days(settings, days, lambda line: echo("      " + line.strip()))

    step(5, "summary")
    _print_summary(engine, settings, echo)
    echo(f"done in {time.monotonic() - started:.0f}s")
    return 1 if summary.failed else 0


def _print_summary(engine, settings, echo: Echo) -> None:
    from radar_pipeline.clock import utc_today
    from radar_pipeline.exposure.report import to_table, top_exposures
    from radar_pipeline.exposure.service import current_exposure
    from radar_pipeline.landing import LandingStore
    from radar_pipeline.notify.dispatch import sent_notifications

    report = current_exposure(engine, settings.safety_stock, utc_today())
    echo("")
    echo(to_table(report))
    echo("")
    echo("Top exposures:")
    for n in top_exposures(report, 5):
        echo(
            f"  {n['notice_number']:16s} {n['manufacturer']:22s} LTB {n['last_time_buy_date']} "
            f"({n['days_to_ltb']} days)  buy {n['total_ltb_cost']:>12,.2f}  revenue at risk {n['total_revenue_at_risk']:>14,.2f}"
        )
    events = LandingStore(engine).list_events()
    dead = [e for e in events if e["status"] == "dead_letter"]
    sent = [n for n in sent_notifications(engine) if n["status"] == "sent"]
    echo(
        f"\n{len(events)} landing events, {len(dead)} dead letter(s); {len(sent)} notification(s) written to "
        f"{Path(settings.outbox_dir).resolve()}"
    )
    latest = Path(settings.report_dir) / "latest.html"
    echo(f"HTML report: {latest.resolve()}")
    echo(
        f"Analysts' desk: `make dev`, then open http://127.0.0.1:{DESK_PORT} and sign in as "
        f"{DESK_USER} / {DESK_PASSWORD}"
    )


def desk_environment(port: int) -> dict[str, str]:
    """The desk's settings for ``make dev``: its URL in mails and reports, a demo reviewer and a
    fresh cookie key; settings already in the environment win."""
    import secrets

    from radar_pipeline.web.auth import hash_password

    own = {
        k: os.environ[k]
        for k in ("RADAR_PUBLIC_URL", "RADAR_WEB_USERS", "RADAR_WEB_SECRET")
        if os.environ.get(k)
    }
    defaults = {
        "RADAR_PUBLIC_URL": f"http://127.0.0.1:{port}",
        "RADAR_WEB_SECRET": secrets.token_urlsafe(32),
    }
    if "RADAR_WEB_USERS" not in own and not os.environ.get("RADAR_WEB_TRUSTED_HEADER"):
        defaults["RADAR_WEB_USERS"] = f"{DESK_USER}:reviewer:{hash_password(DESK_PASSWORD)}"
    return defaults | own


def dev_commands(gateway_port: int, ui_port: int, web_port: int) -> dict[str, list[str]]:
    """What ``radar dev`` runs: the gateway, the desk, and Dagster's webserver and daemon on the instance in
    ``DAGSTER_HOME`` (its ``dagster.yaml``: the run queue that puts fresh events first), with Dagster's
    DEBUG lines for the log files."""
    radar, bin_dir = [sys.executable, "-m", "radar_pipeline.cli"], Path(sys.executable).parent
    code = ["-m", "radar_pipeline.definitions"]
    return {
        "gateway": [*radar, "gateway", "--host", "127.0.0.1", "--port", str(gateway_port)],
        "desk": [*radar, "web", "--host", "127.0.0.1", "--port", str(web_port)],
        "dagster-ui": [
            str(bin_dir / "dagster-webserver"),
            *code,
            *("-h", "127.0.0.1", "-p", str(ui_port), "--dagster-log-level", "debug"),
        ],
        "daemon": [
            str(bin_dir / "dagster-daemon"),
            "run",
            *code,
            "--log-level",
            "debug",
            "--log-format",
            "rich",
        ],
    }


def run_dev(
    root: Path, echo: Echo, gateway_port: int = 8000, ui_port: int = 3000, web_port: int = DESK_PORT
) -> int:
    """The gateway, the analysts' desk, and Dagster's webserver and daemon (sensors running) on the demo
    data, until a signal (SIGTERM, SIGINT, SIGHUP) or one of them ends; then every one of them stops."""
    import signal

    from radar_pipeline.demo.supervisor import STOP_SIGNALS, Stop, Supervisor, raise_stop
    from radar_pipeline.orchestration.instance import ensure_dagster_home

    if not (root / "radar.db").exists():
        echo("no demo data yet: running the demo first")
        if run_demo(root, echo) != 0:
            return 1
    env = os.environ.copy() | demo_environment(root) | desk_environment(web_port)
    ensure_dagster_home(env["DAGSTER_HOME"])
    logs = root / "logs"
    supervisor = Supervisor(logs, echo)
    previous = {sig: signal.signal(sig, raise_stop) for sig in STOP_SIGNALS}
    code = 0
    try:
        for name, cmd in dev_commands(gateway_port, ui_port, web_port).items():
            supervisor.start(name, cmd, env)
        echo(
            f"gateway on http://127.0.0.1:{gateway_port} (docs at /docs), Dagster UI on http://127.0.0.1:{ui_port}"
        )
        if not (os.environ.get("RADAR_WEB_USERS") or os.environ.get("RADAR_WEB_TRUSTED_HEADER")):
            who = f"sign in as {DESK_USER} / {DESK_PASSWORD}"
        else:
            who = "sign in as configured (RADAR_WEB_USERS / RADAR_WEB_TRUSTED_HEADER)"
        echo(f"analysts' desk on {env['RADAR_PUBLIC_URL']}: {who}")
        echo(
            "past days without events are caught up in the background, one low-priority run at a time "
            "(fresh notices go first)"
        )
        echo(f"logs at INFO here; every process's full log, Dagster's DEBUG included, in {logs}/")
        echo(f"try: RADAR_WEBHOOK_SECRET_SILICONEXPERT={DEMO_SECRET} radar send-test-webhook")
        echo(f"or drop an .eml file into {root / 'demo' / 'Maildir' / 'new'}; Ctrl-C stops everything")
        while (ended := supervisor.exited()) is None:
            time.sleep(0.5)
        echo(f"{ended[0]} exited with {ended[1]}: stopping the others (see {logs / ended[0]}.log)")
        code = 1
    except Stop as stop:
        echo(f"{stop}: stopping every process radar dev started")
    finally:
        for sig in STOP_SIGNALS:  # a second Ctrl-C must not cut the stop short
            signal.signal(sig, signal.SIG_IGN)
        supervisor.stop()
        echo(f"stopped; the logs are in {logs}/")
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return code
