"""The seed's design at its fastest, for comparison only: acknowledge first, keep the event in memory.

202 after ``BackgroundTasks.add_task`` with an ``async def`` task, so the task runs in the
event loop right after the response (a plain ``def`` task would go through the thread
pool and make this reference slower than the design it stands for). Fast because it
promises nothing: a crash loses every queued event, and it verifies no signature,
checks no JSON and deduplicates nothing. Radar's gateway is measured against it.
"""

from __future__ import annotations

from fastapi import BackgroundTasks, FastAPI, Request
from fastapi.responses import JSONResponse

app = FastAPI()
_QUEUE: list[bytes] = []


async def _enqueue(body: bytes) -> None:
    _QUEUE.append(body)


@app.post("/webhooks/{source}")
async def receive(source: str, request: Request, tasks: BackgroundTasks) -> JSONResponse:
    body = await request.body()
    tasks.add_task(_enqueue, body)
    return JSONResponse({"event_id": len(_QUEUE), "duplicate": False}, status_code=202)
