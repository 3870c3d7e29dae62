"""Live threads against the loopback fake: a comment added while the thread is open appears,
marked new and counted, and the line being read stays where it was on screen."""

from __future__ import annotations

from hnterm.config import Config
from hnterm.ui.app import HNApp
from hnterm.ui.widgets.comment_view import CommentView
from hnterm.ui.widgets.status_line import StatusLine
from hnterm.ui.widgets.story_list import StoryList

from tests.data import IBM
from tests.ui.conftest import FIXED_NOW, wait_loaded, wait_until


def screen_line(view: CommentView, item_id: int) -> int:
    """Where ``item_id``'s first line is on screen (rows from the pane's top)."""
    return view.comment_layout.top(item_id) - round(view.scroll_y)


def add_reply(fake_hn, parent: int, root: int) -> int:
    """A new comment on the fake, first among ``parent``'s replies, as HN would list it."""
    new_id = max(fake_hn.items) + 1
    fake_hn.items[new_id] = {
        "id": new_id,
        "by": "newcomer",
        "parent": parent,
        "text": "Just arrived while you were reading",
        "time": FIXED_NOW,
        "type": "comment",
    }
    fake_hn.items[parent]["kids"] = [new_id, *fake_hn.items[parent].get("kids", [])]
    fake_hn.items[root]["descendants"] += 1
    fake_hn.updated_items = [parent]  # updates.json names the parent, not the root
    return new_id


async def test_a_new_comment_appears_marked_new_without_moving_the_reader(fake_hn, tmp_path):
    config = Config(api_url=fake_hn.url, cache_dir=tmp_path / "cache", item=IBM)
    app = HNApp(Config(**{**config.__dict__, "live_interval": 0.2}))
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(pilot)
        view = app.screen.query_one(CommentView)
        view.focus()
        for key in ("right_square_bracket",) * 4:  # the fourth top-level comment
            await pilot.press(key)
        reading = view.cursor
        first_top = app.screen.thread.children(IBM)[0]
        assert reading is not None and reading != first_top
        line = screen_line(view, reading)
        assert 0 <= line < view.scrollable_content_region.height
        new_id = add_reply(fake_hn, first_top, IBM)  # above the reader's place

        await wait_until(pilot, lambda: new_id in app.screen.thread, "the new comment")
        await pilot.pause()
        thread = app.screen.thread
        assert thread.is_new(new_id) and thread.parent_of[new_id] == first_top
        assert thread.new_ids() == [new_id]  # only it: the rest was there before
        assert view.cursor == reading and screen_line(view, reading) == line
        assert "+1 new" in str(app.screen.query_one(StatusLine).render())

        await pilot.press("full_stop")  # `.` jumps to it
        assert view.cursor == new_id
        await pilot.pause()
        header = view.render_line(screen_line(view, new_id)).text
        assert "newcomer new " in header  # marked on screen
        assert "+1 new" in str(app.screen.query_one(StatusLine).render())


async def test_live_updates_off_fetch_nothing(fake_hn, tmp_path):
    config = Config(api_url=fake_hn.url, cache_dir=tmp_path / "cache", item=IBM)
    app = HNApp(Config(**{**config.__dict__, "live": False, "live_interval": 0.05}))
    async with app.run_test() as pilot:
        await wait_loaded(pilot)
        assert app.screen.live is None  # no poll timer at all
        assert fake_hn.request_log["/v0/updates.json"] == 0


async def test_polls_ask_updates_json_and_refetch_only_the_root(fake_hn, tmp_path):
    config = Config(api_url=fake_hn.url, cache_dir=tmp_path / "cache", item=IBM)
    app = HNApp(Config(**{**config.__dict__, "live_interval": 0.1}))
    async with app.run_test() as pilot:
        await wait_loaded(pilot)
        fake_hn.reset_stats()
        await wait_until(pilot, lambda: fake_hn.request_log["/v0/updates.json"] >= 2, "two polls")
        assert app.screen.thread.new_ids() == []  # nothing changed: nothing new
        polled = {path for path in fake_hn.request_log if path != "/v0/updates.json"}
        stories = app.screen.query_one(StoryList)
        listed = {f"/v0/item/{i}.json" for i in stories.ids[: stories.option_count]}
        # A quiet thread costs two requests a poll (updates and its root); the rest are the
        # list's own stories, refreshed for their scores. No comment is fetched again.
        assert f"/v0/item/{IBM}.json" in polled and polled <= {f"/v0/item/{IBM}.json", *listed}


async def test_the_story_list_refreshes_scores_and_counts(fake_hn, tmp_path):
    fake_hn.lists["topstories"] = [IBM]
    config = Config(api_url=fake_hn.url, cache_dir=tmp_path / "cache")
    app = HNApp(Config(**{**config.__dict__, "live_interval": 0.2}))
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(pilot)
        stories = app.screen.query_one(StoryList)
        score = fake_hn.items[IBM]["score"]
        assert f"{score} pts" in str(stories.get_option_at_index(0).prompt)
        fake_hn.items[IBM]["score"] = score + 57
        fake_hn.items[IBM]["descendants"] += 3
        comments = fake_hn.items[IBM]["descendants"]

        def refreshed() -> bool:
            prompt = str(stories.get_option_at_index(0).prompt)
            return f"{score + 57} pts" in prompt and f"{comments} comments" in prompt

        await wait_until(pilot, refreshed, "the new score and count in the list")
