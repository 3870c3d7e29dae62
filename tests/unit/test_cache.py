"""The SQLite cache on a real file: items, threads, lists, and never crashing."""

import os
import sqlite3

import pytest

from app.hn.models import Item
from app.storage.cache import DB_NAME, Cache
from tests.data import IBM, fixture_items


@pytest.fixture
def cache(tmp_path):
    cache = Cache(tmp_path)
    yield cache
    cache.close()


def test_items_round_trip_with_fetch_time(cache):
    item = Item(id=5, type="comment", by="a", text="<i>hi</i>", parent=1, kids=(6,))
    cache.put_items([item], root=1, fetched=1234.5)
    cached = cache.get(5)
    assert cached.item == item
    assert cached.fetched == 1234.5
    assert cache.root_of(5) == 1


def test_a_whole_thread_comes_back_and_survives_reopening(tmp_path):
    items = fixture_items("unlurker-43727727-ibm-rto")
    first = Cache(tmp_path)
    first.put_items(items.values(), root=IBM)
    first.close()
    again = Cache(tmp_path)
    thread = {entry.item.id: entry.item for entry in again.thread(IBM)}
    again.close()
    assert thread == items


def test_stories_are_their_own_root_and_comments_stay_unknown(cache):
    cache.put_items([Item(id=1, type="story"), Item(id=2, type="comment", parent=1)], None)
    assert cache.root_of(1) == 1
    assert cache.root_of(2) is None


def test_story_lists(cache):
    assert cache.get_list("top") is None
    cache.put_list("top", [3, 2, 1])
    ids, fetched = cache.get_list("top")
    assert ids == [3, 2, 1] and fetched > 0


def test_get_many_finds_only_cached(cache):
    cache.put_items([Item(id=i, type="story") for i in range(1, 1200)], None)
    found = cache.get_many([5, 1100, 99999])
    assert sorted(found) == [5, 1100]


def test_uses_wal_so_two_processes_can_share_it(cache):
    assert cache.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_unwritable_directory_falls_back_to_memory(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    cache = Cache(blocker / "cache")
    assert cache.problem and "cache unavailable" in cache.problem
    cache.put_items([Item(id=1, type="story")], None)
    assert cache.get(1) is not None
    cache.close()


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores file permissions")
def test_read_only_directory_is_reported(tmp_path):
    tmp_path.chmod(0o500)
    try:
        cache = Cache(tmp_path / "sub")
        assert cache.problem
    finally:
        tmp_path.chmod(0o700)


def test_failed_write_is_recorded_not_raised(tmp_path):
    cache = Cache(tmp_path)
    other = sqlite3.connect(tmp_path / DB_NAME, timeout=0)
    other.execute("BEGIN EXCLUSIVE")
    cache.db.execute("PRAGMA busy_timeout=0")
    cache.put_items([Item(id=1, type="story")], None)
    assert cache.problem and "write failed" in cache.problem
    other.rollback()
    other.close()
    cache.close()
