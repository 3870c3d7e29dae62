"""Reading reply chains (issue 14) on real deep threads: the context view, inline reply links
with history, deep links that land in context, and a focused subthread under its ancestors.

The issue names the Chollet thread (42131164); no copy of it exists in the shared data, so
these run on the two deepest real threads we have: IBM (17 levels) and Speed (11 levels, whose
chains pass long runs of earlier siblings: a parent can be 90 rows above its reply).
"""

from __future__ import annotations

from itertools import pairwise

import pytest
from hnterm.model.thread import Thread
from hnterm.render.text import html_to_plain
from hnterm.services.settings import INLINE_REPLIES
from hnterm.storage.cache import Cache
from hnterm.ui.screens.context import ChainEntry, ContextScreen
from hnterm.ui.widgets.comment_view import CommentView
from hnterm.ui.widgets.status_line import StatusLine
from textual.containers import VerticalScroll

from tests.data import IBM, SPEED, fixture_items
from tests.ui.conftest import in_order, wait_loaded, wait_until

SIZE = (120, 40)
NARROW = (80, 24)
IBM_DEEPEST = 43732616  # depth 17
FIXTURES = {
    IBM: "unlurker-43727727-ibm-rto",
    SPEED: "circumflex-26312516-speed-is-the-killer-feature",
}


def model(root: int) -> Thread:
    """The fixture thread, placed by the pure model (what the app should show)."""
    thread = Thread(root)
    thread.add(fixture_items(FIXTURES[root]).values())
    return thread


def deepest(root: int) -> int:
    thread = model(root)
    return max(thread.depth_of, key=thread.depth_of.__getitem__)


SPEED_DEEPEST = deepest(SPEED)
CASES = [(IBM, IBM_DEEPEST), (SPEED, SPEED_DEEPEST)]


def screen_lines(view: CommentView) -> list[str]:
    """What the comment pane draws right now, line by line."""
    return [view.render_line(y).text for y in range(view.scrollable_content_region.height)]


async def open_thread(pilot, view: CommentView, target: int) -> None:
    """Wait for the whole thread, then put the cursor on ``target`` the way a reader would."""
    await wait_loaded(pilot)
    view.jump(target)
    await pilot.pause()
    assert view.cursor == target


async def open_context(pilot) -> None:
    """``a``: the context view of the comment under the cursor."""
    await pilot.press("a")
    app = pilot.app
    await wait_until(pilot, lambda: isinstance(app.screen, ContextScreen), "the context view")


# -- the context view ---------------------------------------------------------------------
@pytest.mark.parametrize(("root", "target"), CASES)
async def test_context_view_of_the_deepest_comment_holds_every_ancestor_in_full(
    make_app, root, target
):
    app = make_app(root)
    async with app.run_test(size=SIZE) as pilot:
        view = app.screen.query_one(CommentView)
        await open_thread(pilot, view, target)
        await open_context(pilot)
        screen = app.screen
        entries = list(screen.query(ChainEntry))
        thread = view.thread
        chain = [*thread.ancestors(target), target]
        assert [e.item_id for e in entries] == chain
        assert len(chain) == thread.depth_of[target] + 1
        assert thread.items[root].title in entries[0].text.plain
        for depth, entry in enumerate(entries[1:], start=1):
            item = thread.items[entry.item_id]
            plain = entry.text.plain
            assert plain.startswith(f"{{{depth}}} {item.by}")
            assert f"#{item.id}" in plain
            # the whole text, not an excerpt: every word, in order
            assert in_order(html_to_plain(item.text).split(), plain), item.id
            if entry.item_id != target:  # its replies line leads to the next of the chain
                replies = thread.children(entry.item_id)
                assert f"replies({len(replies)}): " in plain
                assert f">>{chain[depth + 1]}" in plain
        chosen = [e for e in entries if e.has_class("-chosen")]
        assert [e.item_id for e in chosen] == [target]
        assert "◆ this comment" in chosen[0].text.plain
        assert screen.focused is entries[-1]
        # It opens on the chosen comment with its parent above it, on the first screen.
        scroll = screen.query_one("#context-chain", VerticalScroll)
        assert scroll.max_scroll_y > 0  # a long chain: it scrolls
        await wait_until(pilot, lambda: scroll.scroll_y > 0, "the view to open on the chosen")
        top, bottom = scroll.scroll_y, scroll.scroll_y + scroll.scrollable_content_region.height
        assert top <= entries[-1].virtual_region.y < bottom
        assert entries[-2].virtual_region.bottom > top


async def test_context_view_jumps_into_the_chain_and_b_comes_back(make_app):
    app = make_app(IBM)
    async with app.run_test(size=SIZE) as pilot:
        view = app.screen.query_one(CommentView)
        await open_thread(pilot, view, IBM_DEEPEST)
        chain = view.thread.chain(IBM_DEEPEST)
        scroll_before = view.scroll_y
        await open_context(pilot)
        await pilot.press("escape")  # back, nothing moved
        await wait_until(pilot, lambda: not isinstance(app.screen, ContextScreen), "closing")
        assert view.cursor == IBM_DEEPEST and view.scroll_y == scroll_before
        await open_context(pilot)
        await pilot.press("k", "k", "enter")
        await wait_until(pilot, lambda: view.cursor == chain[-3], "the grandparent")
        assert isinstance(app.screen.query_one(CommentView), CommentView)
        await pilot.press("b")
        assert view.cursor == IBM_DEEPEST and view.scroll_y == scroll_before


async def test_context_view_opens_a_reply_of_a_comment_in_the_chain(make_app):
    app = make_app(IBM)
    async with app.run_test(size=SIZE) as pilot:
        view = app.screen.query_one(CommentView)
        await open_thread(pilot, view, IBM_DEEPEST)
        thread = view.thread
        chain = thread.chain(IBM_DEEPEST)
        # the deepest ancestor with two replies: the chain follows one, ">" 2 opens the other
        fork = next(i for i in reversed(chain[1:]) if len(thread.children(i)) == 2)
        await open_context(pilot)
        await pilot.press(*["k"] * (len(chain) - 1 - chain.index(fork)))
        assert app.screen.focused.item_id == fork
        await pilot.press("greater_than_sign", "2")
        await wait_until(pilot, lambda: view.cursor == thread.children(fork)[1], "the reply")
        await pilot.press("b")
        assert view.cursor == IBM_DEEPEST


async def test_context_view_shows_markup_and_escapes_as_plain_text(make_app, fake_hn):
    parent = fake_hn.items[IBM_DEEPEST]["parent"]
    fake_hn.items[parent]["text"] = "[bold red]not markup[/] \x1b[31mred\x1b[0m [link=x]y[/link]"
    app = make_app(IBM)
    async with app.run_test(size=SIZE) as pilot:
        view = app.screen.query_one(CommentView)
        await open_thread(pilot, view, IBM_DEEPEST)
        await open_context(pilot)
        entry = next(e for e in app.screen.query(ChainEntry) if e.item_id == parent)
        plain = entry.text.plain
        assert "[bold red]not markup[/]" in plain and "[link=x]y[/link]" in plain
        assert "\x1b" not in plain


# -- inline reply links -------------------------------------------------------------------
@pytest.mark.parametrize(("root", "target"), CASES)
async def test_following_reply_links_down_a_chain_and_back_up(make_app, root, target):
    app = make_app(root)
    async with app.run_test(size=SIZE) as pilot:
        view = app.screen.query_one(CommentView)
        await wait_loaded(pilot)
        thread = view.thread
        chain = thread.chain(target)
        await pilot.press("i")
        assert view.inline_replies
        await wait_loaded(pilot)  # every height measured again (the replies lines)
        top = chain[1]
        view.jump(top)
        await pilot.pause()
        # the replies line ends the comment; its header shows the depth and the id
        body = [line.plain for line in view.comment_layout.body_lines(top)]
        ids = " ".join(f">>{i}" for i in thread.children(top))
        assert " ".join(body[-3:]).endswith(ids.split()[-1])
        assert f"replies({len(thread.children(top))}):" in " ".join(body)
        assert f"{{1}} #{top}" in view.comment_layout.header_text(top).plain
        places = []

        def place() -> tuple[int | None, tuple[int, int] | None]:
            return view.cursor, view.comment_layout.anchor(round(view.scroll_y))

        for parent, child in pairwise(chain[1:]):
            places.append(place())
            await pilot.press("greater_than_sign", str(thread.children(parent).index(child) + 1))
            assert view.cursor == child
            row = view.comment_layout.top(child)
            assert view.scroll_y <= row < view.scroll_y + view.scrollable_content_region.height
        assert view.cursor == target
        for where in reversed(places):
            await pilot.press("b")
            assert place() == where
        assert view.cursor == top


async def test_follow_says_so_when_there_is_no_such_reply(make_app):
    app = make_app(IBM)
    async with app.run_test(size=SIZE) as pilot:
        view = app.screen.query_one(CommentView)
        await open_thread(pilot, view, IBM_DEEPEST)
        status = app.screen.query_one(StatusLine)
        await pilot.press("greater_than_sign")
        assert status.message == "No replies to follow"
        parent = view.thread.parent_of[IBM_DEEPEST]
        view.jump(parent)
        await pilot.press("greater_than_sign", "9")
        assert view.cursor == parent
        assert status.message == "No reply 9: this comment has 1"
        await pilot.press("greater_than_sign", "k")  # another key cancels and does its job
        rows = view.comment_layout.rows
        assert view.cursor == rows[rows.index(parent) - 1]


async def test_inline_replies_are_remembered_across_runs(make_app):
    app = make_app(IBM)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        await pilot.press("i")
        await wait_until(pilot, lambda: not app.workers, "the setting to be written")
        assert await app.gateway.worker.run(Cache.setting, INLINE_REPLIES) == "1"
    app = make_app(IBM)
    async with app.run_test(size=SIZE) as pilot:
        view = app.screen.query_one(CommentView)
        await wait_until(pilot, lambda: view.inline_replies, "inline replies restored")
        await wait_loaded(pilot)
        first = view.thread.children(IBM)[0]
        assert any(
            line.plain.startswith("replies(") for line in view.comment_layout.body_lines(first)
        )
        await pilot.press("i")
        assert not view.inline_replies
        assert not any(
            line.plain.startswith("replies(") for line in view.comment_layout.body_lines(first)
        )


# -- deep links ---------------------------------------------------------------------------
@pytest.mark.parametrize("size", [SIZE, NARROW], ids=["120x40", "80x24"])
@pytest.mark.parametrize(("root", "target"), CASES)
async def test_a_deep_link_shows_the_parent_on_the_first_screen(make_app, size, root, target):
    app = make_app(target)
    async with app.run_test(size=size) as pilot:
        view = app.screen.query_one(CommentView)
        await wait_until(pilot, lambda: view.cursor == target, "the deep comment")
        await wait_loaded(pilot)
        thread = view.thread
        parent = thread.parent_of[target]
        shown = "\n".join(screen_lines(view))
        assert (
            view.comment_layout.head_lines(target)[0].plain in shown
        )  # the comment itself, marked
        assert "▌" in shown
        parent_lines = [
            line.plain.strip()
            for line in view.comment_layout.body_lines(parent)
            if line.plain.strip()
        ]
        assert parent_lines[-1] in shown  # its parent's last words, right above it
        depth = thread.depth_of[target]
        assert view.border_title.startswith("In context")
        assert f"depth {depth} of {depth}" in view.border_title
        note = view.context_note(target)
        assert note is not None and note.startswith(f"depth {depth} of {depth} · ")
        assert note.endswith(f" · {depth - 1} ancestors above")  # every one, shown or not
        # u: the whole thread, the cursor kept
        await pilot.press("u")
        assert view.scope is None and view.cursor == target
        assert len(view.comment_layout.rows) == len(thread.rows())


async def test_a_deep_link_arriving_over_a_slow_network_still_lands_in_context(make_app, fake_hn):
    fake_hn.delay = 0.02  # the comment arrives a level at a time, after the story is shown
    app = make_app(IBM_DEEPEST)
    async with app.run_test(size=NARROW) as pilot:
        view = app.screen.query_one(CommentView)
        await wait_until(pilot, lambda: view.cursor == IBM_DEEPEST, "the deep comment", 30)
        await wait_loaded(pilot)
        parent = view.thread.parent_of[IBM_DEEPEST]
        assert view.scope == IBM_DEEPEST
        assert view.comment_layout.body_lines(parent)[-1].plain.strip() in "\n".join(
            screen_lines(view)
        )


# -- a focused subthread keeps its ancestors ------------------------------------------------
async def test_focus_shows_the_chain_folded_one_line_each_and_expandable(make_app):
    app = make_app(IBM)
    async with app.run_test(size=SIZE) as pilot:
        view = app.screen.query_one(CommentView)
        await open_thread(pilot, view, IBM_DEEPEST)
        thread = view.thread
        ancestors = thread.ancestors(IBM_DEEPEST)[1:]  # the comments above; not the story
        await pilot.press("f")
        assert view.scope == IBM_DEEPEST
        assert view.comment_layout.rows[: len(ancestors)] == ancestors
        assert all(view.comment_layout.height(a) == 1 for a in ancestors)
        assert view.border_title and "16 ancestors above" in view.border_title
        first = screen_lines(view)[0]
        assert "{1}" in first and thread.items[ancestors[0]].by in first
        parent = ancestors[-1]
        await pilot.press("k")  # onto the parent's line
        assert view.cursor == parent and view.scope == IBM_DEEPEST
        await pilot.press("space")
        assert view.comment_layout.height(parent) > 3
        shown = " ".join(screen_lines(view))
        assert in_order(html_to_plain(thread.items[parent].text).split()[:12], shown)
        await pilot.press("space")
        assert view.comment_layout.height(parent) == 1
        await pilot.press("h")  # up the chain, still in the subthread
        assert view.cursor == ancestors[-2] and view.scope == IBM_DEEPEST
        await pilot.press("z", "j")  # folding everything keeps the chain's model open
        assert view.cursor in view.comment_layout
        await pilot.press("u")
        assert view.scope is None
