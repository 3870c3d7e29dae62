"""Faults through the whole app: what failed is shown with a retry key, the rest is kept."""

from __future__ import annotations

import sqlite3
import subprocess
import sys

from hnterm.config import Config
from hnterm.services.gateway import Gateway
from hnterm.storage.cache import DB_NAME, Cache
from hnterm.ui.app import HNApp
from hnterm.ui.widgets.comment_view import CommentView
from hnterm.ui.widgets.status_line import StatusLine

from tests.data import IBM, fixture_items, subtree
from tests.fakehn import FakeHN
from tests.ui.conftest import notices, wait_loaded, wait_until

SIZE = (120, 40)
IBM_ITEMS = fixture_items("unlurker-43727727-ibm-rto")


async def test_failed_comments_are_reported_and_retried(make_app, fake_hn):
    bad = IBM_ITEMS[IBM].kids[0]
    fake_hn.fault("500", ids=[bad])
    app = make_app(IBM)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        view = app.screen.query_one(CommentView)
        status = app.screen.query_one(StatusLine)
        assert bad not in view.thread
        assert len(view.thread) == len(IBM_ITEMS) - 1 - len(subtree(IBM_ITEMS, bad))
        assert (
            status.error
            and "could not be loaded" in status.message
            and "r retries" in status.message
        )
        fake_hn.clear_faults()
        await pilot.press("r")
        await wait_loaded(pilot)
        assert bad in view.thread
        assert len(view.thread) == len(IBM_ITEMS) - 1
        assert not status.error


async def test_every_kind_of_bad_answer_at_once(make_app, fake_hn):
    kids = IBM_ITEMS[IBM].kids
    for kind, item_id in zip(["malformed", "null", "cut", "wrongtype", "404"], kids, strict=False):
        fake_hn.fault(kind, ids=[item_id])
    fake_hn.fault("429", ids=[kids[5]], times=1, retry_after=0.1)
    fake_hn.fault("oversize", ids=[kids[6]], size=5_000_000)
    app = make_app(IBM)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        view = app.screen.query_one(CommentView)
        assert kids[5] in view.thread  # 429 then success
        assert kids[3] in view.thread  # wrong types tolerated (its kids are lost)
        for lost in (kids[0], kids[1], kids[2], kids[4], kids[6]):
            assert lost not in view.thread
        status = app.screen.query_one(StatusLine)
        assert status.error and "could not be loaded" in status.message, status.message
        gone = (kids[0], kids[1], kids[2], kids[3], kids[4], kids[6])
        lost = set().union(*(subtree(IBM_ITEMS, k) for k in gone))
        expected = set(IBM_ITEMS) - lost | {kids[3]}
        assert set(view.thread.depth_of) == expected


async def test_cycles_and_missing_kids_from_the_server(tmp_path):
    items = {
        1: {"id": 1, "type": "story", "title": "cyclic", "kids": [2, 404], "descendants": 3},
        2: {"id": 2, "type": "comment", "parent": 1, "kids": [3], "text": "a"},
        3: {"id": 3, "type": "comment", "parent": 2, "kids": [1, 2, 3], "text": "b"},
    }
    with FakeHN(items) as server:
        app = HNApp(Config(api_url=server.url, cache_dir=tmp_path, item=1))
        async with app.run_test(size=SIZE) as pilot:
            await wait_loaded(pilot)
            view = app.screen.query_one(CommentView)
            assert view.thread.rows() == [1, 2, 3]
            main = app.screen
            await pilot.press("G")
            assert view.cursor == 3
            await pilot.press("a")  # the context view of the last comment, and back
            await wait_until(pilot, lambda: app.screen is not main, "the context view")
            await pilot.press("escape")
            await wait_until(pilot, lambda: app.screen is main, "the thread again")
            await pilot.press("z")
            assert view.thread.rows() == [1, 2]
            await pilot.press("Z")
            assert view.thread.rows() == [1, 2, 3]


async def test_unusable_cache_folder_is_reported_and_the_app_works(fake_hn, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    app = HNApp(Config(api_url=fake_hn.url, cache_dir=blocker / "cache", item=IBM))
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        assert app.gateway.worker.problem and "cache unavailable" in app.gateway.worker.problem
        assert len(app.screen.query_one(CommentView).thread) == len(IBM_ITEMS) - 1
        assert any("cache unavailable" in notice for notice in notices(app))


async def test_full_disk_keeps_the_reader_going(fake_hn, tmp_path):
    app = HNApp(Config(api_url=fake_hn.url, cache_dir=tmp_path, item=IBM))

    def fill_the_disk(cache: Cache) -> None:
        """A full disk, as SQLite sees it: no page may be added to the file."""
        pages = cache.db.execute("PRAGMA page_count").fetchone()[0]
        cache.db.execute(f"PRAGMA max_page_count={pages}")

    await app.gateway.worker.run(fill_the_disk)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        assert len(app.screen.query_one(CommentView).thread) == len(IBM_ITEMS) - 1
        assert app.gateway.worker.problem and "full" in app.gateway.worker.problem


async def test_a_locked_database_does_not_stop_reading(fake_hn, tmp_path):
    app = HNApp(Config(api_url=fake_hn.url, cache_dir=tmp_path, item=IBM))
    await app.gateway.worker.run(lambda cache: cache.db.execute("PRAGMA busy_timeout=50"))
    other = sqlite3.connect(tmp_path / DB_NAME, timeout=0)
    other.execute("BEGIN EXCLUSIVE")
    try:
        async with app.run_test(size=SIZE) as pilot:
            await wait_loaded(pilot)
            assert len(app.screen.query_one(CommentView).thread) == len(IBM_ITEMS) - 1
            assert app.gateway.worker.problem
    finally:
        other.rollback()
        other.close()


HOLD_LOCK = """
import sqlite3, sys
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("BEGIN IMMEDIATE")
print("locked", flush=True)
sys.stdin.readline()  # held until the test lets go
db.execute("ROLLBACK")
"""


async def test_another_process_holding_the_lock_never_freezes_the_ui(fake_hn, tmp_path):
    """Keys are answered while a second process holds the write lock; a save made then is
    reported as failed with the reason, and succeeds when retried after the lock is gone."""
    config = Config(api_url=fake_hn.url, cache_dir=tmp_path, item=IBM)
    app = HNApp(config, gateway=Gateway(config, busy_timeout=0.3))
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        view = app.screen.query_one(CommentView)
        status = app.screen.query_one(StatusLine)
        holder = subprocess.Popen(
            [sys.executable, "-c", HOLD_LOCK, str(tmp_path / DB_NAME)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
            await pilot.press("s")
            moved = []
            for _ in range(10):  # read on while the save waits for the lock
                before = view.cursor
                await pilot.press("j")
                moved.append(view.cursor != before)
            assert all(moved) and holder.poll() is None  # answered while still locked
            await wait_until(
                pilot, lambda: any("not saved" in n for n in notices(app)), "a failure"
            )
            failure = next(n for n in notices(app) if "not saved" in n)
            assert "locked by another hnterm" in failure
            assert not await app.gateway.worker.run(Cache.is_saved, IBM)
        finally:
            holder.communicate("\n", timeout=30)  # the lock is let go
        await pilot.press("s")
        await wait_until(pilot, lambda: "Saved for offline" in status.message, "the retry")
        assert await app.gateway.worker.run(Cache.is_saved, IBM)
