"""The seed's design, for comparison only: acknowledge first, keep the event in process memory.

202 after ``BackgroundTasks.add_task``: fast because it promises nothing — a crash
loses every queued event. Radar's gateway is measured against it.
"""

from __future__ import annotations

from fastapi import BackgroundTasks, FastAPI, Request
from fastapi.responses import JSONResponse

app = FastAPI()
_QUEUE: list[bytes] = []


def _enqueue(body: bytes) -> None:
    _QUEUE.append(body)


@app.post("/webhooks/{source}")
async def receive(source: str, request: Request, tasks: BackgroundTasks) -> JSONResponse:
    body = await request.body()
    tasks.add_task(_enqueue, body)
    return JSONResponse({"event_id": len(_QUEUE), "duplicate": False}, status_code=202)
