"""Where am I, in context and in focus (issue 23, item 5), on the 17-level IBM thread.

A deep link's note counts every ancestor of the comment, not only those on screen; the
"In context" title follows the cursor up and down the chain; a focused subthread's title
and status line count the subthread (its comments below, named apart from the header's
direct "replies"), not the whole thread; and ``j`` at the end of the context view's chain
says why nothing moved.
"""

from __future__ import annotations

from hnterm.ui.screens.context import ContextScreen
from hnterm.ui.widgets.comment_view import CommentView
from hnterm.ui.widgets.status_line import StatusLine

from tests.data import IBM
from tests.ui.conftest import notices, wait_loaded, wait_until

SIZE = (120, 40)
NARROW = (80, 24)
IBM_DEEPEST = 43732616  # depth 17, by wredcoll
SMALL_SUBTHREAD = 43728459  # depth 2: 2 direct replies, 3 comments below it in all


async def landed(pilot, target: int) -> CommentView:
    view = pilot.app.screen.query_one(CommentView)
    await wait_until(pilot, lambda: view.cursor == target, "the deep comment")
    await wait_loaded(pilot)
    return view


def status(app) -> str:
    return app.screen.query_one(StatusLine).message


async def test_a_deep_links_note_counts_every_ancestor_on_a_small_screen(make_app):
    app = make_app(IBM_DEEPEST)
    async with app.run_test(size=NARROW) as pilot:
        view = await landed(pilot, IBM_DEEPEST)
        note = "depth 17 of 17 · 16 ancestors above"
        assert view.context_note(IBM_DEEPEST) == note
        assert status(app).startswith(note)  # not "1 ancestor above": only one fits


async def test_the_context_title_follows_the_cursor_up_and_down_the_chain(make_app):
    app = make_app(IBM_DEEPEST)
    async with app.run_test(size=NARROW) as pilot:
        view = await landed(pilot, IBM_DEEPEST)
        thread = view.thread
        assert view.border_title.startswith("In context: wredcoll, depth 17 of 17")
        for depth in range(16, 1, -1):
            await pilot.press("h")  # up to the parent, still in context
            author = thread.items[view.cursor].by
            assert view.scope == IBM_DEEPEST and thread.depth_of[view.cursor] == depth
            assert view.border_title.startswith(f"In context: {author}, depth {depth} of 17")
        await pilot.press("g")  # the story, at the top of the chain
        assert view.cursor == IBM
        assert view.border_title.startswith("In context: the story, depth 0 of 17")
        await pilot.press("G")
        assert view.border_title.startswith("In context: wredcoll, depth 17 of 17")


async def test_a_focused_subthread_counts_its_own_comments(make_app):
    app = make_app(IBM)
    async with app.run_test(size=SIZE) as pilot:
        view = app.screen.query_one(CommentView)
        await wait_loaded(pilot)
        view.jump(SMALL_SUBTHREAD)
        await pilot.pause()
        thread = view.thread
        header = view.comment_layout.header_text(SMALL_SUBTHREAD).plain
        assert "2 replies" in header  # the header counts direct replies
        await pilot.press("f")
        author = thread.items[SMALL_SUBTHREAD].by
        title = view.border_title
        assert title.startswith(f"Subthread of {author} · 3 comments below it · ")
        assert "1 ancestor above" in title and "replies" not in title
        # The status line speaks of the subthread: its top, then each comment of it.
        assert status(app).startswith("Comment 1 of 4 in the subthread · depth 2")
        assert "352" not in status(app)
        await pilot.press("j")
        assert status(app).startswith("Comment 2 of 4 in the subthread · depth 3")
        await pilot.press("g")  # the ancestor line above it
        assert view.comment_layout.in_chain(view.cursor)
        assert status(app).startswith("Above the subthread · depth 1")
        await pilot.press("u")  # back to the whole thread and its numbers
        assert view.border_title is None
        assert status(app).startswith(f"Comment {thread.rows().index(view.cursor)} of 352")


async def test_j_at_the_end_of_the_context_chain_says_so(make_app):
    app = make_app(IBM)
    async with app.run_test(size=SIZE) as pilot:
        view = app.screen.query_one(CommentView)
        await wait_loaded(pilot)
        view.jump(SMALL_SUBTHREAD)
        await pilot.pause()
        await pilot.press("a")
        await wait_until(pilot, lambda: isinstance(app.screen, ContextScreen), "context view")
        await pilot.pause()
        screen = app.screen
        assert screen.current.item_id == SMALL_SUBTHREAD  # the chosen comment, at the end
        await pilot.press("j")
        await pilot.pause()
        assert screen.current.item_id == SMALL_SUBTHREAD
        assert notices(app)[-1] == (
            "End of the chain: enter opens it in the thread, > then n a reply"
        )
        await pilot.press("g", "k")
        await pilot.pause()
        assert screen.current.item_id == IBM
        assert notices(app)[-1] == "Top of the chain: the story"
