"""``POST /broadcasting/auth``: sign a private or presence subscription for the current user.

pusher-js and Laravel Echo call it with ``socket_id`` and ``channel_name`` (form-encoded
by default, JSON when configured so) before subscribing. The current user comes from the
app's guards (:mod:`foundry.broadcast.guards`); the channel's callback in the
:class:`~foundry.broadcast.channels.ChannelRegistry` decides. Allowed: ``{"auth":
"key:signature"}`` (plus ``channel_data`` for presence). Refused: 403 in Foundry's error
envelope, which pusher-js reports as a ``pusher:subscription_error``.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl

from foundry.broadcast.channels import ChannelRegistry
from foundry.broadcast.exceptions import ChannelAuthorizationError
from foundry.broadcast.guards import UserResolver, user_identifier
from foundry.broadcast.protocol import channel_kind, dumps, valid_channel, valid_socket_id
from foundry.broadcast.settings import BroadcastSettings
from foundry.broadcast.signing import channel_auth
from foundry.domain.context import set_user_id
from foundry.domain.errors import FoundryError, ValidationError

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.responses import Response

    from foundry.domain.application import Application

__all__ = ["MAX_AUTH_BODY", "authorise_subscription", "error_response", "read_fields"]

MAX_AUTH_BODY = 16_384


def error_response(exc: FoundryError) -> Response:
    """Foundry's JSON error envelope (this package answers for itself, with or without
    the HTTP kernel's handlers)."""
    from starlette.responses import JSONResponse

    return JSONResponse({"error": exc.to_dict()}, status_code=exc.status)


async def read_fields(request: Request) -> dict[str, Any]:
    """The body's fields, form-encoded or JSON."""
    body = await request.body()
    if len(body) > MAX_AUTH_BODY:
        raise ValidationError(f"The request body is larger than {MAX_AUTH_BODY} bytes.")
    if "json" in request.headers.get("content-type", ""):
        try:
            data = json.loads(body or b"{}")
        except ValueError:
            raise ValidationError("The request body is not valid JSON.") from None
        if not isinstance(data, dict):
            raise ValidationError("The request body must be a JSON object.")
        return data
    return dict(parse_qsl(body.decode(errors="replace"), keep_blank_values=True))


async def authorise_subscription(app: Application, request: Request) -> dict[str, str]:
    """The auth response for the request's socket and channel; raises the reason not."""
    fields = await read_fields(request)
    socket_id, channel = fields.get("socket_id"), fields.get("channel_name")
    problems: dict[str, list[str]] = {}
    if not valid_socket_id(socket_id):
        problems["socket_id"] = ["socket_id must be the connection's id (1234.5678)."]
    if not valid_channel(channel) or channel_kind(str(channel)) == "public":
        problems["channel_name"] = ["channel_name must be a private- or presence- channel."]
    if problems:
        raise ValidationError("The subscription request is incomplete.", fields=problems)
    assert isinstance(socket_id, str)
    assert isinstance(channel, str)
    settings = app.make(BroadcastSettings)
    user = await UserResolver(app).user(request)
    if user is None:
        raise ChannelAuthorizationError(
            f"Subscribing to {channel} needs a signed-in user: send a bearer token or a "
            "session the app's guards accept."
        )
    uid = user_identifier(user)
    if uid is not None:
        set_user_id(uid)
    result = await app.make(ChannelRegistry).authorise(channel, user)
    if result is None or result is False:
        raise ChannelAuthorizationError(f"You may not subscribe to {channel}.")
    if channel_kind(channel) != "presence":
        return {"auth": channel_auth(settings.key, settings.secret, socket_id, channel)}
    if uid is None:
        raise ChannelAuthorizationError(
            f"The user has no id to show on {channel}: give the user object an "
            "auth_identifier (Authenticatable) or an id."
        )
    member: dict[str, Any] = {"user_id": uid}
    if isinstance(result, dict):
        member["user_info"] = result
    channel_data = dumps(member)
    auth = channel_auth(settings.key, settings.secret, socket_id, channel, channel_data)
    return {"auth": auth, "channel_data": channel_data}
