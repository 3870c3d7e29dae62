"""Layout preferences of the reading view: the story list's width, set with ``{`` / ``}``
and remembered (``hnterm.services.settings``; the config's ``list_width`` wins when set)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from hnterm.config import DEFAULT_LIST_WIDTH
from hnterm.ui.widgets.story_list import StoryList

if TYPE_CHECKING:
    from hnterm.ui.screens.main import MainScreen

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
    settings = screen.gateway.settings
    wanted = settings.config.list_width
    if wanted is None:
        wanted = (await settings.recall()).list_width
    if wanted is not None and NARROWEST <= wanted <= WIDEST:
        show_list_width(screen, wanted)


async def resize(screen: MainScreen, step: int) -> None:
    """Widen (``step`` > 0) or narrow the story list by ``STEP`` percent, and remember it."""
    percent = max(NARROWEST, min(WIDEST, list_width(screen) + step * STEP))
    show_list_width(screen, percent)
    screen.status.show(f"Story list: {percent}% of the window ({{ narrower, }} wider)")
    await screen.gateway.settings.remember_list_width(percent)
