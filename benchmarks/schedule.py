"""The loader on its own: its fetch order, and what its machinery and batching cost.

* ``simulate``: a discrete-event model of a load (each request takes exactly ``delay``, no CPU)
  under a fetch order; it gives the best time an order allows, with no code overhead at all.
* ``critical_path``: an oracle order that knows the whole tree in advance (the height of the
  subtree below each id, then its size): no loader can know that, so it is the yardstick, the
  best schedule the tree allows (``best_schedule``: the fastest of every order modelled).
* ``loader_overhead``: the real ``stream_items`` with an in-process fetch that only sleeps
  ``delay``: its wall time against the model's for the same order is the loader's own cost
  (tasks, heap, timers), and the time between an item's arrival and the batch that hands it
  out is the price of batching (``interval``).
"""

from __future__ import annotations

import asyncio
import heapq
import math
import statistics
import time
from collections.abc import Callable
from typing import Any

from hnterm.model.items import Item, parse_item
from hnterm.net.loader import priority, stream_items

from benchmarks.network import IN_FLIGHT, THREADS, lower_bound, thread_items
from tests.fakehn import thread_stats

Priority = Callable[[int, int], float]
# How soon an id is fetched, higher first: (item id, its depth, how many siblings it has).
Rank = Callable[[int, int, int], float]
Kids = dict[int, list[int]]

POLICIES: dict[str, Priority] = {
    "fifo": lambda depth, siblings: 0.0,
    "deepest first": lambda depth, siblings: float(depth),
    "depth + log2(1 + siblings)": lambda depth, siblings: depth + math.log2(1 + siblings),
    "hnterm (depth + 2 log2(1 + siblings))": priority,
}
ORACLE = "critical path (oracle: subtree height, then size)"


def by_position(rank: Priority) -> Rank:
    """An order that sees only what a loader sees: an id's depth and its siblings."""
    return lambda item_id, depth, siblings: rank(depth, siblings)


def critical_path(kids: Kids, root: int) -> Rank:
    """The oracle order: the id with the tallest subtree below it first (its chain of round
    trips is the longest still to go), ties by the subtree's size."""
    height: dict[int, int] = {}
    size: dict[int, int] = {}
    order, stack = [], [root]
    while stack:  # parents before kids; walked backwards, kids before parents
        item_id = stack.pop()
        order.append(item_id)
        stack.extend(kids.get(item_id, ()))
    for item_id in reversed(order):
        below = kids.get(item_id, ())
        height[item_id] = 1 + max((height[kid] for kid in below), default=-1)
        size[item_id] = 1 + sum(size[kid] for kid in below)
    total = size[root] + 1
    return lambda item_id, depth, siblings: height.get(item_id, 0) + size.get(item_id, 1) / total


def simulate(
    kids: Kids,
    root: int,
    rank: Rank,
    delay: float,
    in_flight: int = IN_FLIGHT,
) -> float:
    """Seconds a load takes when every request takes ``delay`` and costs nothing else."""
    waiting: list[tuple[float, int, int, int]] = [(-rank(root, 0, 1), 0, 0, root)]
    running: list[tuple[float, int, int, int]] = []
    order = 1
    now = 0.0
    while waiting or running:
        while waiting and len(running) < in_flight:
            _, serial, depth, item_id = heapq.heappop(waiting)
            heapq.heappush(running, (now + delay, serial, depth, item_id))
        now, _, depth, item_id = heapq.heappop(running)
        replies = kids.get(item_id, [])
        for kid in replies:
            heapq.heappush(waiting, (-rank(kid, depth + 1, len(replies)), order, depth + 1, kid))
            order += 1
    return now


def orders(kids: Kids, root: int) -> dict[str, Rank]:
    """Every fetch order modelled: the policies a loader can follow, and the oracle."""
    ranks = {name: by_position(rank) for name, rank in POLICIES.items()}
    ranks[ORACLE] = critical_path(kids, root)
    return ranks


def kids_of(raw: dict[int, dict]) -> Kids:
    """Each raw item's replies (the tree a load walks)."""
    return {item_id: list(item.get("kids") or ()) for item_id, item in raw.items() if item}


def best_schedule(kids: Kids, root: int, delay: float) -> dict[str, Any]:
    """The fastest modelled load of a tree at ``delay``, and which order gives it."""
    timed = {name: simulate(kids, root, rank, delay) for name, rank in orders(kids, root).items()}
    name = min(timed, key=lambda key: (timed[key], key != ORACLE))  # a tie: the oracle
    return {"order": name, "seconds": round(timed[name], 4)}


def schedules(delay: float) -> list[dict[str, Any]]:
    """Modelled load time of each benchmark thread under each fetch order, and the best."""
    rows = []
    for label, root, fixture in THREADS:
        raw = thread_items(root, fixture)
        kids = kids_of(raw)
        comments, depth = thread_stats(raw, root)
        bound = lower_bound(comments, depth, delay)
        row: dict[str, Any] = {"thread": label, "bound_s": round(bound, 4)}
        ranks = orders(kids, root)
        for name, rank in ranks.items():
            seconds = simulate(kids, root, rank, delay)
            row[name] = {"seconds": round(seconds, 4), "ratio": round(seconds / bound, 3)}
        best = min(ranks, key=lambda name: (row[name]["seconds"], name != ORACLE))
        row["best"] = {"order": best, **row[best]}
        rows.append(row)
    return rows


async def _in_process_load(
    items: dict[int, Item], root: int, delay: float, interval: float
) -> dict[str, Any]:
    arrived: dict[int, float] = {}

    async def fetch(item_id: int) -> Item | None:
        await asyncio.sleep(delay)
        arrived[item_id] = time.perf_counter()
        return items.get(item_id)

    waits: list[float] = []
    batches = 0
    started = time.perf_counter()
    cpu = time.process_time()
    async with asyncio.timeout(60):
        async for batch in stream_items(fetch, [root], concurrency=IN_FLIGHT, interval=interval):
            now = time.perf_counter()
            batches += 1
            waits.extend(now - arrived[item.id] for item in batch.items)
    wall = time.perf_counter() - started
    cpu = time.process_time() - cpu
    waits.sort()
    return {
        "wall_s": round(wall, 4),
        "cpu_ms_per_item": round(1000 * cpu / len(arrived), 4),
        "batches": batches,
        "arrival_to_batch_ms": {
            "mean": round(1000 * statistics.fmean(waits), 2),
            "p99": round(1000 * waits[int(0.99 * (len(waits) - 1))], 2),
            "max": round(1000 * waits[-1], 2),
        },
    }


def loader_overhead(delay: float, interval: float = 0.1) -> list[dict[str, Any]]:
    """``stream_items`` with a sleeping in-process fetch vs the model of the same order, the
    best schedule of the tree and the bound."""
    rows = []
    for label, root, fixture in THREADS:
        raw = thread_items(root, fixture)
        items = {i: item for i, value in raw.items() if (item := parse_item(value, i))}
        kids = {item_id: list(item.kids) for item_id, item in items.items()}
        comments, depth = thread_stats(raw, root)
        bound = lower_bound(comments, depth, delay)
        modelled = simulate(kids, root, by_position(priority), delay)
        best = best_schedule(kids, root, delay)
        run = asyncio.run(_in_process_load(items, root, delay, interval))
        run["modelled_s"] = round(modelled, 4)
        run["overhead_s"] = round(run["wall_s"] - modelled, 4)
        run["best_s"] = best["seconds"]
        run["best_order"] = best["order"]
        run["bound_s"] = round(bound, 4)
        run["ratio_to_best"] = round(run["wall_s"] / best["seconds"], 3)
        run["ratio_to_bound"] = round(run["wall_s"] / bound, 3)
        rows.append({"thread": label, **run})
    return rows
