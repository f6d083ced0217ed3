"""JSON POSTs with retries, shared by the Slack and webhook channels.

A request is retried, up to ``NOTIFICATIONS_HTTP_TRIES`` attempts in all, when the
endpoint could not take it *now*: a connection error or timeout, a 5xx, or a 429. The
wait before a retry is the response's ``Retry-After`` (seconds or an HTTP date) when it
gives one, else ``NOTIFICATIONS_HTTP_BACKOFF`` doubled at each retry. A ``Retry-After``
longer than ``NOTIFICATIONS_HTTP_MAX_WAIT`` is not slept on: the attempt fails as
transient at once, so a queued notification is retried later by the queue instead of
holding a worker. Any other 4xx (and a 3xx: the URL moved) is permanent and never retried.
Messages never show a URL's path, which holds the secret of a Slack webhook.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Mapping
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from foundry.notifications.exceptions import PermanentDeliveryError, TransientDeliveryError
from foundry.notifications.settings import NotificationSettings

if TYPE_CHECKING:
    import httpx

__all__ = ["HttpPoster", "parse_retry_after", "where"]

Sleep = Callable[[float], Awaitable[Any]]


def where(url: str) -> str:
    """``scheme://host`` of ``url``: enough to say where, never its secret path."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.hostname or '?'}" + (f":{parts.port}" if parts.port else "")


def parse_retry_after(value: str | None, now: float) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or HTTP date)."""
    if not value:
        return None
    text = value.strip()
    if text.isdigit():
        return float(text)
    try:
        moment = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    return max(0.0, moment.timestamp() - now)


class HttpPoster:
    """POSTs JSON bodies with the retry policy above; one connection pool per app."""

    def __init__(
        self,
        settings: NotificationSettings,
        *,
        sleep: Sleep = asyncio.sleep,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.settings = settings
        self._sleep = sleep
        self._clock = clock
        self._client: httpx.AsyncClient | None = None

    def now(self) -> float:
        """The current Unix time (the clock signatures and ``Retry-After`` dates use)."""
        return self._clock()

    def _http(self) -> httpx.AsyncClient:
        if self._client is None:
            import httpx

            self._client = httpx.AsyncClient(
                timeout=self.settings.http_timeout,
                follow_redirects=False,
                headers={"User-Agent": "Foundry-Notifications/0.1"},
            )
        return self._client

    async def post(
        self,
        url: str,
        body: bytes,
        headers: Callable[[], Mapping[str, str]],
        *,
        what: str,
    ) -> httpx.Response:
        """POST ``body`` to ``url``; ``headers()`` is called for each attempt (so a
        signature's timestamp is fresh on every retry).

        Raises:
            PermanentDeliveryError: a 3xx or 4xx other than 429.
            TransientDeliveryError: every attempt failed with a retryable error.
        """
        import httpx

        tries = self.settings.http_tries
        target = where(url)
        reason = ""
        for attempt in range(1, tries + 1):
            wait: float | None = None
            try:
                response = await self._http().post(
                    url, content=body, headers={"Content-Type": "application/json", **headers()}
                )
            except httpx.HTTPError as exc:
                reason = f"{type(exc).__name__}: {exc}"
            else:
                status = response.status_code
                if 200 <= status < 300:
                    return response
                snippet = response.text[:200].strip() or "no body"
                if status != 429 and status < 500:
                    raise PermanentDeliveryError(
                        f"{what} was refused by {target} with HTTP {status} ({snippet}); it is "
                        "not retried because the same request would be refused again. Fix the "
                        "payload or the route.",
                        context={"status": status},
                    )
                reason = f"HTTP {status} ({snippet})"
                wait = parse_retry_after(response.headers.get("Retry-After"), self._clock())
            if attempt == tries:
                break
            if wait is None:
                wait = self.settings.http_backoff * 2 ** (attempt - 1)
            elif wait > self.settings.http_max_wait:
                raise TransientDeliveryError(
                    f"{what}: {target} asked to retry after {wait:.0f} s ({reason}), longer "
                    f"than NOTIFICATIONS_HTTP_MAX_WAIT ({self.settings.http_max_wait:g} s); "
                    "left to a later attempt.",
                    context={"retry_after": wait},
                )
            await self._sleep(wait)
        raise TransientDeliveryError(
            f"{what} could not be delivered to {target} after {tries} attempt(s): {reason}. "
            "A later attempt may succeed."
        )

    async def aclose(self) -> None:
        """Close the connection pool (the app's terminating hook calls this)."""
        if self._client is not None:
            client, self._client = self._client, None
            await client.aclose()
