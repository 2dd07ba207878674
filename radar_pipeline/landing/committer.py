"""Group commit: concurrent requests share one transaction.

Requests wait on an asyncio future; a single batcher task in the event loop
takes what has gathered (up to ``max_batch`` rows, after at most ``max_wait``
seconds), commits it in one transaction on a worker thread, and only then
resolves each waiter. One fsync and one thread hop serve a whole batch, and no
request is answered before its own row is durable. While one batch commits,
the next one gathers.
"""

from __future__ import annotations

import asyncio
import logging

from sqlalchemy.exc import InterfaceError, OperationalError

from radar_pipeline.landing.store import IncomingEvent, Landed, LandingStore

log = logging.getLogger(__name__)


class GroupCommitter:
    def __init__(self, store: LandingStore, max_batch: int = 256, max_wait: float = 0.002) -> None:
        self.store, self.max_batch, self.max_wait = store, max_batch, max_wait
        self._pending: list[tuple[IncomingEvent, asyncio.Future]] = []
        self._wakeup: asyncio.Event | None = None
        self._task: asyncio.Task | None = None

    async def submit(self, event: IncomingEvent) -> Landed:
        """Land ``event``; returns once its row is committed (or raises why it was not)."""
        if self._task is None:
            self._wakeup = asyncio.Event()
            self._task = asyncio.get_running_loop().create_task(self._run(), name="radar-group-commit")
        fut: asyncio.Future[Landed] = asyncio.get_running_loop().create_future()
        self._pending.append((event, fut))
        self._wakeup.set()
        return await fut

    async def close(self) -> None:
        if self._task is not None:
            while self._pending:
                await asyncio.sleep(0.01)
            self._task.cancel()

    async def _run(self) -> None:
        while True:
            await self._wakeup.wait()
            if len(self._pending) < self.max_batch and self.max_wait > 0:
                await asyncio.sleep(self.max_wait)  # let concurrent requests join this batch
            batch, self._pending = self._pending[: self.max_batch], self._pending[self.max_batch :]
            if not self._pending:
                self._wakeup.clear()
            if batch:
                outcomes = await asyncio.to_thread(self._commit, [ev for ev, _ in batch])
                for (_, fut), outcome in zip(batch, outcomes, strict=True):
                    if fut.done():  # the request went away (client disconnect, timeout)
                        continue
                    if isinstance(outcome, Exception):
                        fut.set_exception(outcome)
                    else:
                        fut.set_result(outcome)

    def _commit(self, events: list[IncomingEvent]) -> list[Landed | Exception]:
        try:
            return list(self.store.land_many(events))
        except (OperationalError, InterfaceError) as exc:
            return [exc] * len(events)  # the database itself is away: every waiter answers 503
        except Exception as exc:
            if len(events) == 1:
                return [exc]
            # One bad row must not fail its neighbours: commit each on its own.
            log.warning("batch of %d failed (%s); committing one by one", len(events), type(exc).__name__)
            return [outcome for ev in events for outcome in self._commit([ev])]
