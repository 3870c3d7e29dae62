"""Streaming thread loads: every comment of a thread, many requests in flight.

A load walks the tree, scheduling an item's kids the moment the item arrives (no waiting for a
whole level). Which waiting id goes next matters: a load takes at least one round trip per
level of its longest reply chain, and a first-in-first-out queue makes each step of a deep
chain wait behind the whole breadth of the tree. So ids are served by an estimate of how much
tree still hangs below them: deeper first, and sooner in busy branches (an item whose parent
has many replies tends to head a big, deep subthread, since replies attract replies). In a
zero-CPU model of the 25-level, 3,000-comment benchmark thread at 64 in flight, FIFO takes
1.37x the lower bound, deepest-first 1.26x, depth + log2(1 + siblings) 1.09x, and with the
busy-branch bonus doubled 1.07x (an order that knew every subtree's height: 1.02x); the real
threads (IBM, Biden, Speed) are the same under both bonuses (benchmarks/schedule.py).
Ties go in the order ids were found, which is HN's display order.

What arrives is handed out in batches so the UI redraws ~10 times a second instead of once per
comment (less often when handling a batch takes the consumer long); the first two batches go
out at once, so the first screenful shows without waiting, and so does the last.
"""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import itertools
import math
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from dataclasses import dataclass, field

from hnterm.model.items import Item
from hnterm.net.client import HNError, NetworkError

Fetch = Callable[[int], Awaitable[Item | None]]

# Batches that go out without waiting for ``interval``: the root, then the first replies.
EAGER_BATCHES = 2


@dataclass
class Batch:
    """Items that arrived since the previous batch, and the load's running totals."""

    items: list[Item]
    fetched: int
    failed: dict[int, str] = field(default_factory=dict)
    done: bool = False
    network_down: bool = False


def priority(depth: int, siblings: int) -> float:
    """How soon an id is fetched (higher first): its depth, plus a bonus for busy branches
    (measured against the load at 50 ms: ~2 % faster than a bonus half the size)."""
    return depth + 2 * math.log2(1 + siblings)


async def stream_items(
    fetch: Fetch,
    start_ids: Iterable[int],
    *,
    concurrency: int = 64,
    interval: float = 0.1,
    follow: bool = True,
) -> AsyncIterator[Batch]:
    """Fetch ``start_ids`` and, recursively, their kids and poll parts; yield batches.

    The first batches go out as soon as anything arrives; later ones at most every
    ``interval`` seconds. An id is fetched at most once, so cycles end. With ``follow`` off
    only ``start_ids`` are fetched. Failed ids are reported, not raised, so one bad comment
    never costs the rest of the thread.
    """
    waiting: list[tuple[float, int, int, int]] = []  # heap of (-priority, order, depth, id)
    order = itertools.count()
    seen: set[int] = set()
    arrived: list[Item | tuple[int, HNError]] = []
    wake = asyncio.Event()
    finished = asyncio.Event()
    workers: set[asyncio.Task[None]] = set()
    crashed: list[BaseException] = []

    def schedule(item_id: int, depth: int, siblings: int) -> None:
        if item_id not in seen:
            seen.add(item_id)
            heapq.heappush(waiting, (-priority(depth, siblings), next(order), depth, item_id))

    def start_workers() -> None:
        # A worker fetches ids until none wait, so this only tops the pool up.
        for _ in range(min(concurrency - len(workers), len(waiting))):
            task = asyncio.create_task(worker())
            workers.add(task)

    async def worker() -> None:
        try:
            while waiting:
                _, _, depth, item_id = heapq.heappop(waiting)
                try:
                    item = await fetch(item_id)
                except HNError as exc:
                    arrived.append((item_id, exc))
                else:
                    if item is not None:
                        kids = (*item.kids, *item.parts) if follow else ()
                        for kid in kids:
                            schedule(kid, depth + 1, len(kids))
                        if kids:
                            start_workers()
                        arrived.append(item)
                wake.set()
        except Exception as exc:  # a bug in ``fetch``: end the load and re-raise it there
            crashed.append(exc)
        finally:
            if (task := asyncio.current_task()) is not None:
                workers.discard(task)
            if not workers:
                wake.set()
                if not waiting:
                    finished.set()

    start = list(start_ids)
    for item_id in start:
        schedule(item_id, 0, len(start))
    if not waiting:
        yield Batch([], 0, done=True)
        return
    start_workers()

    fetched = 0
    failed: dict[int, str] = {}
    network_down = False
    batches = 0
    try:
        while True:
            await wake.wait()
            wake.clear()
            if crashed:
                raise crashed[0]
            entries = arrived[:]
            arrived.clear()
            done = not workers and not waiting
            items: list[Item] = []
            for entry in entries:
                if isinstance(entry, Item):
                    items.append(entry)
                else:
                    failed[entry[0]] = str(entry[1])
                    network_down |= isinstance(entry[1], NetworkError)
            fetched += len(items)
            batches += 1
            yielded = time.monotonic()
            yield Batch(items, fetched, dict(failed), done, network_down)
            if done:
                return
            if batches >= EAGER_BATCHES:
                # Rest until the interval is over, and at least as long as the consumer took
                # over this batch (a big thread's relayout can take most of an interval: the
                # UI then still spends half its time free for keys). Never past the end of
                # the load: the last items go out the moment they arrive.
                busy = time.monotonic() - yielded
                rest = max(interval - busy, busy)
                if rest > 0 and workers:
                    with contextlib.suppress(TimeoutError):
                        async with asyncio.timeout(rest):
                            await finished.wait()
    finally:
        for task in list(workers):
            task.cancel()
        if workers:
            await asyncio.gather(*workers, return_exceptions=True)
