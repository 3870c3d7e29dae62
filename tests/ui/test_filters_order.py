"""[filters] and the reading order in the app (Pilot, against the fake API, a real cache):
a filtered story is left out of the list with a count, a filtered user's comments fold to a
line that says why, X turns the filters off and on, - hides read stories, t cycles the order
and folds and back keep working in it."""

from __future__ import annotations

from hnterm.config import Config
from hnterm.model.filters import Filters
from hnterm.ui.app import HNApp
from hnterm.ui.screens.context import ContextScreen
from hnterm.ui.screens.help import HelpScreen
from hnterm.ui.widgets.comment_view import CommentView
from hnterm.ui.widgets.status_line import StatusLine
from hnterm.ui.widgets.story_list import StoryList

from tests.data import BIDEN, IBM
from tests.ui.conftest import wait_loaded, wait_until
from tests.ui.test_help_and_palette import help_lines

SIZE = (140, 45)
FILTERS = Filters(domains=("theregister.com",), users=("rayiner",))


def app_with(fake_hn, tmp_path, item: int | None = None) -> HNApp:
    config = Config(api_url=fake_hn.url, cache_dir=tmp_path / "cache", item=item, filters=FILTERS)
    return HNApp(config)


def shown(stories: StoryList) -> list[int]:
    return [int(stories.get_option_at_index(n).id or 0) for n in range(stories.option_count)]


def drawn(view: CommentView, item_id: int) -> str:
    """The lines drawn for a row, as the reader sees them."""
    layout = view.comment_layout
    return (
        "\n".join(line.plain for line in view.comment_layout.head_lines(item_id))
        + "\n"
        + ("\n".join(line.plain for line in layout.body_lines(item_id)))
    )


async def test_a_filtered_story_is_left_out_with_a_count_and_x_restores_it(fake_hn, tmp_path):
    fake_hn.lists["topstories"] = [BIDEN, IBM]  # IBM links to theregister.com
    app = app_with(fake_hn, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        stories = app.screen.query_one(StoryList)
        assert shown(stories) == [BIDEN]
        assert "Top · 1 · 1 filtered" in str(stories.border_title)
        await pilot.press("X")
        assert shown(stories) == [BIDEN, IBM]
        assert "filtered" not in str(stories.border_title)
        assert app.screen.query_one(StatusLine).message == "Filters off for this session"
        await pilot.press("X")
        assert shown(stories) == [BIDEN]


async def test_a_filtered_users_comments_fold_with_the_reason(fake_hn, tmp_path):
    app = app_with(fake_hn, tmp_path, IBM)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        view = app.screen.query_one(CommentView)
        thread = view.thread
        assert thread is not None
        theirs = [i for i in thread.order() if thread.items[i].by == "rayiner"]
        assert len(theirs) == 17
        first = theirs[0]
        assert drawn(view, first).strip() == "▸ filtered: by user rayiner"
        assert view.comment_layout.height(first) == 2  # one line and the gap
        replies = thread.children(first)
        assert replies and all(r in view.comment_layout for r in replies)  # replies kept
        text = thread.items[first].text or ""
        view.move_to(first)
        await pilot.press("space")  # expandable like any fold
        assert "rayiner" in drawn(view, first) and not thread.is_filtered(first)
        assert text and view.comment_layout.body_lines(first)
        await pilot.press("space")
        assert thread.is_filtered(first)
        await pilot.press("X")  # off for the session: every one shows
        assert not any(thread.is_filtered(i) for i in theirs)
        assert "rayiner" in drawn(view, theirs[1])
        await pilot.press("X")
        assert all(thread.is_filtered(i) for i in theirs)


async def test_hide_read_stories_is_a_list_toggle(fake_hn, tmp_path):
    fake_hn.lists["topstories"] = [BIDEN, IBM]
    app = HNApp(Config(api_url=fake_hn.url, cache_dir=tmp_path / "cache"))
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        stories = app.screen.query_one(StoryList)
        await pilot.press("j", "enter")  # read IBM
        await wait_loaded(pilot)
        await pilot.press("1")  # the list again, its read mark loaded with it
        await wait_loaded(pilot)
        stories.mark_open(None)  # nothing kept for being open
        stories.focus()
        await pilot.press("minus")
        assert shown(stories) == [BIDEN]
        assert "1 read hidden" in str(stories.border_title)
        await pilot.press("minus")
        assert shown(stories) == [BIDEN, IBM]


async def test_t_cycles_the_order_and_folds_and_back_keep_working(fake_hn, tmp_path):
    app = HNApp(Config(api_url=fake_hn.url, cache_dir=tmp_path / "cache", item=IBM))
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        view = app.screen.query_one(CommentView)
        thread = view.thread
        assert thread is not None
        status = app.screen.query_one(StatusLine)
        rank = list(thread.children(IBM))
        await pilot.press("t")
        assert status.message == "Comments: newest first"
        newest = thread.children(IBM)
        times = [thread.items[i].time or 0 for i in newest]
        assert times == sorted(times, reverse=True) and newest != rank
        assert view.comment_layout.rows[1] == newest[0]
        await pilot.press("j")
        assert view.cursor == newest[0]
        folded = next(i for i in newest if thread.children(i))
        n = newest.index(folded)
        await pilot.press(*["right_square_bracket"] * n, "space")  # ] to it, fold it
        assert view.cursor == folded and thread.is_collapsed(folded)
        assert view.comment_layout.rows[n + 2] == newest[n + 1]
        await pilot.press("right_square_bracket")
        assert view.cursor == newest[n + 1]
        view.jump(rank[0])
        await pilot.press("b")  # back: to where the jump left
        assert view.cursor == newest[n + 1]
        await pilot.press("t", "t")
        assert status.message == "Comments: most replies first"
        sizes = [thread.subtree_size(i) for i in thread.children(IBM)]
        assert sizes == sorted(sizes, reverse=True)
        assert thread.is_collapsed(folded) and view.cursor == newest[n + 1]
        assert await app.gateway.settings.comment_order() == "replies"  # remembered
        await pilot.press("t")
        assert status.message == "Comments: HN's rank"
        assert thread.children(IBM) == rank


async def test_help_lists_the_three_keys(fake_hn, tmp_path):
    app = app_with(fake_hn, tmp_path, IBM)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        await pilot.press("question_mark")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen), "help")
        lines = help_lines(app)
        order = "sorts by HN's rank, newest, oldest, most replies first, in turn (remembered)"
        assert f"t Next comment order: {order}" in lines
        filters = "the words, sites and users your config filters out, for this session"
        assert f"X Filters off/on: {filters}" in lines
        assert "- Hide/show read: the stories you have read leave the list, or come back" in lines


async def test_new_marks_and_context_follow_the_order(fake_hn, tmp_path):
    app = HNApp(Config(api_url=fake_hn.url, cache_dir=tmp_path / "cache", item=IBM))
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        view = app.screen.query_one(CommentView)
        thread = view.thread
        assert thread is not None
        tops = thread.children(IBM)
        # As if the last visit saw every comment but those under the first two top-levels.
        unseen = {i for top in tops[:2] for i in [top, *thread.rows(top)[1:]]}
        thread.seen = frozenset(set(thread.items) - unseen)
        in_rank = [i for i in thread.order() if i in unseen]
        await pilot.press("t", "t")  # oldest first
        oldest = [i for i in thread.order() if i in unseen]
        assert thread.new_ids() == oldest and oldest != in_rank
        await pilot.press("g", "full_stop")
        assert view.cursor == oldest[0]
        await pilot.press("full_stop")
        assert view.cursor == oldest[1]
        deep = next(i for i in thread.order() if thread.depth_of[i] >= 3)
        view.move_to(deep)
        await pilot.press("a")
        await wait_until(pilot, lambda: isinstance(app.screen, ContextScreen), "context")
        await pilot.press("escape")
        await wait_until(pilot, lambda: not isinstance(app.screen, ContextScreen), "back")
        assert view.cursor == deep
