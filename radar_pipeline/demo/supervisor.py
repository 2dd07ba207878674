"""The processes of ``radar dev``: started together, logged in one place, stopped together.

Each child runs in a session of its own, so a terminal's Ctrl-C or hang-up reaches ``radar dev``
alone, which then stops every child's whole process group (a Dagster webserver's code server, a
daemon's run workers) and, last, any descendant that left its group: ``radar dev`` is a child
subreaper (Linux), so a process whose parent is gone becomes its child instead of init's and is found. Every line a child prints goes to
``<log_dir>/<name>.log``; the console gets the lines at INFO and above, prefixed with the child's name.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import re
import signal
import subprocess
import threading
import time
from collections.abc import Callable
from pathlib import Path

Echo = Callable[[str], None]
ANSI = re.compile(r"\x1b\[[0-9;]*m")
# a record's first line: Dagster's two log formats, uvicorn's; its other lines (a traceback) share its level
RECORD = re.compile(r"^\d{4}-\d{2}-\d{2}[ T]\d|^[A-Z]+:  ")
DEBUG = re.compile(r" - DEBUG - |\[debug\s*\]|^DEBUG:")
PR_SET_CHILD_SUBREAPER = 36


def become_subreaper() -> None:
    """Orphans below this process become its children (Linux ``prctl``); elsewhere nothing changes."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)


def _stat(entry: Path) -> tuple[int, str] | None:
    """(parent pid, start time) of a /proc entry; None once the process is gone."""
    try:
        fields = (entry / "stat").read_text()
    except OSError:
        return None
    after_name = fields[fields.rindex(")") + 2 :].split()
    return int(after_name[1]), after_name[19]


def descendants(pid: int) -> dict[int, str]:
    """Every live process below ``pid``, with its start time (from /proc; empty where there is none)."""
    children: dict[int, list[tuple[int, str]]] = {}
    for entry in Path("/proc").glob("[0-9]*"):
        stat = _stat(entry)
        if stat is not None:
            children.setdefault(stat[0], []).append((int(entry.name), stat[1]))
    found: dict[int, str] = {}
    todo = [pid]
    while todo:
        for child, started in children.get(todo.pop(), []):
            if child not in found:
                found[child] = started
                todo.append(child)
    return found


def _kill(processes: dict[int, str], sig: signal.Signals) -> None:
    """Signal each process that is still the one seen (same pid and start time: a reused pid is spared)."""
    for pid, started in processes.items():
        stat = _stat(Path(f"/proc/{pid}"))
        if stat is not None and stat[1] == started:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, sig)


class Supervisor:
    def __init__(self, log_dir: Path, echo: Echo) -> None:
        self.log_dir, self.echo = log_dir, echo
        log_dir.mkdir(parents=True, exist_ok=True)
        become_subreaper()
        self.children: list[tuple[str, subprocess.Popen]] = []
        self._threads: list[threading.Thread] = []
        self._stopping = False  # then the console is spared the children's shutdown chatter

    def start(self, name: str, cmd: list[str], env: dict[str, str]) -> None:
        proc = subprocess.Popen(
            cmd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.children.append((name, proc))
        thread = threading.Thread(target=self._tee, args=(name, proc), daemon=True)
        thread.start()
        self._threads.append(thread)

    def _tee(self, name: str, proc: subprocess.Popen) -> None:
        with open(self.log_dir / f"{name}.log", "a", encoding="utf-8", errors="replace") as log:
            debug = False
            for raw in proc.stdout:
                line = ANSI.sub("", raw.decode("utf-8", errors="replace")).rstrip()
                log.write(line + "\n")
                log.flush()
                if RECORD.search(line):
                    debug = bool(DEBUG.search(line))
                if line and not debug and not self._stopping:
                    with contextlib.suppress(OSError):  # the terminal is gone (a hang-up): the file keeps it
                        self.echo(f"{name:>9} | {line}")

    def exited(self) -> tuple[str, int] | None:
        """The first child that has ended, with its exit code."""
        for name, proc in self.children:
            if proc.poll() is not None:
                return name, proc.returncode
        return None

    def stop(self, grace: float = 20.0) -> None:
        """SIGTERM to every child (each stops what it started: the daemon its code server), SIGKILL to
        whatever is left of their process groups after ``grace`` seconds, and to any orphan."""
        self._stopping = True
        below = {pid: t for _, p in self.children for pid, t in descendants(p.pid).items()}
        for _, proc in self.children:
            proc.terminate()
        deadline = time.monotonic() + grace
        for _, proc in self.children:
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(max(0.1, deadline - time.monotonic()))
        for _, proc in self.children:
            with contextlib.suppress(ProcessLookupError):  # the group's stragglers, its leader gone or not
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        _kill(below, signal.SIGKILL)  # a descendant that left its group (its own session)
        orphans = descendants(os.getpid())  # reparented to this subreaper, wherever they were started
        _kill(orphans, signal.SIGKILL)
        for pid in orphans:
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, 0)
        for thread in self._threads:
            thread.join(5)


class Stop(Exception):
    """A signal asked ``radar dev`` to stop."""


def raise_stop(signum: int, _frame) -> None:
    raise Stop(signal.Signals(signum).name)


STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)
