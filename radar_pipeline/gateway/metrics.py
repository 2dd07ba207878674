"""Prometheus metrics of the gateway (per process; scrape each worker or use multiprocess mode)."""

import os
from functools import cache

from prometheus_client import Counter, Gauge, Histogram

REQUESTS = Counter(
    "radar_gateway_requests_total", "Ingestion requests by source and status", ["source", "status"]
)
DUPLICATES = Counter("radar_gateway_duplicates_total", "Deliveries already in the landing table", ["source"])
# Which worker answered a scrape: with several workers, each keeps its own counters, and a scraper
# (or a test) tells them apart by this process id.
WORKER = Gauge("radar_gateway_worker", "The worker process answering this scrape (1)", ["pid"])
COMMIT_SECONDS = Histogram(
    "radar_gateway_commit_seconds",
    "Time from hand-over to durable commit of a landing row",
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0),
)


# Label children looked up once (``labels()`` takes a lock and builds a key on every call).
# The label values are bounded: known sources (or "unknown") and HTTP status codes.
@cache
def requests_of(source: str, status: int):
    return REQUESTS.labels(source, str(status))


@cache
def duplicates_of(source: str):
    return DUPLICATES.labels(source)


def mark_worker() -> None:
    """Label the scrape with this process's id (read at scrape time: a forked worker has its own)."""
    WORKER.labels(str(os.getpid())).set(1)
