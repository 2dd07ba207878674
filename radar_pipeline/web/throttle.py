"""Sign-in throttling: password guessing costs the guesser, never the people reading the desk.

Every sign-in attempt counts against its name and its client address until it succeeds; past
``RADAR_WEB_LOGIN_ATTEMPTS_PER_NAME`` (per address: ``…_PER_ADDRESS``) attempts within
``RADAR_WEB_LOGIN_WINDOW_SECONDS`` the next one is refused with 429 and a ``Retry-After`` (seconds
until the oldest counted attempt leaves the window) — before any password hash is computed, so a
refused guess costs nothing. A success forgets its name's attempts. Counts live in the desk's process
(one process serves the desk); the address is the TCP peer's (``radar web`` reads no forwarding header).
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable

MAX_KEYS = 50_000  # names and addresses remembered at once; the expired ones go first


class LoginThrottle:
    def __init__(
        self,
        per_name: int,
        per_address: int,
        window: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.limits = {"name": per_name, "address": per_address}
        self.window, self.clock = window, clock
        self._seen: dict[tuple[str, str], deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: tuple[str, str], now: float) -> deque[float]:
        seen = self._seen.get(key)
        if seen is None:
            return deque()
        while seen and seen[0] <= now - self.window:
            seen.popleft()
        return seen

    def attempt(self, name: str, address: str) -> float:
        """Count a sign-in attempt of ``name`` from ``address``; returns 0, or the seconds to wait
        when it is refused (and then not counted)."""
        keys = [("name", name.casefold()[:256]), ("address", address)]
        with self._lock:
            now = self.clock()
            wait = 0.0
            for key in keys:
                seen = self._recent(key, now)
                if len(seen) >= self.limits[key[0]] > 0:
                    wait = max(wait, seen[-self.limits[key[0]]] + self.window - now)
            if wait > 0:
                return float(max(1, math.ceil(wait)))
            if len(self._seen) >= MAX_KEYS:
                self._forget_expired(now)
            for key in keys:
                self._seen.setdefault(key, deque()).append(now)
            return 0.0

    def succeeded(self, name: str) -> None:
        """A right password: the name's attempts are forgotten (its address's stay counted)."""
        with self._lock:
            self._seen.pop(("name", name.casefold()[:256]), None)

    def _forget_expired(self, now: float) -> None:
        for key in [k for k in self._seen if not self._recent(k, now)]:
            del self._seen[key]
        while len(self._seen) >= MAX_KEYS:  # still full of live keys: the oldest go
            del self._seen[min(self._seen, key=lambda k: self._seen[k][-1])]
