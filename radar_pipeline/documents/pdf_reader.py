"""PDF text and tables with PyMuPDF, in a child process with limits.

PyMuPDF can hang or crash on hostile files, so parsing runs in a separate
process with CPU-time, address-space, page-count and wall-clock limits; the
parent never imports PyMuPDF. Tables come from ``page.find_tables()`` so rows
keep their cells (plain text gives one cell per line).

When a limit stops or cuts the parse, ``PdfContent.limit`` says which one
(``Limit``) and the message names it with its value and setting, so a dead letter
says "the 3 s CPU-time limit", not just "could not be read".

Pages without a text layer (scans) are read by OCR: Debian's ``tesseract-ocr``
language data through PyMuPDF's built-in Tesseract, in the same child and under
the same limits, plus ``RADAR_PDF_OCR_PAGES`` pages and ``RADAR_PDF_OCR_SECONDS``.
Large pictures on text pages (a parts table pasted as an image) are OCRed only when
``RADAR_PDF_OCR_PICTURES`` allows some (default 0).
The OCR words go through the same layout pass as a PDF's own words, so a scanned
table keeps its rows. Image attachments (PNG, JPEG, TIFF) are read the same way.
"""

from __future__ import annotations

import contextlib
import json
import os
import resource
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from enum import StrEnum

from radar_pipeline.config import get_settings
from radar_pipeline.documents.pdf_worker import EXIT_OUT_OF_MEMORY, out_of_memory


class Limit(StrEnum):
    """The limit that stopped (or cut) a parse."""

    WALL_CLOCK = "wall_clock"
    CPU = "cpu"
    MEMORY = "memory"
    PAGES = "pages"


@dataclass
class PdfContent:
    pages: list[str] = field(default_factory=list)
    tables: list[list[list[str]]] = field(default_factory=list)
    images: int = 0
    page_count: int = 0
    repaired: bool = False
    error: str | None = None
    ocr_pages: int = 0  # pages whose text came from OCR
    ocr_warnings: list[str] = field(default_factory=list)  # OCR used, limited, unavailable: in words
    small_image: list[int] | None = None  # an image too small to hold a notice: its (width, height)
    limit: Limit | None = None  # the limit that stopped the parse (error) or cut it (limit_warning)
    limit_warning: str | None = None  # pages left unread by the page limit, in words


@dataclass(frozen=True)
class _Ended:
    """How the worker ended, with what it used (from ``wait4``)."""

    status: int  # exit code, or minus the signal that killed it
    stdout: bytes
    stderr: bytes
    timed_out: bool
    cpu_seconds: float
    peak_mib: float


def _limits(cpu: int, memory: int):
    def apply() -> None:  # runs in the child before exec
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 5))
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))

    return apply


def _run(argv: list[str], data: bytes, wall: float, cpu: int, memory_mib: int) -> _Ended:
    """The worker, fed ``data``, reaped with ``wait4`` so its CPU time and peak memory are known;
    killed with its process group (OCR children too) at the wall-clock limit."""
    proc = subprocess.Popen(
        argv,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "OMP_THREAD_LIMIT": "1"},  # Tesseract: one thread (shared machines)
        preexec_fn=_limits(cpu, memory_mib * 1024 * 1024),
        start_new_session=True,
    )
    out: dict[str, bytes] = {}

    def feed() -> None:
        with contextlib.suppress(OSError):  # the worker may die before reading it all
            proc.stdin.write(data)
        with contextlib.suppress(OSError):
            proc.stdin.close()

    def drain(name: str, pipe) -> None:
        out[name] = pipe.read()
        pipe.close()

    threads = [
        threading.Thread(target=feed, daemon=True),
        threading.Thread(target=drain, args=("stdout", proc.stdout), daemon=True),
        threading.Thread(target=drain, args=("stderr", proc.stderr), daemon=True),
    ]
    for t in threads:
        t.start()
    deadline, timed_out = time.monotonic() + wall, False
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if time.monotonic() >= deadline:
            with contextlib.suppress(OSError):  # already gone
                os.killpg(proc.pid, signal.SIGKILL)
            pid, status, usage = os.wait4(proc.pid, 0)
            timed_out = True
            break
        time.sleep(0.02)
    proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
    if proc.returncode != 0:  # killed by a limit mid-OCR: no tesseract left running on its own
        with contextlib.suppress(OSError):  # already gone
            os.killpg(proc.pid, signal.SIGKILL)
    for t in threads:
        t.join(5)
    return _Ended(
        proc.returncode,
        out.get("stdout", b""),
        out.get("stderr", b""),
        timed_out,
        usage.ru_utime + usage.ru_stime,
        usage.ru_maxrss / 1024,  # KiB on Linux
    )


def read_image(data: bytes) -> PdfContent:
    """OCR of one image (PNG, JPEG, TIFF, ...) in the same limited child as PDFs."""
    return read_pdf(data, filetype="image")


def read_pdf(data: bytes, filetype: str = "pdf") -> PdfContent:
    """Parse ``data`` in a limited child process; failures come back as ``error`` in words, and a limit
    that stopped or cut the parse as ``limit``."""
    s = get_settings()  # per document: the RADAR_PDF_* limits of the environment and .env as they are now
    wall, cpu = s.pdf_wall_seconds, int(s.pdf_cpu_seconds)
    memory, max_pages = s.pdf_memory_mb, s.pdf_max_pages
    argv = [
        sys.executable,
        "-m",
        "radar_pipeline.documents.pdf_worker",
        str(max_pages),
        str(s.pdf_ocr_pages),
        str(s.pdf_ocr_seconds),
        filetype,
        # pictures on text pages (a table pasted as an image) to OCR per file; off by default: on the
        # development set they were mostly charts and qualification tables, 10x slower and noisy
        str(s.pdf_ocr_pictures),
    ]
    what = "PDF" if filetype == "pdf" else "image"
    ended = _run(argv, data, wall, cpu, memory)
    stopped = _stopped_by(ended, cpu)
    if stopped is Limit.WALL_CLOCK:
        return PdfContent(
            limit=stopped,
            error=f"{what} parser did not finish within {wall:g} s: stopped by the {wall:g} s wall-clock "
            "limit (RADAR_PDF_WALL_SECONDS)",
        )
    if stopped is Limit.CPU:
        return PdfContent(
            limit=stopped,
            error=f"{what} parser stopped by the {cpu} s CPU-time limit (RADAR_PDF_CPU_SECONDS): "
            "the file keeps the parser busy",
        )
    if stopped is Limit.MEMORY:
        return PdfContent(
            limit=stopped,
            error=f"{what} parser stopped by the {memory} MiB memory limit (RADAR_PDF_MEMORY_MB, address "
            "space): the file needs more memory than that",
        )
    if ended.status < 0:
        return PdfContent(
            error=f"{what} parser crashed (signal {-ended.status}) at {ended.peak_mib:.0f} MiB resident "
            f"and {ended.cpu_seconds:.1f} s of CPU, within its limits"
        )
    if ended.status != 0:
        tail = ended.stderr.decode(errors="replace").strip().splitlines()[-1:] or [f"exit {ended.status}"]
        return PdfContent(error=f"{what} could not be read: {tail[0][:300]}")
    try:
        content = PdfContent(**json.loads(ended.stdout))
    except ValueError:
        return PdfContent(error=f"{what} parser gave no result (it crashed while reading the file)")
    if content.page_count > max_pages and len(content.pages) == max_pages:
        content.limit = Limit.PAGES
        content.limit_warning = (
            f"only the first {max_pages} of {content.page_count} pages were read: "
            f"the {max_pages}-page limit (RADAR_PDF_MAX_PAGES)"
        )
    return content


def _stopped_by(ended: _Ended, cpu: int) -> Limit | None:
    """Which limit ended the worker, if one did: the wall clock (we killed it), the CPU limit
    (SIGXCPU at the soft limit, SIGKILL at the hard one), or the address-space limit (an allocation
    failed: the worker says so, or MuPDF/glibc printed it before dying)."""
    if ended.timed_out:
        return Limit.WALL_CLOCK
    if ended.status == -signal.SIGXCPU or (ended.status == -signal.SIGKILL and ended.cpu_seconds >= cpu):
        return Limit.CPU
    if ended.status == EXIT_OUT_OF_MEMORY or (
        ended.status != 0 and out_of_memory(ended.stderr.decode(errors="replace")[-2000:])
    ):
        return Limit.MEMORY
    return None
