"""Layout preferences of the reading view: the story list's width, set with ``{`` / ``}``
and remembered (``hnterm.services.settings``; the config's ``list_width`` wins when set)."""

from __future__ import annotations

from hnterm.config import DEFAULT_LIST_WIDTH
from hnterm.services.settings import Settings
from hnterm.ui.widgets.status_line import StatusLine
from hnterm.ui.widgets.story_list import StoryList

STEP = 5
NARROWEST, WIDEST = 15, 85


def list_width(stories: StoryList) -> int:
    """The story list's width now, in percent (the default until one is set)."""
    width = stories.styles.width
    relative = width is not None and width.unit.name in ("PERCENT", "WIDTH")  # "40%" is 40w
    return int(width.value) if relative and width is not None else DEFAULT_LIST_WIDTH


def show_list_width(stories: StoryList, percent: int) -> None:
    """Give the story list ``percent`` of the window (its CSS cap lifted to match)."""
    stories.styles.width = f"{percent}%"
    stories.styles.max_width = f"{percent}%"


async def restore(stories: StoryList, settings: Settings) -> None:
    """The config's width, else the one last set, else the stylesheet's."""
    wanted = settings.config.list_width
    if wanted is None:
        wanted = (await settings.recall()).list_width
    if wanted is not None and NARROWEST <= wanted <= WIDEST:
        show_list_width(stories, wanted)


async def resize(stories: StoryList, settings: Settings, status: StatusLine, step: int) -> None:
    """Widen (``step`` > 0) or narrow the story list by ``STEP`` percent, and remember it."""
    percent = max(NARROWEST, min(WIDEST, list_width(stories) + step * STEP))
    show_list_width(stories, percent)
    status.show(f"Story list: {percent}% of the window ({{ narrower, }} wider)")
    await settings.remember_list_width(percent)
