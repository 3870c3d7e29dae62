"""Where a new user finds the keys: every key has an id (the keymap names it) and a row in
help (``?``) that says what it does; the footer shows the main ones of the focused pane and
fits 80 columns whole, ``? Help`` included, so no label is cut mid-word."""

from __future__ import annotations

import pytest
from hnterm.ui.app import HNApp
from hnterm.ui.screens.context import ContextScreen
from hnterm.ui.screens.help import HelpScreen, described, key_label
from hnterm.ui.widgets.comment_view import CommentView
from hnterm.ui.widgets.story_list import StoryList
from textual.widget import Widget
from textual.widgets import Footer

from tests.data import BIDEN, IBM
from tests.ui.conftest import wait_loaded, wait_until
from tests.ui.test_help_and_palette import help_lines


async def test_every_key_has_an_id_and_a_help_row_that_says_what_it_does(make_app, fake_hn):
    fake_hn.lists["topstories"] = [BIDEN, IBM]
    app = make_app()
    async with app.run_test(size=(160, 50)) as pilot:
        await wait_loaded(pilot)
        await pilot.press("question_mark")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen), "help")
        lines = help_lines(app)
        for _, bindings in HNApp.binding_groups():
            for binding in bindings:
                assert binding.id, binding
                if binding.group is None:  # (a group, 1-9, shares one row)
                    row = f"{key_label(app, binding)} {described(binding)}"
                    assert " ".join(row.split()) in lines, row
        for row in (
            "X Filters off/on: the words, sites and users your config filters out, "
            "for this session",
            "- Hide/show read: the stories you have read leave the list, or come back",
            "t Next comment order: sorts by HN's rank, newest, oldest, most replies first, "
            "in turn (remembered)",
            "& Narrow to matching posts: only the top-level comments a query matches, as for "
            "Who is hiring? (esc: all)",
        ):
            assert row in lines


def footer_keys(app: HNApp) -> list[Widget]:
    """The footer's keys (Textual's ``FooterKey``), the palette's last."""
    return list(app.screen.query_one(Footer).query("FooterKey"))


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
@pytest.mark.parametrize("place", ["story list", "comments", "context view"])
async def test_the_footer_shows_every_main_key_whole(make_app, fake_hn, size, place):
    fake_hn.lists["topstories"] = [BIDEN, IBM]
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await wait_loaded(pilot)
        if place != "story list":
            await pilot.press("enter")
            await wait_loaded(pilot)
            await wait_until(
                pilot, lambda: app.focused is app.screen.query_one(CommentView), "comments"
            )
        if place == "context view":
            await pilot.press("j", "a")
            await wait_until(pilot, lambda: isinstance(app.screen, ContextScreen), "context")
        await pilot.pause()
        keys = footer_keys(app)
        palette = next(key for key in keys if key.has_class("-command-palette"))
        shown = [key for key in keys if key is not palette]
        labels = [f"{key.key_display} {key.description}" for key in shown]
        assert labels[-2:] == ["q Quit", "? Help"], labels
        for key in shown:  # each label whole, left of the palette's key (none under it)
            assert key.region.right <= palette.region.x, labels
        if place == "story list":
            assert isinstance(app.focused, StoryList)
            assert "- Hide/show read" in labels
        elif place == "context view":
            assert "⏎ Go there" in labels
