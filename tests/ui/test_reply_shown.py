"""A posted reply shows in the thread (issue 23, item 6): at once, marked ``(you)``, under its
parent with the cursor on it; it takes HN's id when HN answers, and when the API brings it (a
reload or the live poll) it is one row, not two. The real app against the fake API and the fake
HN web site (tests/fakeweb), logged in as alice."""

from __future__ import annotations

import threading

from hnterm.config import Config
from hnterm.ui.app import HNApp
from hnterm.ui.widgets.comment_view import CommentView

from tests.data import IBM
from tests.fakehn import FakeHN
from tests.fakeweb import FakeWeb
from tests.ui.conftest import wait_loaded, wait_until
from tests.ui.test_account import first_comment, logged_in, reply_dialog, status, web

__all__ = ["web"]  # the fixture, shared with test_account

TEXT = "Shown at once, before HN answers."


def build(fake_hn: FakeHN, tmp_path, **settings: object) -> HNApp:
    config = Config(api_url=fake_hn.url, cache_dir=tmp_path / "cache", item=IBM)
    return HNApp(Config(**{**config.__dict__, **settings}))


def drawn(view: CommentView) -> list[str]:
    """The comment pane's lines as drawn on the terminal."""
    return ["".join(s.text for s in view.render_line(y)) for y in range(view.size.height)]


def yours(view: CommentView, parent: int) -> list[int]:
    """The replies under ``parent`` marked yours."""
    return [kid for kid in view.thread.children(parent) if kid in view.thread.mine]


def api_gets(fake_hn: FakeHN, web: FakeWeb, reply_id: int, parent: int) -> None:
    """HN's API lists the reply the web site took: the item, and its parent's kids."""
    posted = next(
        c for thread in [*web.state.threads.values(), web.state.posted] for c in thread
        if c.id == reply_id
    )  # fmt: skip
    fake_hn.items[reply_id] = {
        "id": reply_id,
        "type": "comment",
        "by": posted.by,
        "parent": parent,
        "text": posted.text,
        "time": 1_745_020_000,
    }
    fake_hn.items[parent]["kids"] = [*fake_hn.items[parent].get("kids", []), reply_id]


async def test_a_reply_shows_at_once_takes_its_id_and_stays_one_row(fake_hn, web, tmp_path):
    logged_in(tmp_path)
    web.state.hold_replies = hold = threading.Event()  # HN takes its time to answer
    app = build(fake_hn, tmp_path, live=False)
    async with app.run_test(size=(120, 40)) as pilot:
        view = app.screen.query_one(CommentView)
        target = await first_comment(pilot)
        comments = len(view.thread)
        (await reply_dialog(pilot)).insert(TEXT)
        await pilot.press("ctrl+s")
        # At once: under its parent, marked (you), the cursor on it, before HN has it.
        await wait_until(pilot, lambda: yours(view, target), "the reply shown")
        (shown,) = yours(view, target)
        assert view.cursor == shown and view.thread.parent_of[shown] == target
        assert all(c.text != TEXT for c in web.state.threads[IBM])  # HN has not taken it
        assert any("alice" in line and "(you)" in line for line in drawn(view))
        hold.set()
        await wait_until(pilot, lambda: yours(view, target) != [shown], "HN's answer")
        (posted,) = yours(view, target)
        assert posted == web.state.threads[IBM][-1].id  # HN's id, in the same place
        assert view.cursor == posted and shown not in view.thread.items
        assert len(view.thread) == comments + 1

        # A reload before the API lists it keeps the reply (the parent comes back without it).
        await pilot.press("r")
        await wait_loaded(pilot)
        assert yours(view, target) == [posted] and len(view.thread) == comments + 1

        # The API has it now: a reload brings the real item, one row.
        api_gets(fake_hn, web, posted, target)
        await pilot.press("r")
        await wait_loaded(pilot)
        assert view.thread.children(target).count(posted) == 1
        assert yours(view, target) == [posted] and len(view.thread) == comments + 1
        assert sum("(you)" in line for line in drawn(view)) == 1


async def test_a_reply_hn_gives_no_id_for_becomes_the_one_the_live_poll_brings(
    fake_hn, web, tmp_path
):
    logged_in(tmp_path)
    web.state.pages_lag = True  # the parent's page does not show the reply yet: no id
    app = build(fake_hn, tmp_path, live_interval=0.1)
    async with app.run_test(size=(120, 40)) as pilot:
        view = app.screen.query_one(CommentView)
        target = await first_comment(pilot)
        comments = len(view.thread)
        (await reply_dialog(pilot)).insert(TEXT)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: web.state.posted, "HN to take the reply")
        await wait_until(pilot, lambda: "Reply posted on HN" in status(app), "HN's answer")
        assert status(app) == "Reply posted on HN; shown as (you) until the API lists it"
        (shown,) = yours(view, target)  # still shown, without an id
        assert view.cursor == shown
        await pilot.press("v")  # nothing on HN to vote on yet
        assert status(app) == "Your reply has no HN id yet: it gets one once HN lists it"

        (reply,) = web.state.posted
        api_gets(fake_hn, web, reply.id, target)
        fake_hn.updated_items = [target]  # updates.json: the parent changed
        await wait_until(pilot, lambda: reply.id in view.thread, "the live poll")
        assert yours(view, target) == [reply.id]  # became the real item: one row
        assert shown not in view.thread.items and view.cursor == reply.id
        assert len(view.thread) == comments + 1
        assert "+1 new" not in status(app)  # your own reply is not news


async def test_a_refused_reply_leaves_no_row_and_the_cursor_on_its_parent(fake_hn, web, tmp_path):
    logged_in(tmp_path)
    web.state.refusal = "You're posting too fast. Please slow down. Thanks."
    app = build(fake_hn, tmp_path, live=False)
    async with app.run_test(size=(120, 40)) as pilot:
        view = app.screen.query_one(CommentView)
        target = await first_comment(pilot)
        comments = len(view.thread)
        (await reply_dialog(pilot)).insert("Too fast")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: "posting too fast" in status(app), "the refusal")
        assert yours(view, target) == [] and not view.thread.mine
        assert len(view.thread) == comments and view.cursor == target
