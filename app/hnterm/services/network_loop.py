"""The network side of the app on an event loop of its own thread.

A thread load is thousands of small responses to parse and hand on, and the UI spends ~10-50 ms
laying out each batch that arrives. On one event loop each of those layouts held up every
response behind it (a 3,000-comment load took 1.38x its bound in the app against 1.19x headless,
measured); on two, the UI's work only delays the network by the interpreter's switch interval.
So ``BackgroundSource`` runs a ``Source`` (client and loader) on a loop in a daemon thread and
gives the UI the same methods, bridged: coroutines are awaited across, async generators are
pumped across through a queue, and cancelling on the UI side (a newer load replacing an older
one) cancels the work on the network side.

The cache is already off both loops (``CacheWorker``), and is called from either.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable, Coroutine
from concurrent.futures import Future
from contextlib import aclosing, suppress
from typing import Any, Generic, TypeVar

from hnterm.model.items import Item
from hnterm.net.transport import load_http_stack
from hnterm.services.source import PAGE_SIZE, Source, StoryIds, ThreadUpdate

T = TypeVar("T")
_END = object()


class NetworkLoop:
    """An asyncio loop running in a daemon thread."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(
            target=self.loop.run_forever, name="hnterm-network", daemon=True
        )
        self._thread.start()

    async def call(self, coroutine: Coroutine[Any, Any, T]) -> T:
        """Run ``coroutine`` on the network loop; cancelling this cancels it there."""
        future = asyncio.run_coroutine_threadsafe(coroutine, self.loop)
        return await asyncio.wrap_future(future)

    async def stream(
        self,
        source: AsyncIterator[T],
        merge: Callable[[T, T], T] | None = None,
    ) -> AsyncGenerator[T, None]:
        """Iterate ``source`` on the network loop, yielding its values here. Values that
        piled up while this side was busy are combined with ``merge`` (one redraw, not
        five). Closing this generator early stops ``source``."""
        here = asyncio.get_running_loop()
        queue: asyncio.Queue[tuple[object, Any]] = asyncio.Queue()

        def post(kind: object, value: Any) -> None:
            with suppress(RuntimeError):  # this side's loop is gone: nobody is listening
                here.call_soon_threadsafe(queue.put_nowait, (kind, value))

        async def pump() -> None:
            try:
                async with aclosing(source):  # type: ignore[type-var]
                    async for value in source:
                        post(None, value)
            except BaseException as exc:
                post(exc, None)
                if not isinstance(exc, Exception):
                    raise
            else:
                post(_END, None)

        future = asyncio.run_coroutine_threadsafe(pump(), self.loop)
        try:
            while True:
                kind, value = await queue.get()
                while merge is not None and kind is None and not queue.empty():
                    following, more = queue.get_nowait()
                    if following is not None:
                        queue.put_nowait((following, more))  # ends the stream next turn
                        break
                    value = merge(value, more)
                if kind is _END:
                    return
                if isinstance(kind, asyncio.CancelledError):
                    return
                if isinstance(kind, BaseException):
                    raise kind
                yield value
        finally:
            future.cancel()

    async def aclose(self, last: Awaitable[object] | None = None) -> None:
        """Run ``last`` (closing the client) on the loop, then stop the loop and thread."""
        if last is not None:
            with suppress(Exception):
                await self.call(last)  # type: ignore[arg-type]
        self.loop.call_soon_threadsafe(self.loop.stop)
        await asyncio.get_running_loop().run_in_executor(None, self._thread.join, 5.0)
        if not self._thread.is_alive():
            self.loop.close()  # its self-pipe is two sockets


class BackgroundSource:
    """``Source``'s interface for the UI, with the work done on the network loop."""

    def __init__(self, source: Source) -> None:
        self.source = source
        self.worker = source.worker
        self.client = source.client
        self.network = NetworkLoop()
        self._early: tuple[str, Future[StoryIds]] | None = None
        self._early_page: Prefetch[list[Item]] | None = None  # set on the network loop

    @property
    def offline(self) -> bool:
        return self.source.offline

    @property
    def network_down(self) -> bool:
        return self.source.network_down

    async def probe(self) -> bool:
        return await self.network.call(self.source.probe())

    def fetch_ids_early(self, kind: str) -> Future[None]:
        """Start fetching the list ``kind`` now, before the UI asks: at start, its round trip
        then overlaps the UI's own start (stylesheet, first frames) instead of following it,
        and so does its first page's, asked for as soon as the ids are in (the UI, busy
        starting, took them tens of ms later). Only the UI's first asks take them (a later
        one is fetched afresh). The future returned is done once the HTTP stack is imported,
        the CPU-bound part (see ``HNApp.on_load``)."""
        loaded: Future[None] = Future()

        async def early() -> StoryIds:
            try:
                if self.client is not None:
                    load_http_stack()
            finally:
                loaded.set_result(None)
            result = await self.source.story_ids(kind)
            if result.ids and not result.error:
                first = result.ids[:PAGE_SIZE]
                self._early_page = Prefetch(first, self.source.stories(first))
            return result

        self._early = (kind, asyncio.run_coroutine_threadsafe(early(), self.network.loop))
        return loaded

    async def story_ids(self, kind: str) -> StoryIds:
        early, self._early = self._early, None
        if early is not None:
            early_kind, future = early
            if early_kind == kind:
                return await asyncio.wrap_future(future)
            future.cancel()
            self._drop_early_page()
        return await self.network.call(self.source.story_ids(kind))

    def _drop_early_page(self) -> None:
        page, self._early_page = self._early_page, None
        if page is not None:
            self.network.loop.call_soon_threadsafe(page.cancel)

    async def resolve_root(self, item_id: int) -> int:
        return await self.network.call(self.source.resolve_root(item_id))

    async def poll_thread(self, root_id: int, known: dict[int, Item]) -> ThreadUpdate:
        return await self.network.call(self.source.poll_thread(root_id, known))

    def stories(self, ids: list[int]) -> AsyncGenerator[list[Item], None]:
        page = self._early_page
        if page is not None and page.ids == ids and self._early is None:
            self._early_page = None  # the first page of the list fetched early
            return self.network.stream(page.replay(), merge=joined)
        self._drop_early_page()
        return self.network.stream(self.source.stories(ids), merge=joined)

    def thread(self, root_id: int, *, force: bool = False) -> AsyncGenerator[ThreadUpdate, None]:
        return self.network.stream(self.source.thread(root_id, force=force), merge=merged)

    def save_thread(
        self, root_id: int, *, resume: bool = False
    ) -> AsyncGenerator[ThreadUpdate, None]:
        updates = self.source.save_thread(root_id, resume=resume)
        return self.network.stream(updates, merge=merged)

    async def aclose(self) -> None:
        client = self.source.client
        await self.network.aclose(client.aclose() if client is not None else None)


class Prefetch(Generic[T]):
    """A stream started on the network loop before anyone asked for it: what it yields is
    kept until ``replay`` hands it on, then what follows as it comes. Made, replayed and
    cancelled on the network loop."""

    def __init__(self, ids: list[int], source: AsyncIterator[T]) -> None:
        self.ids = ids
        self._values: asyncio.Queue[tuple[object, Any]] = asyncio.Queue()
        self._task = asyncio.ensure_future(self._pump(source))

    async def _pump(self, source: AsyncIterator[T]) -> None:
        try:
            async with aclosing(source):  # type: ignore[type-var]
                async for value in source:
                    self._values.put_nowait((None, value))
        except Exception as exc:
            self._values.put_nowait((exc, None))
        else:
            self._values.put_nowait((_END, None))

    async def replay(self) -> AsyncGenerator[T, None]:
        try:
            while True:
                kind, value = await self._values.get()
                if kind is _END:
                    return
                if isinstance(kind, Exception):
                    raise kind
                yield value
        finally:
            self._task.cancel()  # (closed early: the rest is not wanted)

    def cancel(self) -> None:
        self._task.cancel()


def joined(first: list[Item], second: list[Item]) -> list[Item]:
    return [*first, *second]


def merged(first: ThreadUpdate, second: ThreadUpdate) -> ThreadUpdate:
    """Two updates of one load as one: both batches of items, the later totals."""
    second.items = [*first.items, *second.items]
    second.from_cache = first.from_cache and second.from_cache
    return second
