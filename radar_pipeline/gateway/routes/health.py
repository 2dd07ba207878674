"""Liveness, readiness and metrics."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy import text

router = APIRouter(tags=["operations"])


@router.get("/healthz", summary="The process is up")
async def healthz() -> dict:
    return {"status": "ok"}


def _ping(engine) -> None:
    with engine.connect() as conn:
        conn.execute(text("SELECT 1"))


@router.get("/readyz", summary="The database is reachable")
async def readyz(request: Request) -> JSONResponse:
    try:
        await asyncio.wait_for(asyncio.to_thread(_ping, request.app.state.engine), 5)
    except Exception as exc:
        return JSONResponse(
            {"error": "database_unavailable", "detail": f"database not reachable ({type(exc).__name__})"},
            status_code=503,
        )
    return JSONResponse({"status": "ready"})


@router.get("/metrics", summary="Prometheus metrics")
async def metrics() -> Response:
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)
