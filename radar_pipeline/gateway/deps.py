"""Typed dependencies: what a route needs, declared in its signature.

The objects are built once per process by ``create_app`` (settings, rate limiter)
and its lifespan (engine, committer, parse pool); these providers are the one
place that knows where they are kept, so routes name what they need by type and
tests can swap any of them with ``app.dependency_overrides``.
"""

from __future__ import annotations

from concurrent.futures import Executor
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.engine import Engine

from radar_pipeline.config import Settings
from radar_pipeline.gateway.limits import RateLimiter
from radar_pipeline.landing import GroupCommitter


def _settings(request: Request) -> Settings:
    return request.app.state.settings


def _rate_limiter(request: Request) -> RateLimiter:
    return request.app.state.rate_limiter


def _committer(request: Request) -> GroupCommitter:
    return request.app.state.committer


def _engine(request: Request) -> Engine:
    return request.app.state.engine


def _parse_pool(request: Request) -> Executor:
    return request.app.state.parse_pool


SettingsDep = Annotated[Settings, Depends(_settings)]
RateLimiterDep = Annotated[RateLimiter, Depends(_rate_limiter)]
CommitterDep = Annotated[GroupCommitter, Depends(_committer)]
EngineDep = Annotated[Engine, Depends(_engine)]
ParsePoolDep = Annotated[Executor, Depends(_parse_pool)]
