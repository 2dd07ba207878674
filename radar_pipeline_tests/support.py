"""Helpers the tests share: the pytest side of the harness, a TCP proxy, Dovecot, sample mail.

Databases, server processes and HTTP stubs live in :mod:`radar_pipeline.harness` (benchmarks use them too).
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import threading
import time
from contextlib import suppress
from pathlib import Path

from radar_pipeline.harness.postgres import fresh_postgres_database, pg_admin_url, postgres_available
from radar_pipeline.harness.processes import (
    DAGSTER_BIN,
    RADAR,
    REPO,
    ROTATED_SECRET,
    TEST_SECRET,
    DagsterServices,
    RadarProcess,
    free_port,
    radar_env,
    run_radar,
    running_desk,
    running_gateway,
    wait_http,
)
from radar_pipeline.harness.stub_http import ScriptedHttpServer

__all__ = [
    "DAGSTER_BIN",
    "RADAR",
    "REPO",
    "ROTATED_SECRET",
    "TEST_SECRET",
    "DagsterServices",
    "RadarProcess",
    "ScriptedHttpServer",
    "fresh_postgres_database",
    "free_port",
    "pg_admin_url",
    "postgres_available",
    "radar_env",
    "run_radar",
    "running_desk",
    "running_gateway",
    "wait_http",
]


def require_postgres() -> None:
    """Fail, never skip: a test must be marked ``postgres`` (so the session finds or starts a server
    for it and ``-m`` selects it rightly), and the server must still answer."""
    import pytest

    from radar_pipeline_tests.provision import running_test

    test = running_test()
    if test is not None and test.get_closest_marker("postgres") is None:
        pytest.fail(
            f"{test.nodeid} uses PostgreSQL but is not marked postgres: mark it, or its fixture's param"
        )
    if not postgres_available():
        pytest.fail(f"PostgreSQL at {pg_admin_url()} stopped answering during the session")


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
