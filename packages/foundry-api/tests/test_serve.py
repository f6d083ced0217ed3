"""foundry serve: uvicorn on the kernel's factory; SIGTERM lets in-flight requests finish."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import textwrap
import time
from concurrent.futures import ThreadPoolExecutor
from importlib.metadata import entry_points
from pathlib import Path

import httpx
import pytest

from foundry.api.provider import ApiServiceProvider
from foundry.application import Application
from foundry.domain.application import CommandRunner
from foundry.service_container.provider import ServiceContainerServiceProvider

SLOW_APP = """
import asyncio
import os
from pathlib import Path

from fastapi import APIRouter
from foundry.domain.provider import ServiceProvider


class Provider(ServiceProvider):
    name = "slowapp"

    def routes(self, app):
        router = APIRouter()

        @router.get("/slow")
        async def slow():
            Path(os.environ["SLOW_MARKER"]).write_text("started")
            await asyncio.sleep(1.0)
            return {"finished": True}

        return [router]
"""


NEEDED = {"application", "service-container", "cli", "api"}


def others_than(needed: set[str]) -> list[str]:
    """Installed providers besides ``needed``: the served app loads only the packages under
    test, whatever else the environment holds."""
    return sorted({ep.name for ep in entry_points(group="foundry.providers")} - needed)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(check, what: str, proc: subprocess.Popen[str], limit: float = 60.0):
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"serve exited ({proc.returncode}) before {what}:\n{proc.stdout.read()}")
        result = check()
        if result:
            return result
        time.sleep(0.1)
    pytest.fail(f"gave up waiting for {what}")


@pytest.fixture
def app_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "shop"
    folder.mkdir()
    (folder / "pyproject.toml").write_text('[tool.foundry]\nproviders = ["slowapp:Provider"]\n')
    (folder / "slowapp.py").write_text(textwrap.dedent(SLOW_APP))
    return folder


def test_sigterm_lets_the_in_flight_request_finish_and_exits_0(app_folder: Path, tmp_path: Path):
    foundry = Path(sys.executable).parent / "foundry"
    port = free_port()
    marker = tmp_path / "slow-started"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("APP_", "FOUNDRY_"))}
    env["SLOW_MARKER"] = str(marker)
    env["FOUNDRY_DONT_DISCOVER"] = ",".join(others_than(NEEDED))
    proc = subprocess.Popen(
        [str(foundry), "serve", "--port", str(port), "--log-level", "warning"],
        cwd=app_folder,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"

    def answering() -> bool:
        try:
            return httpx.get(f"{base}/commands", timeout=1).status_code == 200
        except httpx.TransportError:
            return False

    try:
        wait_for(answering, "the server answered", proc)
        with ThreadPoolExecutor(max_workers=1) as pool:
            pending = pool.submit(httpx.get, f"{base}/slow", timeout=30)
            wait_for(marker.exists, "the slow request started", proc)
            proc.send_signal(signal.SIGTERM)
            response = pending.result(timeout=30)
        assert response.status_code == 200
        assert response.json() == {"finished": True}
        assert response.headers["x-request-id"]
        assert proc.wait(timeout=30) == 0
        assert "Server stopped (SIGTERM)." in proc.stdout.read()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_a_port_in_use_fails_with_one_line_and_exit_1(app_folder: Path):
    foundry = Path(sys.executable).parent / "foundry"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("APP_", "FOUNDRY_"))}
    env["FOUNDRY_DONT_DISCOVER"] = ",".join(others_than(NEEDED))
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [str(foundry), "serve", "--port", str(port)],
            cwd=app_folder,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert result.returncode == 1
    assert f"Error: The server did not start on http://127.0.0.1:{port}" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.fixture
def runner(base) -> CommandRunner:
    providers = [ServiceContainerServiceProvider, ApiServiceProvider]
    return Application(base, providers=providers, discover=False).boot().make(CommandRunner)


async def test_dry_run_describes_the_server_it_would_start(runner, base):
    outcome = await runner.run(
        "serve", ["--port", "9123", "--workers", "2", "--host", "192.0.2.10"], dry_run=True
    )
    assert outcome.exit_code == 0
    plan = outcome.result.data
    assert plan["app"] == "foundry.application.http:create_app"
    assert (plan["host"], plan["port"], plan["workers"]) == ("192.0.2.10", 9123, 2)
    assert (plan["loop"], plan["http"]) == ("uvloop", "httptools")
    assert plan["proxy_headers"] is False
    assert plan["base_path"] == str(base)
    assert outcome.result.message == (
        "Would serve foundry.application.http:create_app on http://192.0.2.10:9123."
    )


async def test_bad_numbers_are_usage_errors(runner):
    workers = await runner.run("serve", ["--workers", "0"], dry_run=True)
    port = await runner.run("serve", ["--port", "70000"], dry_run=True)
    assert (workers.exit_code, port.exit_code) == (2, 2)
    assert "--workers 0" in workers.result.message
    assert "--port 70000" in port.result.message
