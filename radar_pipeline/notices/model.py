"""The canonical notice model, with the checks a supply-chain analyst would make."""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator


class NoticeType(StrEnum):
    DISCONTINUANCE = "discontinuance"
    NRND = "nrnd"
    CHANGE = "change"


class AffectedPart(BaseModel):
    model_config = ConfigDict(frozen=True)

    mpn: str = Field(min_length=1, max_length=128)
    replacement_mpn: str | None = Field(default=None, max_length=128)

    @field_validator("mpn", "replacement_mpn")
    @classmethod
    def _strip(cls, v: str | None) -> str | None:
        # Kept exactly as the notice spells it, less surrounding white space.
        if v is None:
            return None
        v = v.strip()
        return v or None


ChangeCategory = Literal[
    "design",
    "wafer_fab",
    "assembly",
    "test",
    "material",
    "packing",
    "datasheet",
    "ordering",
    "discontinuance",
    "other",
]
FormFitFunction = Literal["form", "fit", "function"]


class Change(BaseModel):
    """What a change notice changes and by when to object (J-STD-046 / ZVEI PCN; CONTRACT §4)."""

    categories: list[ChangeCategory] = Field(default_factory=list)
    # which of form, fit, function the notice says or implies are affected; [] = none stated
    form_fit_function: list[FormFitFunction] = Field(default_factory=list)
    effective_date: date | None = None  # first shipment of changed product / implementation date
    response_deadline: date | None = None  # object by; after it the change counts as accepted
    samples_date: date | None = None
    evidence: str = Field(default="", max_length=2000)  # the sentences each was read from

    @field_validator("categories", "form_fit_function")
    @classmethod
    def _unique(cls, v: list[str]) -> list[str]:
        return list(dict.fromkeys(v))


class Notice(BaseModel):
    """A discontinuance (PDN/EOL), NRND or change (PCN) notice."""

    notice_number: str = Field(min_length=1, max_length=128)
    manufacturer: str = Field(min_length=1, max_length=256)
    notice_type: NoticeType
    issue_date: date | None = None
    last_time_buy_date: date | None = None
    last_ship_date: date | None = None
    parts: list[AffectedPart] = Field(default_factory=list)
    # Wildcard patterns and series the notice names ("DECFA-08GD08S%AQB%", "CP210?", "PC20WR4*"): matched
    # against the BOM as family matches for review, never counted as exact.
    patterns: list[str] = Field(default_factory=list)
    # what a change notice (or an NRND/discontinuance where stated) changes; None: not read
    change: Change | None = None
    extractor: Literal["rules", "llm", "provider"]
    confidence: float = Field(ge=0.0, le=1.0)
    warnings: list[str] = Field(default_factory=list, exclude=True)
    # How the rules found the parts: "table", "list", "prose", "pattern" or "" (none); not exported.
    parts_found_by: str = Field(default="", exclude=True)

    @property
    def manufacturer_key(self) -> str:
        return manufacturer_key(self.manufacturer)

    def plausibility_warnings(self) -> list[str]:
        """Dates that contradict each other, in words (the notice is kept; a human looks)."""
        out = []
        if self.issue_date and self.last_time_buy_date and self.last_time_buy_date < self.issue_date:
            out.append(
                f"last-time-buy date {self.last_time_buy_date} is before the issue date {self.issue_date}"
            )
        if self.last_time_buy_date and self.last_ship_date and self.last_ship_date < self.last_time_buy_date:
            out.append(
                f"last-ship date {self.last_ship_date} is before the last-time-buy date {self.last_time_buy_date}"
            )
        return out

    def to_contract(self) -> dict:
        """The JSON shape of CONTRACT §4 (``change`` only when one was read)."""
        return self.model_dump(mode="json", exclude={"change"} if self.change is None else None)


def manufacturer_key(name: str) -> str:
    """Key used to recognise a notice arriving twice: "TI" by mail and "Texas Instruments" by webhook agree."""
    from radar_pipeline.notices.manufacturers import canonical

    text = unicodedata.normalize("NFKC", canonical(name) or name).casefold()
    return re.sub(r"[^0-9a-z]+", "", text) or text
