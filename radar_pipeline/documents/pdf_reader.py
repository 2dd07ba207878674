"""PDF text and tables with PyMuPDF, in a child process with limits.

PyMuPDF can hang or crash on hostile files, so parsing runs in a separate
process with CPU-time, address-space, page-count and wall-clock limits; the
parent never imports PyMuPDF. Tables come from ``page.find_tables()`` so rows
keep their cells (plain text gives one cell per line).

Pages without a text layer (scans) are read by OCR: Debian's ``tesseract-ocr``
language data through PyMuPDF's built-in Tesseract, in the same child and under
the same limits, plus ``RADAR_PDF_OCR_PAGES`` pages and ``RADAR_PDF_OCR_SECONDS``.
Large pictures on text pages (a parts table pasted as an image) are OCRed only when
``RADAR_PDF_OCR_PICTURES`` allows some (default 0).
The OCR words go through the same layout pass as a PDF's own words, so a scanned
table keeps its rows. Image attachments (PNG, JPEG, TIFF) are read the same way.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
from dataclasses import dataclass, field


def limit(name: str, default: float) -> float:
    """A parser limit from ``RADAR_PDF_<NAME>`` (read per call, so operators and tests can tighten it)."""
    return float(os.environ.get(f"RADAR_PDF_{name}", default))


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


def _limits(cpu: int, memory: int):
    def apply() -> None:  # runs in the child before exec
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 5))
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))

    return apply


def read_image(data: bytes) -> PdfContent:
    """OCR of one image (PNG, JPEG, TIFF, ...) in the same limited child as PDFs."""
    return read_pdf(data, filetype="image")


def read_pdf(data: bytes, filetype: str = "pdf") -> PdfContent:
    """Parse ``data`` in a limited child process; failures come back as ``error`` in words."""
    wall = limit("WALL_SECONDS", 90)
    argv = [
        str(int(limit("MAX_PAGES", 300))),
        str(int(limit("OCR_PAGES", 20))),
        str(limit("OCR_SECONDS", 45)),
        filetype,
        # pictures on text pages (a table pasted as an image) to OCR per file; off by default: on the
        # development set they were mostly charts and qualification tables, 10x slower and noisy
        str(int(limit("OCR_PICTURES", 0))),
    ]
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "radar_pipeline.documents.pdf_worker", *argv],
            input=data,
            capture_output=True,
            timeout=wall,
            check=False,
            env={**os.environ, "OMP_THREAD_LIMIT": "1"},  # Tesseract: one thread (shared machines)
            preexec_fn=_limits(int(limit("CPU_SECONDS", 60)), int(limit("MEMORY_MB", 1536)) * 1024 * 1024),
        )
    except subprocess.TimeoutExpired:
        return PdfContent(error=f"PDF parser did not finish within {wall:g} s (the file hangs the parser)")
    if proc.returncode != 0:
        tail = proc.stderr.decode(errors="replace").strip().splitlines()[-1:] or [
            "killed by a resource limit"
        ]
        if proc.returncode < 0:
            tail = [f"parser killed by signal {-proc.returncode} (CPU or memory limit)"]
        what = "PDF" if filetype == "pdf" else "image"
        return PdfContent(error=f"{what} could not be read: {tail[0][:300]}")
    try:
        out = json.loads(proc.stdout)
    except ValueError:
        return PdfContent(error="PDF parser gave no result (killed or crashed while reading the file)")
    return PdfContent(**out)
