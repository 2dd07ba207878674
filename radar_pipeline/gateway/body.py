"""Reading request bodies without ever buffering more than the limit."""

from __future__ import annotations

from fastapi import Request

from radar_pipeline.gateway.errors import ApiError


def too_large(limit: int) -> ApiError:
    return ApiError(413, "payload_too_large", f"request body is larger than the limit of {limit} bytes")


def check_declared_length(declared: str | None, limit: int) -> None:
    """413 when a declared ``Content-Length`` is over ``limit`` (before a byte is read)."""
    if declared is not None:
        try:
            if int(declared) > limit:
                raise too_large(limit)
        except ValueError:
            raise ApiError(400, "bad_request", "Content-Length is not a number") from None


async def read_body(request: Request, limit: int) -> bytes:
    """The body, refused with 413 as soon as it is known to exceed ``limit``.

    A declared ``Content-Length`` over the limit is refused before a byte is
    read; a chunked body is counted while it streams in.
    """
    check_declared_length(request.headers.get("content-length"), limit)
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise too_large(limit)
        chunks.append(chunk)
    return b"".join(chunks)


def require_content_type(request: Request, *accepted: str) -> str:
    """The request's media type, or 415 naming what is accepted."""
    return check_content_type(request.headers.get("content-type", ""), *accepted)


def check_content_type(value: str, *accepted: str) -> str:
    """``value`` (a Content-Type header) if its media type is accepted, else 415."""
    media = value.split(";", 1)[0].strip().lower()
    if not any(media == a or (a.startswith("+") and media.endswith(a)) for a in accepted):
        raise ApiError(
            415,
            "unsupported_media_type",
            f"content type {media or '(none)'!r} is not accepted; send {' or '.join(a.lstrip('+') for a in accepted)}",
        )
    return value
