"""``winmail.dat`` (TNEF, ``application/ms-tnef``): what Outlook sends outside Exchange.

An Outlook user with rich-text mail forwards a notice to a mailbox outside Exchange,
and the receiving side sees one ``winmail.dat`` attachment holding the body and the
real attachments (the maker's PDF among them). tnefparse unpacks it; the body and
each attachment are read as in an email.
"""

from __future__ import annotations

import logging

from radar_pipeline.documents.html_text import html_to_text
from radar_pipeline.documents.model import Document, Section

MAX_ATTACHMENTS = 200


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bytes):
        for enc in ("utf-8", "cp1252"):
            try:
                return value.decode(enc).replace("\x00", "")
            except UnicodeDecodeError:
                continue
        return value.decode("latin-1").replace("\x00", "")
    return str(value).replace("\x00", "")


def read_tnef(data: bytes, name: str, doc: Document, *, depth: int = 0) -> None:
    """Add the body and attachments inside a TNEF file to ``doc``; problems become warnings."""
    from radar_pipeline.documents.read import MAX_DEPTH, read_attachment

    logging.getLogger("tnefparse").setLevel(logging.ERROR)
    if depth > MAX_DEPTH:
        doc.warnings.append(f"{name}: messages nested deeper than {MAX_DEPTH} levels were not read")
        return
    try:
        from tnefparse import TNEF

        tnef = TNEF(data, do_checksum=False)
    except Exception as exc:
        doc.warnings.append(
            f"{name}: not a readable winmail.dat (TNEF) file: {type(exc).__name__}: {str(exc)[:200]}"
        )
        return
    html, plain = _text(tnef.htmlbody), _text(tnef.body)
    if html.strip() and ("<table" in html.lower() or not plain.strip()):
        text, tables = html_to_text(html)
        doc.sections.append(Section(f"{name} (body)", "html", text, tables))
    elif plain.strip():
        doc.sections.append(Section(f"{name} (body)", "text", plain))
    elif getattr(tnef, "_rtfbody", None):
        from radar_pipeline.documents.msg_reader import _rtf_body

        try:
            rtf = tnef.rtfbody  # compressed RTF, unpacked
        except Exception as exc:
            doc.warnings.append(f"{name}: the RTF body could not be unpacked: {type(exc).__name__}")
        else:
            _rtf_body(
                rtf if isinstance(rtf, bytes) else str(rtf).encode("cp1252", "replace"), doc, f"{name} (body)"
            )
    attachments = list(tnef.attachments)
    if not attachments and not (html.strip() or plain.strip() or getattr(tnef, "_rtfbody", None)):
        doc.warnings.append(f"{name}: the winmail.dat (TNEF) file holds no readable body or attachment")
    if len(attachments) > MAX_ATTACHMENTS:
        doc.warnings.append(
            f"{name}: only the first {MAX_ATTACHMENTS} of {len(attachments)} attachments were read"
        )
        attachments = attachments[:MAX_ATTACHMENTS]
    for att in attachments:
        try:
            label = att.long_filename() or att.name or "attachment"
        except Exception:
            label = "attachment"
        label = _text(label).strip() or "attachment"
        if getattr(att, "embed", None) is not None:  # an attached Outlook item: a TNEF of its own
            read_tnef(att.data, label, doc, depth=depth + 1)
        elif att.data:
            read_attachment(bytes(att.data), label, None, doc, depth=depth)
        else:
            doc.warnings.append(f"{label}: attachment in {name} has no data and was not read")
