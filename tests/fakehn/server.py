"""A fake of the official Hacker News Firebase API over real HTTP/1.1 sockets.

Tests and benchmarks talk to it exactly as the app talks to ``hacker-news.firebaseio.com/v0/``,
so the real client code (httpx, pooling, retries, timeouts) is exercised. It is written on raw
``asyncio.start_server`` with a minimal HTTP/1.1 parser because benchmarks push about 1,000
requests/s through it over 64 keep-alive connections: ``http.server`` is too slow and its
backlog of 5 drops connection bursts. Every socket gets ``TCP_NODELAY`` and every normal
response is a single ``write()``, otherwise Nagle plus delayed ACKs add ~40 ms per request.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import functools
import itertools
import json
import socket
import ssl
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

FIXTURES_DIR = Path(__file__).resolve().parent.parent / "fixtures"

# Story list endpoints and how many ids Firebase returns for each.
LIST_LIMITS: dict[str, int] = {
    "topstories": 500,
    "newstories": 500,
    "beststories": 500,
    "askstories": 200,
    "showstories": 200,
    "jobstories": 200,
}
FAULT_KINDS = frozenset(
    {
        "500",
        "404",
        "429",
        "timeout",
        "malformed",
        "null",
        "cut",
        "oversize",
        "wrongtype",
        "delay",
        "trickle",  # headers at once, then one body byte every ``interval`` s (issue 12)
    }
)
ROOT_TYPES = frozenset({"story", "job", "poll"})

_REASONS = {
    200: b"OK",
    400: b"Bad Request",
    404: b"Not Found",
    405: b"Method Not Allowed",
    429: b"Too Many Requests",
    500: b"Internal Server Error",
}
_NOT_FOUND = b'{"error": "Not found"}'
_MALFORMED = b'{"id": 1, "by": '
_CHUNK = 64 * 1024
_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
_NOT_FOUND_OBJ = object()  # sentinel: the route does not exist


@dataclass
class Fault:
    """One registered fault; ``remaining`` None means it never wears out."""

    kind: str
    ids: frozenset[int] | None
    paths: frozenset[str] | None
    remaining: int | None
    options: dict[str, Any]

    def matches(self, route: str, name: str, item_id: int | None) -> bool:
        if self.ids is None and self.paths is None:
            return True
        if self.ids is not None and item_id is not None and item_id in self.ids:
            return True
        return self.paths is not None and (route in self.paths or name in self.paths)


def _normalize_path(path: str) -> str:
    """``/v0/topstories.json``, ``v0/topstories`` and ``topstories`` all name one route."""
    path = path.strip("/")
    path = path.removeprefix("v0/")
    return path.removesuffix(".json")


def derive_lists(items: dict[int, dict]) -> dict[str, list[int]]:
    """Story lists as Firebase would rank them, from whatever root items are loaded."""
    roots = [
        item
        for item in items.values()
        if item
        and item.get("type") in ROOT_TYPES
        and "parent" not in item
        and not item.get("deleted")
        and not item.get("dead")
    ]
    by_score = sorted(roots, key=lambda it: (-(it.get("score") or 0), -it["id"]))
    by_id = sorted(roots, key=lambda it: -it["id"])

    def title_starts(item: dict, prefix: str) -> bool:
        return item.get("type") == "story" and str(item.get("title", "")).startswith(prefix)

    return {
        "topstories": [it["id"] for it in by_score][:500],
        "newstories": [it["id"] for it in by_id][:500],
        "beststories": [it["id"] for it in by_score][:500],
        "askstories": [it["id"] for it in by_id if title_starts(it, "Ask HN")][:200],
        "showstories": [it["id"] for it in by_id if title_starts(it, "Show HN")][:200],
        "jobstories": [it["id"] for it in by_id if it.get("type") == "job"][:200],
    }


def fixture_names() -> list[str]:
    """Every fixture in ``tests/fixtures`` (file stems), sorted."""
    return sorted(path.stem for path in FIXTURES_DIR.glob("*.json"))


@functools.cache
def _load_fixture(name: str) -> tuple[dict[int, dict], dict[str, list[int]], int | None]:
    """Parse a fixture once per process; callers copy, because servers mutate their items."""
    name = name.removesuffix(".json")
    path = FIXTURES_DIR / f"{name}.json"
    if not path.is_file():
        raise FileNotFoundError(f"no fixture {name!r}; have: {', '.join(fixture_names())}")
    data = json.loads(path.read_text(encoding="utf-8"))
    items = {int(key): item for key, item in data["items"].items()}
    return items, data.get("lists") or {}, data.get("maxitem")


def _copy_item(item: dict | None) -> dict | None:
    """Deep copy for Firebase items, whose values are scalars or lists of ints; fast."""
    if item is None:
        return None
    return {key: (list(value) if isinstance(value, list) else value) for key, value in item.items()}


def _wrong_types(obj: Any) -> Any:
    """The same data with ids as strings and ``kids`` as a string, as a broken API might send."""
    if isinstance(obj, dict):
        bad = dict(obj)
        if "id" in bad:
            bad["id"] = str(bad["id"])
        kids = bad.get("kids")
        bad["kids"] = ",".join(map(str, kids)) if isinstance(kids, list) else ""
        return bad
    if isinstance(obj, list):
        return [str(value) for value in obj]
    if isinstance(obj, int):
        return str(obj)
    return obj


def _head(status: int, length: int, keep_alive: bool, extra: bytes = b"") -> bytes:
    return (
        b"HTTP/1.1 %d %s\r\n"
        b"Content-Type: application/json; charset=utf-8\r\n"
        b"Content-Length: %d\r\n"
        b"Cache-Control: no-cache\r\n"
        b"%s"
        b"Connection: %s\r\n\r\n"
        % (
            status,
            _REASONS.get(status, b"Unknown"),
            length,
            extra,
            b"keep-alive" if keep_alive else b"close",
        )
    )


def _keep_alive(head: bytes, version: bytes) -> bool:
    """HTTP/1.1 keeps the connection unless told ``close``; HTTP/1.0 only if asked."""
    lower = head.lower()
    start = lower.find(b"\r\nconnection:")
    tokens: set[bytes] = set()
    if start >= 0:
        start += len(b"\r\nconnection:")
        end = lower.find(b"\r\n", start)
        tokens = {token.strip() for token in lower[start:end].split(b",")}
    if version == b"HTTP/1.1":
        return b"close" not in tokens
    return b"keep-alive" in tokens


def _route(path: str) -> tuple[str, str, int | None]:
    """Map a path to (route, name, item id); route "" means unknown (404)."""
    if not (path.startswith("/v0/") and path.endswith(".json")):
        return "", path, None
    name = path[4:-5]
    if name in LIST_LIMITS or name in ("maxitem", "updates"):
        return name, name, None
    kind, sep, arg = name.partition("/")
    if sep and arg and "/" not in arg:
        if kind == "item" and arg.isascii() and arg.isdigit():
            return "item", name, int(arg)
        if kind == "user":
            return "user", name, None
    return "", name, None


class FakeHN:
    """The fake API server: data, faults and counters are plain attributes tests can poke."""

    def __init__(
        self,
        items: dict[int, dict] | None = None,
        *,
        delay: float = 0.0,
        host: str = "127.0.0.1",
        port: int = 0,
        tls: ssl.SSLContext | None = None,
        connect_delay: float = 0.0,
    ) -> None:
        """``tls``: serve HTTPS with this server context. ``connect_delay``: added before a
        new connection's first answer, a stand-in for the round trips of TCP and TLS set-up
        on a real network (loopback has none)."""
        if items is None:
            items = {}
        elif any(not isinstance(key, int) for key in items):
            items = {int(key): value for key, value in items.items()}
        self.items: dict[int, dict] = items
        self.lists: dict[str, list[int]] = derive_lists(items)
        self.users: dict[str, dict] = {}
        self.maxitem: int | None = None  # None: the largest loaded id
        self.updated_items: list[int] = []  # what /v0/updates.json lists as changed lately
        self.delay = delay
        self.tls = tls
        self.connect_delay = connect_delay
        self.host = host
        self.port = port
        self.requests = 0
        self.request_log: collections.Counter[str] = collections.Counter()
        self.max_in_flight = 0
        self.connections_accepted = 0
        self.trickling = 0  # "trickle" answers being sent right now
        self._in_flight = 0
        self._faults: list[Fault] = []
        self._lock = threading.Lock()
        self._server: asyncio.Server | None = None
        self._connections: dict[asyncio.Task[None], asyncio.BaseTransport] = {}
        self._closing = False
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    @classmethod
    def from_fixtures(
        cls, *names: str, delay: float = 0.0, host: str = "127.0.0.1", port: int = 0
    ) -> FakeHN:
        """A server loaded with fixture files (stems like ``unlurker-43727727-ibm-rto``).

        No names loads every fixture. A file's own ``lists``/``maxitem`` override derived ones.
        """
        items: dict[int, dict] = {}
        lists: dict[str, list[int]] = {}
        maxitem: int | None = None
        for name in names or fixture_names():
            file_items, file_lists, file_maxitem = _load_fixture(name)
            items.update((key, _copy_item(item)) for key, item in file_items.items())
            lists.update((key, list(ids)) for key, ids in file_lists.items())
            if file_maxitem is not None:
                maxitem = max(maxitem or 0, file_maxitem)
        server = cls(items, delay=delay, host=host, port=port)
        server.lists.update(lists)
        server.maxitem = maxitem
        return server

    # ---- configuration -------------------------------------------------------------------

    @property
    def url(self) -> str:
        """Base URL with trailing slash; stays valid after stop() so tests can hit a dead port."""
        if not self.port:
            raise RuntimeError("FakeHN has not been started")
        scheme = "https" if self.tls is not None else "http"
        return f"{scheme}://{self.host}:{self.port}/v0/"

    def fault(
        self,
        kind: str,
        *,
        ids: Iterable[int] | None = None,
        paths: Iterable[str] | None = None,
        times: int | None = None,
        **kw: Any,
    ) -> None:
        """Make matching requests misbehave; the first matching fault (by registration) wins."""
        if kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault {kind!r}; known: {', '.join(sorted(FAULT_KINDS))}")
        if times is not None and times < 1:
            raise ValueError("times must be at least 1")
        if kind == "delay" and "seconds" not in kw:
            raise TypeError('fault("delay") needs seconds=')
        new = Fault(
            kind=kind,
            ids=None if ids is None else frozenset(int(i) for i in ids),
            paths=None if paths is None else frozenset(_normalize_path(p) for p in paths),
            remaining=times,
            options=dict(kw),
        )
        with self._lock:
            self._faults = [*self._faults, new]

    def add_reply(self, parent: int, by: str, text: str, time: int) -> int:
        """A new comment under ``parent`` while the server runs, as HN would show it: first
        among the parent's kids, counted in its story's ``descendants``, and named (with its
        parent) by ``updates.json``. Its id, one above the largest."""
        with self._lock:
            new_id = max(self.items, default=0) + 1
            self.items[new_id] = {
                "id": new_id, "by": by, "parent": parent, "text": text, "time": time,
                "type": "comment",
            }  # fmt: skip
            above = self.items[parent]
            above["kids"] = [new_id, *above.get("kids", [])]
            while above.get("parent") is not None and above.get("type") == "comment":
                above = self.items[above["parent"]]
            if above.get("type") in ROOT_TYPES:
                above["descendants"] = above.get("descendants", 0) + 1
            if self.maxitem is not None:
                self.maxitem = max(self.maxitem, new_id)
            self.updated_items = [new_id, parent]
        return new_id

    def clear_faults(self) -> None:
        with self._lock:
            self._faults = []

    @property
    def faults(self) -> tuple[Fault, ...]:
        """Faults still active (used-up ones are gone)."""
        return tuple(self._faults)

    def reset_stats(self) -> None:
        """Zero the counters, e.g. between a benchmark's warm-up and its measured run."""
        self.requests = 0
        self.request_log.clear()
        self.max_in_flight = self._in_flight
        self.connections_accepted = 0

    def _take_fault(self, route: str, name: str, item_id: int | None) -> Fault | None:
        with self._lock:
            for fault in self._faults:
                if fault.matches(route, name, item_id):
                    if fault.remaining is not None:
                        fault.remaining -= 1
                        if fault.remaining <= 0:
                            self._faults = [f for f in self._faults if f is not fault]
                    return fault
        return None

    # ---- lifecycle ----------------------------------------------------------------------

    async def listen(self) -> FakeHN:
        """Start listening in the running loop (see also start() and serve_in_loop())."""
        if self._server is not None:
            raise RuntimeError("FakeHN is already listening")
        self._closing = False
        self._server = await asyncio.start_server(
            self._handle_connection,
            self.host,
            self.port,
            backlog=1024,
            limit=64 * 1024,
            reuse_address=True,
            ssl=self.tls,
        )
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def aclose(self) -> None:
        """Close the listener and drop every open connection, so clients see refused/reset."""
        server, self._server = self._server, None
        if server is None:
            return
        self._closing = True  # until the next listen()
        server.close()
        # A connection the kernel handed over just before close() needs a few loop turns to
        # reach _handle_connection, which then sees _closing and aborts it.
        for _ in range(3):
            for _ in range(5):
                await asyncio.sleep(0)
            tasks = list(self._connections)
            if not tasks:
                break
            for task, transport in list(self._connections.items()):
                transport.abort()
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
        await server.wait_closed()

    async def serve_in_loop(self, ready: Callable[[FakeHN], object] | None = None) -> None:
        """Serve in the current loop until cancelled; ``ready`` is called once listening."""
        await self.listen()
        try:
            if ready is not None:
                ready(self)
            await asyncio.get_running_loop().create_future()  # until cancelled
        finally:
            await self.aclose()

    async def __aenter__(self) -> FakeHN:
        return await self.listen()

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    def start(self) -> FakeHN:
        """Serve from a daemon thread with its own loop, so sync and async tests can use it."""
        if self._thread is not None:
            return self
        if self._server is not None:
            raise RuntimeError("FakeHN is already serving in an event loop")
        ready = threading.Event()
        errors: list[BaseException] = []
        thread = threading.Thread(
            target=self._run_thread, args=(ready, errors), name="FakeHN", daemon=True
        )
        thread.start()
        ready.wait()
        if errors:
            thread.join()
            raise errors[0]
        self._thread = thread
        return self

    def _run_thread(self, ready: threading.Event, errors: list[BaseException]) -> None:
        loop = asyncio.new_event_loop()
        try:
            try:
                loop.run_until_complete(self.listen())
            except BaseException as exc:
                errors.append(exc)
                ready.set()
                return
            self._loop = loop
            ready.set()
            loop.run_forever()
            loop.run_until_complete(self.aclose())
            leftovers = asyncio.all_tasks(loop)
            if leftovers:
                loop.run_until_complete(asyncio.wait(leftovers, timeout=1.0))
            loop.run_until_complete(loop.shutdown_asyncgens())
        finally:
            loop.close()

    def stop(self) -> None:
        """Stop the thread started by start(); closes every connection. Safe to call twice."""
        thread, loop = self._thread, self._loop
        if thread is None or loop is None:
            if self._server is not None:
                raise RuntimeError("serving in an event loop: use `await aclose()`")
            return
        loop.call_soon_threadsafe(loop.stop)
        thread.join()
        self._thread = self._loop = None

    def __enter__(self) -> FakeHN:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # ---- HTTP ---------------------------------------------------------------------------

    async def _handle_connection(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        transport = writer.transport
        if self._closing:  # accepted just as aclose() ran: drop it like the rest
            transport.abort()
            return
        sock = writer.get_extra_info("socket")
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.connections_accepted += 1
        task = asyncio.current_task()
        assert task is not None
        self._connections[task] = transport
        try:
            if self.connect_delay > 0:
                await asyncio.sleep(self.connect_delay)
            while True:
                try:
                    head = await reader.readuntil(b"\r\n\r\n")
                except (asyncio.IncompleteReadError, asyncio.LimitOverrunError):
                    break
                if not await self._serve_request(head, reader, writer):
                    break
        except OSError:  # the client went away mid-response (reset, broken pipe)
            pass
        except asyncio.CancelledError:
            # Cancelled by aclose(). This is the connection's top-level task, so ending quietly
            # is safe, and it keeps asyncio's stream callback from logging a spurious error.
            pass
        finally:
            self._connections.pop(task, None)
            transport.close()

    async def _serve_request(
        self, head: bytes, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> bool:
        """Answer one request; returns whether to keep the connection open."""
        self.requests += 1
        self._in_flight += 1
        if self._in_flight > self.max_in_flight:
            self.max_in_flight = self._in_flight
        try:
            head = head.lstrip(b"\r\n")
            line = head[: head.find(b"\r\n")]
            parts = line.split(b" ")
            if len(parts) != 3 or not parts[2].startswith(b"HTTP/"):
                writer.write(_head(400, 0, False))
                return False
            method, target, version = parts
            path = target.split(b"?", 1)[0].decode("latin-1")
            self.request_log[path] += 1
            keep = _keep_alive(head, version)
            if method != b"GET":
                body = b'{"error": "Method not allowed"}'
                writer.write(_head(405, len(body), False, b"Allow: GET\r\n") + body)
                return False  # a body we did not read may follow; do not reuse the connection
            if self.delay > 0:
                await asyncio.sleep(self.delay)
            route, name, item_id = _route(path)
            fault = self._take_fault(route, name, item_id) if self._faults else None
            if fault is not None:
                return await self._serve_fault(fault, route, name, item_id, keep, reader, writer)
            status, body = self._render(route, name, item_id)
            writer.write(_head(status, len(body), keep) + body)
            await writer.drain()
            return keep
        finally:
            self._in_flight -= 1

    def _lookup(self, route: str, name: str, item_id: int | None) -> Any:
        """The Python value a route serves, or ``_NOT_FOUND_OBJ``."""
        if route == "item":
            return self.items.get(item_id)  # type: ignore[arg-type]
        if route in LIST_LIMITS:
            ids = self.lists.get(route)
            return ids if ids is not None else derive_lists(self.items)[route]
        if route == "maxitem":
            return self.maxitem if self.maxitem is not None else max(self.items, default=0)
        if route == "user":
            return self.users.get(name.partition("/")[2])
        if route == "updates":
            return {"items": list(self.updated_items), "profiles": []}
        return _NOT_FOUND_OBJ

    def _render(self, route: str, name: str, item_id: int | None) -> tuple[int, bytes]:
        value = self._lookup(route, name, item_id)
        if value is _NOT_FOUND_OBJ:
            return 404, _NOT_FOUND
        return 200, self._encode(value)

    @staticmethod
    def _encode(value: Any) -> bytes:
        # Tests mutate items from another thread; retry if a dict changed size mid-encode.
        for _ in range(3):
            try:
                return _dumps(value).encode()
            except RuntimeError:
                continue
        return _dumps(value).encode()

    async def _serve_fault(
        self,
        fault: Fault,
        route: str,
        name: str,
        item_id: int | None,
        keep: bool,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
    ) -> bool:
        kind = fault.kind
        if kind == "timeout":
            # Never answer; just notice when the client (or stop()) closes the connection.
            while await reader.read(_CHUNK):
                pass
            return False
        if kind == "delay":
            await asyncio.sleep(float(fault.options["seconds"]))
            status, body = self._render(route, name, item_id)
            writer.write(_head(status, len(body), keep) + body)
        elif kind == "500":
            body = b'{"error": "Internal Server Error"}'
            writer.write(_head(500, len(body), keep) + body)
        elif kind == "404":
            writer.write(_head(404, len(_NOT_FOUND), keep) + _NOT_FOUND)
        elif kind == "429":
            retry = fault.options.get("retry_after", 1)
            body = b'{"error": "Too Many Requests"}'
            extra = b"Retry-After: %s\r\n" % str(retry).encode()
            writer.write(_head(429, len(body), keep, extra) + body)
        elif kind == "malformed":
            writer.write(_head(200, len(_MALFORMED), keep) + _MALFORMED)
        elif kind == "null":
            writer.write(_head(200, 4, keep) + b"null")
        elif kind == "cut":
            status, body = self._render(route, name, item_id)
            writer.write(_head(status, len(body), False) + body[: len(body) // 2])
            await writer.drain()
            return False
        elif kind == "oversize":
            await self._stream_oversize(int(fault.options.get("size", 20_000_000)), keep, writer)
        elif kind == "trickle":
            _, body = self._render(route, name, item_id)
            size = fault.options.get("size")
            interval = float(fault.options.get("interval", 1.0))
            await self._trickle(body, None if size is None else int(size), interval, reader, writer)
            return False
        elif kind == "wrongtype":
            value = self._lookup(route, name, item_id)
            if value is _NOT_FOUND_OBJ:
                writer.write(_head(404, len(_NOT_FOUND), keep) + _NOT_FOUND)
            else:
                body = self._encode(_wrong_types(value))
                writer.write(_head(200, len(body), keep) + body)
        await writer.drain()
        return keep

    async def _trickle(
        self,
        body: bytes,
        size: int | None,
        interval: float,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
    ) -> None:
        """Headers at once, then the body a byte per ``interval``: every read gets data in
        time, so only a total deadline stops the wait. ``size`` None: chunked and endless
        (spaces, which JSON allows); else ``size`` bytes, spaces and then the real answer, so
        a patient client gets a valid item. Ends when the client hangs up."""
        self.trickling += 1
        try:
            if size is None:
                writer.write(
                    b"HTTP/1.1 200 OK\r\nContent-Type: application/json; charset=utf-8\r\n"
                    b"Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                )
                pieces: Iterable[bytes] = itertools.repeat(b"1\r\n \r\n")
            else:
                payload = b" " * max(0, size - len(body)) + body
                writer.write(_head(200, len(payload), False))
                pieces = (payload[i : i + 1] for i in range(len(payload)))
            for piece in pieces:
                await writer.drain()
                await asyncio.sleep(interval)
                if reader.at_eof() or writer.is_closing():
                    return  # the client gave up
                writer.write(piece)
            await writer.drain()
        finally:
            self.trickling -= 1

    @staticmethod
    async def _stream_oversize(size: int, keep: bool, writer: asyncio.StreamWriter) -> None:
        """A valid JSON string of ``size`` bytes, written in chunks so memory stays flat."""
        size = max(size, 2)
        writer.write(_head(200, size, keep) + b'"')
        left = size - 2
        chunk = b"x" * _CHUNK
        while left > 0:
            piece = chunk if left >= _CHUNK else chunk[:left]
            writer.write(piece)
            left -= len(piece)
            await writer.drain()
        writer.write(b'"')
