"""Requests per second of one server worker: bare FastAPI, Foundry's full stack, Django.

Run from the repository root with every workspace package and the bench group installed,
and ``wrk`` on the PATH (Debian/Ubuntu: ``apt-get install -y wrk``):

    uv run --all-packages --group bench python benchmarks/http_serving.py [--rounds 3]
    [--duration 10]

Every target answers ``GET /api/hello`` with ``{"message": "Hello, World!"}``:

- **bare FastAPI**: ``FastAPI()`` with that one route and no middleware;
- **Foundry (reference app)**: ``test-project/`` exactly as ``create_app()`` assembles it —
  the providers of the packages it depends on, its routes, the full default middleware
  stack (printed as read from the served app) — plus one provider adding the same route,
  so the app itself is not changed. ``--all-packages`` installs every workspace package,
  and installed providers are discovered, so the packages test-project does not depend on
  are opted out (``FOUNDRY_DONT_DISCOVER``), as they are absent where the app is installed;
- **Foundry (every installed package)**: the same app with every installed provider, which
  adds their routes and middleware (reported beside, to show what they cost);
- **Django 5.2, ASGI**: ``benchmarks/django_peer/``, DEBUG off, no database, an async view
  returning ``JsonResponse``, its ASGI application under the same uvicorn settings as the
  FastAPI targets: same server, event loop and HTTP parser, so only the framework differs;
- **Django 5.2, WSGI**: the same project with the sync form of the view under gunicorn's
  sync worker, Django's most common production deployment, and on this endpoint much
  faster than Django under ASGI; the Django ratio is met only if it holds for both;
- **Foundry, DB list**: the reference app's ``GET /api/products?per_page=20`` on
  PostgreSQL, in a throwaway database created on the server ``DATABASE_URL`` names (when
  it is a PostgreSQL URL; else ``postgres@127.0.0.1:5432``), migrated with
  ``foundry migrate``, seeded with ``foundry db:seed`` and dropped at the end. Skipped, with
  the reason, when PostgreSQL does not answer.

Servers run one worker each (uvicorn with uvloop and httptools, access log off; gunicorn
with one sync worker). The machine has two cores: servers are pinned to CPU 0 and wrk to
CPU 1 with ``taskset`` (unpinned when it is missing), so the load generator takes no CPU
from the server it measures. One wrk thread is enough — wrk in C sends far more requests
per core than one Python worker answers; the client's CPU share is printed to show it — and
64 connections keep the worker busy at every moment. Each target gets a warm-up, then
``--rounds`` runs of ``--duration`` seconds in a rotating order, so a noisy moment hits every
target alike; medians are reported, with the ratios against the targets (Foundry at least
0.9x bare FastAPI and at least 1.5x Django). Nothing is asserted. ``other CPU`` is the
machine's busy time less the server's and wrk's: kernel network work, PostgreSQL for the DB
list, and anything else running — a large figure on the hello targets means a noisy run.

Last (unless ``--no-breakdown``), the bare and Foundry apps are called in process, without
a server, to show where Foundry's time goes: routing, and each middleware's share.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
import os
import re
import resource
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from _harness import BIN, ROOT, verdict

from foundry.domain.provider import ServiceProvider

APP = ROOT / "test-project"
HELLO = "/api/hello"
LIST = "/api/products?per_page=20"
MESSAGE = {"message": "Hello, World!"}
SERVER_CPU, CLIENT_CPU = 0, 1
DEFAULT_POSTGRES = "postgresql://postgres@127.0.0.1:5432/postgres"

# The same for every uvicorn server; ``lifespan`` differs only because Django has none.
UVICORN: dict[str, Any] = {
    "host": "127.0.0.1",
    "loop": "uvloop",
    "http": "httptools",
    "access_log": False,
    "log_level": "warning",
    "server_header": False,
    "proxy_headers": False,
}

WRK_REPORT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK_JSON {"requests": %.0f, "duration_us": %.0f, "p50_us": %.1f, "p99_us": %.1f, '
    .. '"connect": %.0f, "read": %.0f, "write": %.0f, "status": %.0f, "timeout": %.0f}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.connect, e.read, e.write, e.status, e.timeout))
end
"""


# --- the servers (child processes: ``http_serving.py --serve NAME --port N --info FILE``) --------


async def hello() -> dict[str, str]:
    """The endpoint of every FastAPI target: one function, so the code is identical."""
    return MESSAGE


class HelloRoute(ServiceProvider):
    """Adds ``GET /api/hello`` to the reference app, leaving the app's own code unchanged."""

    name = "bench-hello"

    def routes(self, app: Any) -> Iterable[Any]:
        from fastapi import APIRouter

        router = APIRouter()
        router.add_api_route(HELLO, hello, methods=["GET"])
        return [router]


def bare_fastapi() -> tuple[Any, dict[str, Any]]:
    from fastapi import FastAPI

    api = FastAPI()
    api.add_api_route(HELLO, hello, methods=["GET"])
    return api, {"lifespan": "on"}


def foundry_app() -> tuple[Any, dict[str, Any]]:
    from foundry.application import create_app
    from foundry.application.http import middleware_stack
    from foundry.domain.http import APP_STATE_KEY

    api = create_app(APP, providers=[HelloRoute])
    application = getattr(api.state, APP_STATE_KEY)
    labels = {spec.cls: spec.label for spec in middleware_stack(application)}
    # Starlette builds its stack from user_middleware, outermost first: what really runs
    stack = [
        {
            "label": labels.get(entry.cls, getattr(entry.cls, "__name__", str(entry.cls))),
            "class": f"{entry.cls.__module__}.{entry.cls.__qualname__}",
        }
        for entry in api.user_middleware
    ]
    return api, {
        "middleware": stack,
        "providers": [provider.name for provider in application.providers],
        "environment": application.config.get("app.env"),
        "debug": application.debug,
        "lifespan": "on",
    }


def django_asgi() -> tuple[Any, dict[str, Any]]:
    import django
    from django.conf import settings
    from django_peer.asgi import application

    return application, {
        "middleware": list(settings.MIDDLEWARE),
        "debug": settings.DEBUG,
        "version": django.get_version(),
        "lifespan": "off",
    }


def serve_wsgi(port: int, info_path: Path) -> None:
    """Django's WSGI application under gunicorn: one sync worker, access log off."""
    import gunicorn
    from gunicorn.app.base import BaseApplication

    options = {
        "bind": f"127.0.0.1:{port}",
        "workers": 1,
        "worker_class": "sync",
        "accesslog": None,
        "loglevel": "warning",
    }

    class Gunicorn(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self) -> Any:
            from django_peer.wsgi import application

            return application

    info_path.write_text(json.dumps({"gunicorn": gunicorn.__version__}))
    Gunicorn().run()


SERVERS: dict[str, Callable[[], tuple[Any, dict[str, Any]]]] = {
    "fastapi": bare_fastapi,
    "foundry": foundry_app,
    "django": django_asgi,
}


def serve(name: str, port: int, info_path: Path) -> None:
    """Build one target and serve it until SIGTERM (the server's own graceful shutdown)."""
    if name == "breakdown":
        breakdown()
        return
    if name == "django-wsgi":
        serve_wsgi(port, info_path)
        return
    import uvicorn

    app, info = SERVERS[name]()
    info["uvicorn"] = uvicorn.__version__
    info_path.write_text(json.dumps(info))
    config = uvicorn.Config(app, port=port, lifespan=info["lifespan"], **UVICORN)
    uvicorn.Server(config).run()


# --- where the time goes: the same apps called in process, without a server -------------


def _scope() -> dict[str, Any]:
    """A scope as uvicorn builds it for ``GET /api/hello`` from wrk."""
    return {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.4"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": HELLO,
        "raw_path": HELLO.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"127.0.0.1:8000")],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
        "state": {},
    }


async def _per_request(app: Any, requests: int) -> float:
    """Microseconds per request over ``requests`` sequential calls (each must answer 200)."""
    statuses: list[int] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            statuses.append(message["status"])

    started = time.perf_counter()
    for _ in range(requests):
        await app(_scope(), receive, send)
    elapsed = time.perf_counter() - started
    if set(statuses) != {200}:
        raise SystemExit(f"in-process calls answered {sorted(set(statuses))}, not only 200")
    return elapsed / requests * 1e6


def breakdown(requests: int = 2000, rounds: int = 9) -> None:
    """What the framework costs per request, by part: the app called straight through ASGI
    (no server, no sockets), with its middleware list emptied or one middleware left out
    (Starlette rebuilds the stack from ``user_middleware``), variants taking turns."""
    from fastapi.routing import iter_route_contexts

    bare, _ = bare_fastapi()
    api, info = foundry_app()
    labels = [entry["label"] for entry in info["middleware"]]
    stack = list(api.user_middleware)
    variants: dict[str, tuple[Any, list[Any] | None]] = {
        "bare FastAPI": (bare, None),
        "Foundry, no middleware": (api, []),
        "Foundry, full stack": (api, stack),
    }
    for index, label in enumerate(labels):
        variants[label] = (api, stack[:index] + stack[index + 1 :])

    async def measure() -> dict[str, float]:
        samples: dict[str, list[float]] = {name: [] for name in variants}
        async with api.router.lifespan_context(api):
            for _ in range(rounds):
                for name, (app, middleware) in variants.items():
                    if middleware is not None:
                        app.user_middleware = list(middleware)
                        app.middleware_stack = None
                    samples[name].append(await _per_request(app, requests))
        return {name: min(values) for name, values in samples.items()}

    us = asyncio.run(measure())
    routes = sum(1 for _ in iter_route_contexts(api.routes))
    bare_us, plain = us["bare FastAPI"], us["Foundry, no middleware"]
    full = us["Foundry, full stack"]
    print(
        f"\nWhere the time goes (in process, no server: us per request, best of {rounds} "
        f"x {requests} calls)"
    )
    print(f"  {'bare FastAPI':<34}{bare_us:8.1f}")
    print(
        f"  {'Foundry, no middleware':<34}{plain:8.1f}  (+{plain - bare_us:.1f}: routing; the "
        f"bench route is the last of {routes}, in {len(api.router.routes)} entries of the "
        "app's router, of which the route index tries only those filed under /api)"
    )
    print(f"  {'Foundry, full stack':<34}{full:8.1f}  (+{full - plain:.1f}: the middleware)")
    print("  each middleware, as the full stack less that one (a few us of noise):")
    for label in labels:
        print(f"    {label:<32}{full - us[label]:8.1f}")


# --- processes, load and measurements ----------------------------------------------------


def pinned(cpu: int) -> list[str]:
    """The ``taskset`` prefix for one CPU, when taskset exists and so does the CPU."""
    if shutil.which("taskset") and (os.cpu_count() or 1) > max(SERVER_CPU, CLIENT_CPU):
        return ["taskset", "-c", str(cpu)]
    return []


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def fetch(url: str, timeout: float = 5.0) -> tuple[int, dict[str, str], bytes]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, dict(response.headers.items()), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers.items()), exc.read()


def tree_cpu_seconds(root: int) -> float:
    """User + system CPU time of a process and its live descendants (gunicorn's worker)."""
    stats: dict[int, tuple[int, int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        stats[int(entry.name)] = (int(fields[1]), int(fields[11]) + int(fields[12]))
    tree, ticks, added = {root}, 0, True
    while added:
        added = False
        for pid, (parent, _) in stats.items():
            if parent in tree and pid not in tree:
                tree.add(pid)
                added = True
    for pid in tree:
        ticks += stats.get(pid, (0, 0))[1]
    return ticks / os.sysconf("SC_CLK_TCK")


def machine_busy_seconds() -> float:
    """CPU time the whole machine spent busy so far (every core, kernel work included)."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
    return (sum(values) - values[3] - values[4]) / os.sysconf("SC_CLK_TCK")  # less idle, iowait


class Server:
    """One target's server process, pinned to the server CPU, logging to a file."""

    def __init__(
        self, name: str, serves: str, env: dict[str, str], workdir: Path, cwd: Path
    ) -> None:
        self.name = name
        self.port = free_port()
        self.info_path = workdir / f"{name}.json"
        self.log_path = workdir / f"{name}.log"
        argv = [sys.executable, str(Path(__file__).resolve()), "--serve", serves]
        argv += ["--port", str(self.port), "--info", str(self.info_path)]
        self.log = self.log_path.open("wb")
        self.process = subprocess.Popen(
            [*pinned(SERVER_CPU), *argv],
            cwd=cwd,
            env={**os.environ, **env},
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        self.info: dict[str, Any] = {}

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def _log_tail(self) -> str:
        return self.log_path.read_text(errors="replace")[-3000:]

    def wait_ready(self, path: str, timeout: float = 120.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                code = self.process.returncode
                raise SystemExit(f"The {self.name} server exited {code}:\n{self._log_tail()}")
            try:
                status, _, _ = fetch(self.url(path), timeout=2)
            except OSError:
                time.sleep(0.2)
                continue
            if status != 200:
                raise SystemExit(
                    f"The {self.name} server answered GET {path} with {status}:\n{self._log_tail()}"
                )
            self.info = json.loads(self.info_path.read_text())
            return
        raise SystemExit(f"The {self.name} server did not answer GET {path} in {timeout:.0f}s")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


@dataclass
class Result:
    """One wrk run against one target."""

    rps: float
    p50_ms: float
    p99_ms: float
    failed: int
    server_cpu: float
    client_cpu: float
    other_cpu: float


@dataclass
class Target:
    label: str
    server: Server
    path: str
    check: Callable[[Any], bool]
    results: list[Result] = field(default_factory=list)

    def median(self, pick: Callable[[Result], float]) -> float:
        return statistics.median(pick(r) for r in self.results)

    @property
    def rps(self) -> float:
        return self.median(lambda r: r.rps)


def run_wrk(target: Target, args: argparse.Namespace, seconds: int, script: Path) -> Result:
    argv = [*pinned(CLIENT_CPU), "wrk", "-t", str(args.threads), "-c", str(args.connections)]
    argv += ["-d", f"{seconds}s", "--timeout", "5s", "-s", str(script)]
    argv.append(target.server.url(target.path))
    pid = target.server.process.pid
    server_before = tree_cpu_seconds(pid)
    client_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    busy_before = machine_busy_seconds()
    started = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - started
    busy = machine_busy_seconds() - busy_before
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    server = tree_cpu_seconds(pid) - server_before
    client = after.ru_utime - client_before.ru_utime + after.ru_stime - client_before.ru_stime
    line = next((ln for ln in done.stdout.splitlines() if ln.startswith("WRK_JSON ")), None)
    if done.returncode != 0 or line is None:
        raise SystemExit(f"wrk failed ({' '.join(argv)}):\n{done.stdout}\n{done.stderr}")
    data = json.loads(line.removeprefix("WRK_JSON "))
    failed = sum(int(data[k]) for k in ("connect", "read", "write", "timeout", "status"))
    return Result(
        rps=data["requests"] / (data["duration_us"] / 1e6),
        p50_ms=data["p50_us"] / 1000,
        p99_ms=data["p99_us"] / 1000,
        failed=failed,
        server_cpu=server / wall,
        client_cpu=client / wall,
        other_cpu=max(0.0, busy - server - client) / wall,
    )


def probe(target: Target) -> str:
    """Check the answer before the load; a short description of the response."""
    status, headers, raw = fetch(target.server.url(target.path))
    if status != 200 or not target.check(json.loads(raw)):
        raise SystemExit(f"{target.label}: GET {target.path} answered {status}: {raw[:300]!r}")
    names = ", ".join(sorted(h.lower() for h in headers))
    return f"{len(raw)} B body, {len(headers)} headers ({names})"


# --- PostgreSQL: a throwaway database for the DB-backed list ------------------------------


def postgres_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith(("postgresql://", "postgres://")) else DEFAULT_POSTGRES


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, parts.fragment))


def postgres_admin(statement: str) -> None:
    import asyncpg

    async def run() -> None:
        connection = await asyncpg.connect(with_database(postgres_url(), "postgres"), timeout=5)
        try:
            await connection.execute(statement)
        finally:
            await connection.close()

    asyncio.run(run())


def create_database(env: dict[str, str]) -> tuple[str | None, str]:
    """A migrated, seeded database named in ``env``; its name (None: skipped) and a note."""
    parts = urlsplit(postgres_url())
    where = f"{parts.hostname or '127.0.0.1'}:{parts.port or 5432}"
    try:
        socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 5432), 2).close()
    except OSError as exc:
        return None, f"PostgreSQL at {where} is not reachable ({exc})"
    name = f"foundry_bench_{secrets.token_hex(4)}"
    try:
        postgres_admin(f'CREATE DATABASE "{name}"')
    except Exception as exc:
        return None, f"could not create a database on {where} ({exc})"
    env["DATABASE_URL"] = with_database(postgres_url(), name)
    for command in (["migrate", "--force"], ["db:seed", "--force"]):
        done = subprocess.run(
            [str(BIN / "foundry"), *command],
            cwd=APP,
            env={**os.environ, **env},
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            postgres_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            raise SystemExit(f"foundry {' '.join(command)} failed:\n{done.stdout}\n{done.stderr}")
    return name, f"database {name} on {where}, migrated and seeded (50 products)"


# --- the run -----------------------------------------------------------------------------


def undeclared_providers() -> list[str]:
    """Installed packages with providers that test-project does not depend on."""

    def normal(name: str) -> str:
        return re.sub(r"[-_.]+", "-", name).lower()

    project = tomllib.loads((APP / "pyproject.toml").read_text())["project"]
    names = (re.split(r"[\s\[<>=!~;@]", dep, maxsplit=1)[0] for dep in project["dependencies"])
    declared = {normal(name) for name in names}
    providers = entry_points(group="foundry.providers")
    return sorted({normal(ep.dist.name) for ep in providers if ep.dist} - declared)


def foundry_env(workdir: Path) -> dict[str, str]:
    """Production settings. The default rate limit is raised so every request is counted
    and allowed: one client address sends all the load, and at the default 60/minute
    nearly every answer would be a cheap 429."""
    key = base64.b64encode(secrets.token_bytes(32)).decode()
    return {
        "APP_ENV": "production",
        "APP_DEBUG": "false",
        "APP_KEY": f"base64:{key}",
        "FOUNDRY_AUDIT_LOG": "off",
        "FOUNDRY_COMMAND_CACHE": "off",
        "RATE_LIMIT_DEFAULT": "1000000000/minute",
        "DATABASE_MIGRATE_ON_START": "false",
        "DATABASE_URL": f"sqlite:///{workdir / 'unused.sqlite'}",
    }


def describe(servers: dict[str, Server], args: argparse.Namespace, left_out: list[str]) -> None:
    pins = bool(pinned(SERVER_CPU))
    app, everything = servers["foundry"].info, servers["foundry-all"].info
    django, wsgi = servers["django"].info, servers["django-wsgi"].info
    print("Setup")
    print(
        f"  uvicorn {app['uvicorn']} (uvloop, httptools, 1 worker, access log off) for both "
        f"FastAPI targets and Django ASGI; gunicorn {wsgi['gunicorn']} (1 sync worker, "
        "access log off) for Django WSGI"
    )
    print(
        f"  servers {f'pinned to CPU {SERVER_CPU}' if pins else 'unpinned (no taskset)'}; "
        f"wrk -t{args.threads} -c{args.connections} "
        f"{f'pinned to CPU {CLIENT_CPU}' if pins else 'unpinned'}; {args.warmup}s warm-up, "
        f"then {args.rounds} x {args.duration}s per target in rotating order"
    )
    print(
        f"  Foundry: APP_ENV={app['environment']}, debug {app['debug']}, "
        f"{len(app['providers'])} providers; middleware, outermost first, read from the "
        "served app:"
    )
    for entry in app["middleware"]:
        print(f"    {entry['label']:<27}{entry['class']}")
    print(
        f"  left out of the reference app (installed, not its dependencies): "
        f"{', '.join(left_out) or 'none'}"
    )
    extra = [m for m in everything["middleware"] if m not in app["middleware"]]
    print(
        f"  every installed package: {len(everything['providers'])} providers; extra "
        f"middleware: {', '.join(m['label'] for m in extra) or 'none'}"
    )
    middleware = ", ".join(m.rsplit(".", 1)[1] for m in django["middleware"])
    print(
        f"  Django {django['version']}: DEBUG={django['debug']}, no database, middleware "
        f"{middleware}; ASGI: async view (lifespan off: Django has none); WSGI: sync view"
    )


NOISY = 0.5  # cores of other work during a hello run that make its figures doubtful


def report(targets: list[Target], args: argparse.Namespace) -> None:
    print(f"\nThroughput and latency (medians of {args.rounds} runs of {args.duration}s)")
    print(
        f"  {'target':<34}{'req/s':>8}  {'(min - max)':<16}{'p50 ms':>8}{'p99 ms':>8}"
        f"{'server CPU':>12}{'wrk CPU':>9}{'other CPU':>11}"
    )
    for target in targets:
        rps = [r.rps for r in target.results]
        print(
            f"  {target.label:<34}{target.rps:8.0f}  ({min(rps):5.0f} - {max(rps):5.0f}) "
            f"{target.median(lambda r: r.p50_ms):8.2f}{target.median(lambda r: r.p99_ms):8.2f}"
            f"{target.median(lambda r: r.server_cpu):11.0%}"
            f"{target.median(lambda r: r.client_cpu):9.0%}"
            f"{target.median(lambda r: r.other_cpu):11.0%}"
        )
        failed = sum(r.failed for r in target.results)
        if failed:
            print(f"    ! {failed} socket errors or non-2xx answers: these figures are not valid")
    busy = [t for t in targets if t.path == HELLO and t.median(lambda r: r.other_cpu) > NOISY]
    if busy:
        print(
            f"  ! other work took more than {NOISY:.0%} of a core during the runs of "
            f"{', '.join(t.label for t in busy)}: the machine was shared, the figures are noisy"
        )


def ratios(by_key: dict[str, Target]) -> None:
    def best(key: str) -> float:
        return max(r.rps for r in by_key[key].results)

    print("\nRatios (requests/sec, medians; in brackets: each target's best run)")
    for key in ("foundry", "foundry-all"):
        label = by_key[key].label
        for peer, name, target in (
            ("fastapi", "bare FastAPI", 0.9),
            ("django", "Django ASGI", 1.5),
            ("django-wsgi", "Django WSGI", 1.5),
        ):
            verdict(
                f"{label} / {name}",
                by_key[key].rps / by_key[peer].rps,
                target,
                lower_is_better=False,
            )
            print(f"      (best runs: {best(key) / best(peer):.2f}x)")
    if "list" in by_key:
        ratio = by_key["list"].rps / by_key["foundry"].rps
        print(f"  Foundry DB list / Foundry hello: {ratio:.2f}x (reported)")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n", 1)[0])
    parser.add_argument("--serve", help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--info", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--rounds", type=int, default=3, help="measured runs per target")
    parser.add_argument("--duration", type=int, default=10, help="seconds of each run")
    parser.add_argument("--warmup", type=int, default=3, help="seconds of warm-up per target")
    parser.add_argument("--connections", type=int, default=64, help="wrk connections")
    parser.add_argument("--threads", type=int, default=1, help="wrk threads")
    parser.add_argument(
        "--no-breakdown", action="store_true", help="skip the in-process cost breakdown"
    )
    args = parser.parse_args()
    if args.serve:
        serve(args.serve, args.port, args.info)
        return
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: apt-get install -y wrk (Debian/Ubuntu)")
    workdir = Path(tempfile.mkdtemp(prefix="foundry-http-bench-"))
    script = workdir / "report.lua"
    script.write_text(WRK_REPORT)
    left_out = undeclared_providers()
    env = {**foundry_env(workdir), "FOUNDRY_DONT_DISCOVER": ",".join(left_out)}
    database, db_note = create_database(env)
    servers: dict[str, Server] = {}
    try:
        every = {**env, "FOUNDRY_DONT_DISCOVER": ""}
        for name, serves, server_env, cwd in (
            ("fastapi", "fastapi", {}, ROOT),
            ("foundry", "foundry", env, APP),
            ("foundry-all", "foundry", every, APP),
            ("django", "django", {}, ROOT),
            ("django-wsgi", "django-wsgi", {}, ROOT),
        ):
            servers[name] = Server(name, serves, server_env, workdir, cwd)
        by_key = {
            "fastapi": Target("bare FastAPI", servers["fastapi"], HELLO, MESSAGE.__eq__),
            "foundry": Target("Foundry (reference app)", servers["foundry"], HELLO, MESSAGE.__eq__),
            "foundry-all": Target(
                "Foundry (every installed package)", servers["foundry-all"], HELLO, MESSAGE.__eq__
            ),
            "django": Target("Django 5.2 ASGI (uvicorn)", servers["django"], HELLO, MESSAGE.__eq__),
            "django-wsgi": Target(
                "Django 5.2 WSGI (gunicorn)", servers["django-wsgi"], HELLO, MESSAGE.__eq__
            ),
        }
        if database is not None:
            by_key["list"] = Target(
                "Foundry DB list (PostgreSQL)",
                servers["foundry"],
                LIST,
                lambda body: len(body.get("data", [])) == 20,
            )
        for server in servers.values():
            server.wait_ready(HELLO)
        describe(servers, args, left_out)
        print(f"  DB list, GET {LIST}: " + (db_note if database else f"SKIPPED: {db_note}"))
        targets = list(by_key.values())
        print("\nResponses")
        for target in targets:
            print(f"  {target.label:<34} {probe(target)}")
        for target in targets:
            run_wrk(target, args, args.warmup, script)
        for round_ in range(args.rounds):
            shift = round_ % len(targets)
            for target in targets[shift:] + targets[:shift]:
                target.results.append(run_wrk(target, args, args.duration, script))
        report(targets, args)
        ratios(by_key)
        if not args.no_breakdown:
            argv = [sys.executable, str(Path(__file__).resolve()), "--serve", "breakdown"]
            subprocess.run([*pinned(SERVER_CPU), *argv], cwd=APP, env={**os.environ, **env})
    finally:
        for server in servers.values():
            server.stop()
        if database is not None:
            postgres_admin(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
