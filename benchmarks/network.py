"""Network-side benchmarks, run in the benchmark process against the fake server's process.

* thread loads: every comment of a thread through ``stream_items`` + ``HNClient``, as the app
  loads it, next to the lower bound no client can beat;
* client throughput: a flat list of item requests, 64 in flight, and the CPU each costs.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from dataclasses import asdict, dataclass
from typing import Any

from hnterm.net.client import HNClient
from hnterm.net.loader import stream_items

from tests.data import fixture_raw
from tests.fakehn import generate_thread, thread_stats

GENERATED_ROOT = 90_000_000
IN_FLIGHT = 64
RUN_TIMEOUT = 120.0

# (label, root id, fixture file or None for the generated thread)
THREADS: list[tuple[str, int, str | None]] = [
    ("IBM", 43727727, "unlurker-43727727-ibm-rto"),
    ("Biden", 25015967, "circumflex-25015967-biden-wins-white-house"),
    ("Speed", 26312516, "circumflex-26312516-speed-is-the-killer-feature"),
    ("generated", GENERATED_ROOT, None),
]


def thread_items(root: int, fixture: str | None) -> dict[int, dict]:
    """The raw items the fake server holds for a thread."""
    if fixture is None:
        return generate_thread(root)
    return {int(key): value for key, value in fixture_raw(fixture)["items"].items()}


def lower_bound(comments: int, depth: int, delay: float, in_flight: int = IN_FLIGHT) -> float:
    """No load can beat one round trip per level (root included), nor the request rate that
    ``in_flight`` requests of ``delay`` seconds each allow."""
    return max((depth + 1) * delay, (comments + 1) * delay / in_flight)


@dataclass
class LoadResult:
    thread: str
    root: int
    comments: int
    depth: int
    fetched: int
    seconds: list[float]
    median_s: float
    bound_s: float
    ratio: float
    cpu_ms_per_item: float
    batches: int


async def _load_once(url: str, root: int) -> tuple[float, float, int, int]:
    """(wall seconds, client CPU seconds, items fetched, batches) for one cold load."""
    async with asyncio.timeout(RUN_TIMEOUT), HNClient(url) as client:
        started = time.perf_counter()
        cpu = time.process_time()
        fetched = batches = 0
        async for batch in stream_items(client.item, [root], concurrency=IN_FLIGHT):
            fetched = batch.fetched
            batches += 1
            if batch.failed:
                raise RuntimeError(f"load of {root} failed: {batch.failed}")
        return time.perf_counter() - started, time.process_time() - cpu, fetched, batches


def thread_loads(url: str, delay: float, repeats: int) -> list[LoadResult]:
    """Full loads of each benchmark thread, ``repeats`` times each (the median is reported)."""
    results = []
    for label, root, fixture in THREADS:
        comments, depth = thread_stats(thread_items(root, fixture), root)
        runs = [asyncio.run(_load_once(url, root)) for _ in range(repeats)]
        walls = [run[0] for run in runs]
        median = statistics.median(walls)
        bound = lower_bound(comments, depth, delay)
        fetched = runs[-1][2]
        if fetched != comments + 1:
            raise RuntimeError(f"{label}: fetched {fetched} items, expected {comments + 1}")
        results.append(
            LoadResult(
                thread=label,
                root=root,
                comments=comments,
                depth=depth,
                fetched=fetched,
                seconds=[round(w, 4) for w in walls],
                median_s=round(median, 4),
                bound_s=round(bound, 4),
                ratio=round(median / bound, 3),
                cpu_ms_per_item=round(1000 * statistics.median(r[1] for r in runs) / fetched, 4),
                batches=runs[-1][3],
            )
        )
    return results


async def _flat_fetch(url: str, ids: list[int], in_flight: int) -> dict[str, Any]:
    async with asyncio.timeout(RUN_TIMEOUT), HNClient(url, connections=in_flight) as client:
        pending = list(reversed(ids))

        async def worker() -> None:
            while pending:
                if await client.item(pending.pop()) is None:
                    raise RuntimeError("the fake server lost an item")

        await asyncio.gather(*(worker() for _ in range(in_flight)))  # warm the connections
        pending = list(reversed(ids))
        requests = client.requests
        started = time.perf_counter()
        cpu = time.process_time()
        await asyncio.gather(*(worker() for _ in range(in_flight)))
        wall = time.perf_counter() - started
        cpu = time.process_time() - cpu
        count = client.requests - requests
    return {"requests": count, "wall_s": wall, "cpu_s": cpu}


def throughput(url: str, delay: float, count: int, in_flight: int = IN_FLIGHT) -> dict[str, Any]:
    """Items/s for ``count`` distinct items with ``in_flight`` requests at a time, and the
    client's CPU per request (``time.process_time`` of this process / requests)."""
    ids = sorted(generate_thread(GENERATED_ROOT))[1 : count + 1]
    run = asyncio.run(_flat_fetch(url, ids, in_flight))
    ideal = in_flight / delay if delay > 0 else None
    rate = run["requests"] / run["wall_s"]
    return {
        "delay_s": delay,
        "in_flight": in_flight,
        "requests": run["requests"],
        "items_per_s": round(rate, 1),
        "ideal_items_per_s": round(ideal, 1) if ideal else None,
        "share_of_ideal": round(rate / ideal, 3) if ideal else None,
        "cpu_ms_per_request": round(1000 * run["cpu_s"] / run["requests"], 4),
    }


def as_dicts(results: list[LoadResult]) -> list[dict[str, Any]]:
    return [asdict(result) for result in results]
