"""SMTP session reuse: a burst of messages over one connection vs one connection each.

Run from the repository root with every workspace package installed:

    uv run --all-packages python benchmarks/mail.py

An aiosmtpd server (its own process, so it does not share the client's interpreter, on a
free loopback port) receives a burst of 200 messages from foundry-mail's SmtpTransport
twice: with the session kept open between messages (``keepalive``, the default) and with
a new session per message (``keepalive=0``: connect, EHLO, send, QUIT every time). Both
run in clear and with STARTTLS (a certificate from a throw-away CA made by trustme). Each
way runs ``ROUNDS`` times, the two ways alternating so both see the same machine load; the
medians and their ratio are printed, with the number of SMTP sessions the transport opened.
"""

from __future__ import annotations

import asyncio
import socket
import ssl
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import trustme

from foundry.domain.mail import Address, Message
from foundry.mail.transports.smtp import SmtpTransport

BURST = 200
ROUNDS = 7


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def smtp_server(tls_files: tuple[Path, Path] | None) -> Iterator[int]:
    """``python -m aiosmtpd`` with the Sink handler (accepts and discards) on a free port."""
    port = free_port()
    argv = [sys.executable, "-m", "aiosmtpd", "-n", "-c", "aiosmtpd.handlers.Sink"]
    argv += ["-l", f"127.0.0.1:{port}"]
    if tls_files:
        argv += ["--tlscert", str(tls_files[0]), "--tlskey", str(tls_files[1])]
    server = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    error = server.stderr.read().decode() if server.stderr else ""
                    raise SystemExit(f"aiosmtpd did not start: {error}") from None
                time.sleep(0.05)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=10)


def message(index: int) -> Message:
    return Message(
        subject=f"Burst message {index}",
        to=(Address(f"user{index}@example.com"),),
        from_=Address("bench@example.com", "Bench"),
        text=f"Message {index} of the burst.\n",
        html=f"<p>Message <b>{index}</b> of the burst.</p>",
        headers={"X-Burst": str(index)},
    )


async def burst(port: int, keepalive: float, tls: ssl.SSLContext | None) -> tuple[float, int]:
    transport = SmtpTransport(
        "127.0.0.1",
        port,
        keepalive=keepalive,
        local_hostname="bench",
        encryption="starttls" if tls else "none",
        tls_context=tls,
    )
    started = time.perf_counter()
    for index in range(BURST):
        await transport.send(message(index))
    elapsed = time.perf_counter() - started
    await transport.aclose()
    return elapsed, transport.connections_opened


def report(label: str, port: int, tls: ssl.SSLContext | None) -> None:
    asyncio.run(burst(port, 30, tls))  # warm-up
    runs: dict[float, list[tuple[float, int]]] = {30: [], 0: []}
    for _ in range(ROUNDS):  # alternate, so both ways see the same machine load
        for keepalive, samples in runs.items():
            samples.append(asyncio.run(burst(port, keepalive, tls)))
    reused, reused_sessions = statistics.median(r[0] for r in runs[30]), runs[30][0][1]
    fresh, fresh_sessions = statistics.median(r[0] for r in runs[0]), runs[0][0][1]
    print(f"\n{label}: {BURST} messages to a local aiosmtpd (median of {ROUNDS} rounds)")
    print(
        f"  one reused session         {reused * 1000:8.1f} ms  "
        f"({BURST / reused:6.0f} msg/s, {reused_sessions} session per burst)"
    )
    print(
        f"  one session per message    {fresh * 1000:8.1f} ms  "
        f"({BURST / fresh:6.0f} msg/s, {fresh_sessions} sessions per burst)"
    )
    print(f"  per-message sessions / reused session: {fresh / reused:.2f}x the time")


def main() -> None:
    with smtp_server(None) as port:
        report("Plain SMTP", port, None)
    ca = trustme.CA()
    certificate = ca.issue_cert("127.0.0.1")
    client = ssl.create_default_context(ssl.Purpose.SERVER_AUTH)
    ca.configure_trust(client)
    with tempfile.TemporaryDirectory() as folder:
        cert, key = Path(folder, "cert.pem"), Path(folder, "key.pem")
        cert.write_bytes(b"".join(blob.bytes() for blob in certificate.cert_chain_pems))
        key.write_bytes(certificate.private_key_pem.bytes())
        with smtp_server((cert, key)) as port:
            report("STARTTLS", port, client)


if __name__ == "__main__":
    main()
