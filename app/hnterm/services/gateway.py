"""The one way the UI reaches data: threads, lists, read and saved state, settings, people,
articles, search and your account, never the cache, the client or the network loop.

``Gateway`` owns the session's cache worker and its ``BackgroundSource`` (the network side on
a loop of its own) and answers on the UI's loop. What it hands out are model values (items,
a ``Thread`` and ``Change``s to it, read marks, search hits) and the services' own results
(``ThreadUpdate``, ``Profile``, ``ArticleResult``, ``SearchResult``); the errors it lets through
are the model's (``HNError``, ``CacheError``).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator, Callable
from contextlib import aclosing, suppress
from dataclasses import dataclass
from typing import TYPE_CHECKING

from hnterm.config import Config
from hnterm.model.errors import CacheError
from hnterm.model.items import Item
from hnterm.model.readstate import ReadMark
from hnterm.model.thread import Thread
from hnterm.net.client import HNClient
from hnterm.services.account import Account
from hnterm.services.filtering import Filtering
from hnterm.services.network_loop import BackgroundSource, NetworkLoop
from hnterm.services.reading import is_provisional, set_filter, set_order
from hnterm.services.replies import Replies, RepliesFeed, changed, check_replies
from hnterm.services.settings import Settings
from hnterm.services.source import PAGE_SIZE, Source, StoryIds, ThreadUpdate
from hnterm.storage.cache import BUSY_TIMEOUT, DB_NAME, Cache
from hnterm.storage.worker import CacheWorker

if TYPE_CHECKING:  # what only opening a dialog needs is imported then (startup)
    from hnterm.model.hits import SearchHit
    from hnterm.net.algolia import SearchClient
    from hnterm.services.articles import ArticleResult
    from hnterm.services.hiring import HiringThread
    from hnterm.services.online_search import SearchResult
    from hnterm.services.profiles import Profile, Submission

ONLINE_PAGE = 30  # hits a page of the HN-wide search
EARLY_WAIT = 1.0  # seconds the UI's start waits at most for the network side's imports


@dataclass(frozen=True)
class StoryPage:
    """Stories for the list as they arrive, with the read marks of those opened before."""

    items: list[Item]
    marks: dict[int, ReadMark]


@dataclass(frozen=True)
class CachedList:
    """A story list as last fetched and its first page, from the cache alone."""

    kind: str
    ids: list[int]
    page: StoryPage


class Gateway:
    """Everything the app reads and keeps, for one session."""

    def __init__(
        self,
        config: Config,
        *,
        client: HNClient | None = None,
        busy_timeout: float = BUSY_TIMEOUT,
    ) -> None:
        self.config = config
        # Looked at before the worker creates the file: with none, nothing is cached, and
        # the start need not wait for the cache (it creates its tables meanwhile).
        directory = config.cache_dir
        self._cache_was_there = directory is not None and (directory / DB_NAME).exists()
        self.worker = CacheWorker(directory, busy_timeout=busy_timeout)
        if config.offline:
            client = None
        elif client is None:
            client = HNClient(config.api_url, deadline=config.deadline)
        self._source = BackgroundSource(Source(client, self.worker))
        self._start_copy: CachedList | None = None  # read at start, for the first screen
        self.settings = Settings(config, self.worker)
        self.filtering = Filtering(config.filters)
        self.account = Account(
            self.worker, config.deadline, self._network_unusable, web=config.web_url
        )
        self.replies_feed = RepliesFeed(self.replies, self.replies_changed)

    def report_problems(self, report: Callable[[str], object]) -> None:
        """Where the cache's problems go, each said once when it first appears (from any
        thread)."""
        self.worker.on_problem = report

    # -- the network's state ---------------------------------------------------------------
    @property
    def offline(self) -> bool:
        """Started with --offline: the cache alone, never the network."""
        return self._source.offline

    @property
    def network_down(self) -> bool:
        """The last request could not reach the API."""
        return self._source.network_down

    def _network_unusable(self) -> bool:
        return self.offline or self.network_down

    async def probe(self) -> bool:
        """Whether the API answers now (it updates ``network_down``)."""
        return await self._source.probe()

    # -- story lists -----------------------------------------------------------------------
    async def prepare_start(self, kind: str, limit: float = EARLY_WAIT) -> None:
        """Before the first screen is built. With the list ``kind`` in the cache, it and its
        first page are read now, while the UI waits (built beside the first frames, the
        same reads took 60-100 ms), for the screen to paint first; the network side starts
        when the list asks for the fresh copy (its HTTP stack's import, ~120 ms of CPU,
        would only slow the first frames, both on one interpreter lock). Else the list's
        fetch goes out now, and this returns once the network side has imported its HTTP
        stack (at most ``limit`` seconds)."""
        if not self.offline:
            self._start_copy = await self._read_cached(kind)
            if self._start_copy is not None:
                return
        loaded = self._source.fetch_ids_early(kind)
        with suppress(TimeoutError):
            await asyncio.wait_for(asyncio.wrap_future(loaded), limit)

    async def cached_list(self, kind: str) -> CachedList | None:
        """The list ``kind`` as last fetched and its first page (``PAGE_SIZE`` ids), from
        the cache alone, never the network: it comes before the HTTP stack is even
        imported. None when the cache has no copy."""
        kept, self._start_copy = self._start_copy, None
        if kept is not None and kept.kind == kind:
            return kept
        return await self._read_cached(kind)

    async def _read_cached(self, kind: str) -> CachedList | None:
        if not self._cache_was_there:  # (nothing cached: no wait for the cache to be made)
            return None
        cached = await self.worker.run(Cache.get_list, kind)
        if cached is None or not cached[0]:
            return None
        ids = cached[0]
        first = ids[:PAGE_SIZE]
        found = await self.worker.run(Cache.get_many, first)
        items = [found[i].item for i in first if i in found]
        page = StoryPage(items, await self.read_marks([item.id for item in items]))
        return CachedList(kind, ids, page)

    async def story_ids(self, kind: str) -> StoryIds:
        return await self._source.story_ids(kind)

    async def stories(self, ids: list[int]) -> AsyncGenerator[StoryPage, None]:
        """A page of the list: cached stories at once, then fresh ones, with read marks."""
        async with aclosing(self._source.stories(ids)) as pages:
            async for items in pages:
                yield StoryPage(items, await self.read_marks([item.id for item in items]))

    def refreshed_stories(self, ids: list[int]) -> AsyncGenerator[list[Item], None]:
        """The stories ``ids`` fetched again (their scores and comment counts)."""
        return self._source.stories(ids)

    async def read_marks(self, roots: list[int]) -> dict[int, ReadMark]:
        return await self.worker.run(Cache.read_states, roots)

    async def mark_unread(self, root: int) -> None:
        """Forget that ``root`` was read (``CacheError`` when it cannot be)."""
        await self.worker.run(Cache.mark_story_unread, root)

    # -- threads -------------------------------------------------------------------------
    async def resolve_root(self, item_id: int) -> int:
        """The story of ``item_id`` (``HNError`` when it cannot be found out)."""
        return await self._source.resolve_root(item_id)

    async def open_thread(self, root: int) -> Thread:
        """An empty thread for ``root`` with the reader's state of it: what was seen on
        the last visit (new comments are those not in it) and whether it is saved."""
        thread = Thread(root)
        previous = await self.worker.run(Cache.story_read, root)
        thread.seen = previous.seen if previous is not None else None
        thread.saved = await self.worker.run(Cache.is_saved, root)
        set_filter(thread, self.filtering.comment_test())
        set_order(thread, await self.settings.comment_order())
        return thread

    def thread_updates(
        self, root: int, *, force: bool = False
    ) -> AsyncGenerator[ThreadUpdate, None]:
        """The cached copy at once, then the network's batches when stale or ``force``d."""
        return self._source.thread(root, force=force)

    async def poll(self, thread: Thread) -> ThreadUpdate:
        """What changed in an open thread since the items it holds (live updates)."""
        return await self._source.poll_thread(thread.root_id, dict(thread.items))

    async def mark_read(self, thread: Thread) -> dict[int, ReadMark]:
        """Record the visit (next time, comments not loaded now are new); the story's new
        read mark. ``CacheError`` when it could not be kept."""
        root = thread.root
        count = root.descendants if root is not None and root.descendants else len(thread)
        seen = [i for i in thread.order() if not is_provisional(i)]  # (a reply being sent)
        await self.worker.run(Cache.mark_story_read, thread.root_id, count, seen)
        return await self.read_marks([thread.root_id])

    # -- saved threads -------------------------------------------------------------------
    async def is_saved(self, root: int) -> bool:
        return await self.worker.run(Cache.is_saved, root)

    async def unsave(self, root: int) -> None:
        """Off the Saved list (``CacheError`` when it stays on)."""
        await self.worker.run(Cache.unsave_thread, root)

    def save_thread(self, root: int, *, resume: bool = False) -> AsyncGenerator[ThreadUpdate, None]:
        """Download a thread whole and keep it, or join its save already running; the last
        update says whether it was kept (``Source.save_thread``; ``resume``: take over a
        save whose owner is gone)."""
        return self._source.save_thread(root, resume=resume)

    async def pending_saves(self) -> list[int]:
        """Saves asked for and not finished that no other process is at, oldest first: at
        start, those to resume; at exit, those left for the next start."""
        return await self.worker.run(Cache.pending_saves)

    # -- people, articles, search ----------------------------------------------------------
    async def profile(self, name: str) -> Profile:
        from hnterm.services.profiles import load_profile

        return await self._source.network.call(load_profile(self._source.source, name))

    async def submissions(self, ids: list[int]) -> list[Submission]:
        from hnterm.services.profiles import load_submissions

        return await self._source.network.call(load_submissions(self._source.source, ids))

    async def replies(self, name: str) -> Replies:
        """A check of the replies to ``name``'s latest submissions (``services.replies``)."""
        limit = self.config.replies_limit
        coroutine = check_replies(self._source.source, name, limit=limit)
        return await self._source.network.call(coroutine)

    async def replies_changed(self, name: str, watched: frozenset[int]) -> bool:
        """Whether ``updates.json`` says one of ``watched`` (or ``name``) changed lately."""
        return await self._source.network.call(changed(self._source.source, name, watched))

    async def article(self, story: int, url: str | None, *, refresh: bool = False) -> ArticleResult:
        from hnterm.services.articles import load_article

        coroutine = load_article(self._source.source, story, url, refresh=refresh)
        return await self._source.network.call(coroutine)

    async def search_cache(self, query: str) -> list[SearchHit]:
        """Everything cached, full-text (a newer search interrupts this one)."""
        return await self.worker.search(query)

    async def find_hiring(self, kind: str = "hiring", month: str | None = None) -> HiringThread:
        """The latest "Who is hiring?" thread (or ``kind``, of ``month``): through the search
        API, else the ``whoishiring`` user, else the cache (``HiringError`` says why not)."""
        return await self._source.network.call(self._find_hiring(kind, month))

    async def _find_hiring(self, kind: str, month: str | None) -> HiringThread:
        from hnterm.net.algolia import SearchClient
        from hnterm.services.hiring import find_thread

        config = self.config
        search = None if self.offline else SearchClient(config.search_url, deadline=config.deadline)
        try:
            return await find_thread(search, self._source.source.client, self.worker, kind, month)
        finally:
            if search is not None:
                await search.aclose()

    def online_search(self) -> OnlineSearch:
        """A search of all of HN, with a client of its own until ``aclose``."""
        from hnterm.net.algolia import SearchClient

        config = self.config
        client = None if self.offline else SearchClient(config.search_url, deadline=config.deadline)
        return OnlineSearch(self._source.network, self.worker, client)

    # -- the session -----------------------------------------------------------------------
    def prune_to_cap(self, max_bytes: int) -> int:
        """Prune the cache to its size cap on a connection of its own (SQLite lets the two
        share the file): blocking, a second or two, so for a thread. Items removed; 0 when
        the cache cannot be pruned now (locked, a full disk, no usable folder)."""
        cache = Cache(self.config.cache_dir)
        try:
            if cache.path is None:  # unusable folder: the main cache says so
                return 0
            return cache.enforce_cap(max_bytes)
        except CacheError:
            return 0  # pruning waits for the next start
        finally:
            cache.close()

    async def aclose(self) -> None:
        await self._source.aclose()
        await self.worker.aclose()


class OnlineSearch:
    """All of HN (the Algolia API) on the network loop; the cache when that cannot be used."""

    def __init__(
        self, network: NetworkLoop, worker: CacheWorker, client: SearchClient | None
    ) -> None:
        self._network = network
        self._worker = worker
        self._client = client

    @staticmethod
    def empty(text: str) -> bool:
        """Nothing to search for in ``text`` (no words, no filters)."""
        from hnterm.net.algolia import parse_search

        return parse_search(text, per_page=ONLINE_PAGE).empty

    async def search(self, text: str) -> SearchResult:
        """Cancelling this (a newer query) cancels the request on the network loop."""
        from hnterm.net.algolia import parse_search
        from hnterm.services.online_search import search_everywhere

        query = parse_search(text, per_page=ONLINE_PAGE)
        return await self._network.call(search_everywhere(self._client, self._worker, query))

    async def aclose(self) -> None:
        if self._client is not None:
            await self._network.call(self._client.aclose())
