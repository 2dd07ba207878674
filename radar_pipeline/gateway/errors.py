"""Gateway errors: every refusal is JSON ``{"error": code, "detail": words}``."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import JSONResponse


class ApiError(Exception):
    def __init__(self, status: int, code: str, detail: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(detail)
        self.status, self.code, self.detail, self.headers = status, code, detail, headers

    def __reduce__(self):  # raised in a parse worker process, re-raised in the gateway
        return ApiError, (self.status, self.code, self.detail, self.headers)


def unauthorized(code: str, detail: str) -> ApiError:
    return ApiError(401, code, detail)


async def api_error_handler(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ApiError)
    return JSONResponse(
        {"error": exc.code, "detail": exc.detail}, status_code=exc.status, headers=exc.headers
    )
