"""Layout preferences of the reading view: the story list's width, set with ``{`` / ``}``
and remembered in the cache's settings (the config's ``list_width`` wins when set)."""

from __future__ import annotations

from contextlib import suppress
from typing import TYPE_CHECKING

from hnterm.config import DEFAULT_LIST_WIDTH
from hnterm.storage.cache import Cache, CacheError
from hnterm.ui.widgets.story_list import StoryList

if TYPE_CHECKING:
    from hnterm.ui.screens.main import MainScreen

LIST_WIDTH = "list_width"  # settings key: the story list's width, percent of the window
STEP = 5
NARROWEST, WIDEST = 15, 85


def list_width(screen: MainScreen) -> int:
    """The story list's width now, in percent (the default until one is set)."""
    width = screen.query_one(StoryList).styles.width
    relative = width is not None and width.unit.name in ("PERCENT", "WIDTH")  # "40%" is 40w
    return int(width.value) if relative and width is not None else DEFAULT_LIST_WIDTH


def show_list_width(screen: MainScreen, percent: int) -> None:
    """Give the story list ``percent`` of the window (its CSS cap lifted to match)."""
    stories = screen.query_one(StoryList)
    stories.styles.width = f"{percent}%"
    stories.styles.max_width = f"{percent}%"


async def restore(screen: MainScreen) -> None:
    """The config's width, else the one last set, else the stylesheet's."""
    config = getattr(screen.app, "config", None)
    wanted: int | None = config.list_width if config is not None else None
    if wanted is None:
        with suppress(CacheError, ValueError, TypeError):
            wanted = int(await screen.source.cache.run(Cache.setting, LIST_WIDTH) or "")
    if wanted is not None and NARROWEST <= wanted <= WIDEST:
        show_list_width(screen, wanted)


async def resize(screen: MainScreen, step: int) -> None:
    """Widen (``step`` > 0) or narrow the story list by ``STEP`` percent, and remember it."""
    percent = max(NARROWEST, min(WIDEST, list_width(screen) + step * STEP))
    show_list_width(screen, percent)
    screen.status.show(f"Story list: {percent}% of the window ({{ narrower, }} wider)")
    with suppress(CacheError):  # not remembered: the cache's problem notice says why
        await screen.source.cache.run(Cache.set_setting, LIST_WIDTH, str(percent))
