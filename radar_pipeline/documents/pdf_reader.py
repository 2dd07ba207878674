"""PDF text and tables with PyMuPDF, in a child process with limits.

PyMuPDF can hang or crash on hostile files, so parsing runs in a separate
process with CPU-time, address-space, page-count and wall-clock limits; the
parent never imports PyMuPDF. Tables come from ``page.find_tables()`` so rows
keep their cells (plain text gives one cell per line).
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
from dataclasses import dataclass, field

MAX_PAGES = 300
CPU_SECONDS = 60
MEMORY_BYTES = 1536 * 1024 * 1024
WALL_SECONDS = 90


@dataclass
class PdfContent:
    pages: list[str] = field(default_factory=list)
    tables: list[list[list[str]]] = field(default_factory=list)
    images: int = 0
    page_count: int = 0
    error: str | None = None


def _limits() -> None:  # runs in the child before exec
    resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS + 5))
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_BYTES, MEMORY_BYTES))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def read_pdf(data: bytes) -> PdfContent:
    """Parse ``data`` in a limited child process; failures come back as ``error`` in words."""
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "radar_pipeline.documents.pdf_worker", str(MAX_PAGES)],
            input=data,
            capture_output=True,
            timeout=WALL_SECONDS,
            preexec_fn=_limits,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return PdfContent(error=f"PDF parser did not finish within {WALL_SECONDS} s (file hangs the parser)")
    if proc.returncode != 0:
        tail = proc.stderr.decode(errors="replace").strip().splitlines()[-1:] or [
            "killed by a resource limit"
        ]
        if proc.returncode < 0:
            tail = [f"parser killed by signal {-proc.returncode} (CPU or memory limit)"]
        return PdfContent(error=f"PDF could not be read: {tail[0][:300]}")
    try:
        out = json.loads(proc.stdout)
    except ValueError:
        return PdfContent(error="PDF parser returned no readable result")
    return PdfContent(**out)
