"""``radar`` and Dagster as real server processes, with the environment they are started in."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[2]
RADAR = [sys.executable, "-m", "radar_pipeline.cli"]
TEST_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
ROTATED_SECRET = "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url: str, timeout: float = 30.0, proc: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"process exited with {proc.returncode} before {url} answered")
        try:
            if httpx.get(url, timeout=1).status_code < 500:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise TimeoutError(f"{url} did not answer within {timeout}s")


class RadarProcess:
    """A ``radar`` subcommand running as a real server process."""

    def __init__(self, args: list[str], env: dict[str, str], cwd: Path, log_name: str) -> None:
        self.log_path = cwd / log_name
        self._log = open(self.log_path, "wb")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(
            RADAR + args, env=env, cwd=cwd, stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True
        )

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        self._log.close()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


def radar_env(database_url: str, **extra: str | None) -> dict[str, str]:
    """The environment of a ``radar`` process under test: no setting of the caller's leaks in except
    ``RADAR_HISTORY_START`` (the test session's first partition); an ``extra`` of ``None`` removes one."""
    keep = ("RADAR_HISTORY_START",)
    env = {
        k: v
        for k, v in os.environ.items()
        if k in keep or not k.startswith(("RADAR_", "OPENAI_", "SENDGRID_"))
    }
    env.update(
        RADAR_DATABASE_URL=database_url,
        RADAR_WEBHOOK_SECRET_SILICONEXPERT=TEST_SECRET,
        RADAR_WEBHOOK_SECRET_ACCURIS=f"{ROTATED_SECRET},{TEST_SECRET}",
        RADAR_INBOUND_BASIC_AUTH="sendgrid:s3cret",
        PYTHONUNBUFFERED="1",
    )
    env.update({k: v for k, v in extra.items() if v is not None})
    for k in [k for k, v in extra.items() if v is None]:
        env.pop(k, None)
    return env


@contextmanager
def running_server(command: str, ready: str, database_url: str, cwd: Path, **extra_env: str):
    """``radar COMMAND --port P`` as a real process; yields its base URL once ``ready`` answers."""
    port = free_port()
    proc = RadarProcess(
        [command, "--port", str(port)], radar_env(database_url, **extra_env), cwd, f"{command}-{port}.log"
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_http(base + ready, proc=proc.proc)
        yield base
    finally:
        proc.stop()


def running_gateway(database_url: str, cwd: Path, **extra_env: str):
    return running_server("gateway", "/healthz", database_url, cwd, **extra_env)


def running_desk(database_url: str, cwd: Path, **extra_env: str):
    """The analysts' desk (``radar web``); give it ``RADAR_WEB_USERS`` and ``RADAR_WEB_SECRET``."""
    return running_server("web", "/login", database_url, cwd, **extra_env)


def run_radar(args: list[str], database_url: str, cwd: Path, **extra_env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        RADAR + args,
        env=radar_env(database_url, **extra_env),
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=600,
    )


DAGSTER_BIN = Path(sys.executable).parent


class DagsterServices:
    """``dagster-daemon`` and ``dagster-webserver`` from workspace.yaml, as real processes."""

    def __init__(self, cwd: Path, env: dict[str, str], webserver: bool = True, daemon: bool = True) -> None:
        self.port = free_port()
        self.procs: list[tuple[subprocess.Popen, object]] = []
        workspace = str(REPO / "workspace.yaml")
        if daemon:
            self._start(
                [str(DAGSTER_BIN / "dagster-daemon"), "run", "-w", workspace], env, cwd / "daemon.log"
            )
        if webserver:
            self._start(
                [
                    str(DAGSTER_BIN / "dagster-webserver"),
                    "-w",
                    workspace,
                    "-h",
                    "127.0.0.1",
                    "-p",
                    str(self.port),
                ],
                env,
                cwd / "webserver.log",
            )
            wait_http(f"http://127.0.0.1:{self.port}/server_info", timeout=120, proc=self.procs[-1][0])
        self.url = f"http://127.0.0.1:{self.port}"

    def _start(self, cmd: list[str], env: dict[str, str], log: Path) -> None:
        out = open(log, "wb")  # noqa: SIM115 - closed in stop()
        self.procs.append(
            (
                subprocess.Popen(
                    cmd, env=env, cwd=REPO, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
                ),
                out,
            )
        )

    def graphql(self, query: str) -> dict:
        r = httpx.post(f"{self.url}/graphql", json={"query": query}, timeout=60)
        r.raise_for_status()
        return r.json()["data"]

    def stop(self) -> None:
        import signal

        for proc, out in self.procs:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
                try:
                    proc.wait(20)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)
                    proc.wait(5)
            out.close()
