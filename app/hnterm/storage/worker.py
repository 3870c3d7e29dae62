"""The cache off the event loop: SQLite runs on threads of its own, the loop only awaits.

A write of a 2,170-comment thread (with its search indexing) takes ~300 ms and a write may wait
seconds for another hnterm process's lock; on the event loop either would freeze the UI. So
one thread owns the cache's connection (SQLite connections belong to the thread that uses
them) and runs every call in the order it was made, which also keeps writes from interleaving.
Searches get a second connection on a second thread: a search never queues behind a write, and
a newer query interrupts an older one (``Connection.interrupt`` is safe from any thread).

A problem the cache meets (a failed write, damage, a locked file, the file replaced under it) is
passed to ``on_problem`` once, when it first appears, so the UI can say it then, not only at
start.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from functools import partial
from pathlib import Path
from typing import Concatenate, ParamSpec, TypeVar

from hnterm.storage.cache import BUSY_TIMEOUT, Cache, SearchHit

P = ParamSpec("P")
T = TypeVar("T")


class CacheWorker:
    """An async front for ``Cache``: ``await worker.run(Cache.method, *args)``."""

    def __init__(
        self,
        directory: Path | None,
        *,
        busy_timeout: float = BUSY_TIMEOUT,
        on_problem: Callable[[str], object] | None = None,
    ) -> None:
        self.directory = directory
        self.busy_timeout = busy_timeout
        self.on_problem = on_problem
        self._reported: str | None = None
        self._writer = ThreadPoolExecutor(1, thread_name_prefix="hnterm-cache")
        # Opened on its thread, without waiting: the first call queues behind the opening.
        self._cache: Future[Cache] = self._writer.submit(
            Cache, directory, busy_timeout=busy_timeout
        )
        self._searcher: ThreadPoolExecutor | None = None
        self._search_cache: Cache | None = None

    @property
    def problem(self) -> str | None:
        """The cache's latest problem (None while it is being opened)."""
        return self._cache.result().problem if self._cache.done() else None

    @property
    def path(self) -> Path | None:
        return self._cache.result().path if self._cache.done() else None

    async def run(
        self, method: Callable[Concatenate[Cache, P], T], *args: P.args, **kwargs: P.kwargs
    ) -> T:
        """Call ``method(cache, *args, **kwargs)`` on the cache's thread and await it."""

        def call() -> T:
            return method(self._cache.result(), *args, **kwargs)

        try:
            return await asyncio.wrap_future(self._writer.submit(call))
        finally:
            self._report()

    def submit(
        self, method: Callable[Concatenate[Cache, P], object], *args: P.args, **kwargs: P.kwargs
    ) -> asyncio.Future[object]:
        """Queue a write without waiting for it (a thread load goes on while its last batch
        is stored); a failure reaches ``on_problem`` like any other, and the future says it."""
        future = asyncio.wrap_future(
            self._writer.submit(lambda: method(self._cache.result(), *args, **kwargs))
        )
        future.add_done_callback(self._done)
        return future

    def _done(self, future: asyncio.Future[object]) -> None:
        if not future.cancelled():
            future.exception()  # retrieved: the problem is reported below, not logged
        self._report()

    async def search(self, query: str, limit: int = 50) -> list[SearchHit]:
        """Full-text search on the search thread; a newer call interrupts this one."""
        if self._searcher is None:
            self._searcher = ThreadPoolExecutor(1, thread_name_prefix="hnterm-search")
        if self._search_cache is not None:
            self._search_cache.interrupt()
        future = self._searcher.submit(partial(self._search, query, limit))
        try:
            return await asyncio.wrap_future(future)
        finally:
            self._report()

    def _search(self, query: str, limit: int) -> list[SearchHit]:
        """On the search thread: a connection of its own when the cache is a file (an
        in-memory cache can only be read through the writer's connection, and so must a file
        replaced under the cache: a connection opened on the new file would read, and at
        close fold into it, the writer's log, found by name)."""
        cache = self._cache.result()
        # (``lost`` is a stat, not a query: safe from this thread)
        if cache.path is None or (self._search_cache is None and cache.lost() is not None):
            return self._writer.submit(cache.search, query, limit).result()
        if self._search_cache is None:
            self._search_cache = Cache(cache.path.parent, busy_timeout=self.busy_timeout)
        return self._search_cache.search(query, limit)

    def _report(self) -> None:
        problem = self.problem
        if problem and problem != self._reported:
            self._reported = problem
            if self.on_problem is not None:
                self.on_problem(problem)

    async def aclose(self) -> None:
        """Finish queued calls, then close both connections and their threads."""
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(None, self.close)

    def close(self) -> None:
        if self._searcher is not None:
            if self._search_cache is not None:
                self._searcher.submit(self._search_cache.close).result()
            self._searcher.shutdown()
        self._writer.submit(lambda: self._cache.result().close()).result()
        self._writer.shutdown()
        self._report()  # what the close found (the file replaced under it)
