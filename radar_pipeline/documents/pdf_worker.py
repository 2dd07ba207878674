"""Child-process half of ``pdf_reader``: PDF bytes on stdin, JSON on stdout."""

from __future__ import annotations

import json
import os
import sys


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


def main() -> None:
    # MuPDF prints diagnostics on stdout: keep a private copy of fd 1 for the JSON, send the rest to stderr.
    result = os.fdopen(os.dup(1), "w")
    os.dup2(2, 1)
    import pymupdf

    pymupdf.TOOLS.mupdf_display_errors(False)

    max_pages = int(sys.argv[1])
    data = sys.stdin.buffer.read()
    try:
        doc = pymupdf.open(stream=data, filetype="pdf")
    except Exception as exc:
        print(f"not a readable PDF: {type(exc).__name__}: {exc}", file=sys.stderr)
        sys.exit(2)
    if doc.needs_pass:
        print("PDF is encrypted with a password", file=sys.stderr)
        sys.exit(2)
    out = {
        "pages": [],
        "tables": [],
        "images": 0,
        "page_count": doc.page_count,
        "repaired": bool(doc.is_repaired),
    }
    from radar_pipeline.documents.layout import page_lines, page_text, tables_from_pages
    laid_out = []
    for number, page in enumerate(doc):
        if number >= max_pages:
            break
        words = page.get_text("words")
        lines = page_lines(words)
        laid_out.append(lines)
        out["pages"].append(page_text(lines))
        out["images"] += len(page.get_images(full=False))
        if page.get_drawings():  # ruled tables need ruling lines; a page without any has none
            out["tables"] += _ruled_tables(page, words)
    out["tables"] += tables_from_pages(laid_out, _header_rank)
    json.dump(out, result)
    result.close()


if __name__ == "__main__":
    main()
