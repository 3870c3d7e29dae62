"""Walking reply chains by keyboard and mouse on the 17-level IBM thread."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from hnterm.config import Config
from hnterm.storage.cache import Cache
from hnterm.ui.app import HNApp
from hnterm.ui.screens.pick import PickScreen
from hnterm.ui.widgets.comment_view import CommentView
from hnterm.ui.widgets.status_line import StatusLine
from rich.console import Console

from tests.data import IBM, fixture_items
from tests.ui.conftest import wait_loaded, wait_until

SIZE = (140, 45)
ITEMS = fixture_items("unlurker-43727727-ibm-rto")


def depth_of(item_id: int) -> int:
    depth = 0
    while ITEMS[item_id].parent in ITEMS:
        depth += 1
        item_id = ITEMS[item_id].parent
    return depth


DEEPEST = max((i for i in ITEMS.values() if i.type == "comment"), key=lambda i: depth_of(i.id))


@pytest.fixture(scope="session")
def ibm_cache(tmp_path_factory) -> Path:
    """A cache holding the whole IBM thread, made once: each test reads a copy offline, so
    walking the thread never waits on sockets."""
    folder = tmp_path_factory.mktemp("ibm-cache")
    cache = Cache(folder)
    cache.put_items(ITEMS.values(), IBM)
    cache.set_thread_refreshed(IBM)
    cache.close()
    return folder


@pytest.fixture
async def reader(ibm_cache, tmp_path):
    """The app with the IBM thread open (from the cache, offline) and the comments focused."""
    folder = tmp_path / "cache"
    shutil.copytree(ibm_cache, folder)
    app = HNApp(Config(cache_dir=folder, offline=True, item=IBM))
    async with app.run_test(size=SIZE) as pilot:
        view = app.screen.query_one(CommentView)
        await wait_until(pilot, lambda: view.thread is not None and len(view.thread) > 300, "IBM")
        await wait_loaded(pilot)
        yield app, pilot, view


async def test_next_previous_sibling_parent_and_first_reply(reader):
    app, pilot, view = reader
    thread = view.thread
    tops = thread.children(IBM)
    await pilot.press("j")
    assert view.cursor == tops[0]
    await pilot.press("J")
    assert view.cursor == tops[1]
    await pilot.press("K")
    assert view.cursor == tops[0]
    await pilot.press("l")
    assert view.cursor == thread.children(tops[0])[0]
    await pilot.press("l", "l")
    chain_end = view.cursor
    assert thread.depth_of[chain_end] == 4
    await pilot.press("h")
    assert view.cursor == thread.parent_of[chain_end]
    await pilot.press("k")
    assert view.cursor == thread.rows()[thread.rows().index(thread.parent_of[chain_end]) - 1]


async def test_top_level_first_last_and_pages(reader):
    app, pilot, view = reader
    thread = view.thread
    tops = thread.children(IBM)
    await pilot.press("right_square_bracket")
    assert view.cursor == tops[0]
    await pilot.press("l", "l", "right_square_bracket")
    assert view.cursor == tops[1]
    await pilot.press("l", "left_square_bracket")
    assert view.cursor == tops[1]
    await pilot.press("left_square_bracket")
    assert view.cursor == tops[0]
    await pilot.press("G")
    assert view.cursor == thread.rows()[-1]
    await pilot.press("g")
    assert view.cursor == IBM
    await pilot.press("pagedown")
    first_page = thread.rows().index(view.cursor)
    assert first_page > 1
    await pilot.press("pagedown")
    assert thread.rows().index(view.cursor) > first_page
    await pilot.press("pageup", "pageup")
    assert view.cursor == IBM


async def test_focused_comment_is_always_on_screen(reader):
    app, pilot, view = reader
    height = view.scrollable_content_region.height
    for _ in range(60):
        await pilot.press("j")
        first, end = view.comment_layout.span(view.cursor)
        if end - first <= height:
            assert view.scroll_y <= first and end <= view.scroll_y + height  # all of it
        else:  # taller than the pane: j scrolls within it, some of it always shown
            assert first < view.scroll_y + height and end > view.scroll_y


async def test_collapse_siblings_all_depth_and_close_thread(reader):
    app, pilot, view = reader
    thread = view.thread
    tops = thread.children(IBM)
    with_replies = [t for t in tops if thread.children(t)]
    await pilot.press("j", "c")
    assert all(thread.is_collapsed(t) for t in with_replies)
    assert thread.rows() == [IBM, *tops]
    await pilot.press("Z")
    assert not thread.collapsed
    await pilot.press("l", "d")
    assert all(thread.depth_of[i] <= 2 for i in thread.rows())
    await pilot.press("Z", "g", "j", "x")
    assert thread.is_collapsed(tops[0])
    assert view.cursor == tops[1]
    await pilot.press("z")
    assert thread.rows() == [IBM, *tops]
    await pilot.press("Z")
    assert len(thread.rows()) == len(thread) + 1


async def test_replies_list_jumps_to_a_reply(reader):
    app, pilot, view = reader
    thread = view.thread
    parent = next(i for i in thread.order() if len(thread.children(i)) >= 3 and i != IBM)
    view.jump(parent)
    await pilot.press("R")
    await pilot.pause()
    assert isinstance(app.screen, PickScreen)
    assert app.screen.title_text.startswith("replies(")
    assert f">>{thread.children(parent)[0]}" in app.screen.title_text
    await pilot.press("2")
    await pilot.pause()
    assert view.cursor == thread.children(parent)[1]


async def test_focus_subthread_then_leave_and_history(reader):
    app, pilot, view = reader
    thread = view.thread
    tops = thread.children(IBM)
    await pilot.press("j", "f")
    assert view.scope == tops[0]
    assert view.comment_layout.rows == thread.rows(tops[0])
    await pilot.press("G")
    assert view.cursor == thread.rows(tops[0])[-1]
    await pilot.press("u")
    assert view.scope is None
    assert view.cursor == thread.rows(tops[0])[-1]
    await pilot.press("g", "right_square_bracket", "right_square_bracket")
    assert view.cursor == tops[1]
    await pilot.press("b")
    assert view.cursor == tops[0]
    await pilot.press("B")
    assert view.cursor == tops[1]


async def test_search_opens_a_collapsed_match_and_highlights_it(reader):
    app, pilot, view = reader
    thread = view.thread
    await pilot.press("z")
    assert DEEPEST.id not in thread.rows()
    # Search for a word that appears only in the deepest comment.
    text = ITEMS[DEEPEST.id].text or ""
    word = next(
        w
        for w in sorted(set(text.lower().split()), key=len, reverse=True)
        if w.isalpha() and sum(w in (i.text or "").lower() for i in ITEMS.values()) == 1
    )
    await pilot.press("slash")
    await pilot.press(*word)
    await pilot.press("enter")
    await pilot.pause()
    assert view.cursor == DEEPEST.id
    assert DEEPEST.id in thread.rows()
    assert view.matches == [DEEPEST.id]
    assert word in view.comment_layout.highlight.words
    assert "match 1 of 1" in app.screen.query_one(StatusLine).message
    await pilot.press("g", "n")
    assert view.cursor == DEEPEST.id


async def test_search_by_author_steps_through_matches(reader):
    app, pilot, view = reader
    thread = view.thread
    author = thread.items[thread.children(IBM)[0]].by
    expected = [i for i in thread.order() if thread.items[i].by == author and i != IBM]
    assert view.search(f"by:{author}") == len(expected)
    assert view.cursor == expected[0]
    if len(expected) > 1:
        await pilot.press("n")
        assert view.cursor == expected[1]
        await pilot.press("N")
        assert view.cursor == expected[0]


async def test_links_are_numbered_and_open_by_number(reader, monkeypatch):
    app, pilot, view = reader
    opened = []
    monkeypatch.setenv("BROWSER", "true")  # a browser exists; open_url records the call
    monkeypatch.setattr(app, "open_url", lambda url, new_tab=True: opened.append(url))
    thread = view.thread
    linked = next(i for i in thread.order() if i != IBM and "<a href" in (ITEMS[i].text or ""))
    view.jump(linked)
    await pilot.pause()
    plain = "".join(line.plain for line in view.comment_layout.body_lines(linked))
    assert "[1]" in plain
    await pilot.press("o")
    await pilot.pause()
    assert isinstance(app.screen, PickScreen)
    url = app.screen.choices[0][0]
    await pilot.press("1")
    await pilot.pause()
    assert opened == [url] and url.startswith("http")


async def test_copy_link_and_text(reader):
    app, pilot, view = reader
    await pilot.press("j", "y")
    assert app.clipboard == f"https://news.ycombinator.com/item?id={view.cursor}"
    await pilot.press("Y")
    assert app.clipboard and app.clipboard in _plain(view)


async def test_click_focuses_and_marker_toggles(reader):
    app, pilot, view = reader
    thread = view.thread
    first = thread.children(IBM)[0]
    row_y = view.comment_layout.top(first) - round(view.scroll_y)
    await pilot.click(CommentView, offset=(30, row_y + 1))
    assert view.cursor == first
    assert not thread.is_collapsed(first)
    await pilot.click(CommentView, offset=(3, row_y + 1))
    assert thread.is_collapsed(first)


async def test_help_lists_every_comment_key(reader):
    app, pilot, view = reader
    await pilot.press("question_mark")
    await pilot.pause()
    console = Console(file=io.StringIO(), width=200, color_system=None)
    console.print(app.screen.query_one("#help-table").content)
    shown = console.file.getvalue()
    for binding in CommentView.BINDINGS:
        assert binding.description in shown


def test_no_key_is_bound_twice_in_one_place():
    keys = [k.strip() for b in CommentView.BINDINGS for k in b.key.split(",")]
    assert len(keys) == len(set(keys))


def _plain(view: CommentView) -> str:
    from hnterm.render.text import html_to_plain

    return html_to_plain(view.thread.items[view.cursor].text)
