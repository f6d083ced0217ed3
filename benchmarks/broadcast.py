"""Broadcast fan-out: connections one worker holds, and the time one event takes to reach
them all, with the server's memory per connection.

Run from the repository root with the broadcast package installed:

    uv run --all-packages python benchmarks/broadcast.py [--connections 10000] [--clients 4]

One uvicorn worker serves a Foundry app with only the broadcast provider. Several client
processes (``--clients``) open the connections with a minimal websocket client (handshake
and framing only, so the clients spend as little of the machine's CPU as possible) and
subscribe each to one public channel. Each round triggers one event through the signed
HTTP API and measures, on the machine's monotonic clock (shared by all processes), the time
from sending the trigger to the last connection receiving the event.

Targets (issue "Cache, rate limiting and broadcasting"): 10,000 connections on one worker,
fan-out of one message to all of them within 1 s.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import hashlib
import hmac
import json
import os
import resource
import select
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
import urllib.request
import zlib
from pathlib import Path

APP_ID, KEY, SECRET = "1", "bench-key", "bench-secret"
CHANNEL = "bench"

SERVER = textwrap.dedent(
    """
    import resource, sys
    import uvicorn
    from foundry.application import Application, create_app
    from foundry.broadcast.provider import BroadcastServiceProvider

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    app = Application(sys.argv[1], providers=[BroadcastServiceProvider], discover=False)
    uvicorn.run(
        create_app(application=app), host="127.0.0.1", port=int(sys.argv[2]),
        log_level="warning", backlog=4096, ws_per_message_deflate=sys.argv[3] == "on",
    )
    """
)


def raise_fd_limit() -> int:
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return hard


# --- the client processes ---------------------------------------------------------------


class Socket(asyncio.Protocol):
    """One websocket connection: just enough protocol to subscribe and time events."""

    def __init__(self, host: str, path: str, deflate: bool, client: Clients) -> None:
        self.request = (
            f"GET {path} HTTP/1.1\r\nHost: {host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            f"Sec-WebSocket-Key: {base64.b64encode(os.urandom(16)).decode()}\r\n"
            "Sec-WebSocket-Version: 13\r\n"
            + ("Sec-WebSocket-Extensions: permessage-deflate\r\n" if deflate else "")
            + "\r\n"
        ).encode()
        self.client = client
        self.buffer = b""
        self.upgraded = False
        self.subscribed = asyncio.get_running_loop().create_future()
        self.inflate = zlib.decompressobj(-15) if deflate else None
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        transport.write(self.request)

    def connection_lost(self, exc: Exception | None) -> None:
        self.client.lost += 1
        if not self.subscribed.done():
            self.subscribed.set_exception(ConnectionError("closed during the handshake"))

    def send(self, opcode: int, payload: bytes) -> None:
        mask = os.urandom(4)
        head = bytes([0x80 | opcode])
        size = len(payload)
        head += (
            bytes([0x80 | size]) if size < 126 else bytes([0x80 | 126]) + size.to_bytes(2, "big")
        )
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        assert self.transport is not None
        self.transport.write(head + mask + masked)

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        if not self.upgraded:
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            self.upgraded = True
            self.buffer = self.buffer[end + 4 :]
        while len(self.buffer) >= 2:
            first, second = self.buffer[0], self.buffer[1]
            size, offset = second & 0x7F, 2
            if size == 126:
                if len(self.buffer) < 4:
                    return
                size, offset = int.from_bytes(self.buffer[2:4], "big"), 4
            elif size == 127:
                if len(self.buffer) < 10:
                    return
                size, offset = int.from_bytes(self.buffer[2:10], "big"), 10
            if len(self.buffer) < offset + size:
                return
            payload = self.buffer[offset : offset + size]
            self.buffer = self.buffer[offset + size :]
            opcode = first & 0x0F
            if opcode == 0x9:  # ping
                self.send(0xA, payload)
            elif opcode == 0x1:
                if first & 0x40 and self.inflate is not None:
                    payload = self.inflate.decompress(payload + b"\x00\x00\xff\xff")
                self.message(payload)

    def message(self, payload: bytes) -> None:
        if b'"bench.tick"' in payload:
            self.client.received(json.loads(json.loads(payload)["data"])["round"])
        elif b"connection_established" in payload:
            subscribe = {"event": "pusher:subscribe", "data": {"channel": CHANNEL}}
            self.send(0x1, json.dumps(subscribe).encode())
        elif b"subscription_succeeded" in payload:
            if not self.subscribed.done():
                self.subscribed.set_result(None)
        elif b"pusher:ping" in payload:
            self.send(0x1, b'{"event":"pusher:pong","data":{}}')


class Clients:
    """One client process's connections and what they received per round."""

    def __init__(self, count: int) -> None:
        self.count = count
        self.lost = 0
        self.rounds: dict[int, list[float]] = {}

    def received(self, number: int) -> None:
        times = self.rounds.setdefault(number, [])
        times.append(time.monotonic())
        if len(times) == self.count:
            report = {"round": number, "count": len(times), "first": times[0], "last": times[-1]}
            print(json.dumps(report), flush=True)


async def client_main(port: int, count: int, deflate: bool) -> None:
    raise_fd_limit()
    loop = asyncio.get_running_loop()
    clients = Clients(count)
    path = f"/app/{KEY}?protocol=7&client=bench&version=1.0"
    gate = asyncio.Semaphore(100)
    sockets: list[Socket] = []

    async def open_one() -> None:
        async with gate:
            _, sock = await loop.create_connection(
                lambda: Socket(f"127.0.0.1:{port}", path, deflate, clients), "127.0.0.1", port
            )
            sockets.append(sock)
            await asyncio.wait_for(sock.subscribed, 60)

    await asyncio.gather(*(open_one() for _ in range(count)))
    print(json.dumps({"ready": len(sockets)}), flush=True)
    while True:  # report partial rounds when asked (a line on stdin), until stdin closes
        line = await loop.run_in_executor(None, sys.stdin.readline)
        if not line:
            return
        number = int(line)
        times = clients.rounds.get(number, [])
        print(
            json.dumps(
                {
                    "round": number,
                    "count": len(times),
                    "partial": True,
                    "last": max(times, default=0.0),
                    "lost": clients.lost,
                }
            ),
            flush=True,
        )


# --- the parent -------------------------------------------------------------------------


def trigger(port: int, number: int) -> None:
    body = json.dumps(
        {"name": "bench.tick", "channels": [CHANNEL], "data": json.dumps({"round": number})}
    ).encode()
    params = {
        "auth_key": KEY,
        "auth_timestamp": str(int(time.time())),
        "auth_version": "1.0",
        "body_md5": hashlib.md5(body).hexdigest(),
    }
    path = f"/apps/{APP_ID}/events"
    query = "&".join(f"{k}={v}" for k, v in sorted(params.items()))
    signature = hmac.new(SECRET.encode(), f"POST\n{path}\n{query}".encode(), hashlib.sha256)
    url = f"http://127.0.0.1:{port}{path}?{query}&auth_signature={signature.hexdigest()}"
    request = urllib.request.Request(url, body, {"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        response.read()


def read_report(client: subprocess.Popen[str], number: int) -> dict:
    """A client process's report on one round; a partial one after 30 s without it."""
    assert client.stdout is not None
    assert client.stdin is not None
    readable, _, _ = select.select([client.stdout], [], [], 30)
    if not readable:  # some connections never got the event: ask for what did arrive
        client.stdin.write(f"{number}\n")
        client.stdin.flush()
    report = json.loads(client.stdout.readline())
    assert report["round"] == number, report
    return report


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def wait_http(port: int, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("the server exited during start-up")
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/broadcasting/auth", timeout=1)
        except urllib.error.HTTPError:
            return  # it answers (405 for GET): up
        except OSError:
            time.sleep(0.2)
    raise SystemExit("the server did not start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--connections", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=4, help="client processes")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument(
        "--deflate",
        choices=("off", "on"),
        default="off",
        help="permessage-deflate (browsers offer it; on costs one compression per connection)",
    )
    parser.add_argument("--driver", choices=("memory", "redis"), default="memory")
    args = parser.parse_args()
    hard = raise_fd_limit()
    if args.connections // args.clients + 100 > hard:
        raise SystemExit(
            f"file-descriptor limit {hard} is too low for {args.connections} connections"
        )

    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    root = Path(tempfile.mkdtemp())
    (root / "server.py").write_text(SERVER)
    env = {
        **os.environ,
        "BROADCAST_DRIVER": args.driver,
        "PUSHER_APP_ID": APP_ID,
        "PUSHER_APP_KEY": KEY,
        "PUSHER_APP_SECRET": SECRET,
        "BROADCAST_MAX_CONNECTIONS": str(args.connections + 1000),
        "BROADCAST_ACTIVITY_TIMEOUT": "120",
        "BROADCAST_REDIS_PREFIX": f"bench:{os.getpid()}:",
    }
    server = subprocess.Popen(
        [sys.executable, str(root / "server.py"), str(root), str(port), args.deflate], env=env
    )
    clients: list[subprocess.Popen[str]] = []
    try:
        wait_http(port, server)
        idle = rss_kib(server.pid)
        share = [
            args.connections // args.clients + (i < args.connections % args.clients)
            for i in range(args.clients)
        ]
        started = time.monotonic()
        for count in share:
            clients.append(
                subprocess.Popen(
                    [sys.executable, __file__, "--client", str(port), str(count), args.deflate],
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    text=True,
                )
            )
        ready = sum(json.loads(c.stdout.readline())["ready"] for c in clients)  # type: ignore[union-attr]
        connect_s = time.monotonic() - started
        time.sleep(1.0)
        held = rss_kib(server.pid)
        per_connection = (held - idle) / max(ready, 1)

        missed: list[tuple[int, int]] = []
        fanouts: list[float] = []
        firsts: list[float] = []
        for number in range(args.rounds):
            sent = time.monotonic()
            trigger(port, number)
            reports = [read_report(client, number) for client in clients]
            delivered = sum(r["count"] for r in reports)
            if delivered < ready:
                missed.append((number, ready - delivered))
            fanouts.append(max(r["last"] for r in reports) - sent)
            firsts.append(min(r["first"] for r in reports) - sent)
            time.sleep(0.5)
    finally:
        for client in clients:
            if client.stdin:
                client.stdin.close()
            client.kill()
        server.terminate()
        server.wait(30)

    print(
        f"\nBroadcast fan-out ({args.driver} driver, permessage-deflate {args.deflate}, "
        f"{os.cpu_count()} cores, {args.clients} client processes on the same machine)"
    )
    print(f"  connections held by one worker   {ready:>10,}")
    print(f"  time to connect and subscribe    {connect_s:>10.1f} s")
    print(f"  server memory idle / loaded      {idle / 1024:>7.0f} MiB / {held / 1024:.0f} MiB")
    print(f"  memory per connection            {per_connection:>10.1f} KiB")
    print(f"  first delivery (median)          {statistics.median(firsts) * 1000:>10.1f} ms")
    print(
        f"  fan-out to all (median of {args.rounds})"
        f"     {statistics.median(fanouts) * 1000:>10.1f} ms"
        f"  (best {min(fanouts) * 1000:.0f}, worst {max(fanouts) * 1000:.0f})"
    )
    for number, lost in missed:
        print(f"  round {number}: {lost} connections did not receive the event")
    met = not missed and ready >= args.connections and statistics.median(fanouts) <= 1.0
    print(
        f"  target: {args.connections:,} connections, fan-out <= 1 s: {'MET' if met else 'MISSED'}"
    )


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--client":
        asyncio.run(client_main(int(sys.argv[2]), int(sys.argv[3]), sys.argv[4] == "on"))
    else:
        main()
