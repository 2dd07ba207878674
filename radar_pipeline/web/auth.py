"""Who is at the desk, and what they may do.

Two ways to know a person: a configured list (``RADAR_WEB_USERS``: ``name:role:argon2-hash``,
comma-separated) with a sign-in form, or the name a trusted reverse proxy puts in a header
(``RADAR_WEB_TRUSTED_HEADER``). Behind a proxy, a name listed in ``RADAR_WEB_USERS`` has the role
listed there (its hash is not used and may be empty); anyone else the proxy lets through reads.

The session is a cookie signed with ``RADAR_WEB_SECRET`` (itsdangerous, 12 hours) holding the
name and a CSRF token; the role is looked up on every request, so removing someone from the list
takes effect at once. Every form carries the token and a post without it changes nothing.
"""

from __future__ import annotations

import hmac
import re
import secrets
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from itsdangerous import BadSignature, URLSafeTimedSerializer

ROLES = ("reader", "reviewer")
SESSION_COOKIE = "radar_session"
SESSION_SECONDS = 12 * 3600
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

    @classmethod
    def from_settings(cls, settings) -> Gate:
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
        return cls(users, settings.web_secret, header, public.startswith("https://"))

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
        """The signed-in user: the proxy's header when one is trusted, else the session's name."""
        if self.trusted_header:
            name = (headers.get(self.trusted_header) or "").strip()
            if not name:
                return None
            listed = self.users.get(name)
            return User(name, listed.role if listed else "reader")
        return self.users.get(session.get("user") or "")

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
