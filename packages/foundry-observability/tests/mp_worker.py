"""A worker process for the multiprocess tests (run as a script, never collected).

``python mp_worker.py BASE DB REQUESTS`` with ``PROMETHEUS_MULTIPROC_DIR`` set: builds the
app with create_app, starts it as a server would (lifespan), answers REQUESTS requests,
prints ``ready <pid>``, then obeys one command per stdin line:
``scrape`` prints the /metrics body followed by ``<<end>>``; ``hold`` checks out a
database connection and keeps it; ``exit`` shuts the app down and exits.
"""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path
from typing import Any

import httpx
from fastapi import APIRouter
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from foundry.application.http import create_app
from foundry.domain.database import Database
from foundry.domain.provider import ServiceProvider
from foundry.observability import ObservabilityServiceProvider


class Engine:
    """Just enough of the Database contract for the pool gauges: a real engine."""

    def __init__(self, path: str) -> None:
        self.engine = create_async_engine(f"sqlite+aiosqlite:///{path}", pool_size=2)


def providers(database: Engine) -> list[Any]:
    router = APIRouter()

    @router.get("/products/{id}")
    async def product(id: int) -> dict[str, int]:
        async with database.engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
        return {"id": id}

    class App(ServiceProvider):
        name = "worker-app"
        provides = (Database,)

        def register(self, app: Any) -> None:
            app.instance(Database, database)

        def routes(self, app: Any) -> list[APIRouter]:
            return [router]

    return [ObservabilityServiceProvider, App]


async def main(base: str, db: str, requests: int) -> None:
    database = Engine(db)
    api = create_app(Path(base), providers=providers(database), discover=False)
    inbox: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
    outbox: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
    scope = {"type": "lifespan", "asgi": {"version": "3.0"}, "state": {}}
    server = asyncio.ensure_future(api(scope, inbox.get, outbox.put))
    await inbox.put({"type": "lifespan.startup"})
    assert (await outbox.get())["type"] == "lifespan.startup.complete"
    held = []
    transport = httpx.ASGITransport(app=api)
    async with httpx.AsyncClient(transport=transport, base_url="http://worker") as http:
        for n in range(requests):
            assert (await http.get(f"/products/{n}")).status_code == 200
        print(f"ready {os.getpid()}", flush=True)
        loop = asyncio.get_running_loop()
        while True:
            command = (await loop.run_in_executor(None, sys.stdin.readline)).strip()
            if command == "scrape":
                body = (await http.get("/metrics")).text
                print(body + "\n<<end>>", flush=True)
            elif command == "hold":
                connection = await database.engine.connect()
                await connection.execute(text("SELECT 1"))
                held.append(connection)
                print("held", flush=True)
            else:
                break
    for connection in held:
        await connection.close()
    await inbox.put({"type": "lifespan.shutdown"})
    assert (await outbox.get())["type"] == "lifespan.shutdown.complete"
    await server
    await database.engine.dispose()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2], int(sys.argv[3])))
