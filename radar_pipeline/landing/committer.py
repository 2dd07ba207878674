"""Group commit: concurrent requests share one transaction.

Each request hands its event to a single writer thread and waits for the
result; the writer gathers up to ``max_batch`` events or ``max_wait`` seconds,
commits them together, and only then resolves each waiter. One fsync serves
many requests, and no request is answered before its own row is durable.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from concurrent.futures import Future

from sqlalchemy.exc import InterfaceError, OperationalError

from radar_pipeline.landing.store import IncomingEvent, Landed, LandingStore

log = logging.getLogger(__name__)
_STOP = object()


class GroupCommitter:
    def __init__(self, store: LandingStore, max_batch: int = 256, max_wait: float = 0.002) -> None:
        self.store = store
        self.max_batch = max_batch
        self.max_wait = max_wait
        self._queue: queue.Queue = queue.Queue()
        self._thread = threading.Thread(target=self._run, name="radar-group-commit", daemon=True)
        self._thread.start()

    def submit(self, event: IncomingEvent) -> Future[Landed]:
        fut: Future[Landed] = Future()
        self._queue.put((event, fut))
        return fut

    def close(self) -> None:
        self._queue.put(_STOP)
        self._thread.join(timeout=10)

    def _gather(self, first) -> tuple[list, bool]:
        batch = [first]
        deadline = time.monotonic() + self.max_wait
        while len(batch) < self.max_batch:
            remaining = deadline - time.monotonic()
            try:
                item = self._queue.get(timeout=remaining) if remaining > 0 else self._queue.get_nowait()
            except queue.Empty:
                break
            if item is _STOP:
                return batch, True
            batch.append(item)
        return batch, False

    def _run(self) -> None:
        while True:
            first = self._queue.get()
            if first is _STOP:
                return
            batch, stop = self._gather(first)
            self._commit(batch)
            if stop:
                return

    def _commit(self, batch: list[tuple[IncomingEvent, Future]]) -> None:
        try:
            results = self.store.land_many([ev for ev, _ in batch])
        except Exception as exc:
            if len(batch) == 1 or isinstance(exc, OperationalError | InterfaceError):
                # The database itself is unavailable: every waiter answers 503 at once.
                for _, fut in batch:
                    fut.set_exception(exc)
                return
            # One bad row must not fail its neighbours: retry each on its own.
            log.warning("batch of %d failed (%s); committing one by one", len(batch), type(exc).__name__)
            for item in batch:
                self._commit([item])
            return
        for (_, fut), landed in zip(batch, results, strict=True):
            fut.set_result(landed)
