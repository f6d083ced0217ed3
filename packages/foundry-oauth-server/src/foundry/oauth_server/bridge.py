"""authlib's synchronous server core, adapted to Starlette and to async storage.

authlib's ``AuthorizationServer`` is synchronous (its maintainers have declined an async
one). Requests are read asynchronously into :class:`FoundryOAuth2Request`, then the
authorization, token, revocation, introspection and device endpoints run in a worker
thread (``anyio.to_thread``) so signing and hashing never stall the event loop. Whenever
authlib needs storage, the worker hands the coroutine back to the event loop
(``anyio.from_thread.run``), so both stores stay async and shared with the bearer check.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Coroutine, Mapping, Sequence
from typing import Any, TypeVar
from urllib.parse import parse_qsl

import anyio.from_thread
import anyio.to_thread
from authlib.oauth2 import AuthorizationServer  # type: ignore[import-untyped]
from authlib.oauth2.rfc6749 import JsonRequest, OAuth2Payload, OAuth2Request  # type: ignore[import-untyped]
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

__all__ = ["FoundryOAuth2Request", "FoundryServer", "read_request", "run_in_thread"]

T = TypeVar("T")
_SECURE_PLACEHOLDER = "https://authorization-server.invalid/"


class _Payload(OAuth2Payload):  # type: ignore[misc]
    def __init__(self, pairs: Sequence[tuple[str, str]]) -> None:
        self._data: dict[str, str] = {}
        self._datalist: defaultdict[str, list[str]] = defaultdict(list)
        for key, value in pairs:
            self._data.setdefault(key, value)
            self._datalist[key].append(value)

    @property
    def data(self) -> dict[str, str]:
        return self._data

    @property
    def datalist(self) -> defaultdict[str, list[str]]:
        return self._datalist


class FoundryOAuth2Request(OAuth2Request):  # type: ignore[misc]
    """An OAuth request as authlib wants it, read from a Starlette request.

    Parameters come from the query string for ``GET`` and from the form body otherwise
    (RFC 6749 §3.2: token requests carry their parameters in the body). Transport security
    is this package's check (:func:`require_https`), made before any request is built, so
    authlib's own check sees a placeholder URI.
    """

    def __init__(
        self,
        method: str,
        uri: str,
        headers: Mapping[str, str],
        query: Sequence[tuple[str, str]],
        form: Sequence[tuple[str, str]],
    ) -> None:
        super().__init__(method, _SECURE_PLACEHOLDER, headers=headers)
        self.uri = uri
        self._args = dict(query)
        self._form: dict[str, str] = {}
        for key, value in form:
            self._form.setdefault(key, value)
        self.payload = _Payload(query if method == "GET" else form)
        self.foundry_user: Any = None

    @property
    def args(self) -> dict[str, str]:
        return self._args

    @property
    def form(self) -> dict[str, str]:
        return self._form


async def read_request(request: Request, *, drop: Sequence[str] = ()) -> FoundryOAuth2Request:
    """Read the whole request (body included) so the worker thread never touches I/O."""
    form: list[tuple[str, str]] = []
    if request.method != "GET":
        content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if content_type == "application/x-www-form-urlencoded":
            body = (await request.body()).decode("utf-8", errors="replace")
            form = parse_qsl(body, keep_blank_values=True)
    form = [(k, v) for k, v in form if k not in drop]
    return FoundryOAuth2Request(
        request.method,
        str(request.url),
        request.headers,  # case-insensitive: authlib asks for "Authorization"
        list(request.query_params.multi_items()),
        form,
    )


async def run_in_thread(func: Callable[[], T]) -> T:
    return await anyio.to_thread.run_sync(func)


class FoundryServer(AuthorizationServer):  # type: ignore[misc]
    """authlib's authorization server wired to Foundry's storage and responses."""

    def __init__(
        self,
        query_client: Callable[[str], Coroutine[Any, Any, Any]],
        save_token: Callable[[dict[str, Any], Any], Coroutine[Any, Any, None]],
        scopes_supported: Sequence[str],
    ) -> None:
        super().__init__(scopes_supported=list(scopes_supported))
        self._query_client = query_client
        self._save_token = save_token

    @staticmethod
    def call(func: Callable[..., Coroutine[Any, Any, T]], *args: Any) -> T:
        """Run an async storage call on the event loop from the worker thread."""
        return anyio.from_thread.run(func, *args)

    def query_client(self, client_id: str) -> Any:
        if not client_id or len(client_id) > 64:
            return None
        return self.call(self._query_client, client_id)

    def save_token(self, token: dict[str, Any], request: Any) -> None:
        self.call(self._save_token, token, request)

    def send_signal(self, name: str, *args: Any, **kwargs: Any) -> None:
        """authlib's hook points; nothing listens to them here."""

    def create_oauth2_request(self, request: Any) -> OAuth2Request:
        if isinstance(request, OAuth2Request):
            return request
        raise TypeError("Build OAuth requests with foundry.oauth_server.bridge.read_request")

    def create_json_request(self, request: Any) -> JsonRequest:
        raise TypeError("This server reads no JSON requests")

    def handle_response(
        self, status: int, body: Any, headers: Sequence[tuple[str, str]]
    ) -> Response:
        plain = {k: v for k, v in headers if k.lower() != "content-type"}
        plain.setdefault("Cache-Control", "no-store")
        plain.setdefault("Pragma", "no-cache")
        if isinstance(body, dict):
            return JSONResponse(body, status_code=status, headers=plain)
        media = dict(headers).get("Content-Type", "text/plain")
        return Response(body or b"", status_code=status, headers=plain, media_type=media)
