"""Helpers of the real-service suites (fixtures are in conftest.py).

Services are named by environment variables: ``DATABASE_URL`` (PostgreSQL), ``MYSQL_URL``
(MariaDB/MySQL), ``REDIS_URL``. A suite whose service is not configured or not reachable
is skipped — unless ``FOUNDRY_REQUIRE_SERVICES=1`` (set by CI), which turns every such skip
into a failure, so a green CI run means every suite really ran.

Each test that needs a database gets a fresh one (``foundry_it_<random>``), dropped after.
The reference app runs in its own environment (``.nox/test-project``, built by ``nox -s
app``), exactly as a user's app would.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit, urlunsplit

import httpx
import pytest

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "test-project"
APP_ENV = ROOT / ".nox" / "test-project"
# Every process of the reference app a test starts: no audit log or command cache written
# into the app folder, and output unbuffered so a test can wait for a line.
PROCESS_ENV = {"FOUNDRY_AUDIT_LOG": "off", "FOUNDRY_COMMAND_CACHE": "off", "PYTHONUNBUFFERED": "1"}
T = TypeVar("T")


def require_services() -> bool:
    return os.environ.get("FOUNDRY_REQUIRE_SERVICES", "") not in ("", "0", "false")


def unavailable(reason: str) -> None:
    """Skip, or fail when the services are required."""
    if require_services():
        pytest.fail(f"{reason} (FOUNDRY_REQUIRE_SERVICES=1)")
    pytest.skip(reason)


def reachable(url: str) -> bool:
    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 0), timeout=2):
            return True
    except OSError:
        return False


def app_python() -> Path:
    python = APP_ENV / "bin" / "python"
    if not python.exists():
        pytest.fail(f"{APP_ENV} is missing: run `uv run nox -s app` first (it builds it)")
    return python


def foundry(*argv: str, env: dict[str, str], cwd: Path = APP, check: bool = True) -> str:
    """Run the reference app's `foundry` in its own environment; its stdout."""
    done = subprocess.run(
        [str(APP_ENV / "bin" / "foundry"), *argv],
        cwd=cwd,
        env={**os.environ, **PROCESS_ENV, **env},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if check and done.returncode != 0:
        raise AssertionError(
            f"foundry {' '.join(argv)} exited {done.returncode}:\n{done.stdout}\n{done.stderr}"
        )
    return done.stdout


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, parts.fragment))


def _admin(url: str, statement: str) -> None:
    """Run one administrative statement with the server's own client."""
    parts = urlsplit(url)
    if parts.scheme.startswith("postgres"):
        command = [
            "psql",
            _with_database(url, "postgres"),
            "-v",
            "ON_ERROR_STOP=1",
            "-c",
            statement,
        ]
    else:
        command = ["mariadb", "-h", parts.hostname or "127.0.0.1", "-P", str(parts.port or 3306)]
        command += ["-u", parts.username or "root", "-e", statement]
        if parts.password:
            command.insert(1, f"-p{parts.password}")
    subprocess.run(command, check=True, capture_output=True, timeout=60)


def fresh_database(variable: str) -> Iterator[str]:
    url = os.environ.get(variable)
    if not url:
        unavailable(f"{variable} is not set")
    assert url is not None
    if not reachable(url):
        unavailable(f"{variable} points at a server that does not answer")
    name = f"foundry_it_{secrets.token_hex(4)}"
    _admin(url, f"CREATE DATABASE {name}")
    try:
        yield _with_database(url, name)
    finally:
        quoted = f'"{name}"' if urlsplit(url).scheme.startswith("postgres") else f"`{name}`"
        force = " WITH (FORCE)" if urlsplit(url).scheme.startswith("postgres") else ""
        _admin(url, f"DROP DATABASE IF EXISTS {quoted}{force}")


def redis_service() -> str:
    """``REDIS_URL`` when a server answers there (else skip, or fail when required)."""
    url = os.environ.get("REDIS_URL")
    if not url:
        unavailable("REDIS_URL is not set")
    assert url is not None
    if not reachable(url):
        unavailable("REDIS_URL points at a server that does not answer")
    return url


def executable(name: str) -> str:
    """The path of a program the suite drives (else skip, or fail when required)."""
    found = shutil.which(name)
    if found is None:
        unavailable(f"{name} is not installed")
    assert found is not None
    return found


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until(
    check: Callable[[], T],
    *,
    timeout: float,
    what: str,
    detail: Callable[[], str] | None = None,
    interval: float = 0.1,
) -> T:
    """Poll ``check`` until it returns something truthy, and return that.

    Used where the condition itself is the readiness signal (a row appears, a server
    answers); ``timeout`` is a generous "it did not hang" bound, never a measurement.
    """
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            more = f"\n{detail()}" if detail is not None else ""
            raise AssertionError(f"{what}: not within {timeout:g} s{more}")
        time.sleep(interval)


def sql(url: str, statement: str) -> list[tuple[str, ...]]:
    """The rows of one statement, run by ``psql`` on a PostgreSQL URL (values as text; a
    value holding a newline or a tab must be selected with them replaced)."""
    done = subprocess.run(
        ["psql", url, "-v", "ON_ERROR_STOP=1", "-A", "-t", "-F", "\t", "-c", statement],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    if done.returncode != 0:
        raise AssertionError(f"psql failed on {statement!r}: {done.stderr}")
    return [tuple(line.split("\t")) for line in done.stdout.splitlines() if line]


class Process:
    """A long-running process a test started: its output in a log file, stopped by its PID."""

    def __init__(self, argv: list[str], *, env: dict[str, str], cwd: Path, log: Path) -> None:
        self.name = Path(argv[0]).name + " " + " ".join(argv[1:3])
        self.log = log
        self._output = log.open("ab")
        self.popen = subprocess.Popen(
            argv,
            cwd=cwd,
            env={**os.environ, **PROCESS_ENV, **env},
            stdin=subprocess.DEVNULL,
            stdout=self._output,
            stderr=subprocess.STDOUT,
        )

    @property
    def pid(self) -> int:
        return self.popen.pid

    def alive(self) -> bool:
        return self.popen.poll() is None

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def tail(self, lines: int = 40) -> str:
        return f"--- last lines of {self.name} (pid {self.pid}) ---\n" + "\n".join(
            self.output().splitlines()[-lines:]
        )

    def wait_for_output(self, text: str, *, timeout: float, after: int = 0) -> None:
        """Wait until ``text`` appears in the output (past character ``after``)."""

        def printed() -> bool:
            if text in self.output()[after:]:
                return True
            if not self.alive():
                raise AssertionError(
                    f"{self.name} exited ({self.popen.returncode}) before printing "
                    f"{text!r}\n{self.tail()}"
                )
            return False

        wait_until(
            printed, timeout=timeout, what=f"{self.name} printing {text!r}", detail=self.tail
        )

    def stop(self, timeout: float = 30) -> int:
        """SIGTERM (a graceful stop), SIGKILL if it is still running after ``timeout``."""
        if self.alive():
            os.kill(self.pid, signal.SIGTERM)
            try:
                self.popen.wait(timeout)
            except subprocess.TimeoutExpired:
                os.kill(self.pid, signal.SIGKILL)
                self.popen.wait()
        self._output.close()
        return self.popen.returncode


def spawn_foundry(*argv: str, env: dict[str, str], log: Path) -> Process:
    """The reference app's ``foundry`` running in the background (a worker, a shell)."""
    app_python()
    return Process([str(APP_ENV / "bin" / "foundry"), *argv], env=env, cwd=APP, log=log)


class AppServer(Process):
    """``foundry serve`` of the reference app on a free port of 127.0.0.1."""

    def __init__(self, env: dict[str, str], log: Path, *, port: int = 0) -> None:
        app_python()
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        argv = ["serve", "--port", str(self.port), "--log-level", "warning"]
        super().__init__([str(APP_ENV / "bin" / "foundry"), *argv], env=env, cwd=APP, log=log)

    def healthy(self) -> bool:
        if not self.alive():
            raise AssertionError(f"{self.name} exited ({self.popen.returncode})\n{self.tail()}")
        try:
            return httpx.get(f"{self.url}/health", timeout=2).status_code == 200
        except httpx.HTTPError:
            return False

    def wait_ready(self, timeout: float = 120) -> None:
        wait_until(
            self.healthy,
            timeout=timeout,
            what=f"{self.url}/health answering",
            detail=self.tail,
            interval=0.2,
        )


def start_servers(log_dir: Path, envs: list[dict[str, str]]) -> list[AppServer]:
    """Start one server per environment at once, and wait until each answers ``/health``.

    The caller stops them (``stop_all``), in a ``finally`` or a fixture's teardown.
    """
    servers: list[AppServer] = []
    try:
        for number, env in enumerate(envs):
            servers.append(AppServer(env, log_dir / f"server-{number}.log"))
        for server in servers:
            server.wait_ready()
    except BaseException:
        stop_all(servers)
        raise
    return servers


def stop_all(processes: list[AppServer] | list[Process]) -> None:
    for process in processes:
        process.stop()


class RedisServer:
    """A throwaway ``redis-server`` on a free port, for tests that stop and start Redis.

    It keeps nothing on disk unless ``persist`` (append-only file in ``directory``), so a
    restart without ``persist`` comes back empty, as a crashed cache server does.
    """

    def __init__(self, directory: Path, *, persist: bool = False) -> None:
        self.binary = executable("redis-server")
        self.directory = directory
        self.persist = persist
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: Process | None = None
        self.starts = 0

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.alive()

    def start(self) -> None:
        self.starts += 1
        argv = [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""]
        argv += ["--appendonly", "yes" if self.persist else "no", "--dir", str(self.directory)]
        log = self.directory / f"redis-{self.starts}.log"
        self.process = Process(argv, env={}, cwd=self.directory, log=log)
        self.process.wait_for_output("Ready to accept connections", timeout=30)

    def stop(self) -> None:
        if self.process is not None:
            self.process.stop()
            self.process = None


def delete_redis_keys(url: str, prefix: str) -> None:
    """Remove what a run left under its own key prefix on a shared Redis."""
    import redis

    client = redis.Redis.from_url(url)
    try:
        keys = list(client.scan_iter(match=f"{prefix}*", count=1000))
        if keys:
            client.delete(*keys)
    finally:
        client.close()


def new_app_key() -> str:
    return "base64:" + base64.b64encode(secrets.token_bytes(32)).decode()


def shared_state_env(database_url: str, redis_url: str, prefix: str) -> dict[str, str]:
    """The reference app's environment for instances that share one database and one
    Redis: cache, sessions, broadcasting and rate limits in Redis, each under ``prefix``
    (the queue's keys too, should it use Redis), one ``APP_KEY`` and one set of Pusher
    credentials."""
    return {
        "APP_ENV": "local",
        "APP_KEY": new_app_key(),
        "DATABASE_URL": database_url,
        "DATABASE_MIGRATE_ON_START": "false",
        "REDIS_URL": redis_url,
        "CACHE_DRIVER": "redis",
        "CACHE_PREFIX": f"{prefix}cache:",
        "SESSION_DRIVER": "redis",
        "SESSION_PREFIX": f"{prefix}session:",
        "BROADCAST_DRIVER": "redis",
        "BROADCAST_REDIS_PREFIX": f"{prefix}broadcast:",
        "RATE_LIMIT_STORE": "redis",
        "RATE_LIMIT_PREFIX": f"{prefix}ratelimit:",
        "QUEUE_REDIS_PREFIX": f"{prefix}queue:",
        "PUSHER_APP_ID": "4242",
        "PUSHER_APP_KEY": "it-key",
        "PUSHER_APP_SECRET": secrets.token_hex(16),
    }


@dataclass
class Instances:
    """Reference-app servers sharing one PostgreSQL database and one Redis."""

    servers: list[AppServer]
    env: dict[str, str]  # what they share: the environment of `foundry` commands run beside
    database_url: str
    redis_url: str
    prefix: str


@contextlib.contextmanager
def shared_instances(
    log_dir: Path,
    redis_url: str,
    overrides: list[dict[str, str]],
    *,
    clean_redis: bool = True,
    **extra: str,
) -> Iterator[Instances]:
    """One server per entry of ``overrides`` (its own variables over the shared ones), on a
    fresh PostgreSQL database (``DATABASE_URL``) migrated first with ``foundry migrate``.

    Every server is stopped by its PID when the block ends, the run's Redis keys (under
    its unique prefix) are deleted when ``clean_redis``, and the database is dropped.
    """
    prefix = f"foundry_it_{secrets.token_hex(4)}:"
    with contextlib.contextmanager(fresh_database)("DATABASE_URL") as database_url:
        env = {**shared_state_env(database_url, redis_url, prefix), **extra}
        try:
            foundry("migrate", env=env)
            servers = start_servers(log_dir, [{**env, **own} for own in overrides])
            try:
                yield Instances(servers, env, database_url, redis_url, prefix)
            finally:
                stop_all(servers)
        finally:
            if clean_redis:
                delete_redis_keys(redis_url, prefix)


def api_token(sign_up_at: str, email: str, abilities: list[str], *, create_at: str = "") -> str:
    """A personal API token of a new account, made the way a user makes one.

    The account registers (JSON) at ``sign_up_at`` and is signed in there; the token is
    created with that session at ``create_at`` (default: the same server), so with two
    instances a token made on the other one also shows their sessions are shared.
    """
    as_json = {"accept": "application/json"}
    password = "correct horse battery staple"
    with httpx.Client(timeout=30, headers=as_json) as client:
        registered = client.post(
            f"{sign_up_at}/auth/register",
            json={
                "name": "Integration Tester",
                "email": email,
                "password": password,
                "password_confirmation": password,
            },
        )
        assert registered.status_code in (200, 201), registered.text
        base = create_at or sign_up_at
        csrf = client.get(f"{base}/auth/csrf-token")
        assert csrf.status_code == 200, csrf.text
        created = client.post(
            f"{base}/auth/user/tokens",
            json={"name": "integration", "abilities": abilities},
            headers={"x-csrf-token": csrf.json()["csrf_token"]},
        )
        assert created.status_code == 201, created.text
        return str(created.json()["token"])


class PusherClient:
    """A client of the Pusher Channels protocol over a WebSocket, as pusher-js speaks it:
    waits for ``pusher:connection_established``, subscribes, answers ``pusher:ping``."""

    def __init__(self, socket: Any) -> None:
        self.socket = socket
        self.socket_id = ""

    @classmethod
    async def connect(cls, base_url: str, key: str, *, timeout: float = 10) -> PusherClient:
        import websockets

        url = "ws" + base_url.removeprefix("http") + f"/app/{key}?protocol=7&client=it&version=1"
        client = cls(await websockets.connect(url, open_timeout=timeout))
        established = await client.expect(
            lambda f: f["event"] == "pusher:connection_established", timeout, "a connection"
        )
        client.socket_id = str(established["data"]["socket_id"])
        return client

    async def send(self, event: str, data: Any) -> None:
        await self.socket.send(json.dumps({"event": event, "data": data}))

    async def next_frame(self, timeout: float) -> dict[str, Any]:
        """The next frame, its ``data`` decoded when it is a JSON string."""
        frame: dict[str, Any] = json.loads(await asyncio.wait_for(self.socket.recv(), timeout))
        if isinstance(frame.get("data"), str):
            with contextlib.suppress(ValueError):
                frame["data"] = json.loads(frame["data"])
        return frame

    async def expect(
        self, match: Callable[[dict[str, Any]], bool], timeout: float, what: str
    ) -> dict[str, Any]:
        """The first frame ``match`` accepts within ``timeout`` (pings are answered)."""
        deadline = asyncio.get_running_loop().time() + timeout
        seen: list[dict[str, Any]] = []
        while True:
            left = deadline - asyncio.get_running_loop().time()
            try:
                frame = await self.next_frame(max(left, 0.001))
            except TimeoutError:
                raise AssertionError(f"no {what} within {timeout:g} s; saw {seen}") from None
            if frame.get("event") == "pusher:ping":
                await self.send("pusher:pong", {})
            elif match(frame):
                return frame
            else:
                seen.append(frame)

    async def subscribe(self, channel: str, *, timeout: float = 10) -> None:
        await self.send("pusher:subscribe", {"channel": channel})
        await self.expect(
            lambda f: (
                f["event"] == "pusher_internal:subscription_succeeded"
                and f.get("channel") == channel
            ),
            timeout,
            f"subscription to {channel}",
        )

    async def event(
        self,
        channel: str,
        event: str,
        *,
        where: Callable[[Any], bool] = lambda data: True,
        timeout: float = 10,
    ) -> Any:
        """The data of the next ``event`` on ``channel`` that ``where`` accepts."""
        frame = await self.expect(
            lambda f: f.get("channel") == channel and f["event"] == event and where(f["data"]),
            timeout,
            f"{event} on {channel}",
        )
        return frame["data"]

    async def close(self) -> None:
        await self.socket.close()
