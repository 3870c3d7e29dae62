"""The generated thread served over TLS by hypercorn (HTTP/2, or HTTP/1.1 by ALPN), for
``benchmarks.http2``: ``python -m benchmarks.http2_server --delay D --connect-delay C
--tls-dir DIR [--max-requests N]``.

The fake API (tests/fakehn) speaks only HTTP/1.1, so measuring HTTP/2 needs a server whose
protocol code is a maintained library's (hypercorn + h2), not ours. The ASGI app serves the
same item bodies, sleeps ``delay`` per request, and holds a new connection's first answers
until ``connect_delay`` after it was first seen (the stand-in for TCP + TLS round trips that
loopback does not have). ASGI has no connection events, so a connection is its client
address; ``/_bench/reset`` forgets them between runs (a later connection may reuse a port).
Like the fake server, it prints its base URL as the first line of stdout.

Hypercorn closes a connection after 1,000 requests by default (GOAWAY on HTTP/2, as nginx's
``keepalive_requests``); here a connection is unlimited unless ``--max-requests`` says so,
so the benchmark measures multiplexing, not reconnects. (With the default, httpx's HTTP/2
client failed the streams in flight with ``WriteError`` instead of retrying them.)
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import signal
import socket
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import trustme
from hypercorn.asyncio import serve
from hypercorn.config import Config

from tests.fakehn.generate import generate_thread

Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]

CA_NAME = "hnterm-test-ca.pem"  # the name tests/fakehn/tls.py gives its CA
_HEADERS = [
    (b"content-type", b"application/json; charset=utf-8"),
    (b"cache-control", b"no-cache"),
]
_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


class ItemApp:
    """ASGI app: ``GET /v0/item/{id}.json`` plus two benchmark-only endpoints."""

    def __init__(self, items: dict[int, dict], delay: float, connect_delay: float) -> None:
        self.bodies = {
            f"/v0/item/{key}.json": _encode(item).encode() for key, item in items.items()
        }
        self.delay = delay
        self.connect_delay = connect_delay
        self.ready_at: dict[Any, float] = {}  # client address -> when its "handshake" ends
        self.requests = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
            return
        if scope["type"] != "http":
            return
        path = scope["path"]
        if "/_bench/" in path:  # under the base URL or not
            await self._bench(path, scope, send)
            return
        self.requests += 1
        now = asyncio.get_running_loop().time()
        ready_at = self.ready_at.setdefault(scope.get("client"), now + self.connect_delay)
        wait = max(ready_at - now, 0.0) + self.delay
        if wait > 0:
            await asyncio.sleep(wait)
        body = self.bodies.get(path)
        if body is None:
            await _respond(send, 404, b'{"error": "Permission denied"}')
        else:
            await _respond(send, 200, body)

    async def _bench(self, path: str, scope: Scope, send: Send) -> None:
        """``reset``: forget connections and counts; ``stats``: connections seen, requests."""
        if path.endswith("/_bench/reset"):
            self.ready_at.clear()
            self.requests = 0
        stats = {"connections": len(self.ready_at), "requests": self.requests}
        await _respond(send, 200, json.dumps(stats).encode())

    @staticmethod
    async def _lifespan(receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
                return


async def _respond(send: Send, status: int, body: bytes) -> None:
    headers = [*_HEADERS, (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def _certificates(directory: Path) -> Path:
    """Write a fresh trustme CA (``directory/CA_NAME``) and a 127.0.0.1 certificate signed by
    it; return the certificate + key file hypercorn loads."""
    ca = trustme.CA()
    certificate = ca.issue_cert("127.0.0.1", "localhost")
    directory.mkdir(parents=True, exist_ok=True)
    ca.cert_pem.write_to_path(str(directory / CA_NAME))
    pem = directory / "hypercorn-server.pem"
    certificate.private_key_and_cert_chain_pem.write_to_path(str(pem))
    return pem


async def _serve(app: ItemApp, config: Config, listener: socket.socket) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)
    host, port = listener.getsockname()[:2]
    print(f"https://{host}:{port}/v0/", flush=True)
    await serve(app, config, shutdown_trigger=stop.wait)  # type: ignore[arg-type]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.http2_server", description=__doc__)
    parser.add_argument("--delay", type=float, default=0.0, help="seconds added per request")
    parser.add_argument("--connect-delay", type=float, default=0.0, help="per new connection")
    parser.add_argument("--tls-dir", required=True, metavar="DIR", help=f"CA goes to DIR/{CA_NAME}")
    parser.add_argument("--root-id", type=int, default=90_000_000)
    parser.add_argument(
        "--max-requests", type=int, default=0, help="per connection, then close (0: no limit)"
    )
    args = parser.parse_args(argv)

    pem = _certificates(Path(args.tls_dir))
    # Bind here, so the port is known before hypercorn starts (it takes the socket by fd).
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)  # accepted sockets inherit
    listener.bind(("127.0.0.1", 0))
    config = Config()
    config.bind = [f"fd://{listener.fileno()}"]
    config.certfile = config.keyfile = str(pem)
    config.backlog = 1024
    config.keep_alive_timeout = 60.0
    config.keep_alive_max_requests = args.max_requests or sys.maxsize
    config.accesslog = None
    config.errorlog = None
    app = ItemApp(generate_thread(args.root_id), args.delay, args.connect_delay)
    asyncio.run(_serve(app, config, listener))
    return 0


if __name__ == "__main__":
    sys.exit(main())
