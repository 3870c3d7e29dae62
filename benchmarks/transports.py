"""Other ways to make the client's requests, timed the same way (``run --compare``).

These are the designs measured before choosing the one in app/hnterm/net/client.py: httpx as the
client used it before (8 pools of 8 connections, round robin), httpx with one connection per
pool handed out from a free list, httpx over the ``httpx-aiohttp`` transport and aiohttp on its
own (the last two only if installed; neither is a dependency of hnterm).
"""

from __future__ import annotations

import asyncio
import importlib.util
import itertools
import json
import time
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
from hnterm.model.items import parse_item

from benchmarks.network import GENERATED_ROOT, IN_FLIGHT, RUN_TIMEOUT
from tests.fakehn import generate_thread

Get = Callable[[str], Awaitable[bytes]]


async def _httpx_pools(url: str, pools: int, size: int) -> tuple[Get, Callable[[], Awaitable]]:
    """``pools`` clients of ``size`` connections; round robin when size > 1, else a free list
    (a round-robin pick of a one-connection pool would queue behind a busy one)."""
    limits = httpx.Limits(max_connections=size, max_keepalive_connections=size)
    clients = [httpx.AsyncClient(base_url=url, limits=limits) for _ in range(pools)]
    ring = itertools.cycle(clients)
    idle = list(clients)

    async def fetch(client: httpx.AsyncClient, path: str) -> bytes:
        response = await client.get(path)
        response.raise_for_status()
        return response.content

    async def get(path: str) -> bytes:
        if size > 1:
            return await fetch(next(ring), path)
        client = idle.pop()
        try:
            return await fetch(client, path)
        finally:
            idle.append(client)

    async def close() -> None:
        await asyncio.gather(*(client.aclose() for client in clients))

    return get, close


async def _httpx_aiohttp(url: str) -> tuple[Get, Callable[[], Awaitable]]:
    from httpx_aiohttp import AiohttpTransport  # type: ignore[import-not-found]

    limits = httpx.Limits(max_connections=IN_FLIGHT, max_keepalive_connections=IN_FLIGHT)
    client = httpx.AsyncClient(base_url=url, transport=AiohttpTransport(limits=limits))

    async def get(path: str) -> bytes:
        response = await client.get(path)
        response.raise_for_status()
        return response.content

    return get, client.aclose


async def _aiohttp(url: str) -> tuple[Get, Callable[[], Awaitable]]:
    import aiohttp  # type: ignore[import-not-found]

    session = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=IN_FLIGHT))

    async def get(path: str) -> bytes:
        async with session.get(url + path) as response:
            response.raise_for_status()
            return await response.read()

    return get, session.close


VARIANTS: dict[str, tuple[Callable[[str], Awaitable[tuple[Get, Any]]], str | None]] = {
    "httpx 8 pools x 8 (before)": (lambda url: _httpx_pools(url, 8, 8), None),
    "httpx 64 x 1, free list": (lambda url: _httpx_pools(url, IN_FLIGHT, 1), None),
    "httpx + httpx-aiohttp": (_httpx_aiohttp, "httpx_aiohttp"),
    "aiohttp alone": (_aiohttp, "aiohttp"),
}


async def _run(make: Callable[[str], Awaitable[tuple[Get, Any]]], url: str, ids: list[int]):
    get, close = await make(url)
    try:
        pending: list[int] = []

        async def worker() -> None:
            while pending:
                item_id = pending.pop()
                if parse_item(json.loads(await get(f"item/{item_id}.json")), item_id) is None:
                    raise RuntimeError("the fake server lost an item")

        pending[:] = ids[:IN_FLIGHT]  # open the connections first
        await asyncio.gather(*(worker() for _ in range(IN_FLIGHT)))
        pending[:] = reversed(ids)
        started = time.perf_counter()
        cpu = time.process_time()
        await asyncio.gather(*(worker() for _ in range(IN_FLIGHT)))
        return time.perf_counter() - started, time.process_time() - cpu
    finally:
        await close()


def compare(url: str, delay: float, fast_url: str, count: int) -> list[dict[str, Any]]:
    """Throughput rows like ``network.throughput`` for each available variant, at ``delay``
    (server at ``url``) and with no delay (``fast_url``)."""
    ids = sorted(generate_thread(GENERATED_ROOT))[1 : count + 1]
    rows = []
    for label, (make, module) in VARIANTS.items():
        if module is not None and importlib.util.find_spec(module) is None:
            continue
        for server, server_delay in ((url, delay), (fast_url, 0.0)):
            wall, cpu = asyncio.run(asyncio.wait_for(_run(make, server, ids), RUN_TIMEOUT))
            ideal = IN_FLIGHT / server_delay if server_delay > 0 else None
            rate = len(ids) / wall
            rows.append(
                {
                    "label": label,
                    "delay_s": server_delay,
                    "in_flight": IN_FLIGHT,
                    "requests": len(ids),
                    "items_per_s": round(rate, 1),
                    "ideal_items_per_s": round(ideal, 1) if ideal else None,
                    "share_of_ideal": round(rate / ideal, 3) if ideal else None,
                    "cpu_ms_per_request": round(1000 * cpu / len(ids), 4),
                }
            )
    return rows
