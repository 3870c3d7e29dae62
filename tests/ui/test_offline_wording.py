"""Offline wording (issue 23, item 14): with ``--offline`` nothing says "r retries" (r cannot
fetch anything then), the story list's offline state is in its subtitle and the header, not a
toast over the thread, and a save says what it saved."""

from __future__ import annotations

from hnterm.ui.widgets.comment_view import CommentView
from hnterm.ui.widgets.status_line import StatusLine
from hnterm.ui.widgets.story_list import StoryList

from tests.data import IBM
from tests.ui.conftest import notices, wait_loaded, wait_until

SIZE = (120, 40)
LESS_SLOW = 43727743  # a story with 88 comments
ASK_NO_COMMENTS = 26298314


def status(app) -> str:
    return app.screen.query_one(StatusLine).message


async def test_offline_nothing_says_r_retries_and_no_toast_covers_the_thread(make_app, fake_hn):
    fake_hn.lists["topstories"] = [IBM, LESS_SLOW]
    app = make_app(IBM)
    async with app.run_test(size=SIZE) as pilot:  # the list and the IBM thread are cached
        await wait_loaded(pilot)
    app = make_app(IBM, offline=True)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        view = app.screen.query_one(CommentView)
        assert view.thread.root_id == IBM
        stories = app.screen.query_one(StoryList)
        assert stories.border_subtitle == "cached copy (offline)"
        assert app.sub_title == "offline (--offline): reading the cache"
        assert not [n for n in notices(app) if "offline" in n]  # no toast over the thread

        await pilot.press("colon", *str(ASK_NO_COMMENTS), "enter")  # never fetched
        await wait_loaded(pilot)
        assert status(app) == (
            f"Item {ASK_NO_COMMENTS} is not in the cache (offline): run hnterm online to fetch it"
        )
        assert view.thread.root_id == IBM

        await pilot.press("colon", *str(LESS_SLOW), "enter")  # the story only, from the list
        await wait_loaded(pilot)
        await wait_until(pilot, lambda: view.thread.root_id == LESS_SLOW, "the story")
        note = view.comment_layout.story_note or ""
        assert (
            note
            == "88 comments not in the cache (offline): run hnterm without --offline to load them."
        )
        await pilot.press("s")
        await wait_until(pilot, lambda: "not saved" in status(app), "the save's outcome")
        assert status(app).endswith("; run hnterm without --offline to save it")
        assert "r retries" not in status(app) and "s retries" not in status(app)


async def test_a_save_says_what_it_saved(make_app, fake_hn):
    app = make_app(IBM)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        view = app.screen.query_one(CommentView)
        await pilot.press("s")
        await wait_until(pilot, lambda: status(app).startswith("Saved"), "the save")
        title = fake_hn.items[IBM]["title"]
        assert status(app) == (
            f"Saved for offline: {title} ({len(view.thread)} comments) · 7 lists the saved threads"
        )
