"""The text of a notification: what procurement and engineering need to act, and by when."""

from __future__ import annotations

import hashlib
from datetime import date
from html import escape

from radar_pipeline.notify.senders import Mail


def _money(v) -> str:
    return "n/a" if v is None else f"{v:,.2f}"


def compose(
    notice: dict,
    recipient: str,
    report_path: str,
    key: str,
    updated: bool = False,
    impact: dict | None = None,
    as_of: date | None = None,
) -> Mail:
    """The mail about one notice: a change or NRND notice (with its ``impact``) for engineering, a
    discontinuance with its money for procurement."""
    if impact is not None:
        return _compose_change(notice, impact, recipient, report_path, key, updated, as_of)
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
        "",
        f"Last-time-buy date: {ltb} ({when})",
        f"Last-ship date:     {notice['last_ship_date'] or 'unknown'}",
        f"LTB cost:           {_money(notice['total_ltb_cost'])}",
        f"Revenue at risk:    {_money(notice['total_revenue_at_risk'])}",
        "",
        "Affected parts:",
    ]
    rows = []
    for p in notice["parts"]:
        review = "" if p["match_type"] == "exact" else "  [family match: review, not totalled]"
        lines.append(
            f"  {p['mpn']} (part {p['part_id']}): buy {p['ltb_qty'] if p['ltb_qty'] is not None else 'n/a'}"
            f", cost {_money(p['ltb_cost'])}, replacement {p['replacement_mpn'] or 'none given'}{review}"
        )
        for u in p["products"]:
            lines.append(
                f"      product {u['product_id']}: {u['extended_qty']:g} per unit, revenue at risk "
                f"{_money(u['revenue_at_risk'])}"
            )
            rows.append(
                (
                    p["mpn"],
                    u["product_id"],
                    u["extended_qty"],
                    p["ltb_qty"],
                    p["ltb_cost"],
                    u["revenue_at_risk"],
                )
            )
    lines += ["", f"Full report: {report_path}", f"Source: landing event {notice['source_event_id']}"]
    table = "".join(
        f"<tr><td>{escape(str(a))}</td><td>{escape(str(b))}</td><td>{c:g}</td><td>{d if d is not None else ''}</td>"
        f"<td>{_money(e)}</td><td>{_money(f)}</td></tr>"
        for a, b, c, d, e, f in rows
    )
    html = (
        f"<p>{escape(lines[0])}</p><p><b>Last-time buy: {escape(str(ltb))}</b> ({escape(when)})<br>"
        f"LTB cost {_money(notice['total_ltb_cost'])} · revenue at risk {_money(notice['total_revenue_at_risk'])}</p>"
        "<table border=1 cellpadding=3><tr><th>MPN</th><th>product</th><th>per unit</th><th>LTB qty</th>"
        f"<th>LTB cost</th><th>revenue at risk</th></tr>{table}</table><p>Report: {escape(report_path)}</p>"
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
    notice: dict, impact: dict, recipient: str, report_path: str, key: str, updated: bool, as_of: date | None
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
        "",
        *_change_lines(notice, impact, as_of),
        "",
        f"Full report: {report_path}",
        f"Source: landing event {notice['source_event_id']}",
    ]
    html = "<pre>" + escape("\n".join(lines)) + "</pre>"
    return Mail(
        to=recipient, subject=subject, text="\n".join(lines) + "\n", html=html, key=f"{key}:{recipient}"
    )


def compose_digest(
    items: list[tuple[dict, dict, str, bool]], recipient: str, report_path: str, as_of
) -> Mail:
    """One mail with the day's low-risk change notices (``RADAR_CHANGE_DIGEST=low``)."""
    lines = [f"{len(items)} low-risk change notice(s) touch our BOM.", ""]
    for notice, impact, _, updated in items:
        lines += [
            f"== {notice['manufacturer']} {notice['notice_number']}" + (" (updated)" if updated else ""),
            *_change_lines(notice, impact, as_of),
            "",
        ]
    lines.append(f"Full report: {report_path}")
    keys = "|".join(sorted(k for _, _, k, _ in items))
    digest_id = hashlib.sha256(keys.encode()).hexdigest()[:12]
    return Mail(
        to=recipient,
        subject=f"[radar] digest {as_of or ''}: {len(items)} low-risk change notice(s)",
        text="\n".join(lines) + "\n",
        html="<pre>" + escape("\n".join(lines)) + "</pre>",
        key=f"digest:{as_of}:{digest_id}:{recipient}",
    )
