"""The canonical notice: what every channel and extractor produces (CONTRACT §4)."""

from radar_pipeline.notices.model import AffectedPart, Change, Notice, NoticeType

__all__ = ["AffectedPart", "Change", "Notice", "NoticeType"]
