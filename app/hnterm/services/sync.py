"""Filling the offline library: the top stories of chosen lists, each with its whole thread.

Each thread is downloaded by ``Source.save_thread`` (the loader bounds the requests in flight,
the client honours 429 and ``Retry-After``) and kept as saved, a few threads at a time. A thread
already saved and still fresh is skipped, so a second run (after Ctrl-C, or a lost network)
fetches only what is missing. A thread being saved is pending until it is done (see
``Source.save_thread``): an interrupted one is done first next time (the app resumes it too),
and one another hnterm is saving is waited for, not fetched twice. No Textual here.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from contextlib import aclosing
from dataclasses import dataclass, field

from hnterm.net.client import HNError
from hnterm.services.source import Source
from hnterm.storage.cache import Cache, CacheError
from hnterm.storage.freshness import is_fresh

DEFAULT_TOP = 30
DEFAULT_LISTS = ("top",)
PARALLEL = 2  # threads downloading at once (each has up to ``PER_THREAD`` requests in flight)
PER_THREAD = 32
# A thread synced this recently is skipped even when the freshness policy would refetch it (a
# new story is trusted for a minute only): rerunning an interrupted sync resumes, not restarts.
RESUME_WINDOW = 30 * 60.0

FETCHED, SKIPPED, FAILED = "fetched", "skipped", "failed"


@dataclass
class ThreadResult:
    root: int
    outcome: str  # FETCHED, SKIPPED or FAILED
    title: str | None = None
    items: int = 0
    reason: str | None = None  # why skipped or failed
    seconds: float = 0.0
    article: str | None = None  # with ``articles``: None when read, else why not


@dataclass
class SyncReport:
    """What a sync did so far: filled in as it goes, so Ctrl-C still leaves a summary."""

    planned: list[int] = field(default_factory=list)
    results: list[ThreadResult] = field(default_factory=list)
    list_errors: list[str] = field(default_factory=list)
    resumed: int = 0  # threads an earlier, interrupted run left pending
    articles: bool = False  # the run also reads each story's article

    def of(self, outcome: str) -> list[ThreadResult]:
        return [result for result in self.results if result.outcome == outcome]


@dataclass(frozen=True)
class Progress:
    """One step for the progress display: a thread's items so far, or its result."""

    index: int  # 1-based position among the planned threads
    total: int
    root: int
    items: int
    result: ThreadResult | None = None  # set when the thread is finished


async def sync(
    source: Source,
    report: SyncReport,
    *,
    lists: tuple[str, ...] = DEFAULT_LISTS,
    top: int = DEFAULT_TOP,
    parallel: int = PARALLEL,
    on_progress: Callable[[Progress], object] = lambda progress: None,
    clock: Callable[[], float] = time.time,
    articles: bool = False,
) -> SyncReport:
    """Save the ``top`` stories of each of ``lists`` (and any pending saves) for offline;
    with ``articles``, each story's linked page too (``hnterm.services.articles``, kept with it)."""
    pending = await source.pending_saves()  # those another process is at are its own
    report.resumed = len(pending)
    report.articles = articles
    roots = dict.fromkeys(pending)
    for kind in lists:
        ids = await source.story_ids(kind)
        if ids.error:
            report.list_errors.append(f"{kind}: {ids.error}")
        if ids.from_cache and ids.error:
            continue  # a stale cached list is not what the reader asked to sync
        roots.update(dict.fromkeys(ids.ids[:top]))
    report.planned = list(roots)
    gate = asyncio.Semaphore(max(1, parallel))

    async def one(index: int, root: int) -> None:
        async with gate:
            try:
                result = await _sync_thread(source, root, index, len(roots), on_progress, clock)
            except (CacheError, HNError) as exc:  # one thread's problem is not the run's
                result = ThreadResult(root, FAILED, reason=str(exc))
            if articles and result.outcome != FAILED:
                result.article = await _sync_article(source, root)
            report.results.append(result)
            on_progress(Progress(index, len(roots), root, result.items, result))

    await asyncio.gather(*(one(i, root) for i, root in enumerate(roots, start=1)))
    return report


async def _sync_thread(
    source: Source,
    root: int,
    index: int,
    total: int,
    on_progress: Callable[[Progress], object],
    clock: Callable[[], float],
) -> ThreadResult:
    started = time.perf_counter()
    fresh = await source.worker.run(_fresh_saved, root, clock())
    if fresh is not None:
        return ThreadResult(root, SKIPPED, fresh[0], reason=fresh[1])
    title, items, error, saved, joined = None, 0, None, False, False
    # Pending while it runs; one that fails is not retried by every later start.
    async with aclosing(source.save_thread(root, forget_failed=True)) as updates:
        async for update in updates:
            items = update.fetched
            title = title or next((i.title for i in update.items if i.id == root), None)
            if update.done:
                error, saved, joined = update.error, update.saved, update.joined
            else:
                on_progress(Progress(index, total, root, items))
    seconds = time.perf_counter() - started
    if joined and saved:
        return ThreadResult(root, SKIPPED, title, reason="saved meanwhile by another hnterm")
    if saved:
        return ThreadResult(root, FETCHED, title, items, seconds=seconds)
    return ThreadResult(root, FAILED, title, items, reason=error or "not saved", seconds=seconds)


async def _sync_article(source: Source, root: int) -> str | None:
    """Read and keep the story's article (a cached one is kept as is); None, or why not."""
    from hnterm.services.articles import load_article  # the extractor loads only when asked for

    entry = await source.worker.run(Cache.get, root)
    url = entry.item.url if entry is not None else None
    if not url:
        return "no linked article"
    result = await load_article(source, root, url)
    return result.error if result.article is None else None


def _fresh_saved(cache: Cache, root: int, now: float) -> tuple[str | None, str] | None:
    """(title, why) when ``root`` is saved and fresh enough to skip; else None."""
    if not cache.is_saved(root):
        return None
    refreshed = cache.thread_refreshed(root)
    entry = cache.get(root)
    if refreshed is None or entry is None:
        return None
    item = entry.item
    recent = 0 <= now - refreshed < RESUME_WINDOW
    if not recent and not is_fresh(item.time, refreshed, now, gone=item.deleted or item.dead):
        return None
    minutes = max(0, int((now - refreshed) // 60))
    return item.title, f"saved {minutes} min ago, still fresh"
