"""Test doubles: a token verifier (the real ones come from the auth packages) and an app
with test routes and commands."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request, WebSocket
from pydantic import BaseModel, Field
from starlette.responses import JSONResponse

from foundry.api.request_id import current_request_id
from foundry.domain.auth import AccessToken, TokenVerifier
from foundry.domain.commands import Argument, Command, CommandContext, CommandResult, Option
from foundry.domain.errors import (
    AuthenticationError,
    FoundryError,
    NotFoundError,
    ServiceUnavailableError,
)
from foundry.domain.provider import ServiceProvider

# --- tokens ------------------------------------------------------------------------------


class DictVerifier:
    """Implements TokenVerifier over a dict of token -> grant."""

    def __init__(self, grants: dict[str, AccessToken]) -> None:
        self.grants = grants
        self.asked: list[str] = []

    async def verify(self, token: str) -> AccessToken | None:
        self.asked.append(token)
        return self.grants.get(token)


def grant(*abilities: str, subject: str = "user:1") -> AccessToken:
    return AccessToken(subject=subject, abilities=frozenset(abilities))


class TokensProvider(ServiceProvider):
    """Binds a verifier directly (as a single auth package would)."""

    name = "test-tokens"
    verifier = DictVerifier(
        {
            "admin-token": grant("foundry:invoke", "foundry:upload"),
            "star-token": grant("*"),
            "reader-token": grant("posts:read"),
        }
    )

    def register(self, app) -> None:  # type: ignore[no-untyped-def]
        app.instance(TokenVerifier, self.verifier)


# --- routes and commands ---------------------------------------------------------------


class Item(BaseModel):
    name: str = Field(min_length=3)
    quantity: int


def routes_for_tests() -> APIRouter:
    router = APIRouter()

    @router.get("/ids")
    async def ids(request: Request) -> dict[str, object]:
        return {"state": request.state.request_id, "context": current_request_id()}

    @router.get("/client")
    async def client(request: Request) -> dict[str, object]:
        return {
            "host": request.client.host if request.client else None,
            "scheme": request.url.scheme,
            "netloc": request.url.netloc,
            "server": list(request.scope["server"] or ()),
        }

    @router.get("/boom")
    async def boom() -> None:
        raise ZeroDivisionError("division by zero in the report")

    @router.get("/unavailable")
    async def unavailable() -> None:
        raise ServiceUnavailableError("The database at db:5432 is not answering.")

    @router.get("/missing")
    async def missing() -> None:
        raise NotFoundError("Post 42 does not exist.")

    @router.get("/private")
    async def private() -> None:
        raise AuthenticationError("Log in first.")

    @router.get("/teapot")
    async def teapot() -> None:
        raise HTTPException(418, "I only brew tea.", headers={"X-Brew": "tea"})

    @router.get("/search")
    async def search(page: int) -> dict[str, int]:
        return {"page": page}

    @router.post("/items")
    async def create_item(item: Item) -> Item:
        return item

    @router.post("/echo")
    async def echo(request: Request) -> dict[str, int]:
        EchoCounter.calls += 1
        return {"received": len(await request.body())}

    @router.get("/framed")
    async def framed() -> JSONResponse:
        return JSONResponse({"ok": True}, headers={"X-Frame-Options": "SAMEORIGIN"})

    @router.websocket("/echo-socket")
    async def echo_socket(socket: WebSocket) -> None:
        await socket.accept()
        text = await socket.receive_text()
        await socket.send_json({"echo": text, "request_id": socket.state.request_id})
        await socket.close()

    return router


class EchoCounter:
    calls = 0


class Greet(Command):
    name = "greet"
    summary = "Say hello"
    arguments = (Argument("who", "Whom to greet"),)
    options = (Option("shout", "Upper-case it", type="bool"),)

    def handle(self, ctx: CommandContext) -> CommandResult:
        text = f"Hello, {ctx.argument('who')}!"
        text = text.upper() if ctx.option("shout") else text
        ctx.output.line(text)
        return CommandResult.success("Greeted.", {"text": text, "dry_run": ctx.dry_run})


class Explode(Command):
    name = "explode"
    summary = "Fail on purpose"

    def handle(self, ctx: CommandContext) -> CommandResult:
        ctx.output.line("about to fail")
        raise FoundryError("The reactor is offline; start it with reactor:start.")


class Confirming(Command):
    name = "wipe"
    summary = "Ask before wiping"
    options = (Option("confirm", "Type the name to confirm", prompt="Type the name"),)

    def handle(self, ctx: CommandContext) -> CommandResult:
        return CommandResult.success("Wiped.")


class Secret(Command):
    name = "internal:sync"
    summary = "Hidden maintenance"
    hidden = True

    def handle(self, ctx: CommandContext) -> None:
        return None


class AppProvider(ServiceProvider):
    """The test application: routes and a few commands."""

    name = "test-app"
    commands = (
        f"{__name__}:Greet",
        f"{__name__}:Explode",
        f"{__name__}:Confirming",
        f"{__name__}:Secret",
    )

    def routes(self, app):  # type: ignore[no-untyped-def]
        return [routes_for_tests()]
