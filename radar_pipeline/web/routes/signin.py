"""Signing in and out: a form against ``RADAR_WEB_USERS``, or the trusted proxy's header."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse

from radar_pipeline.web.auth import new_csrf_token
from radar_pipeline.web.deps import checked_form, current_user, gate, page, session

router = APIRouter()


def _local(target: str | None) -> str:
    """Only a path on this desk is a place to go back to (never another site)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


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
    user = gate(request).check_password(str(form.get("username") or ""), str(form.get("password") or ""))
    if user is None:
        return page(request, "login.html", status_code=401, next=target, error="Wrong name or password.")
    # a fresh token at sign-in: a token planted before it is worth nothing after
    request.state.session.clear()
    request.state.session.update(user=user.name, csrf=new_csrf_token())
    return RedirectResponse(target, status_code=303)


@router.post("/logout")
async def logout(request: Request):
    await checked_form(request)
    request.state.session.clear()
    session(request)
    return RedirectResponse("/login", status_code=303)
