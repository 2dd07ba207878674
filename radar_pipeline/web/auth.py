"""Who is at the desk, and what they may do.

Two ways to know a person: a configured list (``RADAR_WEB_USERS``: ``name:role:argon2-hash``,
comma-separated) with a sign-in form, or the name a trusted reverse proxy puts in a header
(``RADAR_WEB_TRUSTED_HEADER``). Behind a proxy, a name listed in ``RADAR_WEB_USERS`` has the role
listed there (its hash is not used and may be empty); anyone else the proxy lets through reads.

The session is a cookie signed with ``RADAR_WEB_SECRET`` (itsdangerous, 12 hours) holding a CSRF
token and, once signed in, a session id whose row in the database (``web.sessions``) names the user:
signing out deletes the row, so the cookie reads nothing afterwards. The role is looked up on every
request, so removing someone from the list takes effect at once. Every form carries the token and a
post without it changes nothing.

Password checks run off the event loop, one at a time (argon2 is made to be slow), behind the
sign-in throttle (``web.throttle``): guessing never slows the pages of people signed in.
"""

from __future__ import annotations

import hmac
import re
import secrets
from dataclasses import dataclass, field
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from itsdangerous import BadSignature, URLSafeTimedSerializer

from radar_pipeline.web.sessions import SessionStore
from radar_pipeline.web.throttle import LoginThrottle

ROLES = ("reader", "reviewer")
SESSION_COOKIE = "radar_session"
SESSION_SECONDS = 12 * 3600
HASH_CHECKS_AT_ONCE = 1  # argon2 checks running together: the other core stays with the readers
# An argon2 hash has commas of its own ("m=65536,t=3,p=4"): an entry ends where the next "name:role:" begins.
_ENTRY = re.compile(r"\s*([^:,\s]+):([a-z]+):(.*?)\s*(?=,\s*[^:,\s]+:[a-z]+:|$)")
_hasher = PasswordHasher()


class WebConfigError(ValueError):
    """The desk cannot start as configured: the message names the setting."""


@dataclass(frozen=True)
class User:
    name: str
    role: str
    password_hash: str = ""

    @property
    def may_decide(self) -> bool:
        return self.role == "reviewer"


def hash_password(password: str) -> str:
    """An argon2id hash for ``RADAR_WEB_USERS`` (``radar web hash-password``)."""
    return _hasher.hash(password)


def parse_users(text: str) -> dict[str, User]:
    """``RADAR_WEB_USERS``: ``name:role:hash`` entries, comma-separated; a bad entry is a ``WebConfigError``."""
    users: dict[str, User] = {}
    rest = text.strip()
    while rest:
        m = _ENTRY.match(rest)
        if m is None:
            raise WebConfigError(f"RADAR_WEB_USERS: {rest[:40]!r} is not name:role:hash")
        name, role, hashed = m.groups()
        if role not in ROLES:
            raise WebConfigError(f"RADAR_WEB_USERS: {name}: role {role!r} is not one of {', '.join(ROLES)}")
        users[name] = User(name, role, hashed)
        rest = rest[m.end() :].lstrip().removeprefix(",")
    return users


@dataclass
class Gate:
    """The desk's sign-in policy, built once from the settings."""

    users: dict[str, User]
    secret: str
    trusted_header: str | None = None
    secure_cookie: bool = False
    sessions: SessionStore | None = None
    throttle: LoginThrottle = field(default_factory=lambda: LoginThrottle(5, 20, 900))
    _hash_limiter: object = None

    @classmethod
    def from_settings(cls, settings, engine=None) -> Gate:
        if not settings.web_secret:
            raise WebConfigError(
                "set RADAR_WEB_SECRET (a long random string) to sign the desk's session cookies"
            )
        users = parse_users(settings.web_users)
        header = (settings.web_trusted_header or "").strip() or None
        if not users and not header:
            raise WebConfigError(
                "nobody could sign in: set RADAR_WEB_USERS (name:role:hash, see `radar web hash-password`) "
                "or RADAR_WEB_TRUSTED_HEADER"
            )
        if not header:
            for u in users.values():
                if not u.password_hash.startswith("$argon2"):
                    raise WebConfigError(f"RADAR_WEB_USERS: {u.name}: the hash is not an argon2 hash")
        public = settings.public_base or ""
        throttle = LoginThrottle(
            settings.web_login_attempts_per_name,
            settings.web_login_attempts_per_address,
            settings.web_login_window_seconds,
        )
        sessions = SessionStore(engine, timedelta(seconds=SESSION_SECONDS)) if engine is not None else None
        return cls(users, settings.web_secret, header, public.startswith("https://"), sessions, throttle)

    @property
    def _signer(self) -> URLSafeTimedSerializer:
        return URLSafeTimedSerializer(self.secret, salt="radar-web-session")

    def read_session(self, cookie: str | None) -> dict:
        """The session's content; an absent, forged or expired cookie is an empty session."""
        if not cookie:
            return {}
        try:
            data = self._signer.loads(cookie, max_age=SESSION_SECONDS)
        except BadSignature:
            return {}
        return data if isinstance(data, dict) else {}

    def seal(self, session: dict) -> str:
        return self._signer.dumps(session)

    def user_of(self, session: dict, headers) -> User | None:
        """The signed-in user: the proxy's header when one is trusted, else the user of the session's
        id while its row lasts (a database read: call it off the event loop)."""
        if self.trusted_header:
            name = (headers.get(self.trusted_header) or "").strip()
            if not name:
                return None
            listed = self.users.get(name)
            return User(name, listed.role if listed else "reader")
        if self.sessions is None or not session.get("sid"):
            return None
        return self.users.get(self.sessions.user_of(session.get("sid")) or "")

    async def verify(self, name: str, password: str) -> User | None:
        """``check_password`` in a worker thread, ``HASH_CHECKS_AT_ONCE`` at a time; the attempts
        waiting their turn hold no thread, so the pages keep theirs."""
        import anyio

        if self._hash_limiter is None:
            self._hash_limiter = anyio.CapacityLimiter(HASH_CHECKS_AT_ONCE)
        return await anyio.to_thread.run_sync(self.check_password, name, password, limiter=self._hash_limiter)

    def check_password(self, name: str, password: str) -> User | None:
        user = self.users.get(name)
        try:
            # an unknown name costs a verification too: the answer's timing does not tell who exists
            _hasher.verify(user.password_hash if user else _DUMMY_HASH, password)
        except (VerificationError, InvalidHashError):
            return None
        return user


def new_csrf_token() -> str:
    return secrets.token_urlsafe(24)


def csrf_matches(session: dict, token: str | None) -> bool:
    expected = session.get("csrf")
    return bool(expected and token) and hmac.compare_digest(str(expected), str(token))


_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))
