"""Driving the app with Pilot: lists, opening threads, collapsing, offline reading."""

from __future__ import annotations

import io

from hnterm.ui.widgets.comment_view import CommentView
from hnterm.ui.widgets.status_line import StatusLine
from hnterm.ui.widgets.story_list import StoryList
from rich.console import Console

from tests.data import BIDEN, IBM, fixture_items
from tests.ui.conftest import wait_loaded

SIZE = (140, 45)


async def settle(app, pilot) -> None:
    """Let every load finish and the screen catch up."""
    await app.workers.wait_for_complete()
    await pilot.pause()


async def test_top_stories_are_listed_with_their_details(make_app, fake_hn):
    fake_hn.lists["topstories"] = [BIDEN, IBM]
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        stories = app.screen.query_one(StoryList)
        assert stories.option_count == 2
        first = rendered_text(stories.get_option_at_index(0).prompt)
        assert "Biden" in first and "3089 pts" in first and "granzymes" in first
        assert "2170 comments" in first


async def test_selecting_a_story_opens_its_whole_thread(make_app, fake_hn):
    fake_hn.lists["topstories"] = [BIDEN, IBM]
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        view = app.screen.query_one(CommentView)
        assert view.thread is not None and view.thread.root_id == BIDEN
        assert len(view.thread) == 2170
        assert view.has_focus
        status = app.screen.query_one(StatusLine).message
        assert "2170 comments" in status and "2171 items fetched (story included)" in status


async def test_collapse_hides_replies_and_expand_restores_them(make_app):
    app = make_app(IBM)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        view = app.screen.query_one(CommentView)
        thread = view.thread
        first = thread.children(IBM)[0]
        before = len(thread.rows())
        await pilot.press("j")
        assert view.cursor == first
        await pilot.press("space")
        hidden = thread.subtree_size(first)
        assert hidden > 0
        assert len(thread.rows()) == before - hidden
        await pilot.press("j")
        assert view.cursor == thread.children(IBM)[1]
        await pilot.press("k", "space")
        assert len(thread.rows()) == before


async def test_number_keys_switch_lists(make_app, fake_hn):
    fake_hn.lists["askstories"] = [43728870]
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("4")
        await settle(app, pilot)
        stories = app.screen.query_one(StoryList)
        assert stories.kind == "ask"
        assert stories.option_count == 1
        assert "Ask HN" in rendered_text(stories.get_option_at_index(0).prompt)


async def test_comment_id_opens_its_story_focused_on_it(make_app):
    items = fixture_items("unlurker-43727727-ibm-rto")
    deep = max((i for i in items.values() if i.type == "comment"), key=lambda i: _depth(items, i))
    app = make_app(deep.id)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        view = app.screen.query_one(CommentView)
        assert view.thread.root_id == IBM
        assert view.cursor == deep.id
        assert deep.id in view.thread.rows()


async def test_thread_reopens_from_cache_when_the_server_is_gone(make_app, fake_hn):
    app = make_app(IBM)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        loaded = len(app.screen.query_one(CommentView).thread)
    fake_hn.stop()
    app = make_app(IBM)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        view = app.screen.query_one(CommentView)
        assert len(view.thread) == loaded
        assert app.gateway.network_down
        assert "offline" in app.sub_title
        await pilot.press("r")  # a forced refresh meets the dead network, keeps the thread
        await wait_loaded(pilot)
        status = app.screen.query_one(StatusLine)
        assert "unreachable" in status.message and status.error
        assert len(view.thread) == loaded


async def test_offline_flag_reads_the_cache_and_lists(make_app, fake_hn):
    fake_hn.lists["topstories"] = [IBM]
    app = make_app(IBM)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
    requests = fake_hn.requests
    app = make_app(IBM, offline=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert len(app.screen.query_one(CommentView).thread) > 300
        assert app.screen.query_one(StoryList).option_count == 1
    assert fake_hn.requests == requests


async def test_help_screen_lists_the_keys(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        shown = rendered_text(app.screen.query_one("#help-table").content)
        for description in ("Collapse", "Reload", "Quit", "Switch pane"):
            assert description in shown
        await pilot.press("escape")
        await pilot.pause()
        assert "HelpScreen" not in type(app.screen).__name__


def rendered_text(renderable) -> str:
    """A renderable as plain text, the way a wide terminal would show it."""
    console = Console(file=io.StringIO(), width=200, color_system=None)
    console.print(renderable)
    return console.file.getvalue()


def _depth(items, item) -> int:
    depth = 0
    while item.parent in items:
        depth += 1
        item = items[item.parent]
    return depth


async def test_story_list_loads_a_page_at_a_time(make_app, fake_hn):
    ids = list(range(95_000_001, 95_000_101))
    for n, item_id in enumerate(ids):
        fake_hn.items[item_id] = {
            "id": item_id,
            "type": "story",
            "title": f"Story {n}",
            "by": "someone",
            "score": 100 - n,
            "time": 1_745_000_000,
        }
    fake_hn.items[ids[40]] = None  # a story the API no longer has must not stall the list
    fake_hn.lists["topstories"] = ids
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        stories = app.screen.query_one(StoryList)
        assert stories.option_count == 30
        await pilot.press("end")
        await wait_loaded(pilot)
        assert stories.option_count == 59
        await pilot.press("end")
        await wait_loaded(pilot)
        await pilot.press("end")
        await wait_loaded(pilot)
        assert stories.option_count == 99
        assert "Story 99" in rendered_text(stories.get_option_at_index(98).prompt)


async def test_opening_an_item_asks_for_its_story_once(make_app, fake_hn):
    fake_hn.lists["topstories"] = [BIDEN]  # the list would fetch IBM for itself
    app = make_app(IBM)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        assert len(app.screen.query_one(CommentView).thread) == 352
    assert fake_hn.request_log[f"/v0/item/{IBM}.json"] == 1
