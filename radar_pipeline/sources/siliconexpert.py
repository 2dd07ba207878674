"""SiliconExpert PCN/PDN webhooks (CONTRACT §3), one notice per event."""

from __future__ import annotations

from radar_pipeline.notices import AffectedPart, Notice, NoticeType
from radar_pipeline.sources.fields import optional_date, part_list, required_text

_TYPES = {"obsolescence": NoticeType.DISCONTINUANCE, "not recommended for new design": NoticeType.NRND}


def to_notices(payload: dict) -> list[Notice]:
    change = required_text(payload, "TypeOfChange")
    return [
        Notice(
            notice_number=required_text(payload, "PCNNumber"),
            manufacturer=required_text(payload, "Manufacturer"),
            notice_type=_TYPES.get(change.strip().lower(), NoticeType.CHANGE),
            issue_date=optional_date(payload, "NotificationDate"),
            last_time_buy_date=optional_date(payload, "LastTimeBuyDate"),
            last_ship_date=optional_date(payload, "LastShipDate"),
            parts=[
                AffectedPart(mpn=m, replacement_mpn=r)
                for m, r in part_list(payload, "AffectedParts", "PartNumber", "Replacement")
            ],
            extractor="provider",
            confidence=1.0,
        )
    ]
