"""The templates the desk and the static HTML report share, and how their numbers are written.

Plain Jinja with no web framework: the ``exposure_report`` asset renders the report page from the
same macros the desk uses, so a figure reads the same in a mail attachment and in the browser.
"""

from __future__ import annotations

from functools import cache

from jinja2 import Environment, PackageLoader, StrictUndefined, pass_context, select_autoescape

from radar_pipeline.review.commands import command, decision_commands
from radar_pipeline.review.corrections import MAX_NOTE, MAX_NUMBER, MAX_PARTS
from radar_pipeline.web.paths import notice_path, part_path, product_path

# the limits of what a person types, stated beside each field of the desk's forms
LIMITS = {"note": MAX_NOTE, "part": MAX_NUMBER, "parts": MAX_PARTS}


# currencies written with their sign; any other is written with its ISO 4217 code (``CHF 1,250.00``)
CURRENCY_SIGNS = {"USD": "$", "EUR": "€", "GBP": "£"}


def money(value, currency: str = "USD") -> str:
    """``$215,942.40`` (``RADAR_CURRENCY``: ``€…``, ``CHF …``); an unknown amount is a dash, not a zero."""
    if value is None:
        return "—"
    sign = CURRENCY_SIGNS.get(currency, f"{currency} ")
    return f"-{sign}{-value:,.2f}" if value < 0 else f"{sign}{value:,.2f}"


@pass_context
def _money_in(context, value) -> str:
    """The ``money`` filter: in the currency the page was rendered with (``currency``), else USD."""
    return money(value, context.get("currency") or "USD")


def units(value) -> str:
    """Whole units with thousands separators (``11,736``); a fractional quantity keeps two decimals."""
    if value is None:
        return "—"
    value = float(value)
    return f"{value:,.0f}" if value.is_integer() else f"{value:,.2f}"


def days_left(days) -> str:
    if days is None:
        return "no date"
    if days < 0:
        return f"{-days:,} days ago"
    return "today" if days == 0 else f"{days:,} days left"


def notice_counts(notice: dict) -> dict:
    """Exact parts, family matches (for review, not totalled), exact parts an approved alternate
    covers (listed, not totalled) and products reached by exact parts."""
    exact = [p for p in notice["parts"] if p["match_type"] == "exact"]
    return {
        "parts": len(exact),
        "family": len(notice["parts"]) - len(exact),
        "covered": sum(bool(p.get("covered_by_alternate")) for p in exact),
        "products": len({u["product_id"] for p in exact for u in p["products"]}),
    }


def review_label(notice: dict) -> str:
    state = notice.get("review")
    if state == "corrected":
        return f"corrected by {notice.get('corrected_by') or 'an analyst'}"
    return {"open": "needs review", "accepted": "accepted"}.get(state or "", "")


@cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("radar_pipeline.web", "templates"),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(money=_money_in, units=units, days_left=days_left)
    env.globals.update(
        notice_counts=notice_counts,
        review_label=review_label,
        notice_path=notice_path,
        part_path=part_path,
        product_path=product_path,
        command=command,
        decision_commands=decision_commands,
        limits=LIMITS,
    )
    return env


def render(template: str, **context) -> str:
    return environment().get_template(template).render(**context)
