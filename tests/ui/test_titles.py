"""Whole story titles in the list (issue 23, item 4): a title wraps to the list's width instead
of being cut, the line of details under it stays one line, and with no thread open the list
takes the room the thread pane does not need."""

from __future__ import annotations

import pytest
from hnterm.ui.widgets.story_list import StoryList

from tests.data import BIDEN, IBM
from tests.ui.conftest import wait_loaded

BIDEN_TITLE = "Biden wins White House, vowing new direction for divided U.S. (apnews.com)"


def shown_lines(stories: StoryList) -> list[str]:
    """The list's lines inside its border, as the terminal shows them, blanks at their ends
    dropped."""
    inside = stories.content_region.translate(-stories.region.offset)
    return [strip.text.rstrip() for strip in stories.render_lines(inside)]


def first_entry(stories: StoryList) -> list[str]:
    """The first story's lines on screen: its title, down to its line of details."""
    lines = shown_lines(stories)
    details = next(n for n, line in enumerate(lines) if line.startswith("#1 ·"))
    return lines[: details + 1]


def joined(lines: list[str]) -> str:
    """Lines wrapped at spaces, read as the one line they were."""
    return " ".join(line.strip() for line in lines)


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
async def test_the_whole_title_shows_beside_an_open_thread(make_app, fake_hn, size):
    fake_hn.lists["topstories"] = [BIDEN, IBM]
    app = make_app(IBM)  # another thread is open: its header does not show the Biden title
    async with app.run_test(size=size) as pilot:
        await wait_loaded(pilot)
        stories = app.screen.query_one(StoryList)
        entry = first_entry(stories)
        assert "…" not in joined(entry[:-1])
        assert joined(entry[:-1]) == BIDEN_TITLE
        assert entry[-1].startswith("#1 · 3089 pts")  # the details: one line under it


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
async def test_with_no_thread_open_the_list_is_wider(make_app, fake_hn, size):
    fake_hn.lists["topstories"] = [BIDEN, IBM]
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await wait_loaded(pilot)
        stories = app.screen.query_one(StoryList)
        alone = stories.outer_size.width
        entry = first_entry(stories)
        assert joined(entry[:-1]) == BIDEN_TITLE
        assert "granzymes" in entry[-1]  # the author, cut at 80 columns before
        await pilot.press("enter")
        await wait_loaded(pilot)
        assert stories.outer_size.width < alone  # a thread open: it has the room now
        assert joined(first_entry(stories)[:-1]).endswith("(apnews.com)")
