"""Helpers the tests share: databases, real server processes, signing, a TCP proxy."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import threading
import time
import uuid
from contextlib import contextmanager, suppress
from pathlib import Path

import httpx
import psycopg

PG_ADMIN_URL = os.environ.get("RADAR_TEST_PG_ADMIN_URL", "postgresql://root@127.0.0.1:5432/test")
REPO = Path(__file__).resolve().parent.parent
RADAR = [sys.executable, "-m", "radar_pipeline.cli"]
TEST_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
ROTATED_SECRET = "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD"


def postgres_available() -> bool:
    try:
        with psycopg.connect(PG_ADMIN_URL, connect_timeout=3):
            return True
    except psycopg.Error:
        return False


def require_postgres() -> None:
    """A PostgreSQL test fails in CI when the server is unreachable (never a silent skip there)."""
    import pytest

    if not postgres_available():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("PostgreSQL is not reachable; with CI=true the PostgreSQL tests must run")
        pytest.skip("PostgreSQL is not reachable")


@contextmanager
def fresh_postgres_database():
    """A brand-new PostgreSQL database, dropped afterwards; yields its SQLAlchemy URL."""
    name = "radar_t_" + uuid.uuid4().hex[:12]
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base = PG_ADMIN_URL.rsplit("/", 1)[0]
    try:
        yield f"{base}/{name}"
    finally:
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


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


def radar_env(database_url: str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("RADAR_", "OPENAI_", "SENDGRID_"))}
    env.update(
        RADAR_DATABASE_URL=database_url,
        RADAR_WEBHOOK_SECRET_SILICONEXPERT=TEST_SECRET,
        RADAR_WEBHOOK_SECRET_ACCURIS=f"{ROTATED_SECRET},{TEST_SECRET}",
        RADAR_INBOUND_BASIC_AUTH="sendgrid:s3cret",
        PYTHONUNBUFFERED="1",
    )
    env.update(extra)
    return env


@contextmanager
def running_gateway(database_url: str, cwd: Path, **extra_env: str):
    port = free_port()
    proc = RadarProcess(
        ["gateway", "--port", str(port)], radar_env(database_url, **extra_env), cwd, f"gateway-{port}.log"
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_http(base + "/healthz", proc=proc.proc)
        yield base
    finally:
        proc.stop()


def run_radar(args: list[str], database_url: str, cwd: Path, **extra_env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        RADAR + args,
        env=radar_env(database_url, **extra_env),
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=600,
    )


class TcpProxy:
    """A loopback TCP forwarder that can be cut and restored: a database going away, for real."""

    def __init__(self, target_port: int, target_host: str = "127.0.0.1") -> None:
        self.target = (target_host, target_port)
        self.port = free_port()
        self._conns: list[socket.socket] = []
        self._lock = threading.Lock()
        self._listener: socket.socket | None = None
        self.start()

    def start(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def stop(self) -> None:
        """Refuse new connections and break every open one."""
        if self._listener:
            with contextlib.suppress(OSError):  # on Linux only shutdown() wakes a blocked accept()
                self._listener.shutdown(socket.SHUT_RDWR)
            self._listener.close()
            self._listener = None
        with self._lock:
            for c in self._conns:
                with suppress(OSError):
                    c.shutdown(socket.SHUT_RDWR)
                c.close()
            self._conns.clear()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._conns += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(src: socket.socket, dst: socket.socket) -> None:
        try:
            while data := src.recv(65536):
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                with suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)


class ScriptedHttpServer:
    """A loopback HTTP server answering POSTs from a script (stand-in for OpenAI or SendGrid).

    ``replies`` is consumed in order; once one is left it is repeated. Each
    reply is ``(status, headers, body_bytes)``. Requests are kept in ``requests``.
    """

    def __init__(self, replies: list[tuple[int, dict, bytes]]) -> None:
        import http.server

        self.replies = list(replies)
        self.requests: list[dict] = []
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's naming
                length = int(self.headers.get("content-length") or 0)
                body = self.rfile.read(length)
                outer.requests.append(
                    {
                        "path": self.path,
                        "headers": {k.lower(): v for k, v in self.headers.items()},
                        "body": body,
                    }
                )
                status, headers, payload = (
                    outer.replies.pop(0) if len(outer.replies) > 1 else outer.replies[0]
                )
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


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


class Dovecot:
    """A throwaway Dovecot IMAP server on loopback (plain IMAP; the URL scheme is imap://)."""

    def __init__(self, root: Path, user: str = "radar", password: str = "secret") -> None:
        import pwd
        import shutil

        if not shutil.which("dovecot"):
            raise RuntimeError("dovecot is not installed (apt-get install dovecot-imapd)")
        self.root, self.user, self.password, self.port = root, user, password, free_port()
        for sub in ("mail", "run", "state"):
            (root / sub).mkdir(parents=True, exist_ok=True)
        nobody = pwd.getpwnam("nobody")
        os.chown(root / "mail", nobody.pw_uid, nobody.pw_gid)
        root.chmod(0o755)
        (root / "passwd").write_text(f"{user}:{{PLAIN}}{password}\n")
        (root / "dovecot.conf").write_text(f"""
protocols = imap
listen = 127.0.0.1
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:{root}/mail/%u
first_valid_uid = 0
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/passwd
}}
userdb {{
  driver = static
  args = uid=nobody gid=nogroup home={root}/mail/%u
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {self.port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service stats {{
  unix_listener stats-reader {{
    mode = 0666
  }}
  unix_listener stats-writer {{
    mode = 0666
  }}
}}
""")
        self.start()

    def start(self) -> None:
        subprocess.run(["dovecot", "-c", str(self.root / "dovecot.conf")], check=True)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.1)
        raise TimeoutError("dovecot did not start")

    def stop(self) -> None:
        subprocess.run(["dovecot", "-c", str(self.root / "dovecot.conf"), "stop"], check=False)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                time.sleep(0.1)
            except OSError:
                return

    def url(self, mailbox: str = "INBOX", port: int | None = None) -> str:
        return f"imap://{self.user}:{self.password}@127.0.0.1:{port or self.port}/{mailbox}"

    def client(self):
        import imaplib

        conn = imaplib.IMAP4("127.0.0.1", self.port)
        conn.login(self.user, self.password)
        return conn

    def append(self, raw: bytes, mailbox: str = "INBOX") -> None:
        conn = self.client()
        try:
            status, data = conn.append(mailbox, None, None, raw)
            assert status == "OK", data
        finally:
            conn.logout()


def simple_mail(n: int, subject: str = "hello", with_id: bool = True) -> bytes:
    mid = f"Message-ID: <m{n}@vendor.example>\r\n" if with_id else ""
    return (
        f"From: pcn@vendor.example\r\nTo: radar@example.com\r\nSubject: {subject} {n}\r\n{mid}"
        f"Date: Mon, 02 Nov 2026 09:00:00 +0000\r\n\r\nbody {n}\r\n"
    ).encode()
