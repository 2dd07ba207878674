"""The desk's exposure snapshot: every notice's exposure and its consolidation, computed once per change
of what they are computed from, not once per page.

At 10,000 notices computing the exposure takes seconds, and a page must answer in a fraction of one
(BENCHMARKS i). The figures depend only on the stored notices, the BOM and the day: a snapshot is kept
with the version of those it was computed from (``exposure.service.inputs_version``) and the day, and
computed again when either differs. What changes without touching the figures — review states,
decisions, change impacts — is read on every page, over the snapshot (``web.data.desk_report``).

Never a half-written state: the version is read before and after the computation; when a write landed
in between, the result is dropped and computed again. If writes keep landing (a catch-up), the desk
shows the last snapshot that was consistent, and says how old it is, rather than a mixture.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from sqlalchemy import Engine

from radar_pipeline.clock import utc_today
from radar_pipeline.exposure.service import current_exposure, inputs_version
from radar_pipeline.web.data import product_names
from radar_pipeline.web.find import search_text

ATTEMPTS = 3  # computations tried while writes land, before the last consistent snapshot is kept


# what the desk adds to a notice, read on every page (web.data.desk_report); in the snapshot, their values
# for a notice nobody decided about and no change impact names — what most notices show
DESK_FIELDS = {
    "decision": None,
    "part_decisions": (),
    "response_deadline": None,
    "response_days_left": None,
    "risk": None,
    "rereading_since": None,
}


@dataclass(frozen=True)
class Snapshot:
    """A consistent computation: the report (shared: read it, never change it), its notices by id and
    what a search looks in for each (``web.find.search_text``)."""

    version: tuple
    as_of: date
    computed_at: datetime
    report: dict
    by_id: dict[int, dict] = field(repr=False)
    search_text: dict[int, str] = field(repr=False)


class ExposureSnapshots:
    """One per desk process; thread-safe (FastAPI runs the pages in a thread pool): one computes, the
    others asking at the same time wait for it and share the result."""

    def __init__(self, engine: Engine, safety_stock: float, currency: str) -> None:
        self._engine, self._safety_stock, self._currency = engine, safety_stock, currency
        self._lock = threading.Lock()
        self._current: Snapshot | None = None

    def current(self) -> Snapshot:
        if self._fresh(snapshot := self._current):
            return snapshot
        with self._lock:
            if not self._fresh(self._current):
                self._current = self._compute(utc_today()) or self._current
            return self._current

    def _fresh(self, snapshot: Snapshot | None) -> bool:
        """Computed today from what is stored now."""
        if snapshot is None:
            return False
        return (snapshot.version, snapshot.as_of) == (inputs_version(self._engine), utc_today())

    def _compute(self, as_of: date) -> Snapshot | None:
        """A snapshot no write landed during; ``None`` when every attempt saw one (the first computation
        still returns its last attempt: there is nothing older to show)."""
        for attempt in range(ATTEMPTS):
            before = inputs_version(self._engine)
            report = current_exposure(self._engine, self._safety_stock, as_of, currency=self._currency)
            if inputs_version(self._engine) == before or (attempt == ATTEMPTS - 1 and self._current is None):
                return self._snapshot(before, as_of, report)
        return None

    def _snapshot(self, version: tuple, as_of: date, report: dict) -> Snapshot:
        names = product_names(self._engine)  # the BOM's, of the same version
        for n in report["notices"]:
            n.update(DESK_FIELDS)
        by_id = {n["notice_id"]: n for n in report["notices"]}
        search = {i: search_text(n, names) for i, n in by_id.items()}
        return Snapshot(version, as_of, datetime.now(UTC), report, by_id, search)
