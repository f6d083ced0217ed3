"""The session of one request: its data, CSRF token, login state and id rotation.

The middleware loads it before the endpoint runs and saves it (and sets the cookie) when
the response starts. The cookie holds a 256-bit random id; stores key records by the id's
SHA-256. The id changes on login, logout, password change and password confirmation, so
an id planted before any of them (session fixation) is worthless after.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from foundry.auth_scaffolding.tokens import digest, new_token
from foundry.domain.session import SessionRecord

__all__ = ["CSRF_KEY", "Session"]

CSRF_KEY = "_token"
USER_KEY = "auth.user_id"
EPOCH_KEY = "auth.epoch"
LOGIN_AT_KEY = "auth.login_at"
REMEMBER_KEY = "auth.remember"
CONFIRMED_KEY = "auth.password_confirmed_at"
FLASH_KEY = "_flash"


class Session:
    """A request's session. Mutations mark it dirty; the middleware persists dirty ones."""

    def __init__(self, raw_id: str | None = None, record: SessionRecord | None = None) -> None:
        # A request without a session (an API call with a bearer token) never needs an
        # id: it is drawn on first use, not for every request.
        self._raw_id = raw_id if record is not None and raw_id else None
        self._digest: str | None = None
        self.record = record
        self.data: dict[str, Any] = dict(record.data) if record is not None else {}
        self.exists = record is not None
        self.dirty = False
        self.replaced: list[str] = []
        self.from_cookie = record is not None

    @property
    def raw_id(self) -> str:
        """The cookie value: 256 random bits (drawn when first needed)."""
        if self._raw_id is None:
            self._raw_id = new_token()
        return self._raw_id

    @raw_id.setter
    def raw_id(self, value: str) -> None:
        self._raw_id = value
        self._digest = None

    @property
    def id(self) -> str:
        """The SHA-256 of the cookie value: what stores key the record by."""
        if self._digest is None:
            self._digest = digest(self.raw_id)
        return self._digest

    @property
    def user_id(self) -> str | None:
        value = self.data.get(USER_KEY)
        return str(value) if value else None

    # --- data -------------------------------------------------------------------------

    def get(self, key: str, default: Any = None) -> Any:
        return self.data.get(key, default)

    def set(self, key: str, value: Any) -> None:
        self.data[key] = value
        self.dirty = True

    def pop(self, key: str, default: Any = None) -> Any:
        if key in self.data:
            self.dirty = True
        return self.data.pop(key, default)

    def flash(self, message: str) -> None:
        """A message shown on the next page rendered (then forgotten)."""
        self.set(FLASH_KEY, message)

    def take_flash(self) -> str | None:
        value = self.pop(FLASH_KEY)
        return str(value) if value else None

    def csrf_token(self) -> str:
        """The session's CSRF token (made on first use)."""
        token = self.data.get(CSRF_KEY)
        if not token:
            token = new_token()
            self.set(CSRF_KEY, token)
        return str(token)

    # --- identity ---------------------------------------------------------------------

    def regenerate(self) -> None:
        """A new id (and CSRF token) for the same data; the old record is destroyed."""
        if self.exists:
            self.replaced.append(self.id)
        self.raw_id = new_token()
        self.exists = False
        self.data[CSRF_KEY] = new_token()
        self.dirty = True

    def invalidate(self) -> None:
        """Forget everything and start a new, empty session under a new id."""
        self.data = {}
        self.regenerate()

    def login(self, user_id: str, epoch: str | None, *, remember: bool, now: datetime) -> None:
        """Record a completed login under a new id."""
        keep = {k: v for k, v in self.data.items() if not k.startswith(("auth.", "login."))}
        self.data = keep
        self.regenerate()
        self.data.update(
            {
                USER_KEY: user_id,
                EPOCH_KEY: epoch,
                LOGIN_AT_KEY: now.isoformat(),
                REMEMBER_KEY: remember,
                CONFIRMED_KEY: now.isoformat(),
            }
        )

    def confirmed_within(self, seconds: int, now: datetime) -> bool:
        """Whether the password was entered (login or confirmation) in the last ``seconds``."""
        value = self.data.get(CONFIRMED_KEY)
        if not value:
            return False
        return now - datetime.fromisoformat(str(value)) < timedelta(seconds=seconds)

    def expiry(
        self, now: datetime, *, idle: int, session_lifetime: int, remember_lifetime: int
    ) -> datetime:
        """When this session ends: idle timeout for guests, capped by the login's lifetime."""
        login_at = self.data.get(LOGIN_AT_KEY)
        if not login_at or not self.user_id:
            return now + timedelta(seconds=idle)
        started = datetime.fromisoformat(str(login_at))
        if self.data.get(REMEMBER_KEY):
            return started + timedelta(seconds=remember_lifetime)
        return min(now + timedelta(seconds=idle), started + timedelta(seconds=session_lifetime))

    @property
    def remembered(self) -> bool:
        return bool(self.data.get(REMEMBER_KEY)) and self.user_id is not None
