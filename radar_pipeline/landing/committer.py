"""Group commit: concurrent requests share one transaction.

Requests wait on an asyncio future; a single batcher task in the event loop
takes what has gathered (up to ``max_batch`` rows, after at most ``max_wait``
seconds), commits it in one transaction on a worker thread, and only then
resolves each waiter. One fsync and one thread hop serve a whole batch, and no
request is answered before its own row is durable. While one batch commits,
the next one gathers; up to ``max_inflight`` batches commit at once (four by
default: while one waits for its thread hop and WAL flush, the others are already
on their way, and PostgreSQL flushes concurrent commits together).

Keys this process has seen committed are remembered (a bounded map of
``(source, dedup_key) → event id``), so a redelivery of a recent event is
answered without a database round trip. That is correct across workers and
restarts because the map only ever holds what the database has confirmed, and
landed rows are never deleted or renumbered: a key missing from the map (another
worker landed it, or this process restarted) goes to the database, which stays
the authority.
"""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict

from sqlalchemy.exc import InterfaceError, OperationalError

from radar_pipeline.landing.store import DatabaseUnavailable, IncomingEvent, Landed, LandingStore

log = logging.getLogger(__name__)

LANDED_CACHE_SIZE = 100_000  # ~20 MB of keys; a provider's retry window of recent ids
COMMIT_TIMEOUT_SECONDS = 20.0


class CommitTimeout(Exception):
    """The database did not confirm a batch in time; its requests are answered 503."""


class GroupCommitter:
    def __init__(
        self,
        store: LandingStore,
        max_batch: int = 256,
        max_wait: float = 0.002,
        cache_size: int = LANDED_CACHE_SIZE,
        timeout: float = COMMIT_TIMEOUT_SECONDS,
        max_inflight: int = 4,
    ) -> None:
        self.store, self.max_batch, self.max_wait = store, max_batch, max_wait
        self.cache_size, self.timeout, self.max_inflight = cache_size, timeout, max_inflight
        self._inflight = 0
        self._batches: set[asyncio.Task] = set()
        self._landed: OrderedDict[tuple[str, str], int] = OrderedDict()  # oldest first out
        self._pending: list[tuple[IncomingEvent, asyncio.Future]] = []
        self._wakeup: asyncio.Event | None = None
        self._task: asyncio.Task | None = None

    def recently_landed(self, source: str, dedup_key: str) -> Landed | None:
        """The first landing of this key if this process has seen it committed, else None."""
        event_id = self._landed.get((source, dedup_key))
        return None if event_id is None else Landed(event_id, duplicate=True)

    async def submit(self, event: IncomingEvent) -> Landed:
        """Land ``event``; returns once its row is committed (or raises why it was not)."""
        known = self.recently_landed(event.source, event.dedup_key)
        if known is not None:
            return known
        if self._task is None:
            self._wakeup = asyncio.Event()
            self._task = asyncio.get_running_loop().create_task(self._run(), name="radar-group-commit")
        fut: asyncio.Future[Landed] = asyncio.get_running_loop().create_future()
        self._pending.append((event, fut))
        self._wakeup.set()
        return await fut

    async def close(self) -> None:
        if self._task is not None:
            while self._pending or self._inflight:
                await asyncio.sleep(0.01)
            self._task.cancel()

    async def _run(self) -> None:
        slots = asyncio.Semaphore(self.max_inflight)
        while True:
            await self._wakeup.wait()
            if self._inflight == 0 and len(self._pending) < self.max_batch and self.max_wait > 0:
                # First request after a quiet spell: let concurrent requests join its batch.
                # Under load there is no such wait: what gathered during a commit goes next.
                await asyncio.sleep(self.max_wait)
            await slots.acquire()  # at most max_inflight batches committing; the rest gathers
            batch, self._pending = self._pending[: self.max_batch], self._pending[self.max_batch :]
            if not self._pending:
                self._wakeup.clear()
            if not batch:
                slots.release()
                continue
            self._inflight += 1
            task = asyncio.get_running_loop().create_task(self._land(batch))
            self._batches.add(task)
            task.add_done_callback(self._batches.discard)
            task.add_done_callback(lambda _: slots.release())

    async def _land(self, batch: list[tuple[IncomingEvent, asyncio.Future]]) -> None:
        events = [ev for ev, _ in batch]
        try:
            # One timer per batch, not per request. A batch that times out is answered
            # 503 (the sender retries); if it commits later, the retry is a duplicate.
            async with asyncio.timeout(self.timeout):
                outcomes = await asyncio.to_thread(self._commit, events)
        except TimeoutError:
            outcomes = [CommitTimeout("the database did not confirm the commit in time")] * len(batch)
        finally:
            self._inflight -= 1
        for (event, fut), outcome in zip(batch, outcomes, strict=True):
            if not isinstance(outcome, Exception):
                self._remember(event, outcome)
            if fut.done():  # the request went away (client disconnect)
                continue
            if isinstance(outcome, Exception):
                fut.set_exception(outcome)
            else:
                fut.set_result(outcome)

    def _remember(self, event: IncomingEvent, landed: Landed) -> None:
        landed_ids = self._landed
        if event.key not in landed_ids:
            landed_ids[event.key] = landed.event_id
            if len(landed_ids) > self.cache_size:
                landed_ids.popitem(last=False)

    def _commit(self, events: list[IncomingEvent]) -> list[Landed | Exception]:
        try:
            return list(self.store.land_many(events))
        except (DatabaseUnavailable, OperationalError, InterfaceError) as exc:
            return [exc] * len(events)  # the database itself is away: every waiter answers 503
        except Exception as exc:
            if len(events) == 1:
                return [exc]
            # One bad row must not fail its neighbours: commit each on its own.
            log.warning("batch of %d failed (%s); committing one by one", len(events), type(exc).__name__)
            return [outcome for ev in events for outcome in self._commit([ev])]
