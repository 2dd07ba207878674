"""Liveness, readiness and metrics."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter
from fastapi.responses import JSONResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy import text
from sqlalchemy.engine import Engine

from radar_pipeline.gateway.api_schema import ErrorBody
from radar_pipeline.gateway.deps import EngineDep
from radar_pipeline.gateway.metrics import mark_worker

router = APIRouter(tags=["operations"])


@router.get("/healthz", summary="The process is up")
async def healthz() -> dict:
    return {"status": "ok"}


def _ping(engine: Engine) -> None:
    with engine.connect() as conn:
        conn.execute(text("SELECT 1"))


@router.get(
    "/readyz",
    summary="The database is reachable",
    responses={503: {"model": ErrorBody, "description": "the database is not reachable"}},
)
async def readyz(engine: EngineDep) -> JSONResponse:
    try:
        await asyncio.wait_for(asyncio.to_thread(_ping, engine), 5)
    except Exception as exc:
        return JSONResponse(
            {"error": "database_unavailable", "detail": f"database not reachable ({type(exc).__name__})"},
            status_code=503,
        )
    return JSONResponse({"status": "ready"})


@router.get(
    "/metrics",
    summary="Prometheus metrics",
    response_class=Response,
    responses={
        200: {
            "description": "Prometheus text format",
            "content": {"text/plain": {"schema": {"type": "string"}}},
        }
    },
)
async def metrics() -> Response:
    mark_worker()
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)
