"""Items taller than the comment pane read to their last line by keyboard (issue 23, item 1).

At 80x24 with the story list hidden (``w``) the Less Slow C++ self-post (4,233 characters) and
the longest comment of the Biden thread are several screens tall. The moves work as a pager's:
``j``/``down`` and page down scroll within the row under the cursor until its last line is in
view, and only then go to the next row; ``k`` and page up likewise upward; ``g``/``G`` jump.
"""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from hnterm.config import Config
from hnterm.render.text import html_to_plain
from hnterm.storage.cache import Cache
from hnterm.ui.app import HNApp
from hnterm.ui.widgets.comment_view import CommentView
from rich.console import Console

from tests.data import BIDEN, fixture_items
from tests.ui.conftest import in_order, wait_loaded, wait_until

NARROW = (80, 24)
LESS_SLOW = 43727743
LESS_SLOW_ITEMS = fixture_items("unlurker-43727743-less-slow-cpp")
BIDEN_ITEMS = fixture_items("circumflex-25015967-biden-wins-white-house")
LONGEST = max(
    (i for i in BIDEN_ITEMS.values() if i.type == "comment" and i.text),
    key=lambda i: len(i.text or ""),
).id
PRESSES = 200  # far more than any of these items needs, so a stuck key fails, not hangs


def words_of(item_id: int, items: dict) -> list[str]:
    return html_to_plain(items[item_id].text).split()


def shown(view: CommentView) -> str:
    """What the comment pane draws right now, its lines joined by spaces."""
    height = view.scrollable_content_region.height
    return " ".join(view.render_line(y).text.strip() for y in range(height))


async def read_until(pilot, view: CommentView, key: str, item_id: int, words: list[str]) -> int:
    """Press ``key`` while the cursor stays on ``item_id`` until ``words`` are on screen;
    returns the presses it took. Fails if the cursor leaves the item first."""
    for presses in range(PRESSES):
        assert view.cursor == item_id, f"{key} left the item before {words} were shown"
        if in_order(words, shown(view)):
            return presses
        await pilot.press(key)
    raise AssertionError(f"{PRESSES} presses of {key} never showed {words}")


async def narrow_reader(pilot) -> CommentView:
    """The thread loaded, the story list hidden: the whole 80 columns for the thread."""
    app = pilot.app
    view = app.screen.query_one(CommentView)
    await wait_until(pilot, lambda: view.thread is not None, "the thread")
    await wait_loaded(pilot)
    await pilot.press("w")
    await pilot.pause()
    view.focus()
    await pilot.pause()
    return view


@pytest.mark.parametrize("key", ["j", "down", "pagedown", "ctrl+f"])
async def test_a_long_story_reads_to_its_last_line_before_the_first_comment(make_app, key):
    app = make_app(LESS_SLOW)
    async with app.run_test(size=NARROW) as pilot:
        view = await narrow_reader(pilot)
        assert view.cursor == LESS_SLOW
        last = words_of(LESS_SLOW, LESS_SLOW_ITEMS)[-6:]
        assert not in_order(last, shown(view))  # the post is taller than the pane
        presses = await read_until(pilot, view, key, LESS_SLOW, last)
        assert presses > 1
        # Its end is in view: the next press goes on to the first comment.
        await pilot.press(key)
        assert view.cursor == view.thread.children(LESS_SLOW)[0]


async def test_paging_down_a_long_story_skips_none_of_its_lines(make_app):
    app = make_app(LESS_SLOW)
    async with app.run_test(size=NARROW) as pilot:
        view = await narrow_reader(pilot)
        layout = view.comment_layout
        seen: set[int] = set()
        height = view.scrollable_content_region.height
        while view.cursor == LESS_SLOW:
            top = round(view.scroll_y)
            seen.update(range(top, top + height))
            await pilot.press("pagedown")
        assert set(range(layout.height(LESS_SLOW) - 1)) <= seen


@pytest.mark.parametrize("key", ["k", "pageup"])
async def test_k_and_page_up_read_a_long_story_back_to_its_title(make_app, key):
    app = make_app(LESS_SLOW)
    async with app.run_test(size=NARROW) as pilot:
        view = await narrow_reader(pilot)
        view.jump(view.thread.children(LESS_SLOW)[0])
        await pilot.pause()
        await pilot.press(key)  # back onto the story: its end shows, next to where we were
        assert view.cursor == LESS_SLOW
        assert in_order(words_of(LESS_SLOW, LESS_SLOW_ITEMS)[-6:], shown(view))
        presses = 0
        while view.scroll_y > 0 and presses < PRESSES:
            await pilot.press(key)
            presses += 1
            assert view.cursor == LESS_SLOW
        assert presses > 1 and view.scroll_y == 0
        assert "Less Slow C++" in shown(view)


async def test_g_and_G_still_jump_to_the_ends(make_app):
    app = make_app(LESS_SLOW)
    async with app.run_test(size=NARROW) as pilot:
        view = await narrow_reader(pilot)
        await pilot.press("G")
        assert view.cursor == view.comment_layout.rows[-1]
        await pilot.press("g")
        assert view.cursor == LESS_SLOW and view.scroll_y == 0


@pytest.fixture(scope="module")
def biden_cache(tmp_path_factory) -> Path:
    """A cache holding the whole Biden thread, made once: each test reads a copy offline."""
    folder = tmp_path_factory.mktemp("biden-cache")
    cache = Cache(folder)
    cache.put_items(BIDEN_ITEMS.values(), BIDEN)
    cache.set_thread_refreshed(BIDEN)
    cache.close()
    return folder


@pytest.mark.parametrize("key", ["j", "pagedown"])
async def test_the_longest_biden_comment_reads_to_its_last_line(biden_cache, tmp_path, key):
    folder = tmp_path / "cache"
    shutil.copytree(biden_cache, folder)
    app = HNApp(Config(cache_dir=folder, offline=True, item=BIDEN))
    async with app.run_test(size=NARROW) as pilot:
        view = await narrow_reader(pilot)
        view.jump(LONGEST)
        await pilot.pause()
        words = words_of(LONGEST, BIDEN_ITEMS)
        assert not in_order(words[-6:], shown(view))
        await read_until(pilot, view, key, LONGEST, words[-6:])
        # and back up with k to its header, never leaving it on the way
        top = view.comment_layout.top(LONGEST)
        for _ in range(PRESSES):
            if view.scroll_y <= top:
                break
            await pilot.press("k")
            assert view.cursor == LONGEST
        assert view.scroll_y == top  # its header is the first line shown
        assert in_order([BIDEN_ITEMS[LONGEST].by, *words[:6]], shown(view))


async def test_the_offline_note_under_a_long_story_can_be_reached(tmp_path):
    """Only the story is cached: the note under it says the comments are not, and j gets
    there."""
    folder = tmp_path / "cache"
    cache = Cache(folder)
    cache.put_items([LESS_SLOW_ITEMS[LESS_SLOW]], LESS_SLOW)
    cache.close()
    app = HNApp(Config(cache_dir=folder, offline=True, item=LESS_SLOW))
    async with app.run_test(size=NARROW) as pilot:
        view = await narrow_reader(pilot)
        note = "88 comments not in the cache"
        assert note not in shown(view)
        for _ in range(PRESSES):
            if note in shown(view):
                break
            await pilot.press("j")
        assert note in shown(view)
        assert view.cursor == LESS_SLOW


async def test_help_says_how_the_moves_read_a_tall_item(make_app):
    app = make_app(LESS_SLOW)
    async with app.run_test(size=(140, 45)) as pilot:
        await narrow_reader(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        console = Console(file=io.StringIO(), width=200, color_system=None)
        console.print(app.screen.query_one("#help-table").content)
        help_text = " ".join(console.file.getvalue().split())
        moves = ("cursor_down", "cursor_up", "page_next", "page_previous")
        ids = {f"comments.{move}" for move in moves}
        bindings = [b for b in CommentView.BINDINGS if b.id in ids]
        assert len(bindings) == len(moves)
        for binding in bindings:
            assert "taller than the pane" in binding.tooltip
            assert f"{binding.description}: {binding.tooltip}" in help_text


async def test_folding_while_inside_a_long_story_keeps_the_place(make_app):
    app = make_app(LESS_SLOW)
    async with app.run_test(size=NARROW) as pilot:
        view = await narrow_reader(pilot)
        await pilot.press("j", "j", "j", "j")
        place = view.scroll_y
        assert place > 0 and view.cursor == LESS_SLOW
        await pilot.press("z")  # every top-level comment folded, below the story
        assert view.thread.is_collapsed(view.thread.children(LESS_SLOW)[0])
        assert view.scroll_y == place and view.cursor == LESS_SLOW
