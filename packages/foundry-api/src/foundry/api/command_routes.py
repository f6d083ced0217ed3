"""``GET /commands`` and ``POST /invoke``: the command registry over HTTP.

``/commands`` describes every visible command (what ``foundry list --format json`` knows).
``/invoke`` runs one through the kernel's ``CommandRunner`` — the same parsing, events and
error handling as the CLI — with its output captured and prompts answered non-interactively
(a prompt without a default fails the run instead of waiting). It exists only when
``API_INVOKE_ENABLED=true``, and then only for a bearer token holding ``foundry:invoke``:
running commands is administrative power.
"""

from __future__ import annotations

import io
import logging
from typing import Any, Literal

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field
from starlette.requests import Request
from starlette.responses import Response

from foundry.api.auth import INVOKE_ABILITY, require_ability
from foundry.api.handlers import json_response
from foundry.api.request_id import current_request_id
from foundry.domain.application import Application, CommandRunner
from foundry.domain.commands import Verbosity
from foundry.domain.console import Output
from foundry.domain.errors import CommandNotFoundError, FoundryError

__all__ = ["InvokeRequest", "InvokeResult", "add_command_routes"]

log = logging.getLogger("foundry.api")

NOT_OVER_HTTP = frozenset(
    {"serve", "tinker", "queue:work", "queue:listen", "schedule:work", "boost:mcp"}
)
"""Commands that run until stopped or need a terminal: over HTTP they would hold the
request forever (and ``serve`` would take over the running server's signal handling)."""


class InvokeRequest(BaseModel):
    """A command to run: its name, its words and/or named parameters, and the flags."""

    model_config = ConfigDict(extra="forbid")

    command: str = Field(min_length=1, max_length=200, examples=["cache:clear"])
    args: list[str] = Field(default_factory=list, description="Words after the command name.")
    params: dict[str, Any] = Field(
        default_factory=dict, description='Arguments and options by name ({"step": 2}).'
    )
    format: Literal["json", "human"] = "json"
    dry_run: bool = False
    force: bool = False


class InvokeResult(BaseModel):
    """How the run ended and what it wrote."""

    command: str
    status: str = Field(examples=["success"])
    message: str | None
    data: Any = None
    exit_code: int
    output: str


class CommandList(BaseModel):
    """The visible commands, as ``foundry list --format json`` describes them."""

    data: list[dict[str, Any]]


_FAILED = {
    "description": "The command failed (an invoke result), or the body was invalid (the envelope)",
    "content": {
        "application/json": {
            "schema": {
                "anyOf": [
                    {"$ref": "#/components/schemas/InvokeResult"},
                    {"$ref": "#/components/schemas/ErrorEnvelope"},
                ]
            }
        }
    },
}


def add_command_routes(router: APIRouter, app: Application, *, invoke_enabled: bool) -> None:
    """Add ``/commands`` (always) and ``/invoke`` (when enabled) to ``router``."""

    @router.get(
        "/commands",
        name="commands.index",
        summary="List commands",
        tags=["commands"],
        response_model=CommandList,
    )
    async def list_commands() -> dict[str, Any]:
        """Every command this application can run (hidden ones excluded)."""
        return {"data": [d.to_dict() for d in app.commands.descriptors()]}

    if not invoke_enabled:
        return  # absent, so POST /invoke is a 404 like any unknown route

    @router.post(
        "/invoke",
        name="commands.invoke",
        summary="Run a command",
        tags=["commands"],
        response_model=InvokeResult,
        responses={422: _FAILED},
        dependencies=[require_ability(app, INVOKE_ABILITY)],
    )
    async def invoke(payload: InvokeRequest, request: Request) -> Response:
        """Run a command non-interactively; 200 when it succeeded, 422 when it failed."""
        registry = app.commands
        if not registry.has(payload.command):
            raise CommandNotFoundError(payload.command, registry.suggest(payload.command))
        name = registry.descriptor(payload.command).name
        if name in NOT_OVER_HTTP:
            raise FoundryError(
                f'"{name}" runs until it is stopped (or needs a terminal), so it cannot run '
                "over HTTP; run it from a shell or a process manager.",
                code="COMMAND_NOT_INVOCABLE",
                status=403,
                context={"command": name},
            )
        buffer = io.StringIO()
        output = app.make(
            Output, stdout=buffer, stderr=buffer, verbosity=Verbosity.NORMAL, decorated=False
        )
        outcome = await app.make(CommandRunner).run(
            payload.command,
            payload.args,
            params=payload.params or None,
            output=output,
            format=payload.format,
            dry_run=payload.dry_run,
            force=payload.force,
            interactive=False,
        )
        grant = getattr(request.state, "access_token", None)
        log.info(
            "invoke %s by %s exited %s (request id %s)",
            outcome.command,
            grant.subject if grant is not None else "-",
            outcome.exit_code,
            current_request_id() or "-",
        )
        result = outcome.result
        body = {
            "command": outcome.command,
            "status": result.status.value,
            "message": result.message,
            "data": result.data,
            "exit_code": outcome.exit_code,
            "output": buffer.getvalue(),
        }
        return json_response(body, 200 if outcome.ok else 422)
