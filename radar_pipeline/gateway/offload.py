"""CPU-heavy parsing off the event loop, so one large request never delays the others' answers.

Measured on the 2-core box: a 27 MiB SendGrid post takes ~2 s to parse and a 12 MiB
JSON body of 1.5 million small lists seconds to check; on the event loop that is seconds
in which no other request is acknowledged. A thread is not enough: the parsers hold the
GIL for up to 0.5 s at a time (a regular-expression search over the whole mail, orjson
building the document), and the loop waits for it. So the work runs in worker processes
of the app's own (spawned, two per gateway process); arguments and results cross by
pickle, ~30 ms for a 30 MiB mail.
"""

from __future__ import annotations

import asyncio
import multiprocessing
from collections.abc import Callable
from concurrent.futures import Executor, ProcessPoolExecutor
from typing import TypeVar

PARSE_PROCESSES = 2
# Webhook bodies up to this size are checked inline: at most ~2 ms of work, less than the
# hop to a worker process would cost the hot path's typical sub-kilobyte body.
INLINE_BYTES = 8 * 1024

T = TypeVar("T")


def _ready() -> None:
    """A no-op: submitting it starts a worker process before the first large body needs it."""


def parse_pool() -> ProcessPoolExecutor:
    """The pool the app owns for parsing (created in its lifespan, shut down with it)."""
    pool = ProcessPoolExecutor(PARSE_PROCESSES, mp_context=multiprocessing.get_context("spawn"))
    for _ in range(PARSE_PROCESSES):
        pool.submit(_ready)
    return pool


async def off_loop(pool: Executor, fn: Callable[..., T], *args: object) -> T:
    """``fn(*args)`` on ``pool``; exceptions (e.g. a 422 ``ApiError``) are raised here."""
    return await asyncio.get_running_loop().run_in_executor(pool, fn, *args)
