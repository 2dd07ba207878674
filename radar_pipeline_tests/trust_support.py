"""Mails for the source-trust tests: a maker's notice as a spoofer and as the maker send it, signed or not."""

from __future__ import annotations

import base64
import email
from email import policy
from email.message import EmailMessage
from pathlib import Path

NUMBER = "PDN-2701"
TRUE_LTB, FALSE_LTB = "2027-05-15", "2026-12-20"


def notice_mail(
    sender: str,
    msg_id: str,
    ltb: str = TRUE_LTB,
    number: str = NUMBER,
    last_ship: str = "2027-09-15",
    date: str = "Mon, 07 Dec 2026 09:00:00 +0000",
) -> bytes:
    """Texas Instruments' discontinuance of LM317T/NOPB as a mail the rules read completely."""
    m = EmailMessage()
    m["From"], m["To"], m["Subject"] = (
        sender,
        "components@acme.example",
        f"Product Discontinuance Notice {number}",
    )
    m["Message-ID"], m["Date"] = f"<{msg_id}>", date
    m.set_content(
        "Dear customer,\n\nTexas Instruments announces the discontinuance of the devices below.\n"
        f"PDN number: {number}\nIssue date: 2026-11-02\nLast time buy date: {ltb}\n"
        f"Last ship date: {last_ship}\n\n"
        "Affected part number    Replacement\nLM317T/NOPB             LM317HVT/NOPB\n\nRegards,\nTI PCN team\n"
    )
    return bytes(m)


class DkimKey:
    """An RSA key of ``selector._domainkey.domain``: signs mail, and writes the TXT record the
    ``RADAR_DKIM_KEYS`` file gives in place of DNS."""

    def __init__(self, domain: str, selector: str = "s2026") -> None:
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric import rsa

        self.domain, self.selector = domain, selector
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.private_pem = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.NoEncryption(),
        )
        public = key.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        self.record = "v=DKIM1; k=rsa; p=" + base64.b64encode(public).decode()

    def sign(self, raw: bytes) -> bytes:
        import dkim

        headers = [b"from", b"to", b"subject", b"date", b"message-id"]
        return (
            dkim.sign(
                raw, self.selector.encode(), self.domain.encode(), self.private_pem, include_headers=headers
            )
            + raw
        )

    def keys_file(self, path: Path) -> Path:
        path.write_text(
            f"# DKIM keys instead of DNS\n{self.selector}._domainkey.{self.domain} {self.record}\n"
        )
        return path


def mails_in(outbox: Path) -> list[dict]:
    """The outbox's mails: To, Subject (as the header line reads), plain text, and every header name."""
    out = []
    for path in sorted(outbox.glob("*.eml")):
        raw = path.read_bytes()
        msg = email.message_from_bytes(raw, policy=policy.default)
        head = raw.split(b"\n\n", 1)[0].decode("ascii", "replace")
        out.append(
            {
                "to": str(msg["To"]),
                "subject": str(msg["Subject"]),
                "text": msg.get_body(("plain",)).get_content(),
                "header_names": [
                    line.split(":", 1)[0] for line in head.splitlines() if line[:1] not in (" ", "\t")
                ],
                "head": head,
            }
        )
    return out
