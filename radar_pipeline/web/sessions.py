"""Signed-in sessions of the desk, kept in the database so that signing out ends them.

The cookie holds a random session id (and is signed besides); the ``web_sessions`` row, keyed by the
id's SHA-256, says whose session it is and until when. Signing out deletes the row: the same cookie,
copied or replayed, then reads and decides nothing. Rows past their time are removed at each sign-in.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, delete, insert, select

from radar_pipeline.db.schema import web_sessions


def _digest(session_id: str) -> str:
    return hashlib.sha256(session_id.encode("utf-8", "replace")).hexdigest()


class SessionStore:
    """``start`` at sign-in, ``user_of`` on every request, ``end`` at sign-out."""

    def __init__(self, engine: Engine, lifetime: timedelta) -> None:
        self.engine, self.lifetime = engine, lifetime

    def start(self, user: str) -> str:
        """A new session of ``user``; returns its id (for the cookie only)."""
        session_id = secrets.token_urlsafe(32)
        now = datetime.now(UTC)
        s = web_sessions.c
        with self.engine.begin() as conn:
            conn.execute(delete(web_sessions).where(s.expires_at < now))
            conn.execute(
                insert(web_sessions).values(
                    id_sha256=_digest(session_id),
                    user_name=user,
                    created_at=now,
                    expires_at=now + self.lifetime,
                )
            )
        return session_id

    def user_of(self, session_id: str | None) -> str | None:
        """Whose session ``session_id`` is, while it lasts; ``None`` for an ended or unknown one."""
        if not session_id or not isinstance(session_id, str) or len(session_id) > 128:
            return None
        s = web_sessions.c
        with self.engine.connect() as conn:
            row = conn.execute(
                select(s.user_name, s.expires_at).where(s.id_sha256 == _digest(session_id))
            ).first()
        if row is None:
            return None
        expires = row.expires_at if row.expires_at.tzinfo else row.expires_at.replace(tzinfo=UTC)
        return row.user_name if expires > datetime.now(UTC) else None

    def end(self, session_id: str | None) -> None:
        if session_id and isinstance(session_id, str):
            with self.engine.begin() as conn:
                conn.execute(delete(web_sessions).where(web_sessions.c.id_sha256 == _digest(session_id)))
