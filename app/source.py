"""Where the app's data comes from: the network client and the cache, combined.

Owns the policy that makes hnterm work offline: threads open from the cache first and are then
refreshed from the network; story lists fall back to their cached copy; every fetched item is
written to the cache. Widgets never see the client or the cache, only what this yields.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

from app.hn.client import HNClient, HNError
from app.hn.loader import Batch, stream_items
from app.hn.models import Item
from app.storage.cache import Cache

PAGE_SIZE = 30


@dataclass
class ThreadUpdate:
    """Items for the open thread, where they came from, and the load's progress."""

    items: list[Item]
    from_cache: bool
    fetched: int = 0
    cached: int = 0
    failed: dict[int, str] = field(default_factory=dict)
    done: bool = False
    offline: bool = False
    error: str | None = None
    elapsed: float = 0.0


@dataclass
class StoryIds:
    ids: list[int]
    from_cache: bool
    error: str | None = None


class Source:
    """Fetching and caching for one app session."""

    def __init__(self, client: HNClient | None, cache: Cache, *, concurrency: int = 64) -> None:
        self.client = client
        self.cache = cache
        self.concurrency = concurrency

    @property
    def offline(self) -> bool:
        """True when started with --offline (there is no client at all)."""
        return self.client is None

    async def story_ids(self, kind: str) -> StoryIds:
        """A story list from the network, else the cached copy, else an error."""
        error = "offline mode"
        if self.client is not None:
            try:
                ids = await self.client.story_ids(kind)
            except HNError as exc:
                error = str(exc)
            else:
                self.cache.put_list(kind, ids)
                return StoryIds(ids, from_cache=False)
        cached = self.cache.get_list(kind)
        if cached is not None:
            return StoryIds(cached[0], from_cache=True, error=error)
        return StoryIds([], from_cache=True, error=error)

    async def stories(self, ids: list[int]) -> AsyncIterator[list[Item]]:
        """Items for a page of the list: cached ones at once, then fresh ones as they come."""
        cached = self.cache.get_many(ids)
        if cached:
            yield [cached[i].item for i in ids if i in cached]
        if self.client is None:
            return
        async for batch in stream_items(
            self.client.item, ids, concurrency=self.concurrency, follow=False
        ):
            if batch.items:
                self.cache.put_items(batch.items, None)
                yield batch.items
            if batch.network_down:
                return

    async def resolve_root(self, item_id: int) -> int:
        """The story a comment belongs to (walking up parents), or the id itself."""
        current = item_id
        for _ in range(100):  # a parent chain longer than any real thread is a cycle
            root = self.cache.root_of(current)
            if root is not None:
                return root
            item = await self._item(current)
            if item is None or item.parent is None or item.type != "comment":
                return current
            current = item.parent
        return current

    async def _item(self, item_id: int) -> Item | None:
        cached = self.cache.get(item_id)
        if cached is not None:
            return cached.item
        if self.client is None:
            return None
        item = await self.client.item(item_id)
        if item is not None:
            self.cache.put_items([item], None)
        return item

    async def thread(self, root_id: int) -> AsyncIterator[ThreadUpdate]:
        """The cached copy of a thread (if any) at once, then the network load in batches."""
        started = time.perf_counter()
        cached = [entry.item for entry in self.cache.thread(root_id)]
        if cached:
            yield ThreadUpdate(cached, from_cache=True, cached=len(cached))
        if self.client is None:
            yield ThreadUpdate(
                [],
                from_cache=True,
                cached=len(cached),
                done=True,
                offline=True,
                error=None if cached else "not in the cache (offline mode)",
                elapsed=time.perf_counter() - started,
            )
            return
        batch: Batch
        async for batch in stream_items(self.client.item, [root_id], concurrency=self.concurrency):
            if batch.items:
                self.cache.put_items(batch.items, root_id)
            offline = batch.network_down and batch.fetched == 0
            yield ThreadUpdate(
                batch.items,
                from_cache=False,
                fetched=batch.fetched,
                cached=len(cached),
                failed=batch.failed,
                done=batch.done,
                offline=offline,
                error=_error_summary(batch.failed, offline),
                elapsed=time.perf_counter() - started,
            )


def _error_summary(failed: dict[int, str], offline: bool) -> str | None:
    if offline:
        return "network unreachable: showing the cached copy"
    if not failed:
        return None
    first = next(iter(failed.values()))
    return f"{len(failed)} item(s) could not be loaded ({first})"
