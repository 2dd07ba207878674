"""``radar dev`` (``make dev``) for a person: a signal stops every process it started and frees their
ports; the console gets INFO, the log files Dagster's DEBUG too."""

from __future__ import annotations

import signal
import socket
import subprocess
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from radar_pipeline_tests.support import RadarProcess, free_port, radar_env, wait_http

pytestmark = [pytest.mark.slow]


def processes_below(pid: int) -> set[int]:
    """Every process under ``pid``, from ``ps``."""
    rows = subprocess.run(["ps", "-eo", "pid=,ppid="], capture_output=True, text=True, check=True).stdout
    children: dict[int, set[int]] = {}
    for row in rows.splitlines():
        child, parent = map(int, row.split())
        children.setdefault(parent, set()).add(child)
    found, todo = set(), [pid]
    while todo:
        new = children.get(todo.pop(), set()) - found
        found |= new
        todo.extend(new)
    return found


def alive(pid: int) -> bool:
    """Running (a zombie waiting for a parent that does not reap is not running)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat[stat.rindex(")") + 2] != "Z"


def processes_of(home: Path) -> list[int]:
    """Running processes started with this ``DAGSTER_HOME``: what radar dev started, and what those started
    (a run worker the daemon launched while it was being stopped included)."""
    found = []
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            environ = (entry / "environ").read_bytes().split(b"\0")
        except OSError:
            continue
        if f"DAGSTER_HOME={home}".encode() in environ and alive(int(entry.name)):
            found.append(int(entry.name))
    return found


def port_free(port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def test_sigterm_stops_every_process_radar_dev_started_and_frees_their_ports(tmp_path):
    root = tmp_path / ".radar"
    ports = {"gateway": free_port(), "ui": free_port(), "web": free_port()}
    env = radar_env(
        f"sqlite:///{root / 'radar.db'}",
        # three quiet days to catch up, not a year
        RADAR_HISTORY_START=(datetime.now(UTC).date() - timedelta(days=3)).isoformat(),
    )
    args = ["dev", "--root", str(root)]
    args += [
        "--gateway-port",
        str(ports["gateway"]),
        "--ui-port",
        str(ports["ui"]),
        "--web-port",
        str(ports["web"]),
    ]
    home = (root / "dagster_home").resolve()
    dev = RadarProcess(args, env, tmp_path, "dev.log")
    try:
        wait_http(
            f"http://127.0.0.1:{ports['gateway']}/healthz", timeout=600, proc=dev.proc
        )  # the demo first
        wait_http(f"http://127.0.0.1:{ports['web']}/login", timeout=120, proc=dev.proc)
        wait_http(f"http://127.0.0.1:{ports['ui']}/server_info", timeout=180, proc=dev.proc)
        started = processes_below(dev.proc.pid)
        # gateway, desk, webserver, daemon, and the code servers Dagster's processes start
        assert len(started) >= 4, started
        assert len(processes_of(home)) >= 4  # the check below finds what it looks for
        dev.proc.send_signal(signal.SIGTERM)  # to radar dev alone, as `kill PID` does
        assert dev.proc.wait(60) == 0
    finally:
        dev.stop()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(alive(pid) for pid in started):
        time.sleep(0.2)
    console = dev.log()
    assert not [pid for pid in started if alive(pid)], console[-3000:]
    assert processes_of(home) == [], console[-3000:]
    assert all(port_free(port) for port in ports.values()), console[-3000:]
    assert "SIGTERM: stopping every process radar dev started" in console
    # INFO on the console, Dagster's DEBUG in the daemon's log file
    daemon_log = (root / "logs" / "daemon.log").read_text()
    assert "[debug" in daemon_log and "[info" in daemon_log
    assert "[debug" not in console and "[info" in console and " - DEBUG - " not in console
