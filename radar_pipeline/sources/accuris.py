"""Accuris (ex IHS Parts Intelligence) lifecycle alerts (CONTRACT §3)."""

from __future__ import annotations

from radar_pipeline.notices import AffectedPart, Notice, NoticeType
from radar_pipeline.sources.fields import PayloadError, optional_date, part_list, required_text

_TYPES = {"DISCONTINUED": NoticeType.DISCONTINUANCE, "NRND": NoticeType.NRND, "CHANGE": NoticeType.CHANGE}


def to_notices(payload: dict) -> list[Notice]:
    alert = required_text(payload, "alertType").upper()
    if alert not in _TYPES:
        raise PayloadError(f"payload field 'alertType' is {alert!r}; expected one of {', '.join(_TYPES)}")
    return [
        Notice(
            notice_number=required_text(payload, "noticeId"),
            manufacturer=required_text(payload, "manufacturer"),
            notice_type=_TYPES[alert],
            issue_date=optional_date(payload, "publishedDate"),
            last_time_buy_date=optional_date(payload, "lastTimeBuyDate"),
            last_ship_date=optional_date(payload, "lastShipDate"),
            parts=[
                AffectedPart(mpn=m, replacement_mpn=r)
                for m, r in part_list(payload, "parts", "mpn", "replacementMpn")
            ],
            extractor="provider",
            confidence=1.0,
        )
    ]
