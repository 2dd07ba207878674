"""What every page and form of the desk needs: the session, the signed-in user, the CSRF check."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import HTTPException, Request
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from radar_pipeline.web.auth import Gate, User, csrf_matches, new_csrf_token
from radar_pipeline.web.render import render


class SignInRequired(Exception):
    """A page asked for without a session: the browser goes to the sign-in page."""

    def __init__(self, next_path: str) -> None:
        self.next_path = next_path


def gate(request: Request) -> Gate:
    return request.app.state.gate


def session(request: Request) -> dict:
    """The request's session (read from the signed cookie by the middleware); changes are saved."""
    data = request.state.session
    if not data.get("csrf"):
        data["csrf"] = new_csrf_token()
    return data


def current_user(request: Request) -> User | None:
    """The signed-in user, looked up once per request (a database read: not on the event loop)."""
    if not hasattr(request.state, "user"):
        request.state.user = gate(request).user_of(request.state.session, request.headers)
    return request.state.user


def reader(request: Request) -> User:
    """Dependency of every page: the signed-in user, or off to the sign-in page."""
    user = current_user(request)
    if user is None:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        raise SignInRequired(target)
    return user


MAX_FORM_BYTES = 64 * 1024  # the largest form the desk takes: every field has a limit far below it


async def checked_form(request: Request) -> FormData:
    """A posted form whose CSRF token matches the session's: anything else is refused with 403, and a
    body over ``MAX_FORM_BYTES`` with 413 (before it is read)."""
    declared = request.headers.get("content-length", "")
    if not declared.isdigit():
        raise HTTPException(411, "a form's length must be declared (Content-Length)")
    if int(declared) > MAX_FORM_BYTES:
        raise HTTPException(413, f"a form of the desk is at most {MAX_FORM_BYTES // 1024} KiB")
    form = await request.form(max_files=0, max_fields=200)
    token = form.get("csrf_token")
    if not csrf_matches(request.state.session, token if isinstance(token, str) else None):
        raise HTTPException(403, "the form's CSRF token is missing or stale: reload the page and try again")
    return form


async def decision_form(request: Request) -> tuple[User, FormData]:
    """A decision posted by a signed-in reviewer with a valid CSRF token (401 / 403 otherwise)."""
    user = await run_in_threadpool(current_user, request)
    if user is None:
        raise HTTPException(401, "sign in first")
    form = await checked_form(request)
    if not user.may_decide:
        raise HTTPException(403, f"{user.name} may read, not decide (role reader)")
    return user, form


def flash(request: Request, message: str) -> None:
    """A message for the next page shown (after the redirect that follows a post)."""
    request.state.session["flash"] = message


def page(request: Request, template: str, status_code: int = 200, **context) -> HTMLResponse:
    data = session(request)
    html = render(
        template,
        user=current_user(request),
        csrf_token=data["csrf"],
        flash=data.pop("flash", None),
        trusted_header=gate(request).trusted_header,
        currency=request.app.state.settings.currency,
        **context,
    )
    return HTMLResponse(html, status_code=status_code)


def login_url(next_path: str) -> str:
    return "/login?next=" + quote(next_path, safe="/")
