"""Who really sent a mail: DKIM/SPF verdicts, recorded once when the mail lands, read when it is judged.

Radar records its verdict as the receiving mail server does, at arrival: the ``dkim`` and ``SPF``
fields SendGrid Inbound Parse posts beside the message, or DKIM verified on the raw message
(``dkimpy``) for the inbox and ``radar ingest``. The verdict is kept with the landing event, as a
parameter of its content type (``message/rfc822; radar-auth="dkim:pass:ti.com spf:pass:ti.com"``),
which only Radar's landing code writes; the message itself is stored byte for byte as it came. Being
fixed at arrival, a maker rotating its keys later does not turn an old mail into an unauthenticated one.

``Authentication-Results`` headers inside a message are believed only from the authserv-ids of our
own mail servers (``RADAR_AUTHSERV_ID``, in front of the inbox; RFC 8601 has them remove forged
ones): anyone can write such a header into a mail, so every other one is ignored.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

log = logging.getLogger("radar.mail")

RADAR = "radar"  # who made the verdicts recorded at landing
MAIL = "message/rfc822"
_HEADER = "Authentication-Results"
_PARAMETER = "radar-auth"
MAX_VERDICTS = 6  # kept per message (the content type column holds 255 characters)
DnsFunc = Callable[..., bytes | None]


@dataclass(frozen=True)
class Verdict:
    """One authentication result: ``dkim``/``spf``, ``pass``/``fail``/…, for a domain, by whom."""

    method: str
    result: str
    domain: str | None = None
    by: str = RADAR

    def to_json(self) -> dict:
        return asdict(self)

    def __str__(self) -> str:
        on = f" for {self.domain}" if self.domain else ""
        return f"{self.method.upper()} {self.result}{on} (verdict of {self.by})"


def _domain(value: str | None) -> str | None:
    """The domain of an address or a domain (``bounce@ti.com`` → ``ti.com``), lower-case."""
    if not value:
        return None
    domain = value.strip().strip("<>").rsplit("@", 1)[-1].strip().strip(".").lower()
    return domain if re.fullmatch(r"[a-z0-9](?:[a-z0-9.-]{0,251}[a-z0-9])?", domain) else None


# -- the verdicts Radar writes ----------------------------------------------------------------------
_SENDGRID_DKIM = re.compile(r"@?([A-Za-z0-9.-]+)\s*:\s*([A-Za-z]+)")


def sendgrid_verdicts(dkim: str | None, spf: str | None, envelope: str | None) -> list[Verdict]:
    """The verdicts of a SendGrid Inbound Parse post: ``dkim`` (``{@ti.com : pass, @x.com : fail}``,
    or a JSON object of domain to result), ``SPF`` (``pass``…) for the envelope's ``from``."""
    out: list[Verdict] = []
    text = (dkim or "").strip()
    pairs: list[tuple[str, str]] = []
    try:
        data = json.loads(text) if text.startswith("{") and '"' in text else None
    except ValueError:
        data = None
    if isinstance(data, dict):
        pairs = [(str(k), str(v)) for k, v in data.items()]
    elif text and text.lower() != "none":
        pairs = _SENDGRID_DKIM.findall(text)
    for domain, result in pairs:
        if (d := _domain(domain)) is not None:
            out.append(Verdict("dkim", result.strip().lower(), d))
    result = (spf or "").strip().lower()
    if result:
        sender = None
        try:
            sender = json.loads(envelope).get("from") if envelope else None
        except (ValueError, AttributeError):
            sender = None
        out.append(Verdict("spf", result.split()[0], _domain(sender if isinstance(sender, str) else None)))
    return out


def dkim_keys_dns(path: str | None) -> DnsFunc | None:
    """A ``dnsfunc`` for ``dkimpy`` answering from a file of DKIM keys (``RADAR_DKIM_KEYS``: one
    ``selector._domainkey.domain TXT-record`` per line), then from DNS for names it does not hold.
    For machines without DNS and for tests; ``None`` when no file is set."""
    if not path:
        return None
    records: dict[str, bytes] = {}
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        name, _, record = line.strip().partition(" ")
        if name and not name.startswith("#") and record.strip():
            records[name.strip().rstrip(".").lower()] = record.strip().encode()

    def lookup(name: bytes, timeout: float = 5):
        key = name.decode("ascii", "replace").rstrip(".").lower()
        if key in records:
            return records[key]
        from dkim.dnsplug import get_txt

        return get_txt(name, timeout=timeout)

    return lookup


def dkim_verdicts(raw: bytes, dnsfunc: DnsFunc | None = None, timeout: float = 5) -> list[Verdict]:
    """Every DKIM signature of ``raw`` verified (``dkimpy``): pass or fail, with its signing domain."""
    import dkim

    if b"dkim-signature:" not in _head(raw).lower():
        return []
    out = []
    try:
        signer = dkim.DKIM(raw, logger=log, timeout=timeout)
        count = sum(1 for name, _ in signer.headers if name.lower() == b"dkim-signature")
    except Exception as exc:  # a message dkimpy cannot even parse carries no valid signature
        return [Verdict("dkim", "permerror", None)] if str(exc) else []
    for i in range(count):
        try:
            ok = signer.verify(idx=i, dnsfunc=dnsfunc) if dnsfunc else signer.verify(idx=i)
        except Exception:
            ok = False
        domain = signer.domain.decode("ascii", "replace") if isinstance(signer.domain, bytes) else None
        out.append(Verdict("dkim", "pass" if ok else "fail", _domain(domain)))
        signer.domain = None
    return out


# -- the verdict with the landing event; the trusted headers of the message --------------------------
def _head(raw: bytes) -> bytes:
    end = raw.find(b"\r\n\r\n")
    end = raw.find(b"\n\n") if end < 0 else end
    return raw if end < 0 else raw[:end]


def landed_as(verdicts: list[Verdict]) -> str:
    """The content type a mail lands with: ``message/rfc822``, and Radar's verdicts as a parameter."""
    tokens = [f"{v.method}:{v.result}:{v.domain or ''}" for v in verdicts[:MAX_VERDICTS]]
    return f'{MAIL}; {_PARAMETER}="{" ".join(tokens) or "none"}"'


def landed_verdicts(content_type: str) -> list[Verdict]:
    """Radar's verdicts on a landed mail, from its content type (none for mail landed before them)."""
    found = re.search(rf'{_PARAMETER}="([^"]*)"', content_type or "")
    out = []
    for token in (found.group(1) if found else "").split():
        method, _, rest = token.partition(":")
        result, _, domain = rest.partition(":")
        if method in ("dkim", "spf") and result:
            out.append(Verdict(method, result, _domain(domain)))
    return out


def trusted_verdicts(headers: list[str], trusted: tuple[str, ...] = ()) -> list[Verdict]:
    """The DKIM/SPF results of the ``Authentication-Results`` header values (as the message carries
    them) written by a trusted authserv-id (``RADAR_AUTHSERV_ID``); every other header is ignored."""
    import authres

    ids = {t.lower() for t in trusted}
    out = []
    for value in headers:
        try:
            parsed = authres.AuthenticationResultsHeader.parse(f"{_HEADER}: {value}")
        except Exception:  # a malformed header says nothing we could believe
            continue
        by = (parsed.authserv_id or "").lower()
        if by not in ids:
            continue
        for r in parsed.results:
            method = (r.method or "").lower()
            if method not in ("dkim", "spf"):
                continue
            props = {(p.type, p.name): p.value for p in r.properties}
            where = props.get(("header", "d")) if method == "dkim" else props.get(("smtp", "mailfrom"))
            if method == "spf" and not where:
                where = props.get(("smtp", "helo"))
            out.append(Verdict(method, (r.result or "").lower(), _domain(where), by))
    return out
