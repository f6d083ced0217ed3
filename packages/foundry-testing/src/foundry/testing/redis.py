"""Tests on the shared local Redis without touching anyone else's keys.

The Redis that tests use is shared (developers' machines, CI service containers), so a
test must never ``FLUSHDB``: it gets a key prefix of its own instead and, afterwards, only
the keys under that prefix are deleted (``SCAN`` + ``DEL``)::

    url = require_redis()                  # skips (or fails under FOUNDRY_REQUIRE_SERVICES=1)
    with isolated_prefix(url, "foundry-cache-test") as prefix:
        store = RedisStore(url, prefix=prefix)
        ...                                # keys "<prefix>..." are deleted on the way out

The server is the one named by ``FOUNDRY_TEST_REDIS_URL`` (default
``redis://127.0.0.1:6379/0``): a variable of its own, because tests routinely clear the
application's ``REDIS_URL`` to start from a blank configuration. The pytest plugin offers
``redis_url`` and ``redis_prefix`` fixtures over these helpers. Deleting keys needs the
``redis`` client (``foundry-testing[redis]``); checking reachability does not.

Outage tests must not stop the shared server: :class:`RedisServerProcess` (the
``redis_server`` fixture) is a ``redis-server`` of one test's own, on a free port, that the
test stops, kills, freezes and starts again.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import secrets
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from foundry.testing.servers import require_service

__all__ = [
    "DEFAULT_REDIS_URL",
    "REDIS_URL_VARIABLE",
    "RedisServerProcess",
    "TcpRelay",
    "configured_redis_url",
    "delete_prefix",
    "isolated_prefix",
    "redis_address",
    "redis_reachable",
    "require_redis",
    "unique_prefix",
]

REDIS_URL_VARIABLE = "FOUNDRY_TEST_REDIS_URL"
"""Names the Redis tests use (not ``REDIS_URL``, which tests clear for the app)."""

DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"
"""The local Redis, database 0: where CI's service container and ``redis-server`` listen."""


def configured_redis_url() -> str:
    """The Redis URL tests use: ``FOUNDRY_TEST_REDIS_URL`` or the local default."""
    return os.environ.get(REDIS_URL_VARIABLE, "").strip() or DEFAULT_REDIS_URL


def redis_address(url: str) -> tuple[str, int]:
    """``(host, port)`` of a ``redis://`` URL (for TCP probes and relays)."""
    parts = urlsplit(url)
    return parts.hostname or "127.0.0.1", parts.port or 6379


def redis_reachable(url: str | None = None, *, timeout: float = 0.5) -> bool:
    """Whether something accepts TCP connections at ``url``'s address (a quick probe, so
    a missing server costs half a second, not the client's retry budget)."""
    try:
        with socket.create_connection(
            redis_address(url or configured_redis_url()), timeout=timeout
        ):
            return True
    except OSError:
        return False


def require_redis(url: str | None = None) -> str:
    """The test Redis URL; the current test is skipped when Redis is not reachable, or
    failed under ``FOUNDRY_REQUIRE_SERVICES=1``."""
    chosen = url or configured_redis_url()
    if not redis_reachable(chosen):
        host, port = redis_address(chosen)
        require_service(f"Redis is not reachable at {host}:{port}")
    return chosen


def unique_prefix(label: str = "foundry-test") -> str:
    """``<label>:<random>:``: a key prefix no other test (or run) uses."""
    return f"{label}:{secrets.token_hex(6)}:"


def delete_prefix(url: str, prefix: str) -> int:
    """Delete the keys starting with ``prefix`` (and only those); returns how many.

    Glob characters in the prefix are escaped, so ``a*:`` never matches ``ab:``. Uses the
    synchronous client, so it works from sync and async fixtures alike."""
    from redis import Redis

    pattern = "".join(f"\\{c}" if c in "*?[]\\" else c for c in prefix) + "*"
    client = Redis.from_url(url)
    try:
        keys = list(client.scan_iter(match=pattern, count=500))
        return int(client.delete(*keys)) if keys else 0
    finally:
        client.close()


@contextmanager
def isolated_prefix(url: str | None = None, label: str = "foundry-test") -> Iterator[str]:
    """A fresh :func:`unique_prefix` whose keys are deleted on exit (Redis must be
    reachable: call :func:`require_redis` first)."""
    chosen = url or configured_redis_url()
    prefix = unique_prefix(label)
    try:
        yield prefix
    finally:
        if redis_reachable(chosen):  # a test may have stopped a relay; the server is what counts
            delete_prefix(chosen, prefix)


class RedisServerProcess:
    """A throwaway ``redis-server`` on a free local port, for tests of what happens when
    Redis goes away: the shared server must never be stopped, so each such test runs its
    own. It stops (:meth:`stop`, SIGTERM: the server closes its connections, as in an
    operator's restart), dies (:meth:`kill`, SIGKILL: a crash), freezes (:meth:`pause`,
    SIGSTOP: connections stay open and nothing answers, as in a network partition) and
    comes back on the same port (:meth:`start`, :meth:`restart`).

    Nothing is kept on disk by default, so a restarted server is empty, as a crashed cache
    is; ``append_only=True`` writes every change to ``workdir`` first (``appendfsync
    always``), so the data survives a :meth:`stop` and :meth:`start`, as a queue's must.
    ``binary`` defaults to the ``redis-server`` on ``PATH``; the ``redis_server`` fixture
    skips (or fails under ``FOUNDRY_REQUIRE_SERVICES=1``) when there is none.
    """

    def __init__(
        self,
        workdir: Path,
        *,
        binary: str | None = None,
        append_only: bool = False,
        start_timeout: float = 20.0,
    ) -> None:
        chosen = binary or shutil.which("redis-server")
        if chosen is None:
            raise FileNotFoundError("redis-server is not installed (not found on PATH)")
        self.binary = chosen
        self.workdir = Path(workdir)
        self.append_only = append_only
        self.start_timeout = start_timeout
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = int(probe.getsockname()[1])
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen[bytes] | None = None

    def argv(self) -> list[str]:
        """The command line :meth:`start` runs."""
        argv = [self.binary, "--port", str(self.port), "--bind", "127.0.0.1"]
        argv += ["--dir", str(self.workdir), "--save", ""]
        if self.append_only:
            return [*argv, "--appendonly", "yes", "--appendfsync", "always"]
        return [*argv, "--appendonly", "no"]

    def start(self) -> None:
        """Start the server and return once it answers ``PING`` (it may still be loading
        its data before that); ``RuntimeError`` when it exits or stays silent."""
        if self.process is not None:
            raise RuntimeError(f"redis-server on port {self.port} is already running")
        process = subprocess.Popen(
            self.argv(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        self.process = process
        deadline = time.monotonic() + self.start_timeout
        while not self._answers_ping():
            if process.poll() is not None or time.monotonic() > deadline:
                self._end(signal.SIGKILL)
                raise RuntimeError(f"redis-server did not start on port {self.port}")
            time.sleep(0.05)

    def stop(self) -> None:
        """SIGTERM and wait: a clean shutdown (the append-only file is complete)."""
        self._end(signal.SIGTERM)

    def kill(self) -> None:
        """SIGKILL and wait: the server dies at once, as in a crash."""
        self._end(signal.SIGKILL)

    def restart(self) -> None:
        """:meth:`stop`, then :meth:`start` on the same port."""
        self.stop()
        self.start()

    def pause(self) -> None:
        """Freeze the server (SIGSTOP): connections stay open and nothing answers."""
        if self.process is None:
            raise RuntimeError("redis-server is not running")
        self.process.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        """Let a paused server run again (SIGCONT)."""
        if self.process is not None:
            self.process.send_signal(signal.SIGCONT)

    def client(self) -> Any:
        """A ``redis.asyncio`` client of this server (the caller closes it)."""
        from redis.asyncio import Redis

        return Redis.from_url(self.url)

    def _answers_ping(self) -> bool:
        with (
            contextlib.suppress(OSError),
            socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock,
        ):
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
        return False

    def _end(self, how: signal.Signals) -> None:
        process, self.process = self.process, None
        if process is None:
            return
        if process.poll() is None:
            process.send_signal(signal.SIGCONT)  # a paused server would never act on SIGTERM
            process.send_signal(how)
        process.wait(20)


class TcpRelay:
    """A TCP relay in front of a real server (Redis) that can be taken down and brought
    back on the same port: how a server restart looks from the application's side, without
    touching the server other tests share.

    ::

        relay = TcpRelay(redis_address(redis_url))
        await relay.start()          # the app connects to 127.0.0.1:relay.port
        await relay.stop()           # every connection drops; new ones are refused
        await relay.start()          # back, on the same port
    """

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.port = 0
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()

    @property
    def running(self) -> bool:
        return self._server is not None

    async def start(self) -> None:
        """Listen (on the port of the previous start, once there was one)."""
        self._server = await asyncio.start_server(self._relay, "127.0.0.1", self.port)
        self.port = self._server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        """Close the listener and every relayed connection."""
        if self._server is None:
            return
        self._server.close()
        for writer in list(self._writers):
            writer.close()
        self._writers.clear()
        await self._server.wait_closed()
        self._server = None

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        except (ConnectionError, OSError):
            pass
        finally:
            writer.close()

    async def _relay(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        up_reader, up_writer = await asyncio.open_connection(*self.target)
        self._writers |= {writer, up_writer}
        await asyncio.gather(self._pipe(reader, up_writer), self._pipe(up_reader, writer))
