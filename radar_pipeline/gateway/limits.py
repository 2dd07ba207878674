"""Abuse limits: a token bucket per source (429 with Retry-After) and caps on request headers."""

from __future__ import annotations

import math
import time

from starlette.types import ASGIApp, Receive, Scope, Send

from radar_pipeline.gateway.errors import ApiError

MAX_HEADERS = 100
MAX_HEADER_BYTES = 32 * 1024


class RateLimiter:
    """``rate`` requests per second per source with bursts of ``burst``; one bucket per process."""

    def __init__(self, rate: float, burst: float) -> None:
        self.rate, self.burst = rate, burst
        self._buckets: dict[str, tuple[float, float]] = {}

    def check(self, source: str) -> None:
        if self.rate <= 0:
            return
        now = time.monotonic()
        tokens, last = self._buckets.get(source, (self.burst, now))
        tokens = min(self.burst, tokens + (now - last) * self.rate)
        if tokens < 1:
            self._buckets[source] = (tokens, now)
            wait = max(1, math.ceil((1 - tokens) / self.rate))
            raise ApiError(
                429,
                "rate_limited",
                f"too many requests for source {source!r}; retry after {wait} s",
                headers={"Retry-After": str(wait)},
            )
        self._buckets[source] = (tokens - 1, now)


HEADERS_TOO_LARGE = {
    "error": "headers_too_large",
    "detail": f"at most {MAX_HEADERS} headers and {MAX_HEADER_BYTES} bytes of them",
}


def headers_too_large(headers: list[tuple[bytes, bytes]]) -> bool:
    return len(headers) > MAX_HEADERS or sum(len(k) + len(v) for k, v in headers) > MAX_HEADER_BYTES


class HeaderLimits:
    """431 for requests with too many or too large headers, before any route runs."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and headers_too_large(scope.get("headers", [])):
            from fastapi.responses import JSONResponse

            response = JSONResponse(HEADERS_TOO_LARGE, status_code=431)
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)
