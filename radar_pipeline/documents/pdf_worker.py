"""Child-process half of ``pdf_reader``: PDF bytes on stdin, JSON on stdout."""

from __future__ import annotations

import json
import sys


def _cell(value) -> str:
    return " ".join(str(value).split()) if value is not None else ""


def main() -> None:
    import pymupdf

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
    out = {"pages": [], "tables": [], "images": 0, "page_count": doc.page_count}
    for number, page in enumerate(doc):
        if number >= max_pages:
            break
        out["pages"].append(page.get_text("text", sort=True))
        out["images"] += len(page.get_images(full=False))
        try:
            for table in page.find_tables().tables:
                # extract() sorts glyphs by height and splits hyphens off ("SOT 223\n-");
                # reading each cell's box keeps the text in reading order.
                rows = [[_cell(page.get_textbox(c)) if c else "" for c in row.cells] for row in table.rows]
                rows = [r for r in rows if any(r)]
                if rows:
                    out["tables"].append(rows)
        except Exception:  # table finding is best effort; the text stays
            pass
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
