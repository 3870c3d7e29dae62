"""Streaming thread loads: every comment of a thread, many requests in flight.

A load is a breadth-first walk that schedules an item's kids the moment the item arrives (no
waiting for a whole level), bounded by a semaphore. What arrives is handed out in batches so the
UI can redraw ~10 times a second instead of once per comment.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from dataclasses import dataclass, field

from app.hn.client import HNError, NetworkError
from app.hn.models import Item

Fetch = Callable[[int], Awaitable[Item | None]]


@dataclass
class Batch:
    """Items that arrived since the previous batch, and the load's running totals."""

    items: list[Item]
    fetched: int
    failed: dict[int, str] = field(default_factory=dict)
    done: bool = False
    network_down: bool = False


async def stream_items(
    fetch: Fetch,
    start_ids: Iterable[int],
    *,
    concurrency: int = 64,
    interval: float = 0.1,
    follow: bool = True,
) -> AsyncIterator[Batch]:
    """Fetch ``start_ids`` and, recursively, their kids and poll parts; yield batches.

    The first batch goes out as soon as anything arrives; later ones at most every
    ``interval`` seconds. An id is fetched at most once, so cycles end. With ``follow`` off
    only ``start_ids`` are fetched. Failed ids are reported, not raised, so one bad comment
    never costs the rest of the thread.
    """
    queue: asyncio.Queue[Item | tuple[int, HNError] | None] = asyncio.Queue()
    seen: set[int] = set()
    semaphore = asyncio.Semaphore(concurrency)
    tasks: set[asyncio.Task[None]] = set()
    pending = 0

    async def fetch_one(item_id: int) -> None:
        nonlocal pending
        try:
            async with semaphore:
                item = await fetch(item_id)
        except HNError as exc:
            queue.put_nowait((item_id, exc))
        else:
            if item is not None:
                for kid in (*item.kids, *item.parts) if follow else ():
                    schedule(kid)
                queue.put_nowait(item)
        finally:
            pending -= 1
            if pending == 0:
                queue.put_nowait(None)

    def schedule(item_id: int) -> None:
        nonlocal pending
        if item_id in seen:
            return
        seen.add(item_id)
        pending += 1
        task = asyncio.create_task(fetch_one(item_id))
        tasks.add(task)
        task.add_done_callback(tasks.discard)

    for item_id in start_ids:
        schedule(item_id)
    if pending == 0:
        yield Batch([], 0, done=True)
        return

    fetched = 0
    failed: dict[int, str] = {}
    network_down = False
    try:
        done = False
        while not done:
            entries = [await queue.get()]
            while not queue.empty():
                entries.append(queue.get_nowait())
            items: list[Item] = []
            for entry in entries:
                if entry is None:
                    done = True
                elif isinstance(entry, Item):
                    items.append(entry)
                else:
                    failed[entry[0]] = str(entry[1])
                    network_down |= isinstance(entry[1], NetworkError)
            fetched += len(items)
            yielded = time.monotonic()
            yield Batch(items, fetched, dict(failed), done, network_down)
            if not done:
                await asyncio.sleep(max(0.0, interval - (time.monotonic() - yielded)))
    finally:
        for task in list(tasks):
            task.cancel()
        if tasks:
            await asyncio.gather(*tasks, return_exceptions=True)
