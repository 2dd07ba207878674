"""How far a reading of a notice is trusted, and where it came from (CONTRACT §6: source trust).

Trust, highest first:
1. an analyst's correction (``radar correct``, the desk): applied on top of every reading;
2. a signed provider webhook, or a mail that authenticates (DKIM or SPF ``pass``, as Radar recorded
   it when the mail landed, or a trusted mail server of ours) as a domain in ``RADAR_MAKER_DOMAINS`` — and, when that domain
   is a known maker's, as the notice's own maker;
3. any other mail or file.

A reading keeps its provenance — channel, sender, subject, authentication, when — so the desk can
say where each value of a notice came from.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import IntEnum

from radar_pipeline.documents.model import Document
from radar_pipeline.mail.authentication import Verdict, trusted_verdicts
from radar_pipeline.notices.manufacturers import from_domain, same_maker


class Trust(IntEnum):
    OTHER = 1  # any other mail or file
    AUTHENTICATED = 2  # a signed provider webhook, or mail authenticated as a configured maker domain
    ANALYST = 3  # an analyst's correction

    @property
    def label(self) -> str:
        return {1: "any other mail or file", 2: "signed or authenticated", 3: "analyst"}[self.value]


def _domains(text: str) -> tuple[str, ...]:
    return tuple(d.strip().lower().lstrip("@.") for d in text.replace(";", ",").split(",") if d.strip())


@dataclass(frozen=True)
class TrustPolicy:
    """``RADAR_MAKER_DOMAINS`` (sub-domains included) and ``RADAR_AUTHSERV_ID`` (the mail servers of
    our own whose ``Authentication-Results`` are believed besides Radar's own verdict)."""

    maker_domains: tuple[str, ...] = ()
    authserv_ids: tuple[str, ...] = ()

    @classmethod
    def from_text(cls, maker_domains: str = "", authserv_ids: str = "") -> TrustPolicy:
        return cls(_domains(maker_domains or ""), _domains(authserv_ids or ""))

    def configured(self, domain: str | None) -> str | None:
        """The configured maker domain ``domain`` is, or is a sub-domain of."""
        if not domain:
            return None
        return next((d for d in self.maker_domains if domain == d or domain.endswith("." + d)), None)


MAIL_CHANNELS = {"sendgrid": "mail (SendGrid Inbound Parse)", "mail": "mail (inbox)"}


def provenance(
    source: str, received_at: datetime | None, doc: Document, maker: str, policy: TrustPolicy
) -> tuple[Trust, dict]:
    """The trust of one reading of a notice of ``maker`` from document ``doc`` (landed from ``source``),
    and its provenance as the desk shows it."""
    from radar_pipeline.sources import ADAPTERS

    when = received_at.isoformat() if received_at else None
    if source in ADAPTERS:
        return Trust.AUTHENTICATED, {
            "channel": f"webhook {source}",
            "sender": source,
            "subject": None,
            "received_at": when,
            "authentication": "Standard Webhooks signature verified at the gateway",
            "authenticated_as": source,
            "trust": "signed provider webhook",
        }
    origin = doc.origin or {}
    mail = source in MAIL_CHANNELS or doc.kind == "email" and bool(origin)
    record = {
        "channel": MAIL_CHANNELS.get(source, "mail") if mail else "file",
        "sender": origin.get("from") if mail else None,
        "subject": origin.get("subject") if mail else doc.name,
        "received_at": when,
        "authenticated_as": None,
    }
    if not mail:
        return Trust.OTHER, record | {"authentication": "none (a file)", "trust": "file"}
    verdicts = [Verdict(**v) for v in origin.get("verdicts") or []]  # Radar's own, made at landing
    verdicts += trusted_verdicts(origin.get("authentication_results") or [], policy.authserv_ids)
    passed = [v for v in verdicts if v.result == "pass" and v.domain]
    notes = []
    for v in passed:
        domain = policy.configured(v.domain)
        if domain is None:
            continue
        owner = from_domain(v.domain)
        if owner is not None and same_maker(owner, maker) is False:
            notes.append(f"{v}: a maker domain of {owner}, not of {maker}")
            continue
        return Trust.AUTHENTICATED, record | {
            "authentication": str(v),
            "authenticated_as": v.domain,
            "trust": f"mail authenticated as maker domain {domain}",
        }
    said = "; ".join(notes + [str(v) for v in verdicts if v not in passed or not policy.configured(v.domain)])
    return Trust.OTHER, record | {
        "authentication": said or "no DKIM or SPF verdict Radar trusts",
        "trust": "unauthenticated mail" if not passed else "mail not from a configured maker domain",
    }
