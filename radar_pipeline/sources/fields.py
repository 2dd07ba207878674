"""Reading provider payload fields with errors that name the field."""

from __future__ import annotations

from datetime import date
from typing import Any


class PayloadError(ValueError):
    """A provider payload lacks, or garbles, what a notice needs."""


def required_text(payload: dict, name: str) -> str:
    value = payload.get(name)
    if value is None or (isinstance(value, str) and not value.strip()):
        raise PayloadError(f"payload field '{name}' is missing or empty")
    if not isinstance(value, str | int):
        raise PayloadError(f"payload field '{name}' must be text, got {type(value).__name__}")
    return str(value).strip()


def optional_date(payload: dict, name: str) -> date | None:
    value = payload.get(name)
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise PayloadError(f"payload field '{name}' must be an ISO date string, got {type(value).__name__}")
    try:
        return date.fromisoformat(value.strip()[:10])
    except ValueError:
        raise PayloadError(
            f"payload field '{name}' is not an ISO date (YYYY-MM-DD): {value[:40]!r}"
        ) from None


def part_list(payload: dict, name: str, mpn_key: str, replacement_key: str) -> list[tuple[str, str | None]]:
    value: Any = payload.get(name)
    if not isinstance(value, list) or not value:
        raise PayloadError(f"payload field '{name}' must be a non-empty list of parts")
    out = []
    for i, item in enumerate(value):
        if not isinstance(item, dict):
            raise PayloadError(f"payload field '{name}[{i}]' must be an object")
        mpn = required_text(item, mpn_key) if item.get(mpn_key) is not None else None
        if mpn is None:
            raise PayloadError(f"payload field '{name}[{i}].{mpn_key}' is missing or empty")
        replacement = item.get(replacement_key)
        out.append((mpn, str(replacement).strip() if replacement not in (None, "") else None))
    return out
