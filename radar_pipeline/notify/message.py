"""The text of a notification: what procurement and engineering need to act, and by when."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from html import escape

from radar_pipeline.notify.senders import Mail
from radar_pipeline.web.paths import notice_path
from radar_pipeline.web.render import money, units


@dataclass(frozen=True)
class Links:
    """Where a mail points its reader: the notice's page on the analysts' desk when
    ``RADAR_PUBLIC_URL`` is set, else the report file (a path only someone on the server can open)."""

    report_path: str
    public_url: str | None = None
    currency: str = "USD"  # RADAR_CURRENCY: written with every amount

    def notice(self, manufacturer: str | None, number: str | None) -> str | None:
        """The notice's page (its lasting address: row ids change when a day is read again)."""
        if not (self.public_url and manufacturer and number):
            return None
        return self.public_url + notice_path(manufacturer, number)

    def text_lines(self, notice: dict) -> list[str]:
        if not self.public_url:
            return [f"Full report: {self.report_path}"]
        page = self.notice(notice["manufacturer"], notice["notice_number"])
        return ([f"Notice page: {page}"] if page else []) + [f"Overview: {self.public_url}/"]

    def html(self, notice: dict) -> str:
        if not self.public_url:
            return f"<p>Report: {escape(self.report_path)}</p>"
        page = self.notice(notice["manufacturer"], notice["notice_number"])
        notice = f'<a href="{escape(page)}">Open the notice</a> · ' if page else ""
        return f'<p>{notice}<a href="{escape(self.public_url)}/">Overview</a></p>'


def _money(v, currency: str) -> str:
    return "n/a" if v is None else money(v, currency)


def decided_lines(notice: dict) -> list[str]:
    """What the desk records as decided about the notice and its parts (``decisions``: part → the current
    decision, ``None`` the notice), so a mail about a decided notice says so."""
    decisions = notice.get("decisions") or {}
    lines = []
    for part, d in sorted(decisions.items(), key=lambda x: (x[0] is not None, x[0] or "")):
        about = "the notice" if part is None else f"part {part}"
        extra = "".join(
            f", {label} {d[k]}" for k, label in (("owner", "owner"), ("due_date", "due")) if d.get(k)
        )
        lines.append(f"Already decided on the desk for {about}: {d['label']} (by {d['decided_by']}{extra}).")
    return lines


def _earlier_ltb(notice: dict, part: dict) -> str:
    """Said when every approved MPN of the part is discontinued and another's last-time buy is earlier."""
    ltb = part.get("last_time_buy_date")
    if not ltb or ltb == notice["last_time_buy_date"]:
        return ""
    return f", counted at last-time buy {ltb} (every approved MPN discontinued; the earliest)"


def _alternate_note(notice: dict, part: dict) -> str:
    if part.get("covered_by_alternate"):
        return f"covered by alternate {part['covered_by_alternate']}"
    return _earlier_ltb(notice, part).removeprefix(", ")


def compose(
    notice: dict,
    recipient: str,
    links: Links,
    key: str,
    updated: bool = False,
    impact: dict | None = None,
    as_of: date | None = None,
) -> Mail:
    """The mail about one notice: a change or NRND notice (with its ``impact``) for engineering, a
    discontinuance with its money for procurement."""
    if impact is not None:
        return _compose_change(notice, impact, recipient, links, key, updated, as_of)
    ltb = notice["last_time_buy_date"] or "unknown"
    days = notice["days_to_ltb"]
    when = "date unknown" if days is None else (f"{days} days left" if days >= 0 else f"{-days} days ago")
    prefix = "[radar] updated: " if updated else "[radar] "
    subject = f"{prefix}{notice['manufacturer']} {notice['notice_number']}: last-time buy {ltb} ({when})"
    lines = [
        f"Discontinuance notice {notice['notice_number']} from {notice['manufacturer']} touches our BOM.",
        *(
            ["Its affected parts or dates have changed since our last mail (a correction or a re-reading)."]
            if updated
            else []
        ),
        *([f"Corrected by {notice['corrected_by']}."] if notice.get("corrected_by") else []),
        *decided_lines(notice),
        "",
        f"Last-time-buy date: {ltb} ({when})",
        f"Last-ship date:     {notice['last_ship_date'] or 'unknown'}",
        f"LTB cost (this notice):        {_money(notice['total_ltb_cost'], links.currency)}",
        f"Revenue at risk (this notice): {_money(notice['total_revenue_at_risk'], links.currency)}",
        "(A part named by several notices is bought once, at the earliest last-time buy: the desk's"
        " overview totals per part and per product.)",
        "",
        "Affected parts:",
    ]
    rows = []
    for p in notice["parts"]:
        review = "" if p["match_type"] == "exact" else "  [family match: review, not totalled]"
        if p.get("covered_by_alternate"):
            buy = f"covered by alternate {p['covered_by_alternate']} (still sold): no last-time buy, not totalled"
        else:
            buy = (
                f"buy {units(p['ltb_qty']) + ' units' if p['ltb_qty'] is not None else 'n/a'}, cost {_money(p['ltb_cost'], links.currency)}"
                + _earlier_ltb(notice, p)
            )
        lines.append(
            f"  {p['mpn']} (part {p['part_id']}): {buy}, replacement {p['replacement_mpn'] or 'none given'}{review}"
        )
        for u in p["products"]:
            lines.append(
                f"      product {u['product_id']}: {u['extended_qty']:g} per unit, revenue at risk "
                f"{_money(u['revenue_at_risk'], links.currency)}"
            )
            rows.append(
                (
                    p["mpn"],
                    u["product_id"],
                    u["extended_qty"],
                    p["ltb_qty"],
                    p["ltb_cost"],
                    u["revenue_at_risk"],
                    _alternate_note(notice, p),
                )
            )
    lines += [
        "",
        *links.text_lines(notice),
        f"Source: landing event {notice['source_event_id']}",
    ]
    table = "".join(
        f"<tr><td>{escape(str(a))}</td><td>{escape(str(b))}</td><td>{c:g}</td><td>{d if d is not None else ''}</td>"
        f"<td>{_money(e, links.currency)}</td><td>{_money(f, links.currency)}</td><td>{escape(g)}</td></tr>"
        for a, b, c, d, e, f, g in rows
    )
    html = (
        f"<p>{escape(lines[0])}</p>"
        + "".join(f"<p><b>{escape(line)}</b></p>" for line in decided_lines(notice))
        + f"<p><b>Last-time buy: {escape(str(ltb))}</b> ({escape(when)})<br>"
        f"This notice: LTB cost {_money(notice['total_ltb_cost'], links.currency)} · revenue at risk "
        f"{_money(notice['total_revenue_at_risk'], links.currency)}</p>"
        "<table border=1 cellpadding=3><tr><th>MPN</th><th>product</th><th>per unit</th><th>LTB qty</th>"
        f"<th>LTB cost</th><th>revenue at risk</th><th>approved alternate</th></tr>{table}</table>{links.html(notice)}"
    )
    return Mail(
        to=recipient, subject=subject, text="\n".join(lines) + "\n", html=html, key=f"{key}:{recipient}"
    )


def _days_left(impact: dict, as_of: date | None) -> str:
    deadline = impact.get("response_deadline")
    if not deadline:
        return "no response deadline stated"
    if as_of is None:
        return f"respond by {deadline}"
    days = (date.fromisoformat(str(deadline)) - as_of).days
    return (
        f"respond by {deadline} ({days} days left)" if days >= 0 else f"response deadline {deadline} passed"
    )


def _change_lines(notice: dict, impact: dict, as_of: date | None) -> list[str]:
    """What changed, how risky, by when, and which products carry the part: the body of a change mail."""
    what = ", ".join(impact.get("categories") or []) or "not stated"
    fff = ", ".join(impact.get("form_fit_function") or []) or "none stated"
    lines = [
        f"Risk:               {impact.get('risk') or 'not graded (see review)'}",
        f"What changes:       {what}",
        f"Form/fit/function:  {fff}",
        f"First shipment:     {impact.get('effective_date') or 'not stated'}",
        f"Response deadline:  {_days_left(impact, as_of)}",
    ]
    if impact.get("evidence"):
        lines.append(f"Evidence:           {impact['evidence'][:400]}")
    if impact.get("review_reason"):
        lines.append(f"Needs review:       {impact['review_reason']}")
    lines += ["", "Products carrying the part:"]
    for u in impact.get("products") or []:
        lines.append(
            f"  {u['product_id']}: {', '.join(u['parts'])} ({u['extended_qty']:g} per unit), "
            f"{u['forecast_units']:g} forecast units" + (f", owner {u['owner']}" if u.get("owner") else "")
        )
    return lines


def _compose_change(
    notice: dict, impact: dict, recipient: str, links: Links, key: str, updated: bool, as_of: date | None
) -> Mail:
    kind = "NRND (not recommended for new designs)" if notice["notice_type"] == "nrnd" else "Change"
    prefix = "[radar] updated: " if updated else "[radar] "
    head = f"{notice['manufacturer']} {notice['notice_number']}"
    if notice["notice_type"] == "nrnd":
        subject = f"{prefix}{head}: NRND, no new designs"
    else:
        subject = (
            f"{prefix}{head}: {impact.get('risk') or 'ungraded'}-risk change, {_days_left(impact, as_of)}"
        )
    lines = [
        f"{kind} notice {notice['notice_number']} from {notice['manufacturer']} touches our BOM.",
        *(
            ["What it says has changed since our last mail (a correction or a re-reading)."]
            if updated
            else []
        ),
        *decided_lines(notice),
        "",
        *_change_lines(notice, impact, as_of),
        "",
        *links.text_lines(notice),
        f"Source: landing event {notice['source_event_id']}",
    ]
    html = "<pre>" + escape("\n".join(lines)) + "</pre>" + links.html(notice)
    return Mail(
        to=recipient, subject=subject, text="\n".join(lines) + "\n", html=html, key=f"{key}:{recipient}"
    )


def compose_digest(items: list[tuple[dict, dict, str, bool]], recipient: str, links: Links, as_of) -> Mail:
    """One mail with the day's low-risk change notices (``RADAR_CHANGE_DIGEST=low``)."""
    lines = [f"{len(items)} low-risk change notice(s) touch our BOM.", ""]
    for notice, impact, _, updated in items:
        lines += [
            f"== {notice['manufacturer']} {notice['notice_number']}" + (" (updated)" if updated else ""),
            *_change_lines(notice, impact, as_of),
            *(links.text_lines(notice) if links.public_url else []),
            "",
        ]
    if not links.public_url:
        lines.append(f"Full report: {links.report_path}")
    keys = "|".join(sorted(k for _, _, k, _ in items))
    digest_id = hashlib.sha256(keys.encode()).hexdigest()[:12]
    return Mail(
        to=recipient,
        subject=f"[radar] digest {as_of or ''}: {len(items)} low-risk change notice(s)",
        text="\n".join(lines) + "\n",
        html="<pre>" + escape("\n".join(lines)) + "</pre>",
        key=f"digest:{as_of}:{digest_id}:{recipient}",
    )
