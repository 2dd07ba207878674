"""The code version of ``notice_extractions``: bump it when the readers or the rules read differently.

Dagster compares it with the version each partition was materialized with and shows
older partitions stale; the nightly re-extraction schedule brings them up to date,
oldest first. Analysts' corrections are applied on top of every extraction, so a
new version never undoes them.
"""

from __future__ import annotations

import os

EXTRACTOR_VERSION = "rules-2026.11-2"


def extractor_version() -> str:
    """``EXTRACTOR_VERSION``, plus ``+TAG`` when ``RADAR_EXTRACTOR_TAG`` is set: an operator's way to
    have history read again (new reader settings, an OCR engine installed) without a code change."""
    tag = os.environ.get("RADAR_EXTRACTOR_TAG", "").strip()
    return f"{EXTRACTOR_VERSION}+{tag}" if tag else EXTRACTOR_VERSION
