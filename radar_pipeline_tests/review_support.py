"""Mails for the review tests: notices Radar cannot read completely, and mail that is no notice."""

from __future__ import annotations

from email.message import EmailMessage

NUMBER = "PDN-2611-07"


def mail(
    subject: str,
    body: str,
    sender: str = "TI Product Lifecycle <pcn@ti.com>",
    msg_id: str = "pdn-2611-07@ti.com",
    date: str = "Mon, 02 Nov 2026 09:00:00 +0000",
    attachment: tuple[str, bytes, str] | None = None,
) -> bytes:
    m = EmailMessage()
    m["From"], m["To"], m["Subject"] = sender, "components@acme.example", subject
    m["Message-ID"], m["Date"] = f"<{msg_id}>", date
    m.set_content(body)
    if attachment:
        name, data, subtype = attachment
        m.add_attachment(data, maintype="text", subtype=subtype, filename=name)
    return bytes(m)


BODY = (
    "Dear customer,\n\nTexas Instruments announces the discontinuance of the devices listed in the "
    "attached spreadsheet.\n"
    f"PDN number: {NUMBER}\nIssue date: 2026-11-02\nLast time buy date: 2027-05-15\n"
    "Last ship date: 2027-11-15\n\n"
    "Please see the attached Excel file for the complete list of affected part numbers and "
    "recommended replacements.\n\nRegards,\nTI PCN team\n"
)


def attachment_missing() -> bytes:
    """A discontinuance whose parts are 'in the attached spreadsheet', arriving without it."""
    return mail(f"Product Discontinuance Notice {NUMBER}", BODY)


def attachment_present() -> bytes:
    """The same notice with its parts list attached (as CSV)."""
    csv = "Part Number,Replacement\nLM317T/NOPB,LM317HVT/NOPB\n"
    return mail(
        f"Product Discontinuance Notice {NUMBER}",
        BODY,
        msg_id="pdn-2611-07-with-list@ti.com",
        attachment=("affected_parts.csv", csv.encode(), "csv"),
    )


def reply_without_content() -> bytes:
    body = "Thanks, noted.\n\nOn Mon, 02 Nov 2026 TI wrote:\n> " + BODY.replace("\n", "\n> ")
    return mail(
        f"RE: Product Discontinuance Notice {NUMBER}", body, sender="buyer@acme.example", msg_id="re@x"
    )


def newsletter() -> bytes:
    body = (
        "This month at Example Components: new power modules, a webinar on GaN design, and our\n"
        "EOL roundup page has moved. Read more on our website.\n\nUnsubscribe | View in browser\n"
    )
    return mail(
        "Example Components newsletter - November", body, sender="news@components.example", msg_id="nl@x"
    )


def lifecycle_without_notice() -> bytes:
    """Reads like a notice (German), but names no part and no number."""
    body = (
        "Sehr geehrte Kundin, sehr geehrter Kunde,\n\nhiermit informieren wir Sie über die Abkündigung "
        "einer Produktfamilie. Die betroffenen Typen entnehmen Sie bitte der Anlage.\n\n"
        "Mit freundlichen Grüßen\nVertrieb\n"
    )
    return mail("Abkündigung", body, sender="vertrieb@bauteile.example", msg_id="abk@x")


def prose_notice(number: str, msg_id: str, ltb: str = "2027-05-15") -> bytes:
    """Parts named only in a sentence: the rules find them outside any table or list."""
    body = (
        "Dear customer,\n\nTexas Instruments regrets to inform you that the regulators TPS7A4501DCQR and "
        "LM317T/NOPB will be discontinued.\n\n"
        f"PDN number: {number}\nLast time buy date: {ltb}\nLast ship date: 2027-11-15\n\nRegards,\nTI PCN team\n"
    )
    return mail(f"Discontinuance {number}", body, msg_id=msg_id)


def listed_notice(number: str, msg_id: str, date: str, parts: list[str]) -> bytes:
    """A complete notice: its parts in an attached list."""
    csv = "Part Number,Replacement\n" + "".join(f"{p},\n" for p in parts)
    return mail(
        f"Product Discontinuance Notice {number}",
        BODY.replace(NUMBER, number),
        msg_id=msg_id,
        date=date,
        attachment=("affected_parts.csv", csv.encode(), "csv"),
    )
