"""``RedisServerProcess`` and the ``redis_server`` fixture: a ``redis-server`` of the test's
own that it stops, kills, freezes and restarts (needs the ``redis-server`` binary: skipped
without it, failed under FOUNDRY_REQUIRE_SERVICES=1)."""

from __future__ import annotations

import shutil
import socket
import sys
from pathlib import Path

import pytest

from foundry.testing.redis import RedisServerProcess, redis_reachable

Skipped = pytest.skip.Exception
Failed = pytest.fail.Exception


def _answers(server: RedisServerProcess, timeout: float = 0.5) -> bool:
    """Whether the server replies to PING within ``timeout`` (a frozen one does not)."""
    try:
        with socket.create_connection(("127.0.0.1", server.port), timeout=timeout) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


async def test_the_fixture_gives_a_running_server_of_the_tests_own(
    redis_server: RedisServerProcess,
) -> None:
    assert redis_server.url == f"redis://127.0.0.1:{redis_server.port}/0"
    client = redis_server.client()
    try:
        await client.set("key", "value")
        assert await client.get("key") == b"value"
        assert await client.dbsize() == 1  # nobody else's keys: a server of its own
    finally:
        await client.aclose()


async def test_a_restarted_server_comes_back_empty_on_the_same_port(
    redis_server: RedisServerProcess,
) -> None:
    port = redis_server.port
    before = redis_server.client()
    try:
        await before.set("key", "value")
    finally:
        await before.aclose()
    redis_server.stop()
    assert not redis_reachable(redis_server.url)
    redis_server.start()
    assert redis_server.port == port
    after = redis_server.client()
    try:
        assert await after.get("key") is None  # nothing kept on disk
    finally:
        await after.aclose()
    redis_server.kill()
    assert not redis_reachable(redis_server.url)
    redis_server.restart()  # stopping a stopped server is a no-op
    assert _answers(redis_server)


def test_a_paused_server_holds_connections_and_answers_nothing(
    redis_server: RedisServerProcess,
) -> None:
    redis_server.pause()
    try:
        assert redis_reachable(redis_server.url)  # the port still accepts connections
        assert not _answers(redis_server, timeout=0.3)
    finally:
        redis_server.resume()
    assert _answers(redis_server)


def test_a_paused_server_still_stops(tmp_path: Path) -> None:
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed")  # the fixture tests report that case
    server = RedisServerProcess(tmp_path)
    server.start()
    server.pause()
    server.stop()  # resumed first, or SIGTERM would wait for ever
    assert server.process is None
    assert not redis_reachable(server.url)
    with pytest.raises(RuntimeError, match="not running"):
        server.pause()


async def test_append_only_data_survives_a_clean_restart(tmp_path: Path) -> None:
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed")
    server = RedisServerProcess(tmp_path, append_only=True)
    assert "--appendonly" in server.argv()
    assert "yes" in server.argv()
    server.start()
    try:
        client = server.client()
        await client.set("job", "pending")
        await client.aclose()
        server.restart()
        client = server.client()
        assert await client.get("job") == b"pending"
        await client.aclose()
    finally:
        server.kill()


def test_starting_twice_is_an_error(redis_server: RedisServerProcess) -> None:
    with pytest.raises(RuntimeError, match="already running"):
        redis_server.start()


def test_a_server_that_exits_at_once_is_reported(tmp_path: Path) -> None:
    false = shutil.which("false")
    assert false is not None
    server = RedisServerProcess(tmp_path, binary=false, start_timeout=5)
    with pytest.raises(RuntimeError, match=f"redis-server did not start on port {server.port}"):
        server.start()
    assert server.process is None


def test_a_server_that_never_answers_is_stopped_and_reported(tmp_path: Path) -> None:
    sleeper = tmp_path / "silent-redis"
    sleeper.write_text(f"#!{sys.executable}\nimport time\ntime.sleep(60)\n")
    sleeper.chmod(0o755)
    server = RedisServerProcess(tmp_path, binary=str(sleeper), start_timeout=0.3)
    with pytest.raises(RuntimeError, match="did not start"):
        server.start()
    assert server.process is None  # killed, not left behind


def test_a_missing_binary_is_reported(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(FileNotFoundError, match="redis-server is not installed"):
        RedisServerProcess(tmp_path)


def test_the_fixture_skips_or_fails_without_the_binary(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytester.makepyfile(
        """
        def test_needs_a_server(redis_server):
            raise AssertionError("never reached")
        """
    )
    pytester.makeini("[pytest]\nasyncio_default_fixture_loop_scope = function\n")
    empty = pytester.path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    monkeypatch.delenv("FOUNDRY_REQUIRE_SERVICES", raising=False)
    pytester.runpytest_inprocess("-p", "no:cacheprovider").assert_outcomes(skipped=1)
    monkeypatch.setenv("FOUNDRY_REQUIRE_SERVICES", "1")
    failed = pytester.runpytest_inprocess("-p", "no:cacheprovider")
    failed.assert_outcomes(errors=1)
    failed.stdout.fnmatch_lines(["*FOUNDRY_REQUIRE_SERVICES=1 and redis-server is not installed*"])
