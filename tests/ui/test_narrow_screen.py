"""An 80-column screen (issue 11): a deep comment keeps most of the width, the story list
hides for reading (and stays hidden at the next start), and help stays in the footer."""

from __future__ import annotations

from hnterm.storage.cache import Cache
from hnterm.ui.widgets.comment_view import CommentView
from hnterm.ui.widgets.status_line import StatusLine
from hnterm.ui.widgets.story_list import StoryList

from tests.data import IBM
from tests.ui.conftest import wait_loaded, wait_until

DEEPEST = 43732616  # the IBM thread's comment at depth 17

NARROW = (80, 24)


async def test_a_deep_comment_keeps_most_of_a_narrow_screen(make_app):
    app = make_app(DEEPEST)
    async with app.run_test(size=NARROW) as pilot:
        view = app.screen.query_one(CommentView)
        await wait_until(pilot, lambda: view.cursor == DEEPEST, "the deep comment")
        await wait_loaded(pilot)
        assert view.thread.depth_of[DEEPEST] == 17
        await pilot.press("w")  # full width for reading
        await pilot.pause()
        assert not app.screen.query_one(StoryList).display
        assert view.comment_layout.text_width(DEEPEST) >= 50
        assert "17▸" in view.comment_layout.guides(DEEPEST)  # the depth, as a number
        await pilot.press("w")
        await pilot.pause()
        assert app.screen.query_one(StoryList).display


async def test_hiding_the_list_is_remembered(make_app):
    app = make_app(IBM)
    async with app.run_test(size=NARROW) as pilot:
        await wait_loaded(pilot)
        await pilot.press("w")
        status = app.screen.query_one(StatusLine)
        await wait_until(pilot, lambda: "hidden" in status.message, "the toggle")

        async def kept() -> bool:
            return await app.gateway.worker.run(Cache.setting, "list_hidden") == "1"

        await wait_until(pilot, kept, "the hidden list to be kept")
    app = make_app(IBM)
    async with app.run_test(size=NARROW) as pilot:
        await wait_loaded(pilot)
        stories = app.screen.query_one(StoryList)
        await wait_until(pilot, lambda: not stories.display, "the list to stay hidden")


async def test_help_stays_in_the_footer_at_80_columns(make_app):
    app = make_app(IBM)
    async with app.run_test(size=NARROW) as pilot:
        await wait_loaded(pilot)
        footer_keys = [key.key_display for key in app.screen.query("FooterKey")]
        help_key = app.screen.query("FooterKey").filter(".-command-palette")
        assert "?" in footer_keys and help_key is not None
        help_widget = next(k for k in app.screen.query("FooterKey") if k.key_display == "?")
        assert help_widget.region.right <= NARROW[0]  # on screen, not cut off
