"""HTTP/1.1 with many connections or HTTP/2 multiplexing, decided by measurement:
``.venv/bin/python -m benchmarks.http2 [--delay 0.05] [--count 3000] [--repeats 3]``.

The real API is HTTPS, so everything here is TLS on 127.0.0.1. Each variant fetches ``count``
distinct items of the generated thread with 64 requests in flight; the server adds ``delay``
per request and ``2 * delay`` to each new connection (TCP + TLS 1.3 handshake round trips,
which loopback does not have). It runs at ``--delay`` and again at 0 (where only CPU counts).

* aiohttp, HTTP/1.1, one session, ``TCPConnector(limit=64)``: the client hnterm ships, against
  the fake API (tests/fakehn, HTTP/1.1 only).
* httpx ``http2=True``: one connection carrying all 64 streams, against hypercorn (h2).
* httpx HTTP/1.1, ``max_connections=64``, against the fake API: for reference.
* aiohttp HTTP/1.1 against hypercorn: a control, so a server difference is not read as a
  protocol difference.

Servers run in their own processes (their CPU is reported, not counted). A run is a fresh
client doing a *cold* pass (connections, handshakes included) and then a *warm* pass over the
same ids on the connections it kept; medians over ``--repeats`` runs. Client CPU is
``time.process_time()`` of this process per request, including ``parse_item`` (as
benchmarks/transports.py counts it). Packages only this benchmark needs (not in
pyproject.toml): ``hypercorn``, ``h2``, ``httpx[http2]``; a variant is skipped, with a note,
when one is missing. Results: a table on stdout and benchmarks/results/http2.json.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import importlib.util
import json
import os
import platform
import ssl
import statistics
import sys
import tempfile
import time
import urllib.request
from collections.abc import Awaitable, Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from hnterm.model.items import parse_item

from benchmarks.network import GENERATED_ROOT, IN_FLIGHT, RUN_TIMEOUT
from benchmarks.server import ROOT, ca_file, spawned
from tests.fakehn import generate_thread

DEFAULT_JSON = ROOT / "benchmarks" / "results" / "http2.json"
FAKEHN = "fakehn (h1)"
HYPERCORN = "hypercorn (h2+h1)"


@dataclass
class Client:
    """What a variant hands the runner: fetch a path's body, report the protocol, close."""

    get: Callable[[str], Awaitable[bytes]]
    version: Callable[[], Awaitable[str]]
    close: Callable[[], Awaitable[Any]]


def _ssl(ca: Path) -> ssl.SSLContext:
    """A context trusting only the test CA; one per client (httpcore sets ALPN on it)."""
    return ssl.create_default_context(cafile=str(ca))


async def _aiohttp_h1(url: str, ca: Path) -> Client:
    import aiohttp

    connector = aiohttp.TCPConnector(limit=IN_FLIGHT, ssl=_ssl(ca))
    session = aiohttp.ClientSession(connector=connector)

    async def get(path: str) -> bytes:
        async with session.get(url + path) as response:
            response.raise_for_status()
            return await response.read()

    async def version() -> str:
        async with session.get(url + "item/1.json") as response:
            return f"HTTP/{response.version.major}.{response.version.minor}"

    return Client(get, version, session.close)


async def _httpx(url: str, ca: Path, *, http2: bool) -> Client:
    import httpx

    limits = httpx.Limits(max_connections=IN_FLIGHT, max_keepalive_connections=IN_FLIGHT)
    client = httpx.AsyncClient(base_url=url, verify=_ssl(ca), http2=http2, limits=limits)

    async def get(path: str) -> bytes:
        response = await client.get(path)
        response.raise_for_status()
        return response.content

    async def version() -> str:
        return (await client.get("item/1.json")).http_version

    return Client(get, version, client.aclose)


@dataclass
class Variant:
    label: str
    server: str  # FAKEHN or HYPERCORN
    make: Callable[[str, Path], Awaitable[Client]]
    needs: tuple[str, ...]  # importable modules the variant (client and server) needs
    expect: str  # the protocol the variant must actually speak, checked after each run


VARIANTS = [
    Variant("aiohttp h1 x64", FAKEHN, _aiohttp_h1, ("aiohttp",), "HTTP/1.1"),
    Variant(
        "httpx h2 x1",
        HYPERCORN,
        lambda url, ca: _httpx(url, ca, http2=True),
        ("httpx", "h2", "hypercorn"),
        "HTTP/2",
    ),
    Variant(
        "httpx h1 x64 (ref)",
        FAKEHN,
        lambda url, ca: _httpx(url, ca, http2=False),
        ("httpx",),
        "HTTP/1.1",
    ),
    Variant(
        "aiohttp h1 x64 (control)", HYPERCORN, _aiohttp_h1, ("aiohttp", "hypercorn"), "HTTP/1.1"
    ),
]


def missing(variant: Variant) -> list[str]:
    return [name for name in variant.needs if importlib.util.find_spec(name) is None]


# ---- servers ----------------------------------------------------------------------------


@dataclass
class Server:
    url: str
    pid: int
    ca: Path


@contextmanager
def _server(module: str, delay: float, tls_dir: Path, extra: list[str]) -> Iterator[Server]:
    """``python -m module`` in its own process; it prints its base URL first."""
    args = [module, "--delay", str(delay), "--connect-delay", str(2 * delay)]
    args += ["--tls-dir", str(tls_dir), *extra]
    with spawned(args, ("https://127.0.0.1:",)) as (url, pid):
        yield Server(url, pid, ca_file(tls_dir))


def _start(kind: str, delay: float, tls_dir: Path) -> Any:
    if kind == FAKEHN:
        extra = ["--host", "127.0.0.1", "--port", "0", "--generated"]
        return _server("tests.fakehn", delay, tls_dir, extra)
    return _server("benchmarks.http2_server", delay, tls_dir, [])


def _process_cpu(pid: int) -> float:
    """User + system CPU seconds of another process (Linux /proc; 0 elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _connections_to(port: int) -> int | None:
    """Established TCP connections to ``port`` on this machine whose remote end is the server:
    only clients (ours) have that remote port. None where /proc/net/tcp is missing."""
    try:
        lines = Path("/proc/net/tcp").read_text().splitlines()[1:]
    except OSError:
        return None
    return sum(
        1
        for line in lines
        if (fields := line.split())[3] == "01" and int(fields[2].split(":")[1], 16) == port
    )


def _reset(server: Server, kind: str) -> None:
    """Make hypercorn forget the connections it has seen (see benchmarks/http2_server.py)."""
    if kind != HYPERCORN:
        return
    context = _ssl(server.ca)
    with urllib.request.urlopen(server.url + "_bench/reset", context=context, timeout=10) as r:
        r.read()


# ---- measurement ------------------------------------------------------------------------


async def _pass(client: Client, ids: list[int]) -> tuple[float, float]:
    """(wall s, client CPU s) to fetch every id with IN_FLIGHT requests at a time."""
    pending = list(reversed(ids))

    async def worker() -> None:
        while pending:
            item_id = pending.pop()
            if parse_item(json.loads(await client.get(f"item/{item_id}.json")), item_id) is None:
                raise RuntimeError(f"the server lost item {item_id}")

    started = time.perf_counter()
    cpu = time.process_time()
    await asyncio.gather(*(worker() for _ in range(IN_FLIGHT)))
    return time.perf_counter() - started, time.process_time() - cpu


async def _run(variant: Variant, server: Server, ids: list[int]) -> dict[str, Any]:
    """One fresh client: a cold pass, then a warm one; times, CPU and connections."""
    port = urlsplit(server.url).port or 443
    async with asyncio.timeout(RUN_TIMEOUT):
        client = await variant.make(server.url, server.ca)
        try:
            server_cpu = _process_cpu(server.pid)
            cold_wall, cold_cpu = await _pass(client, ids)
            server_cold = _process_cpu(server.pid) - server_cpu
            connections = _connections_to(port)
            server_cpu = _process_cpu(server.pid)
            warm_wall, warm_cpu = await _pass(client, ids)
            server_warm = _process_cpu(server.pid) - server_cpu
            protocol = await client.version()
        finally:
            await client.close()
    if protocol != variant.expect:
        raise RuntimeError(f"{variant.label}: spoke {protocol}, expected {variant.expect}")
    return {
        "cold_wall_s": cold_wall,
        "cold_cpu_s": cold_cpu,
        "warm_wall_s": warm_wall,
        "warm_cpu_s": warm_cpu,
        "server_cold_cpu_s": server_cold,
        "server_warm_cpu_s": server_warm,
        "connections": connections,
        "protocol": protocol,
    }


def measure(
    variant: Variant, server: Server, kind: str, delay: float, ids: list[int], repeats: int
) -> dict[str, Any]:
    """Medians over ``repeats`` fresh-client runs, as one result row."""
    runs = []
    for _ in range(repeats):
        _reset(server, kind)
        gc.collect()
        runs.append(asyncio.run(_run(variant, server, ids)))
    n = len(ids)

    def median(key: str) -> float:
        return statistics.median(run[key] for run in runs)

    ideal = IN_FLIGHT / delay if delay > 0 else None
    cold_rate, warm_rate = n / median("cold_wall_s"), n / median("warm_wall_s")
    return {
        "variant": variant.label,
        "server": kind,
        "protocol": runs[-1]["protocol"],
        "delay_s": delay,
        "connect_delay_s": 2 * delay,
        "in_flight": IN_FLIGHT,
        "requests": n,
        "repeats": repeats,
        "connections": runs[-1]["connections"],
        "cold_wall_s": round(median("cold_wall_s"), 4),
        "cold_items_per_s": round(cold_rate, 1),
        "cold_share_of_ideal": round(cold_rate / ideal, 3) if ideal else None,
        "warm_wall_s": round(median("warm_wall_s"), 4),
        "warm_items_per_s": round(warm_rate, 1),
        "warm_share_of_ideal": round(warm_rate / ideal, 3) if ideal else None,
        "ideal_items_per_s": round(ideal, 1) if ideal else None,
        # No cold pass can beat one connect delay plus n / 64 requests of ``delay`` each.
        "cold_bound_s": round(2 * delay + n * delay / IN_FLIGHT, 4),
        "cold_cpu_ms_per_request": round(1000 * median("cold_cpu_s") / n, 4),
        "warm_cpu_ms_per_request": round(1000 * median("warm_cpu_s") / n, 4),
        "server_cpu_ms_per_request": round(1000 * median("server_warm_cpu_s") / n, 4),
        "client_busy_warm": round(median("warm_cpu_s") / median("warm_wall_s"), 3),
        "server_busy_warm": round(median("server_warm_cpu_s") / median("warm_wall_s"), 3),
        "cold_wall_runs_s": [round(run["cold_wall_s"], 4) for run in runs],
        "warm_wall_runs_s": [round(run["warm_wall_s"], 4) for run in runs],
    }


def table(rows: list[dict[str, Any]], skipped: dict[str, str]) -> str:
    def share(value: float | None) -> str:
        return f"{value:.0%}" if value is not None else "-"

    head = (
        f"{'variant':<25} {'server':<17} {'delay':>5} {'conn':>4} {'cold s':>7} {'items/s':>8}"
        f" {'ideal':>5} {'warm s':>7} {'items/s':>8} {'ideal':>5} {'cpu ms/req':>10}"
        f" {'warm':>6} {'busy':>5} {'srv ms':>6} {'busy':>5}"
    )
    lines = [head, "-" * len(head)]
    for row in rows:
        lines.append(
            f"{row['variant']:<25} {row['server']:<17} {row['delay_s']:>5.2f}"
            f" {row['connections'] if row['connections'] is not None else '?':>4}"
            f" {row['cold_wall_s']:>7.3f} {row['cold_items_per_s']:>8.0f}"
            f" {share(row['cold_share_of_ideal']):>5}"
            f" {row['warm_wall_s']:>7.3f} {row['warm_items_per_s']:>8.0f}"
            f" {share(row['warm_share_of_ideal']):>5}"
            f" {row['cold_cpu_ms_per_request']:>10.3f} {row['warm_cpu_ms_per_request']:>6.3f}"
            f" {row['client_busy_warm']:>5.0%}"
            f" {row['server_cpu_ms_per_request']:>6.3f} {row['server_busy_warm']:>5.0%}"
        )
    lines += [
        "cold: fresh client, handshakes included; warm: the same ids again on kept connections;"
        " ideal: share of 64/delay items/s",
        "cpu ms/req: client, cold and warm; busy: CPU s / wall s in the warm pass (1 core ="
        " 100%); srv: the server process, warm",
    ]
    lines.extend(f"skipped {label}: {why}" for label, why in skipped.items())
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.http2", description=__doc__)
    parser.add_argument("--delay", type=float, default=0.05, help="server seconds per request")
    parser.add_argument("--count", type=int, default=3000, help="distinct items per pass")
    parser.add_argument("--repeats", type=int, default=3, help="fresh-client runs (median)")
    parser.add_argument("--json", type=Path, default=DEFAULT_JSON, help="where results go")
    args = parser.parse_args(argv)

    ids = sorted(generate_thread(GENERATED_ROOT))[: args.count]
    if len(ids) < args.count:
        parser.error(f"the generated thread has only {len(ids)} items")
    skipped = {}
    variants = []
    for variant in VARIANTS:
        if absent := missing(variant):
            skipped[variant.label] = f"not installed: {', '.join(absent)}"
        else:
            variants.append(variant)
    delays = [args.delay] if args.delay == 0 else [args.delay, 0.0]
    rows = []
    started = time.perf_counter()
    for delay in delays:
        kinds = sorted({variant.server for variant in variants})
        with tempfile.TemporaryDirectory(prefix="hnterm-http2-") as tmp, ExitStack() as stack:
            servers = {
                kind: stack.enter_context(_start(kind, delay, Path(tmp) / kind)) for kind in kinds
            }
            for variant in variants:
                print(f"  {variant.label} -> {variant.server}, delay {delay} ...", file=sys.stderr)
                server = servers[variant.server]
                rows.append(measure(variant, server, variant.server, delay, ids, args.repeats))
    text = table(rows, skipped)
    print(text)
    results = {
        "machine": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
        },
        "count": args.count,
        "in_flight": IN_FLIGHT,
        "repeats": args.repeats,
        "rows": rows,
        "skipped": skipped,
        "total_s": round(time.perf_counter() - started, 2),
    }
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=2) + "\n")
    print(f"(results in {args.json})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
