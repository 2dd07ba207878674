"""Child-process half of ``pdf_reader``: PDF bytes on stdin, JSON on stdout."""

from __future__ import annotations

import csv
import glob
import io
import json
import os
import re
import shutil
import subprocess
import sys
import time

OCR_DPI = 300
OCR_LANGUAGE = "eng"
MIN_IMAGE = (300, 120)  # pixels: smaller images are logos and signatures, not notices
PICTURE_SHARE = 0.06  # of the page: a picture this large on a text page may hold a pasted table
MAX_PICTURES = 4  # per page
STAMP_WORDS = 12  # a scan may carry a few words of real text (page numbers, stamps); a page with more is text
EXIT_UNREADABLE = 2  # not a PDF (or image), or encrypted
EXIT_OUT_OF_MEMORY = 3  # an allocation failed at the address-space limit the parent set
# how an allocation failure reads when it is an error message (MuPDF, glibc) rather than a MemoryError
MEMORY_WORDS = re.compile(r"\b(?:[mc]alloc|realloc)\b.*failed|out of memory|cannot allocate memory", re.I)


def _cell(words: list, box) -> str:
    """The words whose centre lies in ``box``, in reading order; a line ending in "-" joins the next."""
    x0, y0, x1, y1 = box
    inside = [w for w in words if x0 <= (w[0] + w[2]) / 2 <= x1 and y0 <= (w[1] + w[3]) / 2 <= y1]
    inside.sort(key=lambda w: (round(w[3]), w[0]))
    text = ""
    for w in inside:
        text += w[4] if not text or text.endswith(("-", "/")) else " " + w[4]
    return text


def _header_rank(row: list[str]) -> int:
    from radar_pipeline.extraction.columns import header_columns

    columns = header_columns(row)
    return columns.rank if columns else 0


def _ruled_tables(page, words: list) -> list[list[list[str]]]:
    """Tables drawn with lines, cell by cell (multi-line cells stay whole)."""
    found = []
    try:
        for table in page.find_tables().tables:
            # extract() sorts glyphs by height and splits hyphens off ("SOT 223\n-"); the page's
            # words, read once and placed by their boxes, keep reading order (and are fast).
            rows = [[_cell(words, c) if c else "" for c in row.cells] for row in table.rows]
            rows = [r for r in rows if any(r)]
            if rows:
                found.append(rows)
    except Exception:  # table finding is best effort; the text stays
        pass
    return found


def _tessdata(pymupdf) -> tuple[str | None, str | None]:
    """Tesseract's language data folder, or why OCR cannot run."""
    env = os.environ.get("TESSDATA_PREFIX")
    if env:
        if os.path.isfile(os.path.join(env, f"{OCR_LANGUAGE}.traineddata")):
            return env, None
        return None, f"TESSDATA_PREFIX={env} holds no {OCR_LANGUAGE}.traineddata"
    # Debian's tesseract-ocr puts it under /usr/share/tesseract-ocr/<version>/tessdata
    candidates = sorted(glob.glob("/usr/share/tesseract-ocr/*/tessdata"), reverse=True)
    candidates += ["/usr/share/tessdata", "/usr/local/share/tessdata", "/opt/homebrew/share/tessdata"]
    for folder in candidates:
        if os.path.isfile(os.path.join(folder, f"{OCR_LANGUAGE}.traineddata")):
            return folder, None
    try:
        folder = pymupdf.get_tessdata()
        if folder and os.path.isfile(os.path.join(folder, f"{OCR_LANGUAGE}.traineddata")):
            return folder, None
    except Exception:
        pass
    return None, "tesseract is not installed (no tessdata found; on Debian: apt-get install tesseract-ocr)"


class _Ocr:
    """OCR of pages without a text layer, bounded in pages and seconds; what it did, in words.

    Debian's ``tesseract`` command reads the page image PyMuPDF renders (its TSV output gives
    each word's box); where only language data is installed, PyMuPDF's built-in Tesseract
    (``get_textpage_ocr``) reads it instead. MuPDF's built-in OCR drops the text inside ruled
    table boxes, which the command keeps, hence the order.
    """

    def __init__(self, pymupdf, max_pages: int, seconds: float) -> None:
        self.pymupdf, self.max_pages, self.seconds = pymupdf, max_pages, seconds
        self.started = time.monotonic()
        self.tessdata, self.problem = _tessdata(pymupdf)
        self.binary = shutil.which("tesseract") if self.tessdata else None
        self.done = 0
        self.pictures = 0  # pictures on text pages (a table pasted as an image)
        self.skipped: list[int] = []  # page numbers (1-based) left unread by a limit
        self.failed: list[str] = []

    def words(self, page, number: int, clip=None) -> list | None:
        """The words OCR reads on the page (or in ``clip``, a picture on it); None when OCR cannot
        or may not run."""
        if self.tessdata is None:
            return None
        left = self.seconds - (time.monotonic() - self.started)
        if self.done + self.pictures >= self.max_pages or left <= 0:
            self.skipped.append(number + 1)
            return None
        try:
            if self.binary:
                words = self._command(page, left, clip)
            else:
                tp = page.get_textpage_ocr(
                    dpi=OCR_DPI, full=True, language=OCR_LANGUAGE, tessdata=self.tessdata
                )
                words = page.get_text("words", textpage=tp, clip=clip)
        except subprocess.TimeoutExpired:
            self.skipped.append(number + 1)
            return None
        except Exception as exc:
            self.failed.append(f"page {number + 1}: {type(exc).__name__}: {str(exc)[:120]}")
            return None
        if clip is None:
            self.done += 1
        else:
            self.pictures += 1
        return words

    def _command(self, page, seconds: float, clip=None) -> list:
        """``tesseract`` on the rendered page: TSV rows into PyMuPDF's word tuples, in PDF points."""
        area = clip if clip is not None else page.rect
        png = page.get_pixmap(dpi=OCR_DPI, colorspace=self.pymupdf.csGRAY, clip=clip).tobytes("png")
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin"),
            "OMP_THREAD_LIMIT": "1",
            "TESSDATA_PREFIX": self.tessdata,
        }
        proc = subprocess.run(
            [self.binary, "stdin", "stdout", "-l", OCR_LANGUAGE, "--psm", "3", "tsv"],
            input=png,
            capture_output=True,
            timeout=max(1.0, seconds),
            check=False,
            env=env,
        )
        if proc.returncode != 0:
            raise RuntimeError(
                proc.stderr.decode(errors="replace").strip()[-200:] or f"exit {proc.returncode}"
            )
        scale = 72 / OCR_DPI
        x0, y0 = area.x0, area.y0
        words = []
        reader = csv.DictReader(
            io.StringIO(proc.stdout.decode(errors="replace")), delimiter="\t", quoting=csv.QUOTE_NONE
        )
        for row in reader:
            text = (row.get("text") or "").strip()
            if row.get("level") != "5" or not text:
                continue
            left, top, width, height = (int(row[k]) for k in ("left", "top", "width", "height"))
            words.append(
                (
                    x0 + left * scale,
                    y0 + top * scale,
                    x0 + (left + width) * scale,
                    y0 + (top + height) * scale,
                    text,
                    int(row["block_num"]) + (0 if clip is None else 100_000),  # apart from the page's blocks
                    int(row["par_num"]) * 1000 + int(row["line_num"]),
                    int(row["word_num"]),
                )
            )
        return words

    def report(self, needed: int, pictures: int = 0) -> list[str]:
        if not needed and not pictures:
            return []
        if self.tessdata is None:
            what = f"on {needed} page(s)" if needed else f"over {pictures} picture(s) on text pages"
            return [f"no text layer (scanned or image-only) {what}; OCR is not configured: {self.problem}"]
        notes = []
        if self.done:
            engine = "tesseract" if self.binary else "tesseract via PyMuPDF"
            notes.append(
                f"no text layer (scanned or image-only): text of {self.done} page(s) read by OCR ({engine}); "
                "check part numbers and dates against the original"
            )
        if self.pictures:
            notes.append(
                f"no text layer over {self.pictures} picture(s) on text pages (pasted images); their text read "
                "by OCR (tesseract); check part numbers and dates against the original"
            )
        if self.skipped:
            pages = f"{self.skipped[0]}-{self.skipped[-1]}" if len(self.skipped) > 1 else str(self.skipped[0])
            notes.append(
                f"OCR limit reached (RADAR_PDF_OCR_PAGES={self.max_pages:g}, RADAR_PDF_OCR_SECONDS={self.seconds:g}): "
                f"scanned page(s) {pages} not read"
            )
        if self.failed:
            notes.append("OCR failed on " + "; ".join(self.failed[:3]))
        return notes


def _needs_ocr(page, words: list) -> bool:
    """A page without a text layer but with an image, or a scan with a few stamped words
    (a page number, a received-stamp) on an image covering most of the page."""
    if len(words) >= STAMP_WORDS:
        return False
    try:
        boxes = [info["bbox"] for info in page.get_image_info()]
    except Exception:
        boxes = []
    if not words:
        return bool(boxes or page.get_images(full=False))
    area = abs(page.rect) or 1.0
    covered = sum(abs(page.rect & type(page.rect)(box)) for box in boxes)
    return covered / area > 0.5


def _pictures(page, words: list) -> list:
    """Large pictures on a text page with no text over them: a table or a letter pasted as an image."""
    area = abs(page.rect) or 1.0
    found = []
    try:
        infos = page.get_image_info()
    except Exception:
        return []
    for info in infos:
        box = page.rect & type(page.rect)(info["bbox"])
        if abs(box) < area * PICTURE_SHARE or box.width < 150 or box.height < 40:
            continue
        over = sum(
            1
            for w in words
            if box.x0 <= (w[0] + w[2]) / 2 <= box.x1 and box.y0 <= (w[1] + w[3]) / 2 <= box.y1
        )
        if over <= 3 and not any(abs(box & other) > 0.8 * abs(box) for other in found):
            found.append(box)
    return found[:MAX_PICTURES]


def _open(pymupdf, data: bytes, filetype: str):
    """The document to read: the PDF itself, or an image as a one-page PDF (OCR works on PDF pages)."""
    if filetype == "pdf":
        return pymupdf.open(stream=data, filetype="pdf")
    from PIL import Image

    Image.MAX_IMAGE_PIXELS = 60_000_000  # a decompression bomb stops here (and at the memory limit)
    with Image.open(io.BytesIO(data)) as img:
        width, height = img.size
    if width < MIN_IMAGE[0] or height < MIN_IMAGE[1]:
        return (width, height)
    image = pymupdf.open(stream=data)
    pdf = pymupdf.open("pdf", image.convert_to_pdf())
    image.close()
    return pdf


def out_of_memory(text: str) -> bool:
    """Whether an error message is an allocation failure (MuPDF's "calloc (...) failed", glibc's abort)."""
    return bool(MEMORY_WORDS.search(text))


def main() -> None:
    # MuPDF prints diagnostics on stdout: keep a private copy of fd 1 for the JSON, send the rest to stderr.
    result = os.fdopen(os.dup(1), "w")
    os.dup2(2, 1)
    import pymupdf

    pymupdf.TOOLS.mupdf_display_errors(False)

    max_pages = int(sys.argv[1])
    ocr_pages = int(sys.argv[2]) if len(sys.argv) > 2 else 0
    ocr_seconds = float(sys.argv[3]) if len(sys.argv) > 3 else 0.0
    filetype = sys.argv[4] if len(sys.argv) > 4 else "pdf"
    ocr_pictures = int(sys.argv[5]) if len(sys.argv) > 5 else 0
    data = sys.stdin.buffer.read()
    what = "PDF" if filetype == "pdf" else "image"
    try:
        try:
            doc = _open(pymupdf, data, filetype)
        except Exception as exc:
            if out_of_memory(str(exc)):
                raise
            print(f"not a readable {what}: {type(exc).__name__}: {exc}", file=sys.stderr)
            sys.exit(EXIT_UNREADABLE)
        if isinstance(doc, tuple):  # an image too small to hold a notice: a logo or a signature
            out = {"small_image": list(doc)}
        elif doc.needs_pass:
            print("PDF is encrypted with a password", file=sys.stderr)
            sys.exit(EXIT_UNREADABLE)
        else:
            out = _read(pymupdf, doc, max_pages, ocr_pages, ocr_seconds, ocr_pictures)
    except Exception as exc:  # MemoryError, or MuPDF's allocation failure as a RuntimeError
        if not (isinstance(exc, MemoryError) or out_of_memory(str(exc))):
            raise
        print(f"{what} parser ran out of memory: {type(exc).__name__}: {str(exc)[:200]}", file=sys.stderr)
        sys.exit(EXIT_OUT_OF_MEMORY)
    json.dump(out, result)
    result.close()


def _read(pymupdf, doc, max_pages: int, ocr_pages: int, ocr_seconds: float, ocr_pictures: int) -> dict:
    """Words, layout, tables and OCR of the first ``max_pages`` pages."""
    out = {
        "pages": [],
        "tables": [],
        "images": 0,
        "page_count": doc.page_count,
        "repaired": bool(doc.is_repaired),
    }
    from radar_pipeline.documents.layout import page_lines, page_text, tables_from_pages

    laid_out = []
    ocr = _Ocr(pymupdf, ocr_pages, ocr_seconds)
    needed = pictures = 0
    for number, page in enumerate(doc):
        if number >= max_pages:
            break
        words = page.get_text("words")
        scanned = _needs_ocr(page, words)
        if scanned:  # no text layer: the words come from OCR, then the same layout as any page
            needed += 1
            words = ocr.words(page, number) or []
        elif ocr_pictures > pictures:  # a text page may carry a pasted picture of a table: its words join
            for clip in _pictures(page, words)[: int(ocr_pictures - pictures)]:
                pictures += 1
                words = list(words) + (ocr.words(page, number, clip) or [])
        lines = page_lines(words)
        laid_out.append(lines)
        out["pages"].append(page_text(lines))
        out["images"] += len(page.get_images(full=False))
        if page.get_drawings() and not scanned:  # ruled tables need ruling lines; a page without any has none
            out["tables"] += _ruled_tables(page, words)
    out["tables"] += tables_from_pages(laid_out, _header_rank)
    out["ocr_pages"] = ocr.done
    out["ocr_warnings"] = ocr.report(needed, pictures)
    return out


if __name__ == "__main__":
    main()
