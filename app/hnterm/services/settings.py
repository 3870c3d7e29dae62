"""The settings the UI reads: the config in effect, and the preferences a reader's keys leave.

One typed object for both, so no screen reads the config by ``getattr`` and no settings key
is spelt in more than one place. Preferences are remembered in the cache's settings table;
reading them never fails (an unreadable cache gives the defaults) and a write that fails is
the cache's problem notice to tell, never the reader's.
"""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass

from hnterm.config import Config
from hnterm.model.errors import CacheError
from hnterm.model.thread import ORDERS
from hnterm.storage.cache import Cache
from hnterm.storage.worker import CacheWorker

# The keys of the cache's settings table, one per preference.
LIST_HIDDEN = "list_hidden"  # the story list pane is hidden ("1")
LIST_WIDTH = "list_width"  # the story list's width, percent of the window
INLINE_REPLIES = "inline_replies"  # replies lines under each comment ("1")
THEME = "theme"  # the theme last chosen (palette or config)
COMMENT_ORDER = "comment_order"  # the order threads are read in (model.thread.ORDERS)


@dataclass(frozen=True)
class Preferences:
    """What the reader chose last time (the defaults when nothing was kept)."""

    list_hidden: bool = False
    list_width: int | None = None
    inline_replies: bool = False
    theme: str | None = None


class Settings:
    """The config plus the remembered preferences."""

    def __init__(self, config: Config, worker: CacheWorker) -> None:
        self.config = config
        self._worker = worker

    async def recall(self) -> Preferences:
        """The preferences kept in the cache (one trip to it)."""
        with suppress(CacheError):
            return await self._worker.run(_read_preferences)
        return Preferences()

    async def remember_list_hidden(self, hidden: bool) -> None:
        await self._remember(LIST_HIDDEN, "1" if hidden else "0")

    async def remember_list_width(self, percent: int) -> None:
        await self._remember(LIST_WIDTH, str(percent))

    async def remember_inline_replies(self, shown: bool) -> None:
        await self._remember(INLINE_REPLIES, "1" if shown else "0")

    async def comment_order(self) -> str:
        """The order a thread opens in: the one last chosen, else HN's rank."""
        with suppress(CacheError):
            order = await self._worker.run(Cache.setting, COMMENT_ORDER)
            if order in ORDERS:
                return order
        return ORDERS[0]

    async def remember_comment_order(self, order: str) -> None:
        await self._remember(COMMENT_ORDER, order)

    def remember_theme(self, name: str) -> None:
        """Queued, not waited for (a theme changes from a signal callback)."""
        self._worker.submit(Cache.set_setting, THEME, name)

    async def _remember(self, key: str, value: str) -> None:
        with suppress(CacheError):  # not remembered: the cache's problem notice says why
            await self._worker.run(Cache.set_setting, key, value)


def _read_preferences(cache: Cache) -> Preferences:
    width = cache.setting(LIST_WIDTH)
    return Preferences(
        list_hidden=cache.setting(LIST_HIDDEN) == "1",
        list_width=int(width) if width and width.isdecimal() else None,
        inline_replies=cache.setting(INLINE_REPLIES) == "1",
        theme=cache.setting(THEME) or None,
    )
