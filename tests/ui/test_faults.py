"""Faults through the whole app: what failed is shown with a retry key, the rest is kept."""

from __future__ import annotations

import sqlite3

from app.app import HNApp
from app.config import Config
from app.storage.cache import DB_NAME
from app.widgets.comment_view import CommentView
from app.widgets.status_line import StatusLine
from tests.data import IBM, fixture_items
from tests.fakehn import FakeHN
from tests.ui.conftest import wait_loaded

SIZE = (120, 40)
IBM_ITEMS = fixture_items("unlurker-43727727-ibm-rto")


def subtree(item_id: int) -> set[int]:
    ids = {item_id}
    for kid in IBM_ITEMS[item_id].kids:
        ids |= subtree(kid)
    return ids


async def test_failed_comments_are_reported_and_retried(make_app, fake_hn):
    bad = IBM_ITEMS[IBM].kids[0]
    fake_hn.fault("500", ids=[bad])
    app = make_app(IBM)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        view = app.screen.query_one(CommentView)
        status = app.screen.query_one(StatusLine)
        assert bad not in view.thread
        assert len(view.thread) == len(IBM_ITEMS) - 1 - len(subtree(bad))
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
        assert app.is_running
        gone = (kids[0], kids[1], kids[2], kids[3], kids[4], kids[6])
        lost = set().union(*(subtree(k) for k in gone))
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
            await pilot.press("G", "a", "escape", "z", "Z")
            assert app.is_running


async def test_unusable_cache_folder_is_reported_and_the_app_works(fake_hn, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    app = HNApp(Config(api_url=fake_hn.url, cache_dir=blocker / "cache", item=IBM))
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        assert app.cache.problem and "cache unavailable" in app.cache.problem
        assert len(app.screen.query_one(CommentView).thread) == len(IBM_ITEMS) - 1
        assert any("cache unavailable" in str(n.message) for n in app._notifications)


async def test_full_disk_keeps_the_reader_going(fake_hn, tmp_path):
    app = HNApp(Config(api_url=fake_hn.url, cache_dir=tmp_path, item=IBM))
    # A full disk, as SQLite sees it: no page may be added to the file.
    pages = app.cache.db.execute("PRAGMA page_count").fetchone()[0]
    app.cache.db.execute(f"PRAGMA max_page_count={pages}")
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        assert len(app.screen.query_one(CommentView).thread) == len(IBM_ITEMS) - 1
        assert app.cache.problem and "full" in app.cache.problem


async def test_a_locked_database_does_not_stop_reading(fake_hn, tmp_path):
    app = HNApp(Config(api_url=fake_hn.url, cache_dir=tmp_path, item=IBM))
    app.cache.db.execute("PRAGMA busy_timeout=50")
    other = sqlite3.connect(tmp_path / DB_NAME, timeout=0)
    other.execute("BEGIN EXCLUSIVE")
    try:
        async with app.run_test(size=SIZE) as pilot:
            await wait_loaded(pilot)
            assert len(app.screen.query_one(CommentView).thread) == len(IBM_ITEMS) - 1
            assert app.cache.problem
    finally:
        other.rollback()
        other.close()
