"""RTF (letters saved as ``.rtf`` or as ``.doc``, Outlook bodies kept only as RTF) as text and tables.

striprtf drops the control words and writes a table row as its cells each followed by
``|``; those rows come back as tables, and as `` | ``-joined lines like every other table.
"""

from __future__ import annotations

from radar_pipeline.documents.model import Table

MAX_RTF = 50 * 1024 * 1024


def rtf_to_text(data: bytes | str) -> tuple[str, list[Table]]:
    """Readable text and the tables found; raises ``ValueError`` when the bytes are no RTF."""
    from striprtf.striprtf import rtf_to_text as strip

    raw = data.decode("cp1252", errors="replace") if isinstance(data, bytes) else data
    if not raw.lstrip().startswith("{\\rtf"):
        raise ValueError("not an RTF document")
    if len(raw) > MAX_RTF:
        raise ValueError(f"RTF of {len(raw)} characters is over the {MAX_RTF} limit")
    plain = strip(raw, encoding="cp1252", errors="replace")
    lines, tables, rows = [], [], []
    for line in plain.splitlines() + [""]:
        if line.rstrip().endswith("|"):
            rows.append([" ".join(c.split()) for c in line.rstrip()[:-1].split("|")])
            lines.append(" | ".join(rows[-1]).rstrip(" |"))
            continue
        if rows:
            if any(any(r) for r in rows):
                tables.append([r for r in rows if any(r)])
            rows = []
        lines.append(" ".join(line.split()))
    return "\n".join(x for x in lines if x), tables
