"""A pytest plugin: what the chosen tests need from the machine, met or named before the first test.

Each marker names something outside Python. Once the tests are chosen, the session finds
each need, provisions it (a throwaway PostgreSQL cluster when nothing answers on
127.0.0.1:5432), or stops at once with one message naming what is missing and the command
that installs it: a test never skips because the machine lacks something.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from radar_pipeline.harness.postgres import PG_URL_VARIABLE, postgres_available
from radar_pipeline.harness.processes import free_port


def pg_bin() -> Path | None:
    """The newest Debian PostgreSQL server's ``bin`` folder, if one is installed."""
    found = [Path(p).parent for p in glob.glob("/usr/lib/postgresql/*/bin/initdb")]
    return max(found, key=lambda b: int(b.parent.name) if b.parent.name.isdigit() else 0, default=None)


class ThrowawayPostgres:
    """A PostgreSQL cluster of our own (initdb, trust auth, role root) on a free loopback port.

    Stopping it disturbs nobody. The server refuses to run as root, so as root it runs as
    the ``postgres`` user (``nobody`` where there is none).
    """

    def __init__(self) -> None:
        binaries = pg_bin()
        if binaries is None:
            raise RuntimeError(
                "the PostgreSQL server binaries are not installed (apt-get install postgresql)"
            )
        self.bin = binaries
        self.dir = Path(tempfile.mkdtemp(prefix="radar-pg-"))
        self.dir.chmod(0o777)
        self.port = free_port()
        self._run([str(self.bin / "initdb"), "-D", str(self.dir / "data"), "-A", "trust", "-U", "root"])
        self.start()

    def _run(self, cmd: list[str]) -> None:
        prefix = ["runuser", "-u", _server_user(), "--"] if os.geteuid() == 0 else []
        subprocess.run(prefix + cmd, check=True, capture_output=True)

    def start(self) -> None:
        options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1"
        data, log = str(self.dir / "data"), str(self.dir / "log")
        self._run([str(self.bin / "pg_ctl"), "-D", data, "-l", log, "-w", "-o", options, "start"])

    def stop(self) -> None:
        self._run([str(self.bin / "pg_ctl"), "-D", str(self.dir / "data"), "-m", "immediate", "-w", "stop"])

    @property
    def url(self) -> str:
        return f"postgresql://root@127.0.0.1:{self.port}/postgres"

    def remove(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):
            self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


def _server_user() -> str:
    try:
        return pwd.getpwnam("postgres").pw_name
    except KeyError:
        return "nobody"


@dataclass(frozen=True)
class Requirement:
    """A marker, what it needs, and the Debian package that provides it."""

    marker: str
    missing: Callable[[], str | None]  # why it is unusable here, or None
    package: str | None  # what `apt-get install` fixes it; None when no package does


def _command(name: str) -> Callable[[], str | None]:
    return lambda: None if shutil.which(name) else f"`{name}` is not on PATH"


def _dovecot() -> str | None:
    if not shutil.which("dovecot"):
        return "`dovecot` is not on PATH"
    if os.geteuid() != 0:
        return "the throwaway Dovecot serves mail as user nobody, which needs root: run the suite as root"
    return None


def _tesseract() -> str | None:
    if not shutil.which("tesseract"):
        return "`tesseract` is not on PATH"
    if not glob.glob("/usr/share/tesseract-ocr/*/tessdata/eng.traineddata"):
        return "tesseract has no English language data (eng.traineddata)"
    return None


def _netns() -> str | None:
    if os.geteuid() != 0:
        return "a network namespace of its own needs root"
    return None if shutil.which("ip") else "`ip` is not on PATH (it brings the namespace's loopback up)"


def _server_binaries() -> str | None:
    return None if pg_bin() else "no initdb/pg_ctl under /usr/lib/postgresql/*/bin"


REQUIREMENTS = [
    Requirement("dovecot", _dovecot, "dovecot-imapd"),
    Requirement("browser", _command("chromium"), "chromium"),
    Requirement("ocr", _tesseract, "tesseract-ocr"),
    Requirement("pg_cluster", _server_binaries, "postgresql"),
    Requirement("netns", _netns, "iproute2"),
]


class Unmet(Exception):
    """The machine lacks what the chosen tests need; the message says what and how to install it."""


def _postgres_problem(reachable: bool) -> tuple[str, str | None] | None:
    """Why the PostgreSQL tests can have no server (and the package that fixes it), or None."""
    if reachable:
        return None
    if os.environ.get(PG_URL_VARIABLE):
        return f"{PG_URL_VARIABLE}={os.environ[PG_URL_VARIABLE]} does not answer", None
    if pg_bin() is None:
        return (
            "nothing answers on 127.0.0.1:5432, and no server binaries to start a throwaway cluster",
            "postgresql",
        )
    return None


def prepare(markers: set[str]) -> ThrowawayPostgres | None:
    """Check every need of ``markers``; start a PostgreSQL cluster if the tests need one. Raises Unmet."""
    problems = [
        (r.marker, why, r.package) for r in REQUIREMENTS if r.marker in markers and (why := r.missing())
    ]
    reachable = "postgres" not in markers or postgres_available()
    if pg := _postgres_problem(reachable):
        problems.append(("postgres", *pg))
    if problems:
        raise Unmet(_message(problems))
    if reachable:
        return None
    cluster = ThrowawayPostgres()
    os.environ[PG_URL_VARIABLE] = cluster.url
    return cluster


def _message(problems: list[tuple[str, str, str | None]]) -> str:
    lines = ["The chosen tests need what this machine lacks (the suite skips nothing):"]
    lines += [f"  - {marker}: {why}" for marker, why, _ in problems]
    if packages := [package for _, _, package in problems if package]:
        lines.append(f"Install: apt-get install {' '.join(packages)}")
    leave_out = " and ".join(f"not {marker}" for marker, _, _ in problems)
    lines.append(f'Or leave those tests out on purpose: pytest -m "{leave_out}"')
    return "\n".join(lines)


CLUSTER = pytest.StashKey[ThrowawayPostgres]()


def pytest_collection_finish(session: pytest.Session) -> None:
    if session.config.option.collectonly:
        return
    markers = {mark.name for item in session.items for mark in item.iter_markers()}
    try:
        cluster = prepare(markers)
    except Unmet as exc:
        pytest.exit(str(exc), returncode=pytest.ExitCode.USAGE_ERROR)
    if cluster:
        session.config.stash[CLUSTER] = cluster


_RUNNING: list[pytest.Item] = []  # a stack: pytester runs a session inside a test


def running_test() -> pytest.Item | None:
    """The test being run now, so a helper can check that it is marked for what it uses."""
    return _RUNNING[-1] if _RUNNING else None


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None):
    _RUNNING.append(item)
    try:
        return (yield)
    finally:
        _RUNNING.pop()


def pytest_unconfigure(config: pytest.Config) -> None:
    if cluster := config.stash.get(CLUSTER, None):
        cluster.remove()
        os.environ.pop(PG_URL_VARIABLE, None)
