"""Find, filter, sort and page the notices of the overview.

Everything is in the query string (``/?q=P-1002&type=discontinuance&risk=high&within=90&sort=ltb_cost
&dir=desc&page=2``), so a view is a plain URL that can be bookmarked or sent, and ``/export.csv`` or
``/export.xlsx`` with the same query gives that selection — every page of it, in the same order
(``web.export`` writes it).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from urllib.parse import urlencode

from radar_pipeline.exposure.changes import RANK
from radar_pipeline.notices.decisions import STATES, state_label
from radar_pipeline.web.render import notice_counts

NOTICE_TYPES = ("discontinuance", "nrnd", "change")
REVIEW_STATES = {"open": "needs review", "accepted": "accepted", "corrected": "corrected", "none": "complete"}
# the risks of a change or NRND notice touching the BOM (``exposure.changes.risk_of``), gravest first
RISKS = tuple(sorted(RANK, key=RANK.__getitem__, reverse=True))
PAGE_SIZES = (25, 50, 100, 200)
MAX_QUERY = 200  # characters of a search: longer is no part, notice or product name


def _deadline_days(n: dict) -> int | None:
    """The soonest date still ahead of a notice: its last-time buy or its response deadline."""
    days = [d for d in (n["days_to_ltb"], n.get("response_days_left")) if d is not None and d >= 0]
    return min(days) if days else None


# the sortable columns: name in the query string → the value of a notice row it sorts by
SORTS: dict[str, Callable[[dict], object]] = {
    "notice": lambda n: n["notice_number"].casefold(),
    "manufacturer": lambda n: n["manufacturer"].casefold(),
    "type": lambda n: n["notice_type"],
    "ltb": lambda n: n["days_to_ltb"],
    "deadline": _deadline_days,
    "parts": lambda n: notice_counts(n)["parts"],
    "products": lambda n: notice_counts(n)["products"],
    "ltb_cost": lambda n: n["total_ltb_cost"],
    "revenue": lambda n: n["total_revenue_at_risk"],
    "review": lambda n: n.get("review") or "none",
    "decision": lambda n: state_label((n.get("decision") or {}).get("state")),
}


@dataclass(frozen=True)
class NoticeQuery:
    """What the analyst asked for; ``from_params`` reads it from the query string, keeping only what it
    understands (an unknown sort or type is no filter, not an error page)."""

    q: str = ""
    type: str = ""
    review: str = ""
    risk: str = ""  # a change or NRND notice's risk; other notices have none
    decision: str = ""  # the notice's current decision state ("open": none recorded, or open)
    within: int | None = None  # days: a last-time buy or response deadline from today to this many days
    on_bom: bool = False  # only notices that reach a BOM part
    sort: str = "deadline"
    descending: bool = False
    page: int = 1
    per: int = 50

    @classmethod
    def from_params(cls, params: Mapping[str, str]) -> NoticeQuery:
        def number(name: str) -> int | None:
            text = (params.get(name) or "").strip()
            return int(text) if text.isdigit() and len(text) < 7 else None

        sort = params.get("sort") or "deadline"
        return cls(
            q=(params.get("q") or "").strip()[:MAX_QUERY],
            type=t if (t := params.get("type") or "") in NOTICE_TYPES else "",
            review=r if (r := params.get("review") or "") in REVIEW_STATES else "",
            risk=k if (k := params.get("risk") or "") in RISKS else "",
            decision=d if (d := params.get("decision") or "") in STATES else "",
            within=number("within"),
            on_bom=params.get("on_bom") == "1",
            sort=sort if sort in SORTS else "deadline",
            descending=params.get("dir") == "desc",
            page=max(1, number("page") or 1),
            per=p if (p := number("per")) in PAGE_SIZES else 50,
        )

    def params(self, **changes) -> dict[str, str]:
        """The query string of this view (with ``changes``), defaults left out."""
        view = replace(self, **changes)
        out = {
            "q": view.q,
            "type": view.type,
            "review": view.review,
            "risk": view.risk,
            "decision": view.decision,
            "within": "" if view.within is None else str(view.within),
            "on_bom": "1" if view.on_bom else "",
            "sort": "" if view.sort == "deadline" else view.sort,
            "dir": "desc" if view.descending else "",
            "page": "" if view.page == 1 else str(view.page),
            "per": "" if view.per == 50 else str(view.per),
        }
        return {k: v for k, v in out.items() if v}

    def url(self, path: str = "/", **changes) -> str:
        query = urlencode(self.params(**changes))
        return path + ("?" + query if query else "")

    def sort_url(self, column: str) -> str:
        """The header's link: sort by ``column``; again on the sorted column turns the order around."""
        descending = not self.descending if column == self.sort else False
        return self.url(sort=column, descending=descending, page=1)


def search_text(n: dict, names: Mapping[str, str]) -> str:
    """What a search looks in: the notice's number and maker, its parts (as spelled, and the BOM's ids)
    and the products they reach (ids and ``names``), case-folded."""
    words = [n["notice_number"], n["manufacturer"]]
    for p in n["parts"]:
        words += [p["mpn"] or "", p["part_id"] or ""]
        for u in p["products"]:
            words += [u["product_id"], names.get(u["product_id"], "")]
    return "\n".join(words).casefold()


def selected(notices: list[dict], query: NoticeQuery, texts: Mapping[int, str]) -> list[dict]:
    """The notices the query keeps, in its order (every page); ``texts``: each notice's ``search_text``."""
    needle = query.q.casefold()
    out = []
    for n in notices:
        if query.type and n["notice_type"] != query.type:
            continue
        if query.review and (n.get("review") or "none") != query.review:
            continue
        if query.risk and n.get("risk") != query.risk:
            continue
        if query.decision and ((n.get("decision") or {}).get("state") or "open") != query.decision:
            continue
        if query.on_bom and not n["parts"]:
            continue
        if query.within is not None:
            days = _deadline_days(n)
            if days is None or days > query.within:
                continue
        if needle and needle not in texts[n["notice_id"]]:
            continue
        out.append(n)
    key = SORTS[query.sort]
    out.sort(key=lambda n: n["notice_number"])  # ties in notice order, whichever way the column runs
    known = sorted((n for n in out if key(n) is not None), key=key, reverse=query.descending)
    return known + [n for n in out if key(n) is None]  # no date, no money: last either way


def page_of(rows: list[dict], query: NoticeQuery) -> dict:
    """The query's page of ``rows``: the rows, how many in all, this page's number and the last's."""
    pages = max(1, -(-len(rows) // query.per))
    number = min(query.page, pages)
    start = (number - 1) * query.per
    return {
        "rows": rows[start : start + query.per],
        "total": len(rows),
        "number": number,
        "pages": pages,
        "first": start + 1 if rows else 0,
        "last": min(start + query.per, len(rows)),
    }
