"""The cache as an offline library, driven through the app: save (and a save cut short by
quit, resumed at the next start), saved list, read state, new-comment marks, and search of
everything cached."""

from __future__ import annotations

from hnterm.storage.cache import Cache
from hnterm.ui.screens.cache_search import CacheSearchScreen
from hnterm.ui.widgets.comment_view import CommentView
from hnterm.ui.widgets.status_line import StatusLine
from hnterm.ui.widgets.story_list import StoryList

from tests.data import BIDEN, IBM, fixture_items
from tests.ui.conftest import notices, wait_loaded, wait_until
from tests.ui.test_reading import rendered_text

SIZE = (140, 45)


async def test_save_for_offline_then_read_it_with_the_server_gone(make_app, fake_hn):
    fake_hn.lists["topstories"] = [BIDEN, IBM]
    app = make_app(IBM)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        await pilot.press("s")
        await wait_loaded(pilot)
        assert "Saved for offline" in app.screen.query_one(StatusLine).message
        assert await app.gateway.worker.run(Cache.is_saved, IBM)
    fake_hn.stop()
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        stories = app.screen.query_one(StoryList)
        stories.focus()
        await pilot.press("7")
        await wait_loaded(pilot)
        assert stories.kind == "saved" and stories.ids == [IBM]
        await pilot.press("enter")
        await wait_loaded(pilot)
        view = app.screen.query_one(CommentView)
        assert view.thread.root_id == IBM
        assert len(view.thread) == len(fixture_items("unlurker-43727727-ibm-rto")) - 1


async def test_new_comments_are_marked_on_the_next_visit(make_app, fake_hn):
    fake_hn.lists["topstories"] = [IBM, BIDEN]
    app = make_app(IBM)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        view = app.screen.query_one(CommentView)
        assert view.thread.new_ids() == []  # a first visit marks nothing new
    # A reply arrives on the server between visits.
    parent = fake_hn.items[IBM]["kids"][1]
    new_id = 43799999
    fake_hn.items[new_id] = {
        "id": new_id,
        "type": "comment",
        "by": "latecomer",
        "parent": parent,
        "time": 1_745_020_000,
        "text": "Fresh reply",
    }
    fake_hn.items[parent] = {
        **fake_hn.items[parent],
        "kids": [*fake_hn.items[parent].get("kids", []), new_id],
    }
    fake_hn.items[IBM] = {
        **fake_hn.items[IBM],
        "descendants": fake_hn.items[IBM]["descendants"] + 1,
    }
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        stories = app.screen.query_one(StoryList)
        assert "+1 new" in rendered_text(stories.get_option_at_index(0).prompt)
        await pilot.press("enter", "r")
        await wait_loaded(pilot)
        view = app.screen.query_one(CommentView)
        assert view.thread.new_ids() == [new_id]
        header = view.comment_layout.header_text(new_id).plain
        assert "new" in header and "latecomer" in header
        await pilot.press("g", "full_stop")
        assert view.cursor == new_id
        assert "new comment 1 of 1" in app.screen.query_one(StatusLine).message


async def test_search_the_cache_and_open_a_result(make_app, fake_hn):
    fake_hn.lists["topstories"] = [IBM]
    items = fixture_items("unlurker-43727727-ibm-rto")
    app = make_app(IBM)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        target = next(i for i in items.values() if i.text and "typewritten scan" in i.text)
        app.screen.query_one(StoryList).focus()
        await pilot.press("slash")
        await pilot.pause()
        assert isinstance(app.screen, CacheSearchScreen)
        await pilot.press(*'"typewritten scan"')
        results = app.screen.query_one("#cache-search-results")
        await wait_until(pilot, lambda: results.option_count > 0, "search results")
        await pilot.press("enter")
        await wait_loaded(pilot)
        view = app.screen.query_one(CommentView)
        assert view.cursor == target.id


async def test_unsave_and_mark_unread(make_app, fake_hn):
    fake_hn.lists["topstories"] = [IBM]
    app = make_app(IBM)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        await pilot.press("s")
        await wait_loaded(pilot)
        assert await app.gateway.worker.run(Cache.is_saved, IBM)
        view = app.screen.query_one(CommentView)
        assert (
            "saved for offline" in view.comment_layout.header_text(IBM).plain
        )  # the header says so
        await pilot.press("s")  # a second s never unsaves
        status = app.screen.query_one(StatusLine)
        await wait_until(pilot, lambda: "Already saved" in status.message, "the answer")
        assert await app.gateway.worker.run(Cache.is_saved, IBM)
        await pilot.press("S")
        await wait_until(pilot, lambda: "Removed from the Saved" in status.message, "unsave")
        assert not await app.gateway.worker.run(Cache.is_saved, IBM)
        stories = app.screen.query_one(StoryList)
        assert IBM in stories.marks
        stories.focus()
        await pilot.press("U")
        await wait_until(pilot, lambda: IBM not in stories.marks, "mark unread")
        assert await app.gateway.worker.run(Cache.story_read, IBM) is None


async def test_a_save_cut_short_by_quit_resumes_at_the_next_start(make_app, fake_hn):
    fake_hn.delay = 0.05  # slow enough that the save is still running at quit
    app = make_app(BIDEN)
    async with app.run_test(size=SIZE) as pilot:
        view = app.screen.query_one(CommentView)
        await wait_until(pilot, lambda: view.thread is not None, "the thread to open")
        await pilot.press("s")
        status = app.screen.query_one(StatusLine)
        await wait_until(pilot, lambda: app.screen.saving == BIDEN, "the save to start")
        # The open's own progress may speak first; the save's follows while it runs.
        await wait_until(pilot, lambda: "saving" in status.message.lower(), "the save said")
        assert app.screen.saving == BIDEN
    assert app.unfinished_saves == [BIDEN]  # the command line says so after exit
    fake_hn.delay = 0.0
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(
            pilot,
            lambda: any("Resuming 1 save" in notice for notice in notices(app)),
            "the resume notice",
        )
        await wait_loaded(pilot)
        await wait_until(pilot, lambda: app.screen.saving is None, "the save", limit=30)
        assert await app.gateway.worker.run(Cache.is_saved, BIDEN)
        assert await app.gateway.worker.run(Cache.pending_saves) == []
