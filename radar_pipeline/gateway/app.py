"""The FastAPI application: ``create_app()`` wires settings, database and routes."""

from __future__ import annotations

import gc
import logging
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from radar_pipeline.config import Settings, get_settings
from radar_pipeline.db import make_engine, upgrade
from radar_pipeline.gateway.errors import ApiError, api_error_handler
from radar_pipeline.gateway.hot_path import is_webhook, serve_webhook
from radar_pipeline.gateway.limits import HeaderLimits, RateLimiter
from radar_pipeline.gateway.metrics import requests_of
from radar_pipeline.gateway.offload import parse_pool
from radar_pipeline.gateway.routes import health, inbound, webhooks
from radar_pipeline.landing import GroupCommitter, LandingStore
from radar_pipeline.sources import ADAPTERS

log = logging.getLogger("radar.gateway")


class RequestMetrics:
    """Counts ingestion requests by source and status (bounded label values)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "") if scope["type"] == "http" else ""
        if path.startswith("/webhooks/"):
            name = path.split("/", 3)[2]
            source = name if name in ADAPTERS else "unknown"
        elif path == "/inbound/sendgrid":
            source = inbound.SOURCE
        else:
            await self.app(scope, receive, send)
            return
        status = {"code": 500}

        async def send_wrapper(message: Message) -> None:
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_wrapper)
        finally:
            requests_of(source, status["code"]).inc()


class Gateway(FastAPI):
    """The FastAPI app, with ``POST /webhooks/{source}`` answered by the ASGI hot path.

    Everything else (lifespan, docs, health, metrics, SendGrid) goes through FastAPI.
    """

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if is_webhook(scope) and not scope.get("root_path"):
            await serve_webhook(self, scope, receive, send)
        else:
            await super().__call__(scope, receive, send)


def create_app(settings: Settings | None = None) -> Gateway:
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        engine = make_engine(settings.database_url)
        upgrade(engine)
        committer = GroupCommitter(
            LandingStore(engine),
            settings.commit_batch_size,
            settings.commit_batch_wait_ms / 1000,
            max_inflight=settings.commit_inflight,
        )
        pool = parse_pool()
        app.state.engine, app.state.committer, app.state.parse_pool = engine, committer, pool
        # Everything loaded so far lives as long as the process: keep it out of the cyclic
        # collector, whose full passes over it were pauses of tens of ms (p99) under load.
        gc.collect()
        gc.freeze()
        try:
            yield
        finally:
            await committer.close()
            pool.shutdown(wait=True, cancel_futures=True)
            committer.store.close()
            engine.dispose()

    app = Gateway(
        title="Radar ingestion gateway",
        version="0.1.0",
        description="Lands lifecycle notices (signed webhooks, inbound mail) durably before acknowledging.",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.add_exception_handler(ApiError, api_error_handler)

    @app.exception_handler(RequestValidationError)
    async def _validation(_request: Request, exc: RequestValidationError) -> JSONResponse:
        return JSONResponse({"error": "unprocessable_body", "detail": str(exc.errors()[:3])}, status_code=422)

    @app.exception_handler(Exception)
    async def _unexpected(_request: Request, exc: Exception) -> JSONResponse:
        log.error("unexpected error: %s", type(exc).__name__)
        return JSONResponse({"error": "internal_error", "detail": "unexpected server error"}, status_code=500)

    app.state.rate_limiter = RateLimiter(settings.rate_limit_per_source, settings.rate_limit_burst)
    app.add_middleware(RequestMetrics)
    app.add_middleware(HeaderLimits)
    app.include_router(webhooks.router)
    app.include_router(inbound.router)
    app.include_router(health.router)
    return app
