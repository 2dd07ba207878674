"""The code version of ``notice_extractions``: bump it when the readers or the rules read differently.

Dagster compares it with the version each partition was materialized with and shows
older partitions stale; the nightly re-extraction schedule brings them up to date,
oldest first. Analysts' corrections are applied on top of every extraction, so a
new version never undoes them.
"""

from __future__ import annotations

from functools import cache

EXTRACTOR_VERSION = "rules-2026.12-roles-2"


@cache  # read once per process: it is stamped on every extraction row, and the code version is fixed at import
def extractor_version() -> str:
    """``EXTRACTOR_VERSION``, plus ``+TAG`` when ``RADAR_EXTRACTOR_TAG`` is set: an operator's way to
    have history read again (new reader settings, an OCR engine installed) without a code change."""
    from radar_pipeline.config import get_settings

    tag = get_settings().extractor_tag.strip()
    return f"{EXTRACTOR_VERSION}+{tag}" if tag else EXTRACTOR_VERSION
