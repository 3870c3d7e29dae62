"""Snapshot tests: what the reader sees, pixel for pixel (pytest --snapshot-update accepts)."""

from __future__ import annotations

from tests.data import BIDEN, IBM
from tests.ui.conftest import wait_loaded

SIZE = (130, 40)


async def loaded(pilot) -> None:
    """Wait for every load, so the snapshot does not depend on timing."""
    await wait_loaded(pilot)


def pressed(*keys: str):
    """Wait for every load, press ``keys``, and wait for what they started (heights the
    pane measures between frames, say), so the snapshot does not depend on timing."""

    async def run_before(pilot) -> None:
        await wait_loaded(pilot)
        await pilot.press(*keys)
        await wait_loaded(pilot)

    return run_before


def test_thread_view_on_a_deep_thread(snap_compare, make_app, fake_hn):
    fake_hn.lists["topstories"] = [BIDEN, IBM]
    app = make_app(IBM)
    assert snap_compare(app, terminal_size=SIZE, run_before=pressed("j", "J", "l"))


def test_collapsed_top_level_comments(snap_compare, make_app, fake_hn):
    fake_hn.lists["topstories"] = [BIDEN, IBM]
    app = make_app(BIDEN)
    # J, not j: the first comment (dang's pinned note) is taller than the pane, and j
    # reads on within it before going to the next one (issue 23, item 1).
    assert snap_compare(app, terminal_size=SIZE, run_before=pressed("z", "j", "J"))


def test_help_screen(snap_compare, make_app, fake_hn):
    fake_hn.lists["topstories"] = [IBM]
    app = make_app()
    assert snap_compare(app, terminal_size=SIZE, run_before=loaded, press=["question_mark"])


IBM_DEEPEST = 43732616  # 17 levels down


async def at_the_deepest_comment(pilot) -> None:
    """The IBM thread loaded, the cursor on its deepest comment (a jump, not a deep link)."""
    from hnterm.ui.widgets.comment_view import CommentView

    await wait_loaded(pilot)
    pilot.app.screen.query_one(CommentView).jump(IBM_DEEPEST)
    await pilot.pause()


def test_context_view_of_the_deepest_comment(snap_compare, make_app, fake_hn):
    fake_hn.lists["topstories"] = [BIDEN, IBM]
    app = make_app(IBM)
    assert snap_compare(app, terminal_size=SIZE, run_before=at_the_deepest_comment, press=["a"])


# The two below hide the story list (w) first: they are about the comment pane alone.
def test_inline_reply_links(snap_compare, make_app, fake_hn):
    fake_hn.lists["topstories"] = [BIDEN, IBM]
    app = make_app(IBM)
    keys = pressed("w", "j", "J", "i")
    assert snap_compare(app, terminal_size=SIZE, run_before=keys)


def test_deep_link_lands_in_context_at_80x24(snap_compare, make_app, fake_hn):
    fake_hn.lists["topstories"] = [BIDEN, IBM]
    app = make_app(IBM_DEEPEST)
    assert snap_compare(app, terminal_size=(80, 24), run_before=pressed("w"))
