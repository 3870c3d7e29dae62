"""Where the app's data comes from: the network client and the cache, combined.

Owns the policy that makes hnterm work offline and stay quick: a thread opens from the cache at
once and goes to the network only when its copy is stale (see ``app.storage.freshness``) or a
refresh is asked for; story lists fall back to their cached copy; every fetched item is written
to the cache; ``network_down`` tells the UI when the API is unreachable. Widgets never see the
client or the cache, only what this yields.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncGenerator, AsyncIterator, Callable
from contextlib import aclosing
from dataclasses import dataclass, field, replace

from hnterm.model.items import Item
from hnterm.model.thread import Thread
from hnterm.net.client import HNClient, HNError, NetworkError
from hnterm.net.loader import Batch, stream_items
from hnterm.storage.cache import Busy, Cache, CacheError
from hnterm.storage.freshness import is_fresh
from hnterm.storage.worker import CacheWorker

PAGE_SIZE = 30
CLAIM_POLL = 0.2  # seconds between looks at a save of the same thread another process runs


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
    refreshed: float | None = None  # when the thread was last loaded whole from the network
    saved: bool = False  # save_thread only: set on the last update once the thread is kept
    store_error: str | None = None  # on the last update of a load: why items missed the cache
    note: str | None = None  # save_thread only: what the save waits for (another save of it)
    joined: bool = False  # save_thread only: on the last update, when another save did it


@dataclass
class _Running:
    """A save this Source is running: another ask for the same thread waits for its end."""

    ended: asyncio.Event = field(default_factory=asyncio.Event)
    last: ThreadUpdate | None = None  # its last update; None when it stopped before the end


@dataclass
class StoryIds:
    ids: list[int]
    from_cache: bool
    error: str | None = None


class Source:
    """Fetching and caching for one app session."""

    def __init__(
        self,
        client: HNClient | None,
        worker: CacheWorker,
        *,
        concurrency: int = 64,
        clock: Callable[[], float] = time.time,
        claim_poll: float = CLAIM_POLL,
    ) -> None:
        self.client = client
        self.worker = worker
        self.concurrency = concurrency
        self.clock = clock
        self.claim_poll = claim_poll
        self._saves: dict[int, _Running] = {}  # saves running here, by thread
        # Set when a request could not reach the API, cleared by the next answer: the UI
        # shows itself offline while it is set.
        self.network_down = False
        # Roots ``resolve_root`` has just fetched: the load that follows starts from their
        # kids instead of asking for the same item again (one round trip saved).
        self._just_fetched: dict[int, Item] = {}

    @property
    def offline(self) -> bool:
        """True when started with --offline (there is no client at all)."""
        return self.client is None

    async def probe(self) -> bool:
        """Whether the API answers now (one small request); updates ``network_down``."""
        if self.client is None:
            return False
        try:
            await self.client.get_json("maxitem.json")
        except HNError as exc:
            self.network_down = isinstance(exc, NetworkError)
            return False
        self.network_down = False
        return True

    async def story_ids(self, kind: str) -> StoryIds:
        """A story list from the network, else the cached copy, else an error. The 'saved'
        list is the threads kept for offline reading, newest first."""
        if kind == "saved":
            saved = await self.worker.run(Cache.saved_threads)
            return StoryIds([root for root, _ in saved], from_cache=True)
        error = "offline mode"
        if self.client is not None:
            try:
                ids = await self.client.story_ids(kind)
            except HNError as exc:
                error = str(exc)
                self.network_down |= isinstance(exc, NetworkError)
            else:
                self.network_down = False
                # Not awaited: the list is on its way to the screen; beside the first
                # frames this write held the ids back 10-30 ms. A failure still reaches
                # the worker's on_problem.
                self.worker.submit(Cache.put_list, kind, ids)
                return StoryIds(ids, from_cache=False)
        cached = await self.worker.run(Cache.get_list, kind)
        if cached is not None:
            return StoryIds(cached[0], from_cache=True, error=error)
        return StoryIds([], from_cache=True, error=error)

    async def stories(self, ids: list[int]) -> AsyncIterator[list[Item]]:
        """Items for a page of the list: cached ones at once, then fresh ones as they come."""
        cached = await self.worker.run(Cache.get_many, ids)
        if cached:
            yield [cached[i].item for i in ids if i in cached]
        if self.client is None:
            return
        async for batch in stream_items(
            self.client.item, ids, concurrency=self.concurrency, follow=False
        ):
            self._saw(batch)
            if batch.items:
                self.worker.submit(Cache.put_items, batch.items, None)
                yield batch.items
            if batch.network_down:
                return

    async def resolve_root(self, item_id: int) -> int:
        """The story a comment belongs to (walking up parents), or the id itself."""
        current = item_id
        for _ in range(100):  # a parent chain longer than any real thread is a cycle
            root = await self.worker.run(Cache.root_of, current)
            if root is not None:
                return root
            item = await self.item(current)
            if item is None or item.parent is None or item.type != "comment":
                return current
            current = item.parent
        return current

    async def item(self, item_id: int) -> Item | None:
        """One item: the cached copy, else fetched (and cached). ``NetworkError`` when the
        API cannot be reached; None when neither has it."""
        cached = await self.worker.run(Cache.get, item_id)
        if cached is not None:
            return cached.item
        if self.client is None:
            return None
        try:
            item = await self.client.item(item_id)
        except NetworkError:
            self.network_down = True
            raise
        self.network_down = False
        if item is not None:
            await self.keep(Cache.put_items, [item], None)
            self._just_fetched = {item.id: item}
        return item

    async def thread(
        self, root_id: int, *, force: bool = False
    ) -> AsyncGenerator[ThreadUpdate, None]:
        """The cached copy of a thread at once; then, if it is stale or ``force`` is set, the
        network load in batches (stale-while-revalidate). A fresh copy is the only update."""
        started = time.perf_counter()
        just_fetched = self._just_fetched.pop(root_id, None)
        cached, refreshed = await self.worker.run(_cached_thread, root_id)
        fresh = not force and self._is_fresh(root_id, cached, refreshed)
        if self.client is None or fresh:  # (a fresh thread has its root cached)
            yield ThreadUpdate(
                cached,
                from_cache=True,
                cached=len(cached),
                done=True,
                offline=self.client is None,
                error=None if cached else "not in the cache (offline mode)",
                elapsed=time.perf_counter() - started,
                refreshed=refreshed,
            )
            return
        if cached:
            yield ThreadUpdate(cached, from_cache=True, cached=len(cached), refreshed=refreshed)
        async for update in self._load(root_id, len(cached), refreshed, started, just_fetched):
            yield update

    async def pending_saves(self) -> list[int]:
        """Saves asked for and not finished that no other process is at: at start, those
        to resume (their owner is gone); at exit, those left for the next start."""
        return await self.worker.run(Cache.pending_saves)

    async def save_thread(
        self, root_id: int, *, resume: bool = False, forget_failed: bool = False
    ) -> AsyncGenerator[ThreadUpdate, None]:
        """Download every comment of a thread, then keep it for good (never pruned).

        Yields the download's updates; on the last one ``saved`` says whether the thread was
        kept: only a complete download is (``failed``/``error`` say what is missing). With
        no network, a cached copy that is already complete is kept as it is.

        The save is this process's (``Cache.claim_save``): pending until it is done, so a
        quit or a kill leaves it for a later start to resume, and one download at a time per
        thread. A save of the thread already running, here or in another process, is joined,
        not repeated: an update with ``note`` says so, and the last one (``joined``) is its
        outcome. ``resume`` takes over a save whose owner is gone, and yields nothing if
        someone else has it or it is done. A save that fails stays pending (retried at the
        next start) unless ``forget_failed``.
        """
        running = self._saves.get(root_id)
        if running is not None:
            if not resume:
                async with aclosing(self._join(root_id, running, forget_failed)) as updates:
                    async for update in updates:
                        yield update
            return
        running = self._saves[root_id] = _Running()
        try:
            async with aclosing(self._claimed_save(root_id, resume, forget_failed)) as updates:
                async for update in updates:
                    if update.done:
                        running.last = update
                    yield update
        finally:
            if self._saves.get(root_id) is running:
                del self._saves[root_id]
            running.ended.set()

    async def _join(
        self, root_id: int, running: _Running, forget_failed: bool
    ) -> AsyncGenerator[ThreadUpdate, None]:
        """Wait for the save of ``root_id`` running here and give its outcome; if it stopped
        before its end (its reader went away), take it over."""
        yield ThreadUpdate([], from_cache=True, note="Already saving this thread: waiting for it")
        await running.ended.wait()
        if running.last is not None:
            yield replace(running.last, items=[], joined=True)
            return
        async with aclosing(self.save_thread(root_id, forget_failed=forget_failed)) as updates:
            async for update in updates:
                yield update

    async def _claimed_save(
        self, root_id: int, resume: bool, forget_failed: bool
    ) -> AsyncGenerator[ThreadUpdate, None]:
        """Claim the save, waiting while another process has it, then download (or, when
        the one waited for kept the thread, read its copy back); the claim ends with it."""
        started = time.perf_counter()
        claim = await self.worker.run(Cache.claim_save, root_id, resume=resume)
        joined = isinstance(claim, Busy)
        if isinstance(claim, Busy):
            if resume:
                return  # its owner is alive and at it
            yield ThreadUpdate([], from_cache=True, note=_waiting_note(claim))
            while isinstance(claim, Busy):
                await asyncio.sleep(self.claim_poll)
                claim = await self.worker.run(Cache.claim_save, root_id)
        if claim is None:
            return  # resuming: finished by another process meanwhile
        let_go = False
        try:
            if joined and await self.worker.run(Cache.is_saved, root_id):
                items, refreshed = await self.worker.run(_cached_thread, root_id)
                await self.worker.run(Cache.end_save, claim, done=True)
                let_go = True
                yield ThreadUpdate(
                    items,
                    from_cache=True,
                    cached=len(items),
                    done=True,
                    elapsed=time.perf_counter() - started,
                    refreshed=refreshed,
                    saved=True,
                    joined=True,
                )
                return
            async with aclosing(self._download(root_id, started)) as updates:
                async for update in updates:
                    if update.done:
                        done = update.saved or forget_failed
                        await self.worker.run(Cache.end_save, claim, done=done)
                        let_go = True
                    yield update
        finally:
            if not let_go:  # stopped before the end: still pending, for whoever resumes it
                claim.release()

    async def _download(self, root_id: int, started: float) -> AsyncGenerator[ThreadUpdate, None]:
        """``save_thread``'s download, once the save is claimed."""
        if self.client is None:
            cached, refreshed = await self.worker.run(_cached_thread, root_id)
            missing = _missing(root_id, cached)
            error = f"offline: {missing} item(s) not cached, not saved" if missing else None
            if not missing:
                error = await self._save(root_id)
            yield ThreadUpdate(
                [],
                from_cache=True,
                cached=len(cached),
                done=True,
                offline=True,
                error=error,
                elapsed=time.perf_counter() - started,
                refreshed=refreshed,
                saved=error is None,
            )
            return
        refreshed = await self.worker.run(Cache.thread_refreshed, root_id)
        async for update in self._load(root_id, 0, refreshed, started):
            if update.done:
                if update.fetched and not update.failed and update.store_error:
                    update.error = f"not saved: {update.store_error}"
                elif update.fetched and not update.failed:
                    update.error = await self._save(root_id)
                    update.saved = update.error is None
                elif update.offline:
                    update.error = "not saved: the network is unreachable"
                elif update.failed:
                    update.error = f"not saved: {update.error}"
                else:
                    update.error = "not saved: the story does not exist"
            yield update

    def _is_fresh(self, root_id: int, cached: list[Item], refreshed: float | None) -> bool:
        """A thread is fresh when its root is: the last whole load is recent for its age."""
        root = next((item for item in cached if item.id == root_id), None)
        if root is None:
            return False
        gone = root.deleted or root.dead
        return is_fresh(root.time, refreshed, self.clock(), gone=gone)

    async def _load(
        self,
        root_id: int,
        cached: int,
        refreshed: float | None,
        started: float,
        root: Item | None = None,
    ) -> AsyncIterator[ThreadUpdate]:
        """Fetch the whole thread from the network, caching as it comes; a ``root`` fetched
        a moment ago is not asked for again."""
        assert self.client is not None
        began = self.clock()
        start = [root_id] if root is None else [*root.kids, *root.parts]
        first = [] if root is None else [root]  # goes out with the first batch
        batch: Batch
        writes: list[asyncio.Future[object]] = []
        store_error = None
        async for batch in stream_items(self.client.item, start, concurrency=self.concurrency):
            self._saw(batch)
            offline = batch.network_down and batch.fetched == 0  # as _saw judges it
            items, first = first + batch.items, []
            batch.fetched += 1 if root is not None else 0
            if items:  # stored while the load goes on; the refresh stamp below waits for it
                writes.append(self.worker.submit(Cache.put_items, items, root_id))
            if batch.done and batch.fetched and not batch.failed:
                # Stamped with the start (anything fetched since is at least that new), and
                # only when every item was stored: a copy with holes must not look fresh.
                results = await asyncio.gather(*writes, return_exceptions=True)
                errors = [str(result) for result in results if isinstance(result, Exception)]
                store_error = errors[0] if errors else None
                if not errors and await self.keep(Cache.set_thread_refreshed, root_id, began):
                    refreshed = began
            yield ThreadUpdate(
                items,
                from_cache=False,
                fetched=batch.fetched,
                cached=cached,
                failed=batch.failed,
                done=batch.done,
                offline=offline,
                error=_error_summary(batch.failed, offline),
                elapsed=time.perf_counter() - started,
                refreshed=refreshed,
                store_error=store_error,
            )

    async def keep(self, method: Callable[..., object], *args: object) -> bool:
        """A best-effort write of fetched data: a failure is the cache's problem (reported
        by the worker once), never the reader's, who has the data on screen already."""
        try:
            await self.worker.run(method, *args)
        except CacheError:
            return False
        return True

    async def _save(self, root_id: int) -> str | None:
        """Keep a thread for good; None when kept, else why not."""
        try:
            await self.worker.run(Cache.save_thread, root_id)
        except CacheError as exc:
            return f"not saved: {exc}"
        return None

    async def poll_thread(self, root_id: int, known: dict[int, Item]) -> ThreadUpdate:
        """One live poll of an open thread: what changed since ``known`` (the items shown).

        Asks ``updates.json`` which items changed lately and refetches those of the thread
        and the root (which every new comment changes), then every kid not seen yet with its
        replies. Only items that differ from ``known`` are returned, stored as they come;
        ``error`` says why the poll failed when even the root could not be fetched.
        """
        update = ThreadUpdate([], from_cache=False, done=True)
        if self.client is None:
            return update
        changed = {root_id} | await self._changed_lately(known)
        fetched = await self._fetch(sorted(changed), follow=False, failed=update.failed)
        fresh = [item for item in fetched if known.get(item.id) != item]
        kids = {kid for item in fetched for kid in item.kids if kid not in known}
        replies = await self._fetch(sorted(kids), follow=True, failed=update.failed) if kids else []
        update.error = update.failed.get(root_id)
        update.items = fresh = fresh + replies
        update.fetched = len(fetched) + len(replies)
        update.offline = self.network_down
        if fresh:
            self.worker.submit(Cache.put_items, fresh, root_id)
        return update

    async def _changed_lately(self, known: dict[int, Item]) -> set[int]:
        """Ids of the thread that ``updates.json`` lists; none if it cannot say."""
        assert self.client is not None
        try:
            updates = await self.client.get_json("updates.json")
        except HNError:
            return set()
        ids = updates.get("items") if isinstance(updates, dict) else None
        if not isinstance(ids, list):
            return set()
        return {i for i in ids if isinstance(i, int) and i in known}

    async def _fetch(self, ids: list[int], *, follow: bool, failed: dict[int, str]) -> list[Item]:
        """The items of ``ids`` (their replies too, if ``follow``); those that failed, and why,
        go to ``failed``."""
        assert self.client is not None
        items: list[Item] = []
        async for batch in stream_items(
            self.client.item, ids, concurrency=self.concurrency, follow=follow
        ):
            self._saw(batch)
            items += batch.items
            failed.update(batch.failed)
        return items

    def _saw(self, batch: Batch) -> None:
        """Track reachability: any answer clears ``network_down``; a load that got nothing
        but network errors sets it."""
        if batch.items:
            self.network_down = False
        elif batch.network_down and batch.fetched == 0:
            self.network_down = True


def _cached_thread(cache: Cache, root_id: int) -> tuple[list[Item], float | None]:
    """A thread's cached items and when it was last loaded whole (one trip to the thread)."""
    return [entry.item for entry in cache.thread(root_id)], cache.thread_refreshed(root_id)


def _waiting_note(busy: Busy) -> str:
    who = f"Another hnterm (pid {busy.pid})" if busy.pid else "Another hnterm"
    return f"{who} is saving this thread: waiting for it"


def _missing(root_id: int, items: list[Item]) -> int:
    """How many items a cached thread lacks (1 when even the root is missing)."""
    thread = Thread(root_id)
    thread.add(items)
    return 1 if thread.root is None else len(thread.missing_kids())


def _error_summary(failed: dict[int, str], offline: bool) -> str | None:
    if offline:
        return "network unreachable: showing the cached copy"
    if not failed:
        return None
    first = next(iter(failed.values()))
    return f"{len(failed)} item(s) could not be loaded ({first})"
