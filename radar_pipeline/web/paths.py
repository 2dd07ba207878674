"""Addresses of the desk's pages that others keep (mails, the report file, bookmarks).

A notice's row id changes when its day is materialized again (its rows are rewritten), so the
lasting address of a notice names it as people do: manufacturer and notice number.
"""

from __future__ import annotations

from urllib.parse import urlencode


def notice_path(manufacturer: str, notice_number: str) -> str:
    return "/notice?" + urlencode({"manufacturer": manufacturer, "number": notice_number})


def part_path(part_id: str) -> str:
    """A BOM part's where-used page."""
    return "/part?" + urlencode({"id": part_id})


def product_path(product_id: str) -> str:
    """A product's where-used page."""
    return "/product?" + urlencode({"id": product_id})
