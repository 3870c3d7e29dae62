"""After ``hnterm sync``, with the fake API stopped, the app reads a synced thread whole
(offline mode) and lists the synced threads under Saved."""

from __future__ import annotations

import asyncio

from hnterm.cli.main import run as hnterm
from hnterm.ui.widgets.comment_view import CommentView
from hnterm.ui.widgets.story_list import StoryList

from tests.data import IBM, fixture_items
from tests.ui.conftest import wait_loaded, wait_until

LESS_SLOW = 43727743


async def test_a_synced_thread_opens_offline_with_every_comment(fake_hn, make_app, tmp_path):
    fake_hn.lists["topstories"] = [IBM, LESS_SLOW]
    cache = tmp_path / "cache"  # where make_app keeps its cache
    argv = ["sync", "--top", "2", "--api-url", fake_hn.url, "--cache-dir", str(cache)]
    assert await asyncio.to_thread(hnterm, argv) == 0  # its own event loop, as from a shell
    fake_hn.stop()
    app = make_app(IBM, offline=True)
    async with app.run_test(size=(120, 40)) as pilot:
        view = app.screen.query_one(CommentView)
        expected = len(fixture_items("unlurker-43727727-ibm-rto"))  # the story too
        await wait_until(pilot, lambda: view.thread and len(view.thread) == expected - 1, "IBM")
        await wait_loaded(pilot)
        assert not view.thread.missing_kids()
        stories = app.screen.query_one(StoryList)
        stories.focus()
        await pilot.press("7")
        await wait_until(pilot, lambda: set(stories.items) == {IBM, LESS_SLOW}, "the Saved list")
