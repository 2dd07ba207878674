"""Signing in and out: a form against ``RADAR_WEB_USERS``, or the trusted proxy's header.

Sign-in is throttled per name and per address (429 with ``Retry-After``) and checks the password
off the event loop; signing out ends the session in the database, not only in the browser.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse
from starlette.concurrency import run_in_threadpool

from radar_pipeline.web.auth import new_csrf_token
from radar_pipeline.web.deps import checked_form, current_user, gate, page, session

router = APIRouter()
MAX_NAME, MAX_PASSWORD = 256, 1024  # longer is no one's: refused without a hash computed


def _local(target: str | None) -> str:
    """Only a path on this desk is a place to go back to (never another site)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target[:2000]


@router.get("/login")
def login_page(request: Request, next: str = "/"):
    if current_user(request) is not None:
        return RedirectResponse(_local(next), status_code=303)
    if gate(request).trusted_header:  # the proxy signs people in; it sent no name
        return page(request, "login.html", status_code=401, next=_local(next), error=None)
    return page(request, "login.html", next=_local(next), error=None)


@router.post("/login")
async def login(request: Request):
    form = await checked_form(request)
    target = _local(str(form.get("next") or "/"))
    name, password = str(form.get("username") or ""), str(form.get("password") or "")
    desk = gate(request)
    await run_in_threadpool(current_user, request)  # the page below reads it; not on the event loop
    address = request.client.host if request.client else "unknown"
    wait = desk.throttle.attempt(name, address)
    if wait:
        response = page(
            request,
            "login.html",
            status_code=429,
            next=target,
            error=f"Too many sign-in attempts: try again in {wait:.0f} seconds.",
        )
        response.headers["Retry-After"] = f"{wait:.0f}"
        return response
    fits = 0 < len(name) <= MAX_NAME and len(password) <= MAX_PASSWORD
    user = await desk.verify(name, password) if fits else None
    if user is None:
        return page(request, "login.html", status_code=401, next=target, error="Wrong name or password.")
    desk.throttle.succeeded(name)
    old = request.state.session.get("sid")
    if old:
        await run_in_threadpool(desk.sessions.end, old)
    session_id = await run_in_threadpool(desk.sessions.start, user.name)
    # a fresh session id and token at sign-in: what was planted before it is worth nothing after
    request.state.session.clear()
    request.state.session.update(sid=session_id, csrf=new_csrf_token())
    return RedirectResponse(target, status_code=303)


@router.post("/logout")
async def logout(request: Request):
    await checked_form(request)
    sid = request.state.session.get("sid")
    if sid and gate(request).sessions is not None:
        await run_in_threadpool(gate(request).sessions.end, sid)  # the cookie, kept or copied, is dead
    request.state.session.clear()
    session(request)
    return RedirectResponse("/login", status_code=303)
