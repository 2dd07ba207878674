"""Who really sent a mail: DKIM/SPF verdicts, recorded once when the mail lands, read when it is judged.

Radar acts as the receiving mail server does (RFC 8601): when a message lands it removes every
``Authentication-Results`` header that claims Radar's own authserv-id (``radar``: nothing of ours
handled the message before, so such a header is forged) and puts its own on top, with the verdict
it has — the ``dkim`` and ``SPF`` fields SendGrid Inbound Parse posts, or DKIM verified on the raw
message (``dkimpy``) for the inbox and ``radar ingest``. The verdict is fixed at arrival, as a mail
server's is: a maker rotating its keys later does not turn an old mail into an unauthenticated one.

Later the pipeline believes only ``Authentication-Results`` headers whose authserv-id is Radar's or
one of ``RADAR_AUTHSERV_ID`` (the company's own mail server in front of the inbox, which removes
forged ones in its turn); anyone can write such a header into a mail, so every other one is ignored.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

log = logging.getLogger("radar.mail")

RADAR_AUTHSERV_ID = "radar"
_HEADER = "Authentication-Results"
DnsFunc = Callable[..., bytes | None]


@dataclass(frozen=True)
class Verdict:
    """One authentication result: ``dkim``/``spf``, ``pass``/``fail``/…, for a domain, by whom."""

    method: str
    result: str
    domain: str | None = None
    by: str = RADAR_AUTHSERV_ID

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


# -- writing our header, reading the trusted ones ----------------------------------------------------
def _head(raw: bytes) -> bytes:
    end = raw.find(b"\r\n\r\n")
    end = raw.find(b"\n\n") if end < 0 else end
    return raw if end < 0 else raw[:end]


def _split_header_block(raw: bytes) -> tuple[list[bytes], bytes]:
    """The header fields (each with its folded lines and line ends) and the rest of the message."""
    fields: list[bytes] = []
    pos = 0
    while pos < len(raw):
        end = raw.find(b"\n", pos)
        line = raw[pos:] if end < 0 else raw[pos : end + 1]
        if line in (b"\r\n", b"\n"):
            break
        if line[:1] in (b" ", b"\t") and fields:
            fields[-1] += line
        else:
            fields.append(line)
        pos += len(line)
    return fields, raw[pos:]


def _authserv_id(field: bytes) -> str | None:
    name, _, value = field.partition(b":")
    if name.strip().lower() != _HEADER.lower().encode():
        return None
    return re.split(rb"[;\s]", value.strip(), maxsplit=1)[0].decode("ascii", "replace").lower()


def stamp(raw: bytes, verdicts: list[Verdict]) -> bytes:
    """``raw`` with every ``Authentication-Results`` claiming Radar's authserv-id removed and Radar's
    own on top (``none`` when there is no verdict). The rest of the message is kept byte for byte, so a
    DKIM signature over it stays verifiable."""
    import authres

    fields, rest = _split_header_block(raw)
    kept = [f for f in fields if _authserv_id(f) != RADAR_AUTHSERV_ID]
    results = []
    for v in verdicts:
        if v.method == "dkim":
            results.append(authres.DKIMAuthenticationResult(result=v.result, header_d=v.domain))
        elif v.method == "spf":
            results.append(authres.SPFAuthenticationResult(result=v.result, smtp_mailfrom=v.domain))
    header = authres.AuthenticationResultsHeader(authserv_id=RADAR_AUTHSERV_ID, results=results)
    eol = b"\r\n" if fields and fields[0].endswith(b"\r\n") or not fields else b"\n"
    return str(header).encode("ascii", "replace") + eol + b"".join(kept) + rest


def trusted_verdicts(headers: list[str], trusted: tuple[str, ...] = ()) -> list[Verdict]:
    """The DKIM/SPF results of the ``Authentication-Results`` header values (as the message carries
    them) written by Radar or by a trusted authserv-id; every other header is ignored."""
    import authres

    ids = {RADAR_AUTHSERV_ID, *(t.lower() for t in trusted)}
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
