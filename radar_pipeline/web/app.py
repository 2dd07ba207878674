"""The analysts' desk: ``create_app()`` wires the settings, the database, the session and the pages.

It is a separate application from the ingestion gateway: the gateway faces the internet, the
desk stays inside. Both read the same database.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.exceptions import HTTPException

from radar_pipeline.config import Settings, get_settings
from radar_pipeline.db import open_database
from radar_pipeline.web.auth import SESSION_COOKIE, SESSION_SECONDS, Gate
from radar_pipeline.web.deps import SignInRequired, login_url
from radar_pipeline.web.render import render
from radar_pipeline.web.routes import decisions, notices, overview, review, signin, where_used
from radar_pipeline.web.snapshot import ExposureSnapshots

# Pages are built on the server, styles inline, no script: the policy allows nothing else.
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}
# every page and form of the desk (the tests walk them: none answers without a session)
ROUTERS = (
    signin.router,
    overview.router,
    notices.router,
    review.router,
    decisions.router,
    where_used.router,
)
log = logging.getLogger("radar.web")


def create_app(settings: Settings | None = None) -> FastAPI:
    """The desk; ``WebConfigError`` when nobody could sign in or the cookies could not be signed."""
    settings = settings or get_settings()
    Gate.from_settings(settings)  # refuses a desk nobody could sign in to before the database is opened
    app = FastAPI(title="Radar — analysts' desk", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.settings = settings
    app.state.engine = open_database(settings.database_url)
    app.state.snapshots = ExposureSnapshots(app.state.engine, settings.safety_stock, settings.currency)
    app.state.gate = gate = Gate.from_settings(settings, app.state.engine)

    @app.middleware("http")
    async def signed_session(request: Request, call_next):
        request.state.session = gate.read_session(request.cookies.get(SESSION_COOKIE))
        before = dict(request.state.session)
        try:
            response = await call_next(request)
        except Exception:  # answered here, so that even a failure carries the security headers
            log.exception("the desk failed on %s %s", request.method, request.url.path)
            html = render(
                "refused.html", status=500, detail="Something went wrong on the desk; it is logged."
            )
            response = HTMLResponse(html, status_code=500)
        if request.state.session != before:
            response.set_cookie(
                SESSION_COOKIE,
                gate.seal(request.state.session),
                max_age=SESSION_SECONDS,
                httponly=True,
                samesite="lax",
                secure=gate.secure_cookie,
            )
        response.headers.update(SECURITY_HEADERS)
        return response

    @app.exception_handler(SignInRequired)
    async def to_sign_in(request: Request, exc: SignInRequired):
        return RedirectResponse(login_url(exc.next_path), status_code=303)

    @app.exception_handler(HTTPException)
    async def refused(request: Request, exc: HTTPException):
        html = render("refused.html", status=exc.status_code, detail=exc.detail)
        return HTMLResponse(html, status_code=exc.status_code, headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def unreadable(request: Request, exc: RequestValidationError):
        """An id that is no row id (``/notices/abc``, ``/notices/99999999999999999999``) names nothing:
        404; any other value the desk cannot read: 400."""
        in_path = any(e.get("loc", ("",))[0] == "path" for e in exc.errors())
        status = 404 if in_path else 400
        detail = "no such page" if in_path else "a value of the request cannot be read"
        return HTMLResponse(render("refused.html", status=status, detail=detail), status_code=status)

    for router in ROUTERS:
        app.include_router(router)
    return app
