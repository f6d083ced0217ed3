"""``foundry serve``: the application over HTTP with uvicorn, uvloop and httptools.

uvicorn gets the kernel's factory as an import string (``factory=True``) and
``FOUNDRY_BASE_PATH`` in the environment, so every worker process builds the same
application from the same folder.

One worker runs in-process: the command runs inside the CLI's event loop, so uvicorn gets
a thread of its own (with a fresh uvloop loop), while this loop traps SIGTERM and SIGINT
and hands them to uvicorn's own exit handler. uvicorn then shuts down gracefully — it stops
accepting, lets in-flight requests finish, runs the lifespan shutdown — and the command
exits 0. With ``--workers`` or ``--reload`` uvicorn's supervisor runs in the main thread
(it traps signals itself) and manages the worker processes.
"""

from __future__ import annotations

import asyncio
import importlib.util
import os
import signal
import threading
from typing import TYPE_CHECKING, Any

from foundry.domain.commands import Command, CommandContext, CommandResult, ExitCode, Option
from foundry.domain.errors import InputError

if TYPE_CHECKING:
    import uvicorn

__all__ = ["ServeCommand"]

LOG_LEVELS = ("critical", "error", "warning", "info", "debug", "trace")
BASE_PATH_ENV = "FOUNDRY_BASE_PATH"


def _available(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


async def _serve_in_thread(server: uvicorn.Server) -> str | None:
    """Run ``server`` in a thread, forwarding SIGTERM/SIGINT to its exit handler.

    Returns the name of the signal that stopped it, if one did.
    """
    loop = asyncio.get_running_loop()
    received: list[str] = []

    def forward(sig: signal.Signals) -> None:
        received.append(sig.name)
        server.handle_exit(sig, None)  # a second SIGINT makes uvicorn force the exit

    trapped: list[signal.Signals] = []
    if threading.current_thread() is threading.main_thread():
        for sig in (signal.SIGTERM, signal.SIGINT):
            try:
                loop.add_signal_handler(sig, forward, sig)
            except (NotImplementedError, RuntimeError):  # no loop signal support (Windows)
                continue
            trapped.append(sig)
    try:
        await asyncio.to_thread(server.run)
    except BaseException:
        server.should_exit = True  # interrupted where signals are not trapped: stop it too
        raise
    finally:
        for sig in trapped:
            loop.remove_signal_handler(sig)
    return received[0] if received else None


class ServeCommand(Command):
    """Serve the application with uvicorn until SIGTERM or Ctrl-C.

    Shutdown is graceful: in-flight requests finish and the lifespan's shutdown hooks
    run before the process exits 0.
    """

    name = "serve"
    summary = "Serve the application over HTTP (uvicorn with uvloop and httptools)"
    options = (
        Option("host", "The interface to bind", default="127.0.0.1"),
        Option("port", "The port to listen on", type="int", default=8000),
        Option("workers", "Worker processes", type="int", default=1),
        Option("reload", "Restart when the application's files change", type="bool"),
        Option("log-level", "Server log level", type="enum", choices=LOG_LEVELS, default="info"),
    )

    def _config(self, ctx: CommandContext) -> dict[str, Any]:
        from foundry.api.kernel import asgi_reference

        port = int(ctx.option("port", 8000))
        workers = int(ctx.option("workers", 1))
        if not 0 <= port <= 65535:
            raise InputError("port", f"--port {port} is not a port number (0-65535).")
        if workers < 1:
            raise InputError("workers", f"--workers {workers} must be at least 1.")
        reload = bool(ctx.option("reload", False))
        return {
            "app": asgi_reference(),
            "factory": True,
            "host": str(ctx.option("host", "127.0.0.1")),
            "port": port,
            "workers": workers,
            "reload": reload,
            "reload_dirs": [str(ctx.app.base_path)] if reload else None,
            "log_level": str(ctx.option("log_level", "info")),
            "loop": "uvloop" if _available("uvloop") else "asyncio",
            "http": "httptools" if _available("httptools") else "h11",
            "lifespan": "on",
            # X-Forwarded-* are honoured by the kernel's trusted-proxies middleware
            # (TRUSTED_PROXIES), not by uvicorn's own list.
            "proxy_headers": False,
            "server_header": False,
        }

    async def handle(self, ctx: CommandContext) -> CommandResult:
        config = self._config(ctx)
        address = f"http://{config['host']}:{config['port']}"
        plan = {k: v for k, v in config.items() if k not in ("factory", "reload_dirs")}
        plan["base_path"] = str(ctx.app.base_path)
        if ctx.dry_run:
            return CommandResult.success(f"Would serve {config['app']} on {address}.", plan)
        if config["loop"] != "uvloop" or config["http"] != "httptools":
            ctx.output.warning(
                "uvloop or httptools is not installed here: using the slower defaults."
            )
        os.environ[BASE_PATH_ENV] = str(ctx.app.base_path)
        if config["workers"] > 1 and "PROMETHEUS_MULTIPROC_DIR" not in os.environ:
            # Several worker processes: metrics libraries (prometheus-client, used by
            # foundry-observability) aggregate across them through one shared folder.
            metrics = ctx.app.storage_path("framework", "metrics")
            metrics.mkdir(parents=True, exist_ok=True)
            os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(metrics)

        import uvicorn

        try:
            if config["reload"] or config["workers"] > 1:
                uvicorn.run(**config)  # the supervisor blocks this (main) thread until it stops
            else:
                server = uvicorn.Server(uvicorn.Config(**config))
                received = await _serve_in_thread(server)
                if not server.started:
                    return CommandResult.failure(
                        f"The server did not start on {address}; the reason is logged above.",
                        plan,
                    )
                if received:
                    return CommandResult.success(f"Server stopped ({received}).", plan)
        except SystemExit as exc:  # uvicorn exits this way when it cannot bind or boot
            if exc.code in (None, 0):
                return CommandResult.success("Server stopped.", plan)
            return CommandResult.failure(
                f"The server did not start on {address}; the reason is logged above.",
                plan,
                exit_code=ExitCode.FAILURE,
            )
        return CommandResult.success("Server stopped.", plan)
