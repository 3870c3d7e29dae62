"""A hostile API server through the whole app (issue 12): an answer that trickles and ids out
of range never freeze or kill it."""

from __future__ import annotations

import time
from pathlib import Path

from hnterm.config import Config
from hnterm.net.client import HNClient
from hnterm.services.gateway import Gateway
from hnterm.ui.app import HNApp
from hnterm.ui.widgets.comment_view import CommentView
from hnterm.ui.widgets.status_line import StatusLine

from tests.data import IBM, fixture_items, subtree
from tests.fakehn import FakeHN
from tests.hostile import HUGE_ID, HUGE_ROOT, huge_id_thread
from tests.ui.conftest import wait_loaded, wait_until

SIZE = (120, 40)
IBM_ITEMS = fixture_items("unlurker-43727727-ibm-rto")


async def test_keys_are_answered_while_a_request_trickles(fake_hn: FakeHN, tmp_path: Path):
    """A reply whose answer trickles a byte every 50 ms holds its request open until the
    2 s deadline; meanwhile every key moves the reader on. Then the load ends without that
    reply, named in the status line with the retry key."""
    slow = IBM_ITEMS[IBM].kids[0]
    fake_hn.fault("trickle", ids=[slow], interval=0.05)
    client = HNClient(fake_hn.url, deadline=2.0, retries=0)
    config = Config(api_url=fake_hn.url, cache_dir=tmp_path, item=IBM)
    app = HNApp(config, gateway=Gateway(config, client=client))
    async with app.run_test(size=SIZE) as pilot:
        view = app.screen.query_one(CommentView)
        status = app.screen.query_one(StatusLine)
        await wait_until(
            pilot,
            lambda: fake_hn.trickling and view.thread and len(view.thread.rows()) > 50,
            "the thread to load around the trickling reply",
        )
        started = time.monotonic()
        moved = []
        for _ in range(10):  # j goes to the next row, or on within a row taller than the pane
            before = (view.cursor, view.scroll_y)
            await pilot.press("j")
            moved.append((view.cursor, view.scroll_y) != before)
        assert all(moved)
        assert fake_hn.trickling == 1  # all answered while the request was still open
        assert time.monotonic() - started < 1.5
        await wait_loaded(pilot)
        assert slow not in view.thread
        assert len(view.thread) == len(IBM_ITEMS) - 1 - len(subtree(IBM_ITEMS, slow))
        assert status.error and "could not be loaded" in status.message
        assert "r retries" in status.message
        assert "could not be loaded" in str(status.render())  # on screen, not only kept


async def test_a_huge_kid_id_loads_the_rest_of_the_thread(tmp_path: Path):
    """A kid of 2**63+5 is dropped like any bad field (before: a traceback as it loaded)."""
    with FakeHN(huge_id_thread()) as server:
        app = HNApp(Config(api_url=server.url, cache_dir=tmp_path, item=HUGE_ROOT))
        async with app.run_test(size=SIZE) as pilot:
            await wait_loaded(pilot)
            view = app.screen.query_one(CommentView)
            assert view.thread.rows() == [HUGE_ROOT, HUGE_ROOT + 1]
            assert HUGE_ID not in view.thread
            assert not app.screen.query_one(StatusLine).error
            assert app.gateway.worker.problem is None
            main = app.screen
            await pilot.press("j")
            assert view.cursor == HUGE_ROOT + 1
            await pilot.press("a")  # the context view of the reply, and back
            await wait_until(pilot, lambda: app.screen is not main, "the context view")
            await pilot.press("escape")
            await wait_until(pilot, lambda: app.screen is main, "the thread again")
            assert view.cursor == HUGE_ROOT + 1
        assert f"/v0/item/{HUGE_ID}.json" not in server.request_log
