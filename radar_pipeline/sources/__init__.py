"""Provider webhook adapters: one small module per source, a pure function payload -> notices.

To add a source, write ``radar_pipeline/sources/<name>.py`` with a function
``to_notices(payload: dict) -> list[Notice]`` and register it in ``ADAPTERS``
below; then set ``RADAR_WEBHOOK_SECRET_<NAME>``.
"""

from __future__ import annotations

from collections.abc import Callable

from radar_pipeline.notices import Notice
from radar_pipeline.sources import accuris, siliconexpert
from radar_pipeline.sources.fields import PayloadError

Adapter = Callable[[dict], list[Notice]]

ADAPTERS: dict[str, Adapter] = {
    "siliconexpert": siliconexpert.to_notices,
    "accuris": accuris.to_notices,
}

__all__ = ["ADAPTERS", "Adapter", "PayloadError"]
